"""Data subject requests (arts. 15-20 RGPD) as tracked cases: one month to answer from reception, extendable by
two more months with a reason given to the person within the first month (art. 12.3 RGPD)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.compliance.choices import OPEN_REQUEST_STATES, Channel, RequestKind, RequestState
from apps.core.models import AuditedModel


class DataSubjectRequest(AuditedModel):
    number = models.CharField(_("número"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("derecho ejercido"), max_length=15, choices=RequestKind.choices)
    party = models.ForeignKey("crm.Party", verbose_name=_("interesado"), on_delete=models.PROTECT,
                              related_name="data_subject_requests")
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    received_on = models.DateField(_("recibida el"))
    deadline = models.DateField(_("plazo"), help_text=_("Un mes desde la recepción (art. 12.3 RGPD)."))
    extended_deadline = models.DateField(
        _("plazo ampliado"), null=True, blank=True,
        help_text=_("Dos meses más por la complejidad o el número de solicitudes, comunicado con su motivo dentro "
                    "del primer mes (art. 12.3 RGPD)."))
    extension_reason = models.TextField(_("motivo de la ampliación"), blank=True)
    description = models.TextField(_("solicitud"), blank=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsable"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="data_subject_requests")
    state = models.CharField(_("estado"), max_length=12, choices=RequestState.choices, default=RequestState.RECEIVED)
    rectification_notes = models.TextField(_("rectificaciones realizadas"), blank=True)
    resolution = models.TextField(_("respuesta"), blank=True)
    denial_reason = models.TextField(_("motivo de la denegación"), blank=True)
    resolved_on = models.DateField(_("resuelta el"), null=True, blank=True)
    warned_for = models.DateField(_("plazo avisado"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("solicitud de derechos")
        verbose_name_plural = _("solicitudes de derechos")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["state", "deadline"], name="compliance_dsr_state_idx")]

    def __str__(self):
        return self.number

    @property
    def due_date(self):
        return self.extended_deadline or self.deadline

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REQUEST_STATES
