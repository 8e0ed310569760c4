"""A document attached to any record (named by its content type and pk, the live-record key
"<app_label>.<model>.<pk>") and its versions: a new upload of the same document adds a version and keeps the
old ones. Deleting is soft (deleted_at); the retention job deletes rows and files for good."""
import os
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.documents.models.categories import DocumentCategory


class LiveDocumentManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Document(AuditedModel):
    content_type = models.ForeignKey(ContentType, verbose_name=_("tipo de registro"), on_delete=models.PROTECT,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(_("id del registro"))
    category = models.ForeignKey(DocumentCategory, verbose_name=_("categoría"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("título"), max_length=200)
    expires_on = models.DateField(_("caduca el"), null=True, blank=True)
    reminded_for = models.DateField(_("caducidad avisada"), null=True, blank=True, editable=False,
                                    help_text=_("La fecha de caducidad de la que ya se avisó."))
    legal_hold = models.BooleanField(_("retención legal"), default=False,
                                     help_text=_("Mientras esté marcada, la conservación no lo borra."))
    current_version = models.ForeignKey("DocumentVersion", verbose_name=_("versión vigente"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    deleted_at = models.DateTimeField(_("eliminado"), null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("eliminado por"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = LiveDocumentManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        ordering = ["-created_at", "-id"]
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["content_type", "object_id"], name="documents_record_idx"),
                   models.Index(fields=["expires_on"], name="documents_expires_idx")]

    def __str__(self):
        return self.title

    @property
    def record_kind(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @property
    def record_key(self) -> str:
        return f"{self.record_kind}.{self.object_id}"

    def days_to_expiry(self, today=None) -> int | None:
        if self.expires_on is None:
            return None
        return (self.expires_on - (today or timezone.localdate())).days


def version_path(instance, filename: str) -> str:
    """documents/<yyyy>/<mm>/<random><ext>: no person's name in the key (the storage adds "<schema>/")."""
    now = timezone.localtime()
    return f"documents/{now:%Y/%m}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, verbose_name=_("documento"), on_delete=models.CASCADE,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("versión"))
    file = models.FileField(_("archivo"), upload_to=version_path, max_length=300)
    original_name = models.CharField(_("nombre original"), max_length=255)
    size = models.PositiveBigIntegerField(_("tamaño"))
    mime_type = models.CharField(_("tipo de contenido"), max_length=100)
    sha256 = models.CharField(_("huella SHA-256"), max_length=64)
    text = models.TextField(_("texto extraído"), blank=True)
    created_at = models.DateTimeField(_("subida"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("subida por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("versión de documento")
        verbose_name_plural = _("versiones de documento")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique")]

    def __str__(self):
        return f"{self.document} · v{self.number}"
