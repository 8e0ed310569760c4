"""A shared rich-text note per record, edited by several people at once. `state` is the Yjs document
(one merged update, pycrdt on the server); `text` its plain text for lists and search."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SharedNote(models.Model):
    content_type = models.ForeignKey(ContentType, verbose_name=_("tipo de registro"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("registro"))
    record = GenericForeignKey("content_type", "object_id")
    state = models.BinaryField(_("documento compartido"), default=bytes)
    text = models.TextField(_("texto"), blank=True)
    updates = models.PositiveIntegerField(_("cambios recibidos"), default=0)
    updated_at = models.DateTimeField(_("modificada"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("modificada por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("nota compartida")
        verbose_name_plural = _("notas compartidas")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="collab_note_record_unique")]

    def __str__(self):
        return self.text[:60] or str(_("(nota vacía)"))
