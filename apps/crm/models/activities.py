from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.crm.choices import ActivityKind


class Activity(AuditedModel):
    """A call, meeting, e-mail or task about a party, a lead or an opportunity."""

    kind = models.CharField(_("tipo"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.TASK)
    subject = models.CharField(_("asunto"), max_length=200)
    notes = models.TextField(_("notas"), blank=True)
    due_at = models.DateTimeField(_("vence"), null=True, blank=True, db_index=True)
    done_at = models.DateTimeField(_("hecha"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsable"), on_delete=models.PROTECT,
                              related_name="crm_activities")
    party = models.ForeignKey("crm.Party", verbose_name=_("cliente"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="activities")
    lead = models.ForeignKey("crm.Lead", verbose_name=_("contacto comercial"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="activities")
    opportunity = models.ForeignKey("crm.Opportunity", verbose_name=_("oportunidad"), null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="activities")
    reminder_sent_at = models.DateTimeField(_("aviso enviado"), null=True, blank=True)

    class Meta:
        verbose_name = _("actividad")
        verbose_name_plural = _("actividades")
        ordering = ["done_at", "due_at"]
        indexes = [models.Index(fields=["owner", "done_at", "due_at"], name="crm_activity_owner_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party__isnull=False) | models.Q(lead__isnull=False) | models.Q(opportunity__isnull=False),
                name="crm_activity_has_target",
            )
        ]

    def __str__(self):
        return self.subject
