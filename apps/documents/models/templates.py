"""The brokerage's own versions of the generated documents' templates, with every revision kept."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.documents.choices_generation import TemplateCode


class DocumentTemplate(models.Model):
    """A template the brokerage edited; without a row (or with uses_default) the shipped one is used."""

    code = models.CharField(_("documento"), max_length=30, choices=TemplateCode.choices, unique=True)
    body = models.TextField(_("HTML de la plantilla"))
    uses_default = models.BooleanField(_("usa la plantilla de serie"), default=False)
    revision = models.PositiveIntegerField(_("revisión"), default=0)
    updated_at = models.DateTimeField(_("modificada"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("modificada por"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("plantilla de documento")
        verbose_name_plural = _("plantillas de documentos")
        ordering = ["code"]

    def __str__(self):
        return str(TemplateCode(self.code).label) if self.code in TemplateCode.values else self.code


class DocumentTemplateRevision(models.Model):
    template = models.ForeignKey(DocumentTemplate, verbose_name=_("plantilla"), on_delete=models.CASCADE,
                                 related_name="revisions")
    number = models.PositiveIntegerField(_("revisión"))
    body = models.TextField(_("HTML de la plantilla"))
    uses_default = models.BooleanField(_("vuelta a la de serie"), default=False)
    note = models.CharField(_("nota"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("guardada"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("revisión de plantilla")
        verbose_name_plural = _("revisiones de plantillas")
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="documents_template_revision_unique")]

    def __str__(self):
        return f"{self.template} r{self.number}"
