from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounting.choices import InvoiceKind, InvoiceState
from apps.core.models import AuditedModel


class InvoiceSeries(AuditedModel):
    """A numbering series; numbers restart every year and have no gaps (counter per year)."""

    code = models.CharField(_("código"), max_length=10, unique=True)
    name = models.CharField(_("nombre"), max_length=100)
    kind = models.CharField(_("tipo"), max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.ISSUED)
    is_rectifying = models.BooleanField(_("rectificativa"), default=False)
    journal = models.ForeignKey("accounting.Journal", verbose_name=_("diario"), on_delete=models.PROTECT,
                                related_name="+")
    is_active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("serie de facturas")
        verbose_name_plural = _("series de facturas")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class InvoiceCounter(models.Model):
    series = models.ForeignKey(InvoiceSeries, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="acc_invoice_counter_unique")]


class Invoice(AuditedModel):
    """An issued or received invoice. Validating it numbers it (issued) and posts its entry."""

    kind = models.CharField(_("tipo"), max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.ISSUED)
    series = models.ForeignKey(InvoiceSeries, verbose_name=_("serie"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="invoices")
    year = models.PositiveSmallIntegerField(_("año"), null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(_("número"), null=True, blank=True, editable=False)
    full_number = models.CharField(_("número de factura"), max_length=40, blank=True, db_index=True,
                                   help_text=_("En las recibidas, el número que puso el proveedor."))
    party = models.ForeignKey("crm.Party", verbose_name=_("tercero"), on_delete=models.PROTECT,
                              related_name="invoices")
    party_name = models.CharField(_("nombre del tercero"), max_length=300, blank=True, editable=False)
    party_tax_id = models.CharField(_("NIF del tercero"), max_length=20, blank=True, editable=False)
    issue_date = models.DateField(_("fecha de expedición"))
    operation_date = models.DateField(_("fecha de operación"), null=True, blank=True)
    accounting_date = models.DateField(_("fecha contable"), null=True, blank=True,
                                       help_text=_("En las recibidas, fecha de registro; por defecto la de expedición."))
    due_date = models.DateField(_("vencimiento"), null=True, blank=True)
    state = models.CharField(_("estado"), max_length=10, choices=InvoiceState.choices, default=InvoiceState.DRAFT,
                             editable=False)
    rectifies = models.ForeignKey("self", verbose_name=_("rectifica a"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="rectifications")
    rectification_code = models.CharField(_("causa de rectificación"), max_length=2, blank=True,
                                          help_text=_("R1 a R5 según el art. 80 LIVA y el SII."))
    rectification_reason = models.CharField(_("motivo de la rectificación"), max_length=250, blank=True)
    base_total = models.DecimalField(_("base imponible"), max_digits=14, decimal_places=2, default=0, editable=False)
    vat_total = models.DecimalField(_("cuota de IVA"), max_digits=14, decimal_places=2, default=0, editable=False)
    surcharge_total = models.DecimalField(_("recargo de equivalencia"), max_digits=14, decimal_places=2, default=0,
                                          editable=False)
    withholding_total = models.DecimalField(_("retención IRPF"), max_digits=14, decimal_places=2, default=0,
                                            editable=False)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0, editable=False)
    entry = models.OneToOneField("accounting.Entry", verbose_name=_("asiento"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="invoice", editable=False)
    notes = models.TextField(_("observaciones"), blank=True)

    class Meta:
        verbose_name = _("factura")
        verbose_name_plural = _("facturas")
        ordering = ["-issue_date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "number"], name="acc_invoice_number_unique",
                                    condition=models.Q(number__isnull=False)),
            models.UniqueConstraint(fields=["party", "full_number", "year"], name="acc_received_invoice_unique",
                                    condition=models.Q(kind="received") & ~models.Q(state="draft")),
        ]
        indexes = [models.Index(fields=["kind", "issue_date"], name="acc_invoice_kind_date_idx")]

    def __str__(self):
        return self.full_number or f"{_('Borrador')} #{self.pk}"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, verbose_name=_("factura"), on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField(_("línea"))
    description = models.CharField(_("concepto"), max_length=250)
    quantity = models.DecimalField(_("cantidad"), max_digits=12, decimal_places=3, default=1)
    unit_price = models.DecimalField(_("precio"), max_digits=14, decimal_places=4)
    discount = models.DecimalField(_("descuento %"), max_digits=5, decimal_places=2, default=0)
    base = models.DecimalField(_("base"), max_digits=14, decimal_places=2, default=0, editable=False)
    account = models.ForeignKey("accounting.Account", verbose_name=_("cuenta"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    vat = models.ForeignKey("accounting.Tax", verbose_name=_("IVA"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    surcharge = models.ForeignKey("accounting.Tax", verbose_name=_("recargo"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    withholding = models.ForeignKey("accounting.Tax", verbose_name=_("retención"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    vat_amount = models.DecimalField(_("cuota IVA"), max_digits=14, decimal_places=2, default=0, editable=False)
    surcharge_amount = models.DecimalField(_("cuota recargo"), max_digits=14, decimal_places=2, default=0,
                                           editable=False)
    withholding_amount = models.DecimalField(_("retención"), max_digits=14, decimal_places=2, default=0,
                                             editable=False)
    line_of_business = models.CharField(_("ramo"), max_length=40, blank=True)
    insurer = models.ForeignKey("crm.Party", verbose_name=_("aseguradora"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("línea de factura")
        verbose_name_plural = _("líneas de factura")
        ordering = ["invoice", "line_no"]
