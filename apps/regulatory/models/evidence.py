"""Evidence that the LDS distribution duties were met for a policy (RDL 3/2020, libro II): the IPID
and the pre-contract information delivered, the demands-and-needs test done (with its answers and
the product's suitability statement) and the remuneration disclosed. A row is a fact: a new
delivery adds a row, the latest of each kind is the one shown."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.regulatory.choices import DeliveryChannel, EvidenceKind, RemunerationNature


class DistributionEvidence(AuditedModel):
    policy = models.ForeignKey("insurance.Policy", verbose_name=_("póliza"), on_delete=models.CASCADE,
                               related_name="distribution_evidence")
    kind = models.CharField(_("obligación"), max_length=24, choices=EvidenceKind.choices)
    delivered_at = models.DateTimeField(_("entregado el"))
    channel = models.CharField(_("medio"), max_length=20, choices=DeliveryChannel.choices)
    document = models.ForeignKey("documents.Document", verbose_name=_("documento"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 help_text=_("El justificante archivado en la póliza (opcional)."))
    answers = models.JSONField(_("respuestas del test"), default=dict, blank=True)
    statement = models.TextField(_("declaración de adecuación del producto"), blank=True)
    remuneration_nature = models.CharField(_("naturaleza de la remuneración"), max_length=12,
                                           choices=RemunerationNature.choices, blank=True)
    notes = models.CharField(_("observaciones"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrado por"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("evidencia de distribución")
        verbose_name_plural = _("evidencias de distribución")
        ordering = ["policy", "kind", "-delivered_at", "-pk"]
        indexes = [models.Index(fields=["policy", "kind"], name="regulatory_evidence_policy")]

    def __str__(self):
        return f"{self.policy.number} · {self.get_kind_display()}"
