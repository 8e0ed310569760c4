"""The brokerage's table from its lines of business to the DGSFP classification the DEC uses."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.regulatory.choices import DecRamo


class DgsfpLineMapping(AuditedModel):
    line = models.OneToOneField("insurance.Line", verbose_name=_("ramo de la correduría"), on_delete=models.CASCADE,
                                related_name="dgsfp_mapping")
    ramo = models.CharField(_("ramo DGSFP"), max_length=30, choices=DecRamo.choices)

    class Meta:
        verbose_name = _("correspondencia de ramo DGSFP")
        verbose_name_plural = _("correspondencias de ramos DGSFP")
        ordering = ["line__name"]
        permissions = [("view_dec", "Puede ver y exportar la DEC")]

    def __str__(self):
        return f"{self.line} → {self.get_ramo_display()}"
