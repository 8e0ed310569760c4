"""SEPA direct-debit remittances (pain.008) of broker-collected receipts."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import AuditedModel
from apps.treasury.choices import RemittanceItemState, RemittanceState, SequenceType

MONEY = {"max_digits": 14, "decimal_places": 2}


class Remittance(AuditedModel):
    number = models.CharField(_("número"), max_length=30, unique=True)
    bank_account = models.ForeignKey("treasury.BankAccount", verbose_name=_("cuenta de abono"),
                                     on_delete=models.PROTECT, related_name="remittances")
    collection_date = models.DateField(_("fecha de cargo"))
    state = models.CharField(_("estado"), max_length=10, choices=RemittanceState.choices,
                             default=RemittanceState.DRAFT)
    total = models.DecimalField(_("importe total"), default=0, **MONEY)
    count = models.PositiveIntegerField(_("adeudos"), default=0)
    message_id = models.CharField(_("identificador del mensaje"), max_length=35, blank=True)
    xml = models.TextField(_("fichero pain.008"), blank=True)
    entry = models.ForeignKey("accounting.Entry", verbose_name=_("asiento de cargo"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("remesa")
        verbose_name_plural = _("remesas")
        ordering = ["-collection_date", "-pk"]

    def __str__(self):
        return self.number


class RemittanceItem(models.Model):
    remittance = models.ForeignKey(Remittance, verbose_name=_("remesa"), on_delete=models.CASCADE,
                                   related_name="items")
    receipt = models.ForeignKey("collections.Receipt", verbose_name=_("recibo"), on_delete=models.PROTECT,
                                related_name="remittance_items")
    mandate = models.ForeignKey("treasury.Mandate", verbose_name=_("mandato"), on_delete=models.PROTECT,
                                related_name="items")
    sequence_type = models.CharField(_("secuencia"), max_length=4, choices=SequenceType.choices)
    amount = models.DecimalField(_("importe"), **MONEY)
    end_to_end_id = models.CharField(_("referencia extremo a extremo"), max_length=35, unique=True)
    state = models.CharField(_("estado"), max_length=10, choices=RemittanceItemState.choices,
                             default=RemittanceItemState.INCLUDED)
    returned_on = models.DateField(_("devuelto el"), null=True, blank=True)
    return_code = models.CharField(_("motivo de devolución"), max_length=4, blank=True)
    may_retry = models.BooleanField(_("se puede volver a remesar"), default=False,
                                    help_text=_("Según el motivo de la devolución (AM04, MS02, MS03 sí)."))
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("adeudo de la remesa")
        verbose_name_plural = _("adeudos de remesas")
        ordering = ["remittance", "pk"]

    def __str__(self):
        return self.end_to_end_id
