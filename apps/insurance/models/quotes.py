"""Quotes (proyectos): one client's risk rated against every eligible product, with the LDS
demands-and-needs record and the objective-analysis statement."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.encryption import HealthJSONField
from apps.core.models import AuditedModel
from apps.insurance.choices import AdviceKind, QuoteState


class Quote(AuditedModel):
    number = models.CharField(_("número"), max_length=20, unique=True, editable=False)
    client = models.ForeignKey("crm.Party", verbose_name=_("cliente"), on_delete=models.PROTECT, related_name="quotes")
    line = models.ForeignKey("insurance.Line", verbose_name=_("ramo"), on_delete=models.PROTECT, related_name="quotes")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsable"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="insurance_quotes")
    state = models.CharField(_("estado"), max_length=10, choices=QuoteState.choices, default=QuoteState.DRAFT,
                             db_index=True)
    effective_date = models.DateField(_("fecha de efecto prevista"))
    valid_until = models.DateField(_("válido hasta"))
    # The risk as the line validated it (JSON-safe values); the line's app owns its shape.
    risk_data = HealthJSONField(_("datos del riesgo"), default=dict)
    risk_summary = models.CharField(_("riesgo"), max_length=300, blank=True)
    # LDS art. 172: exigencias y necesidades del cliente, recorded before any proposal.
    demands_and_needs = models.JSONField(_("exigencias y necesidades"), default=dict, blank=True)
    needs_statement = models.TextField(_("declaración de exigencias y necesidades"), blank=True)
    advice_kind = models.CharField(_("tipo de asesoramiento"), max_length=10, choices=AdviceKind.choices,
                                   default=AdviceKind.OBJECTIVE_ANALYSIS)
    objective_analysis_statement = models.TextField(_("informe de análisis objetivo"), blank=True)
    accepted_option = models.ForeignKey("insurance.QuoteOption", verbose_name=_("opción aceptada"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("enviado el"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decidido el"), null=True, blank=True)
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("proyecto")
        verbose_name_plural = _("proyectos")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "-created_at"], name="insurance_quote_client_idx")]

    def __str__(self):
        return f"{self.number} · {self.client}"


class QuoteOption(models.Model):
    """One product rated for the quote's risk; declined products keep their reason."""

    quote = models.ForeignKey(Quote, verbose_name=_("proyecto"), on_delete=models.CASCADE, related_name="options")
    product = models.ForeignKey("insurance.Product", verbose_name=_("producto"), on_delete=models.PROTECT,
                                related_name="+")
    tariff = models.ForeignKey("insurance.Tariff", verbose_name=_("tarifa"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("posición"), null=True, blank=True)
    eligible = models.BooleanField(_("tarificable"), default=True)
    decline_reason = models.CharField(_("motivo de exclusión"), max_length=300, blank=True)
    net_premium = models.DecimalField(_("prima neta"), max_digits=12, decimal_places=2, default=0)
    ips = models.DecimalField(_("IPS"), max_digits=12, decimal_places=2, default=0)
    consorcio = models.DecimalField(_("recargo Consorcio"), max_digits=12, decimal_places=2, default=0)
    clea = models.DecimalField(_("recargo CLEA"), max_digits=12, decimal_places=2, default=0)
    total_premium = models.DecimalField(_("prima total"), max_digits=12, decimal_places=2, default=0)
    breakdown = models.JSONField(_("desglose"), default=list, blank=True)
    coverages = models.JSONField(_("garantías"), default=list, blank=True)
    commission_pct = models.DecimalField(_("% comisión"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("opción de proyecto")
        verbose_name_plural = _("opciones de proyecto")
        ordering = ["quote", "rank", "pk"]

    def __str__(self):
        return f"{self.quote.number} · {self.product}"


class NumberCounter(models.Model):
    """Last number used per series and year (quotes: P-2026-000123); locked when taken."""

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="insurance_counter_unique")]
