"""The renewal portfolio (cartera de renovaciones): one proposal per policy approaching its
expiry, built by a beat job a configurable number of days ahead, decided by a person."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.insurance.choices import NonRenewalReason, RenewalPremiumSource, RenewalState


class RenewalSettings(models.Model):
    """One row per brokerage (schema): how far ahead the portfolio is built."""

    days_before = models.PositiveSmallIntegerField(_("días de antelación"), default=60,
                                                   help_text=_("Se prepara la renovación este número de días "
                                                               "antes del vencimiento."))
    rerate_by_default = models.BooleanField(_("retarificar por defecto"), default=True,
                                            help_text=_("Sin actualización de la compañía, la prima propuesta es "
                                                        "la de la tarifa en vigor en la nueva fecha de efecto."))

    class Meta:
        verbose_name = _("configuración de renovaciones")
        verbose_name_plural = _("configuración de renovaciones")

    def __str__(self):
        return str(_("Renovaciones con %(days)s días de antelación") % {"days": self.days_before})


class RenewalProposal(AuditedModel):
    policy = models.OneToOneField("insurance.Policy", verbose_name=_("póliza"), on_delete=models.PROTECT,
                                  related_name="renewal_proposal")
    expiry_date = models.DateField(_("vencimiento"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsable"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("estado"), max_length=12, choices=RenewalState.choices, default=RenewalState.PENDING)
    current_net_premium = models.DecimalField(_("prima neta actual"), max_digits=12, decimal_places=2, default=0)
    current_total_premium = models.DecimalField(_("prima total actual"), max_digits=12, decimal_places=2, default=0)
    premium_source = models.CharField(_("origen de la nueva prima"), max_length=10,
                                      choices=RenewalPremiumSource.choices, default=RenewalPremiumSource.RERATE)
    proposed_net_premium = models.DecimalField(_("prima neta propuesta"), max_digits=12, decimal_places=2, default=0)
    proposed_ips = models.DecimalField(_("IPS propuesto"), max_digits=12, decimal_places=2, default=0)
    proposed_consorcio = models.DecimalField(_("Consorcio propuesto"), max_digits=12, decimal_places=2, default=0)
    proposed_clea = models.DecimalField(_("CLEA propuesto"), max_digits=12, decimal_places=2, default=0)
    proposed_total_premium = models.DecimalField(_("prima total propuesta"), max_digits=12, decimal_places=2,
                                                 default=0)
    rating_note = models.CharField(_("nota de tarificación"), max_length=300, blank=True,
                                   help_text=_("Por qué no se pudo retarificar, si fue el caso."))
    notified_at = models.DateTimeField(_("avisado el"), null=True, blank=True)
    renewed_policy = models.OneToOneField("insurance.Policy", verbose_name=_("póliza renovada"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="renewed_from_proposal")
    non_renewal_reason = models.CharField(_("motivo de no renovación"), max_length=12,
                                          choices=NonRenewalReason.choices, blank=True)
    decided_at = models.DateTimeField(_("decidida el"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decidida por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("renovación")
        verbose_name_plural = _("renovaciones")
        ordering = ["expiry_date", "pk"]
        indexes = [
            models.Index(fields=["expiry_date", "state"], name="insurance_renewal_month_idx"),
            models.Index(fields=["owner", "state", "expiry_date"], name="insurance_renewal_owner_idx"),
        ]

    def __str__(self):
        return str(_("Renovación de %(policy)s (%(date)s)") % {"policy": self.policy.number,
                                                               "date": self.expiry_date.strftime("%d/%m/%Y")})
