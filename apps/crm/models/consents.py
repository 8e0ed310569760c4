from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.crm.choices import Channel, ConsentPurpose


class Consent(AuditedModel):
    """One grant of consent for one purpose; withdrawing closes it, granting again opens a new one."""

    party = models.ForeignKey("crm.Party", on_delete=models.CASCADE, related_name="consents", verbose_name=_("cliente"))
    purpose = models.CharField(_("finalidad"), max_length=20, choices=ConsentPurpose.choices)
    granted_at = models.DateTimeField(_("otorgado"))
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices)
    evidence = models.TextField(_("evidencia"), help_text=_("Cómo consta: formulario firmado, grabación, casilla web con IP…"))
    withdrawn_at = models.DateTimeField(_("retirado"), null=True, blank=True)
    withdrawal_channel = models.CharField(_("canal de retirada"), max_length=12, choices=Channel.choices, blank=True)

    class Meta:
        verbose_name = _("consentimiento")
        verbose_name_plural = _("consentimientos")
        ordering = ["party", "purpose", "-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["party", "purpose"], condition=models.Q(withdrawn_at__isnull=True),
                                    name="crm_one_active_consent_per_purpose"),
        ]

    def __str__(self):
        return f"{self.party} · {self.get_purpose_display()}"

    @property
    def is_active(self):
        return self.withdrawn_at is None
