from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounting.choices import EntryKind, EntryState, TaxKind
from apps.core.models import AuditedModel


class Tax(models.Model):
    """A tax code: IVA 21/10/4/0, exempt (art. 20), recargo de equivalencia, IRPF withholding."""

    code = models.CharField(_("código"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=100)
    kind = models.CharField(_("tipo"), max_length=15, choices=TaxKind.choices)
    rate = models.DecimalField(_("tipo %"), max_digits=5, decimal_places=2, default=0)
    account = models.ForeignKey("accounting.Account", verbose_name=_("cuenta"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    exemption_cause = models.CharField(_("causa de exención"), max_length=4, blank=True,
                                       help_text=_("E1 = art. 20 LIVA, E2 = art. 21, ..."))
    legal_text = models.CharField(_("mención legal"), max_length=200, blank=True)
    is_active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("impuesto")
        verbose_name_plural = _("impuestos")
        ordering = ["kind", "-rate", "code"]

    def __str__(self):
        return self.name


class Entry(AuditedModel):
    """An asiento. Posted entries are numbered per fiscal year and never change again."""

    fiscal_year = models.ForeignKey("accounting.FiscalYear", verbose_name=_("ejercicio"), on_delete=models.PROTECT,
                                    related_name="entries")
    period = models.ForeignKey("accounting.Period", verbose_name=_("periodo"), on_delete=models.PROTECT,
                               related_name="entries")
    journal = models.ForeignKey("accounting.Journal", verbose_name=_("diario"), on_delete=models.PROTECT,
                                related_name="entries")
    number = models.PositiveIntegerField(_("número"), null=True, blank=True, editable=False)
    date = models.DateField(_("fecha"), db_index=True)
    description = models.CharField(_("concepto"), max_length=250)
    state = models.CharField(_("estado"), max_length=10, choices=EntryState.choices, default=EntryState.DRAFT,
                             editable=False)
    kind = models.CharField(_("clase"), max_length=20, choices=EntryKind.choices, default=EntryKind.NORMAL)
    reversal_of = models.OneToOneField("self", verbose_name=_("anula el asiento"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="reversed_by", editable=False)
    source = models.CharField(_("origen"), max_length=80, blank=True, db_index=True,
                              help_text=_("Documento que lo generó, p. ej. «accounting.invoice:12»."))
    total = models.DecimalField(_("importe"), max_digits=16, decimal_places=2, default=0, editable=False)
    posted_at = models.DateTimeField(_("contabilizado el"), null=True, blank=True, editable=False)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("contabilizado por"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+", editable=False)

    class Meta:
        verbose_name = _("asiento")
        verbose_name_plural = _("asientos")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="acc_entry_number_unique"),
            models.CheckConstraint(
                condition=models.Q(state=EntryState.DRAFT, number__isnull=True)
                | models.Q(state=EntryState.POSTED, number__isnull=False),
                name="acc_entry_posted_has_number",
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "number"], name="acc_entry_fy_number_idx")]

    def __str__(self):
        if self.number:
            return f"{self.fiscal_year.name}/{self.number}"
        return f"{_('Borrador')} #{self.pk}"


class EntryLine(models.Model):
    """An apunte. Date and posted flag are copied from the entry so books read one table."""

    entry = models.ForeignKey(Entry, verbose_name=_("asiento"), on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField(_("línea"))
    account = models.ForeignKey("accounting.Account", verbose_name=_("cuenta"), on_delete=models.PROTECT,
                                related_name="lines")
    party = models.ForeignKey("crm.Party", verbose_name=_("tercero"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="entry_lines")
    debit = models.DecimalField(_("debe"), max_digits=14, decimal_places=2, default=0)
    credit = models.DecimalField(_("haber"), max_digits=14, decimal_places=2, default=0)
    description = models.CharField(_("concepto"), max_length=250, blank=True)
    tax = models.ForeignKey(Tax, verbose_name=_("impuesto"), null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")
    tax_base = models.DecimalField(_("base imponible"), max_digits=14, decimal_places=2, null=True, blank=True)
    line_of_business = models.CharField(_("ramo"), max_length=40, blank=True)
    insurer = models.ForeignKey("crm.Party", verbose_name=_("aseguradora"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    branch = models.CharField(_("oficina"), max_length=40, blank=True)
    date = models.DateField(_("fecha"))
    is_posted = models.BooleanField(_("contabilizado"), default=False)

    class Meta:
        verbose_name = _("apunte")
        verbose_name_plural = _("apuntes")
        ordering = ["entry", "line_no"]
        constraints = [
            models.CheckConstraint(condition=models.Q(debit__gte=0, credit__gte=0), name="acc_line_non_negative"),
            models.CheckConstraint(condition=~models.Q(debit__gt=0, credit__gt=0), name="acc_line_one_side"),
        ]
        indexes = [
            models.Index(fields=["account", "date"], name="acc_line_account_date_idx",
                         condition=models.Q(is_posted=True)),
            models.Index(fields=["party", "date"], name="acc_line_party_date_idx", condition=models.Q(is_posted=True)),
            models.Index(fields=["date"], name="acc_line_date_idx", condition=models.Q(is_posted=True)),
        ]

    def __str__(self):
        return f"{self.account_id} D {self.debit} H {self.credit}"
