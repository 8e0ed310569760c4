"""Norma 43 (AEB/CSB43) bank statements and their reconciliation with what the books expect."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.treasury.choices import StatementLineState

MONEY = {"max_digits": 14, "decimal_places": 2}


class Statement(models.Model):
    bank_account = models.ForeignKey("treasury.BankAccount", verbose_name=_("cuenta"), on_delete=models.PROTECT,
                                     related_name="statements")
    start_date = models.DateField(_("desde"))
    end_date = models.DateField(_("hasta"))
    opening_balance = models.DecimalField(_("saldo inicial"), **MONEY)
    closing_balance = models.DecimalField(_("saldo final"), **MONEY)
    file_name = models.CharField(_("fichero"), max_length=200, blank=True)
    file_hash = models.CharField(_("huella del fichero"), max_length=64, unique=True)
    imported_at = models.DateTimeField(_("importado el"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("extracto bancario")
        verbose_name_plural = _("extractos bancarios")
        ordering = ["-end_date", "-pk"]

    def __str__(self):
        return f"{self.bank_account} {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}"


class StatementLine(models.Model):
    statement = models.ForeignKey(Statement, verbose_name=_("extracto"), on_delete=models.CASCADE,
                                  related_name="lines")
    bank_account = models.ForeignKey("treasury.BankAccount", verbose_name=_("cuenta"), on_delete=models.PROTECT,
                                     related_name="+")
    operation_date = models.DateField(_("fecha de operación"))
    value_date = models.DateField(_("fecha valor"))
    amount = models.DecimalField(_("importe"), **MONEY, help_text=_("Positivo: abono. Negativo: cargo."))
    common_concept = models.CharField(_("concepto común"), max_length=2, blank=True)
    own_concept = models.CharField(_("concepto propio"), max_length=3, blank=True)
    document_number = models.CharField(_("número de documento"), max_length=10, blank=True)
    reference1 = models.CharField(_("referencia 1"), max_length=12, blank=True)
    reference2 = models.CharField(_("referencia 2"), max_length=16, blank=True)
    description = models.CharField(_("concepto"), max_length=400, blank=True)
    # Identifies the movement across files, so re-importing an overlapping statement adds nothing.
    fingerprint = models.CharField(_("huella"), max_length=64, unique=True)
    state = models.CharField(_("estado"), max_length=10, choices=StatementLineState.choices,
                             default=StatementLineState.PENDING)

    class Meta:
        verbose_name = _("movimiento bancario")
        verbose_name_plural = _("movimientos bancarios")
        ordering = ["operation_date", "pk"]
        indexes = [models.Index(fields=["bank_account", "state", "operation_date"], name="treasury_line_state_idx"),
                   models.Index(fields=["amount"], name="treasury_line_amount_idx")]

    def __str__(self):
        return f"{self.operation_date:%d/%m/%Y} {self.amount} {self.description[:40]}"


class Reconciliation(models.Model):
    """A statement line matched to what it pays or collects (a remittance, a receipt, a settlement,
    an invoice, a payroll run): proposed by the rules or confirmed; undoing it keeps the row."""

    line = models.ForeignKey(StatementLine, verbose_name=_("movimiento"), on_delete=models.CASCADE,
                             related_name="reconciliations")
    target_type = models.ForeignKey(ContentType, verbose_name=_("tipo"), on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField(_("registro"))
    target = GenericForeignKey("target_type", "target_id")
    amount = models.DecimalField(_("importe"), **MONEY)
    rule = models.CharField(_("regla"), max_length=40, blank=True)
    score = models.PositiveSmallIntegerField(_("confianza"), default=100)
    confirmed = models.BooleanField(_("confirmada"), default=False)
    entry = models.ForeignKey("accounting.Entry", verbose_name=_("asiento"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    posted = models.BooleanField(_("contabilizada por la conciliación"), default=False,
                                 help_text=_("El cobro, pago o asiento lo registró la conciliación (deshacerla lo "
                                             "anula); si no, solo enlaza lo que ya existía."))
    created_at = models.DateTimeField(_("registrada"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(_("deshecha el"), null=True, blank=True)

    class Meta:
        verbose_name = _("conciliación")
        verbose_name_plural = _("conciliaciones")
        ordering = ["line", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="treasury_recon_target_idx")]
