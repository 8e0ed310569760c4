"""Where people work: work centres (with their region and municipality for holidays) and departments."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel


class WorkCentre(AuditedModel):
    code = models.CharField(_("código"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    address = models.CharField(_("dirección"), max_length=250, blank=True)
    postal_code = models.CharField(_("código postal"), max_length=5, blank=True)
    municipality = models.CharField(_("municipio"), max_length=120)
    region = models.CharField(_("comunidad autónoma"), max_length=2,
                              help_text=_("Código INE de la comunidad autónoma (p. ej. 13 Madrid, 09 Cataluña)."))
    is_active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("centro de trabajo")
        verbose_name_plural = _("centros de trabajo")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(AuditedModel):
    code = models.CharField(_("código"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    parent = models.ForeignKey("self", verbose_name=_("depende de"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    cost_centre = models.CharField(_("centro de coste"), max_length=20, blank=True)
    head = models.ForeignKey("hr.Employee", verbose_name=_("responsable"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("departamento")
        verbose_name_plural = _("departamentos")
        ordering = ["name"]

    def __str__(self):
        return self.name
