"""Receipts (recibos) and the money that moved on them. A receipt's amounts never change once
issued; what happens to it afterwards (collections, returns) is a ReceiptMovement row, so a
settlement can close the rows it took and a later change goes into the next settlement."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.collections.choices import (
    PERIOD_KINDS, CollectionChannel, ReceiptCollector, ReceiptKind, ReceiptMovementKind, ReceiptState,
)
from apps.core.models import AuditedModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class Receipt(AuditedModel):
    policy = models.ForeignKey("insurance.Policy", verbose_name=_("póliza"), on_delete=models.PROTECT,
                               related_name="receipts")
    sequence = models.PositiveIntegerField(_("número de orden"))
    number = models.CharField(_("número de recibo"), max_length=60, db_index=True,
                              help_text=_("Número de póliza / número de orden."))
    insurer_number = models.CharField(_("número de la compañía"), max_length=40, blank=True)
    # Denormalised from the policy for lists, filters and settlements.
    insurer = models.ForeignKey("insurance.Insurer", verbose_name=_("compañía"), on_delete=models.PROTECT,
                                related_name="receipts")
    line = models.ForeignKey("insurance.Line", verbose_name=_("ramo"), on_delete=models.PROTECT,
                             related_name="receipts")
    policyholder = models.ForeignKey("crm.Party", verbose_name=_("tomador"), on_delete=models.PROTECT,
                                     related_name="receipts")
    policy_version = models.ForeignKey("insurance.PolicyVersion", verbose_name=_("versión de póliza"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(_("tipo"), max_length=12, choices=ReceiptKind.choices)
    is_first_premium = models.BooleanField(_("primera prima"), default=False,
                                           help_text=_("Art. 15 LCS: sin pagarla no hay cobertura."))
    period_start = models.DateField(_("periodo desde"))
    period_end = models.DateField(_("periodo hasta"))
    due_date = models.DateField(_("vencimiento"))
    net_premium = models.DecimalField(_("prima neta"), **MONEY)
    ips = models.DecimalField(_("IPS"), default=0, **MONEY)
    consorcio = models.DecimalField(_("recargo Consorcio"), default=0, **MONEY)
    clea = models.DecimalField(_("recargo CLEA"), default=0, **MONEY)
    total_premium = models.DecimalField(_("prima total"), **MONEY)
    collector = models.CharField(_("cobra"), max_length=8, choices=ReceiptCollector.choices)
    state = models.CharField(_("estado"), max_length=10, choices=ReceiptState.choices, default=ReceiptState.ISSUED)
    collected_amount = models.DecimalField(_("importe cobrado"), default=0, **MONEY)
    collected_on = models.DateField(_("fecha de cobro"), null=True, blank=True)
    collected_at = models.DateTimeField(_("cobrado el"), null=True, blank=True,
                                        help_text=_("Momento del último cobro: la cobertura suspendida se "
                                                    "reanuda 24 horas después (art. 15 LCS)."))
    channel = models.CharField(_("medio de cobro"), max_length=10, choices=CollectionChannel.choices, blank=True)
    returned_on = models.DateField(_("fecha de devolución"), null=True, blank=True)
    return_reason = models.CharField(_("motivo de devolución"), max_length=200, blank=True,
                                     help_text=_("Código SEPA (AC04, AM04, MD01, MD06, MS02...) o texto."))
    cancelled_on = models.DateField(_("fecha de anulación"), null=True, blank=True)
    # Commission terms fixed when the receipt is issued (agreement in force on its period start).
    agreement = models.ForeignKey("insurance.CommissionAgreement", verbose_name=_("acuerdo de comisiones"),
                                  null=True, blank=True, on_delete=models.PROTECT, related_name="receipts")
    commission_rate = models.DecimalField(_("% comisión"), max_digits=5, decimal_places=2, default=0)
    commission_amount = models.DecimalField(_("comisión del recibo"), default=0, **MONEY)
    advance_offset = models.DecimalField(_("consumo del anticipo"), default=0, **MONEY,
                                         help_text=_("Parte de la comisión anticipada que corresponde a este "
                                                     "recibo (comisión anticipada)."))
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("recibo")
        verbose_name_plural = _("recibos")
        ordering = ["-due_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "sequence"], name="collections_receipt_sequence_unique"),
            models.UniqueConstraint(fields=["policy", "period_start"], condition=Q(kind__in=PERIOD_KINDS) & ~Q(state=ReceiptState.CANCELLED),
                                    name="collections_receipt_period_unique",
                                    violation_error_message=_("La póliza ya tiene recibo para ese periodo.")),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="collections_receipt_period"),
        ]
        indexes = [
            models.Index(fields=["state", "due_date"], name="collections_receipt_state_due"),
            models.Index(fields=["insurer", "state", "due_date"], name="collections_receipt_insurer"),
            models.Index(fields=["-due_date", "-id"], name="collections_receipt_recent"),
            models.Index(fields=["policyholder", "-due_date"], name="collections_receipt_holder"),
            models.Index(fields=["policy", "period_start"], name="collections_receipt_policy"),
        ]

    def __str__(self):
        return self.number

    @property
    def outstanding(self):
        return self.total_premium - self.collected_amount


class ReceiptMovement(models.Model):
    """Money that moved on a receipt: + collected, - returned (or a refund paid to the client)."""

    receipt = models.ForeignKey(Receipt, verbose_name=_("recibo"), on_delete=models.PROTECT,
                                related_name="movements")
    insurer = models.ForeignKey("insurance.Insurer", verbose_name=_("compañía"), on_delete=models.PROTECT,
                                related_name="+")
    kind = models.CharField(_("tipo"), max_length=12, choices=ReceiptMovementKind.choices)
    date = models.DateField(_("fecha"))
    amount = models.DecimalField(_("importe"), **MONEY)
    collector = models.CharField(_("cobra"), max_length=8, choices=ReceiptCollector.choices)
    channel = models.CharField(_("medio"), max_length=10, choices=CollectionChannel.choices, blank=True)
    reason = models.CharField(_("motivo"), max_length=200, blank=True)
    reverses = models.ForeignKey("self", verbose_name=_("revierte a"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reversed_by")
    settlement = models.ForeignKey("collections.Settlement", verbose_name=_("liquidación"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="receipt_movements")
    entry = models.ForeignKey("accounting.Entry", verbose_name=_("asiento"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("movimiento de recibo")
        verbose_name_plural = _("movimientos de recibos")
        ordering = ["receipt", "date", "pk"]
        indexes = [models.Index(fields=["insurer", "settlement", "date"], name="collections_rmov_settle")]

    def __str__(self):
        return f"{self.receipt.number} {self.get_kind_display()} {self.amount}"
