"""Commissions as a ledger: every earning, reversal, advance and clawback is a signed row. The
commission of a receipt, of a policy or of a settlement is a sum of rows, and an operation and
its reversal are two rows whose sum is exactly zero (the reversal copies the amount, it never
recomputes it). Rows with a collaborator are that collaborator's share of the broker's row."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.collections.choices import CollaboratorKind, CommissionMovementKind
from apps.core.encryption import EncryptedTextField
from apps.core.models import AuditedModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class Collaborator(AuditedModel):
    """An external auxiliary, a co-broker or a referrer who receives part of the commission."""

    party = models.OneToOneField("crm.Party", verbose_name=_("ficha de tercero"), on_delete=models.PROTECT,
                                 related_name="collaborator_profile")
    kind = models.CharField(_("tipo"), max_length=10, choices=CollaboratorKind.choices)
    code = models.CharField(_("código"), max_length=20, unique=True)
    default_share_pct = models.DecimalField(_("% de la comisión por defecto"), max_digits=5, decimal_places=2,
                                            default=0)
    withholding_pct = models.DecimalField(_("% retención IRPF"), max_digits=5, decimal_places=2, default=0,
                                          help_text=_("Personas físicas: normalmente 15 % (7 % los primeros años)."))
    dgsfp_code = models.CharField(_("clave DGSFP"), max_length=20, blank=True,
                                  help_text=_("Registro de auxiliares externos o de corredores."))
    iban = EncryptedTextField(_("IBAN"), max_length=34, blank=True, normalise="iban")
    is_active = models.BooleanField(_("activo"), default=True)
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("colaborador")
        verbose_name_plural = _("colaboradores")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(default_share_pct__gte=0, default_share_pct__lte=100,
                                               withholding_pct__gte=0, withholding_pct__lte=100),
                                   name="collections_collaborator_pct"),
        ]

    def __str__(self):
        return f"{self.code} · {self.party}"


class CommissionShare(AuditedModel):
    """A collaborator's percentage of the broker's commission on one policy."""

    policy = models.ForeignKey("insurance.Policy", verbose_name=_("póliza"), on_delete=models.CASCADE,
                               related_name="commission_shares")
    collaborator = models.ForeignKey(Collaborator, verbose_name=_("colaborador"), on_delete=models.PROTECT,
                                     related_name="shares")
    share_pct = models.DecimalField(_("% de la comisión"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("participación en comisiones")
        verbose_name_plural = _("participaciones en comisiones")
        ordering = ["policy", "collaborator__code"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "collaborator"], name="collections_share_unique",
                                    violation_error_message=_("Ese colaborador ya participa en esta póliza.")),
            models.CheckConstraint(condition=Q(share_pct__gt=0, share_pct__lte=100),
                                   name="collections_share_pct"),
        ]

    def __str__(self):
        return f"{self.collaborator.code} {self.share_pct} %"


class CommissionMovement(models.Model):
    receipt = models.ForeignKey("collections.Receipt", verbose_name=_("recibo"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="commission_movements")
    policy = models.ForeignKey("insurance.Policy", verbose_name=_("póliza"), on_delete=models.PROTECT,
                               related_name="commission_movements")
    insurer = models.ForeignKey("insurance.Insurer", verbose_name=_("compañía"), on_delete=models.PROTECT,
                                related_name="+")
    collaborator = models.ForeignKey(Collaborator, verbose_name=_("colaborador"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="movements",
                                     help_text=_("Vacío: comisión de la correduría con la compañía."))
    kind = models.CharField(_("tipo"), max_length=16, choices=CommissionMovementKind.choices)
    date = models.DateField(_("fecha"))
    base = models.DecimalField(_("base"), default=0, **MONEY)
    rate = models.DecimalField(_("%"), max_digits=5, decimal_places=2, default=0)
    amount = models.DecimalField(_("importe"), **MONEY)
    description = models.CharField(_("concepto"), max_length=250, blank=True)
    reverses = models.ForeignKey("self", verbose_name=_("revierte a"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reversed_by")
    source = models.ForeignKey("self", verbose_name=_("comisión de la correduría"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="shares",
                               help_text=_("En la parte de un colaborador: el movimiento del que sale."))
    settlement = models.ForeignKey("collections.Settlement", verbose_name=_("liquidación con la compañía"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="commission_movements")
    collaborator_settlement = models.ForeignKey("collections.CollaboratorSettlement",
                                                verbose_name=_("liquidación al colaborador"), null=True, blank=True,
                                                on_delete=models.PROTECT, related_name="commission_movements")
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("movimiento de comisión")
        verbose_name_plural = _("movimientos de comisiones")
        ordering = ["date", "pk"]
        indexes = [
            models.Index(fields=["insurer", "settlement", "date"], name="collections_cmov_settle",
                         condition=Q(collaborator__isnull=True)),
            models.Index(fields=["collaborator", "collaborator_settlement", "date"], name="collections_cmov_collab",
                         condition=Q(collaborator__isnull=False)),
            models.Index(fields=["policy", "date"], name="collections_cmov_policy"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"
