"""Per-product tariffs, versioned by date and editable by staff. A line's rating rules read
the tariff's base figures and factor tables; the tariff in force on the quote's effective date
is the one used."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel


class Tariff(AuditedModel):
    product = models.ForeignKey("insurance.Product", verbose_name=_("producto"), on_delete=models.PROTECT,
                                related_name="tariffs")
    valid_from = models.DateField(_("en vigor desde"))
    base_premium = models.DecimalField(_("prima base"), max_digits=12, decimal_places=2, default=0,
                                       help_text=_("Importe de partida que las reglas del ramo multiplican por los factores."))
    minimum_premium = models.DecimalField(_("prima mínima"), max_digits=12, decimal_places=2, default=0)
    # Line-specific base figures (e.g. hogar: building_per_mille), named by the line's rating rules.
    parameters = models.JSONField(_("parámetros"), default=dict, blank=True)
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("tarifa")
        verbose_name_plural = _("tarifas")
        ordering = ["product", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["product", "valid_from"], name="insurance_tariff_unique",
                                               violation_error_message=_("Este producto ya tiene una tarifa con esa fecha."))]

    def __str__(self):
        return f"{self.product} · {self.valid_from:%d/%m/%Y}"


class TariffFactor(models.Model):
    """One row of a rating table: for `factor`, the value applies to a numeric band
    [band_from, band_to) or to a category `key`."""

    tariff = models.ForeignKey(Tariff, verbose_name=_("tarifa"), on_delete=models.CASCADE, related_name="factors")
    factor = models.SlugField(_("factor"), max_length=40)
    key = models.CharField(_("categoría"), max_length=60, blank=True)
    band_from = models.DecimalField(_("desde"), max_digits=14, decimal_places=2, null=True, blank=True)
    band_to = models.DecimalField(_("hasta (excluido)"), max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("valor"), max_digits=12, decimal_places=4)

    class Meta:
        verbose_name = _("factor de tarifa")
        verbose_name_plural = _("factores de tarifa")
        ordering = ["tariff", "factor", "band_from", "key"]
        constraints = [
            models.CheckConstraint(condition=~Q(key="") | Q(band_from__isnull=False) | Q(band_to__isnull=False),
                                   name="insurance_factor_key_or_band",
                                   violation_error_message=_("Indique una categoría o un tramo (desde/hasta).")),
        ]

    def __str__(self):
        where = self.key or f"[{self.band_from}, {self.band_to})"
        return f"{self.factor} {where} = {self.value}"
