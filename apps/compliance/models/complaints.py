"""Complaints and claims to the customer service (servicio de atención al cliente, Orden ECO/734/2004)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.compliance.choices import (
    Channel, ComplaintKind, ComplaintOutcome, ComplaintReason, ComplaintState, NotAdmittedReason,
)
from apps.core.models import AuditedModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Complaint(AuditedModel):
    number = models.CharField(_("número"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("tipo"), max_length=12, choices=ComplaintKind.choices)
    party = models.ForeignKey("crm.Party", verbose_name=_("cliente"), on_delete=models.PROTECT,
                              related_name="complaints")
    is_consumer = models.BooleanField(_("consumidor"), default=True,
                                      help_text=_("Persona que actúa fuera de su actividad empresarial o profesional."))
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    received_on = models.DateField(_("recibida el"))
    deadline = models.DateField(
        _("plazo de resolución"),
        help_text=_("Art. 10.3 Orden ECO/734/2004: dos meses desde la presentación; un mes si el reclamante es "
                    "consumidor (redacción de la Orden ECE/482/2019). Ambos plazos se ajustan por correduría."))
    reason = models.CharField(_("motivo"), max_length=15, choices=ComplaintReason.choices,
                              default=ComplaintReason.OTHER)
    description = models.TextField(_("hechos y petición"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsable"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="complaints_handled")
    policy = models.ForeignKey("insurance.Policy", verbose_name=_("póliza"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="complaints")
    claim = models.ForeignKey("claims.Claim", verbose_name=_("siniestro"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="complaints")
    amount_claimed = models.DecimalField(_("importe reclamado"), null=True, blank=True, **MONEY)
    state = models.CharField(_("estado"), max_length=12, choices=ComplaintState.choices,
                             default=ComplaintState.RECEIVED)
    outcome = models.CharField(_("resolución"), max_length=12, choices=ComplaintOutcome.choices, blank=True)
    not_admitted_reason = models.CharField(_("causa de inadmisión"), max_length=15,
                                           choices=NotAdmittedReason.choices, blank=True)
    resolution = models.TextField(_("resolución motivada"), blank=True)
    criteria = models.CharField(_("criterio aplicado"), max_length=300, blank=True,
                                help_text=_("Para el informe anual (art. 17.1.c Orden ECO/734/2004)."))
    amount_granted = models.DecimalField(_("importe reconocido"), null=True, blank=True, **MONEY)
    resolved_on = models.DateField(_("resuelta el"), null=True, blank=True)
    warned_for = models.DateField(_("plazo avisado"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("queja o reclamación")
        verbose_name_plural = _("quejas y reclamaciones")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["state", "deadline"], name="compliance_complaint_state_idx"),
                   models.Index(fields=["received_on"], name="compliance_complaint_recv_idx")]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state != ComplaintState.CLOSED
