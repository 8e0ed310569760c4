from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.crm.choices import CampaignStatus, RecipientStatus


class Segment(AuditedModel):
    """A saved set of filters over parties (the same filters as the client list)."""

    name = models.CharField(_("nombre"), max_length=120, unique=True)
    description = models.CharField(_("descripción"), max_length=300, blank=True)
    filters = models.JSONField(_("filtros"), default=dict, blank=True)

    class Meta:
        verbose_name = _("segmento")
        verbose_name_plural = _("segmentos")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Campaign(AuditedModel):
    name = models.CharField(_("nombre"), max_length=120)
    segment = models.ForeignKey(Segment, verbose_name=_("segmento"), on_delete=models.PROTECT, related_name="campaigns")
    subject = models.CharField(_("asunto"), max_length=200)
    body = models.TextField(_("texto"), help_text=_("Puede usar {{ nombre }} y {{ gestor }}."))
    status = models.CharField(_("estado"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    sent_at = models.DateTimeField(_("enviada"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaña")
        verbose_name_plural = _("campañas")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class CampaignRecipient(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("campaña"))
    party = models.ForeignKey("crm.Party", on_delete=models.CASCADE, related_name="campaign_messages",
                              verbose_name=_("cliente"))
    email = models.EmailField(_("correo electrónico"), blank=True)
    language = models.CharField(_("idioma"), max_length=2, blank=True)
    status = models.CharField(_("estado"), max_length=12, choices=RecipientStatus.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)
    processed_at = models.DateTimeField(_("procesado"), auto_now_add=True)

    class Meta:
        verbose_name = _("destinatario")
        verbose_name_plural = _("destinatarios")
        constraints = [models.UniqueConstraint(fields=["campaign", "party"], name="crm_recipient_unique")]

    def __str__(self):
        return f"{self.campaign} → {self.party}"
