"""SEPA credit-transfer orders (pain.001) the brokerage sends to pay insurer settlements, claim
payments and supplier invoices. The file is kept; the payment entries are posted when the bank
charges the order (reconciliation of the statement debit, or by hand)."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.treasury.choices import TransferItemKind, TransferOrderState

MONEY = {"max_digits": 14, "decimal_places": 2}


class TransferOrder(AuditedModel):
    number = models.CharField(_("número"), max_length=30, unique=True)
    bank_account = models.ForeignKey("treasury.BankAccount", verbose_name=_("cuenta de cargo"),
                                     on_delete=models.PROTECT, related_name="transfer_orders")
    execution_date = models.DateField(_("fecha de ejecución"))
    state = models.CharField(_("estado"), max_length=10, choices=TransferOrderState.choices,
                             default=TransferOrderState.GENERATED)
    total = models.DecimalField(_("importe total"), default=0, **MONEY)
    count = models.PositiveIntegerField(_("pagos"), default=0)
    message_id = models.CharField(_("identificador del mensaje"), max_length=35, blank=True)
    xml = models.TextField(_("fichero pain.001"), blank=True)
    settled_on = models.DateField(_("cargada el"), null=True, blank=True)

    class Meta:
        verbose_name = _("orden de transferencias")
        verbose_name_plural = _("órdenes de transferencias")
        ordering = ["-execution_date", "-pk"]

    def __str__(self):
        return self.number


class TransferItem(models.Model):
    order = models.ForeignKey(TransferOrder, verbose_name=_("orden"), on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("tipo"), max_length=20, choices=TransferItemKind.choices)
    target_type = models.ForeignKey(ContentType, verbose_name=_("tipo de registro"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField(_("registro"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    payee_name = models.CharField(_("beneficiario"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    amount = models.DecimalField(_("importe"), **MONEY)
    end_to_end_id = models.CharField(_("referencia extremo a extremo"), max_length=35, unique=True)
    description = models.CharField(_("concepto"), max_length=140)
    entry = models.ForeignKey("accounting.Entry", verbose_name=_("asiento de pago"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("transferencia")
        verbose_name_plural = _("transferencias")
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="treasury_transfer_target_idx")]

    def __str__(self):
        return self.end_to_end_id
