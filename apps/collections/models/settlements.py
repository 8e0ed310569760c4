"""Settlements (liquidaciones) with insurers and with collaborators. A settlement takes every
unsettled movement of its party up to its period end and keeps them: the rows point at it and
are never taken again, so a change after closing lands in the next settlement."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.collections.choices import SettlementState
from apps.core.models import AuditedModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Settlement(AuditedModel):
    number = models.CharField(_("número"), max_length=30, unique=True)
    insurer = models.ForeignKey("insurance.Insurer", verbose_name=_("compañía"), on_delete=models.PROTECT,
                                related_name="settlements")
    period_start = models.DateField(_("periodo desde"))
    period_end = models.DateField(_("periodo hasta"))
    date = models.DateField(_("fecha de la liquidación"))
    state = models.CharField(_("estado"), max_length=8, choices=SettlementState.choices,
                             default=SettlementState.CLOSED)
    # Receipts the broker collected (net of returns) and the broker's commission on them.
    premiums_collected = models.DecimalField(_("primas cobradas por la correduría"), default=0, **MONEY)
    commission_on_collected = models.DecimalField(_("comisión sobre lo cobrado por la correduría"), default=0,
                                                  **MONEY)
    # Receipts the insurer collected: only the commission moves.
    commission_insurer_collected = models.DecimalField(_("comisión sobre lo cobrado por la compañía"), default=0,
                                                       **MONEY)
    other_commission = models.DecimalField(_("anticipos y extornos de comisión"), default=0, **MONEY)
    commission_total = models.DecimalField(_("comisión total"), default=0, **MONEY)
    amount_due = models.DecimalField(_("saldo"), default=0, **MONEY,
                                     help_text=_("Positivo: la correduría paga a la compañía. "
                                                 "Negativo: la compañía paga a la correduría."))
    entry = models.ForeignKey("accounting.Entry", verbose_name=_("asiento"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey("accounting.Invoice", verbose_name=_("factura de comisiones"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField(_("pagada el"), null=True, blank=True)
    payment_entry = models.ForeignKey("accounting.Entry", verbose_name=_("asiento de pago"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("liquidación con compañía")
        verbose_name_plural = _("liquidaciones con compañías")
        ordering = ["-period_end", "insurer__name", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["insurer", "period_start", "period_end"],
                                    name="collections_settlement_period_unique",
                                    violation_error_message=_("Ese periodo ya está liquidado con la compañía.")),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="collections_settlement_period"),
        ]

    def __str__(self):
        return f"{self.number} · {self.insurer}"


class CollaboratorSettlement(AuditedModel):
    number = models.CharField(_("número"), max_length=30, unique=True)
    collaborator = models.ForeignKey("collections.Collaborator", verbose_name=_("colaborador"),
                                     on_delete=models.PROTECT, related_name="settlements")
    period_start = models.DateField(_("periodo desde"))
    period_end = models.DateField(_("periodo hasta"))
    date = models.DateField(_("fecha de la liquidación"))
    state = models.CharField(_("estado"), max_length=8, choices=SettlementState.choices,
                             default=SettlementState.CLOSED)
    commission_total = models.DecimalField(_("comisiones"), default=0, **MONEY)
    withholding = models.DecimalField(_("retención IRPF"), default=0, **MONEY)
    amount_due = models.DecimalField(_("a pagar"), default=0, **MONEY)
    entry = models.ForeignKey("accounting.Entry", verbose_name=_("asiento"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField(_("pagada el"), null=True, blank=True)
    payment_entry = models.ForeignKey("accounting.Entry", verbose_name=_("asiento de pago"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("liquidación a colaborador")
        verbose_name_plural = _("liquidaciones a colaboradores")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["collaborator", "period_start", "period_end"],
                                    name="collections_collab_settlement_unique",
                                    violation_error_message=_("Ese periodo ya está liquidado con el colaborador.")),
        ]

    def __str__(self):
        return f"{self.number} · {self.collaborator}"
