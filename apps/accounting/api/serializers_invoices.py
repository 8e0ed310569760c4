"""Serializers of the invoice endpoints. They shape input and output; the services in
apps.accounting.services.invoices validate and write (amounts, taxes, numbering)."""
from rest_framework import serializers

from apps.accounting.choices import InvoiceKind
from apps.accounting.models import Invoice, InvoiceLine
from apps.accounting.services.invoices import RECTIFICATION_CODES
from apps.accounting.services.invoices_lines import compute_totals

TAX_SLOTS = ("vat", "surcharge", "withholding")


class InvoiceLineSerializer(serializers.ModelSerializer):
    account = serializers.SlugRelatedField(slug_field="code", read_only=True)
    vat = serializers.SlugRelatedField(slug_field="code", read_only=True)
    surcharge = serializers.SlugRelatedField(slug_field="code", read_only=True)
    withholding = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = InvoiceLine
        fields = ["line_no", "description", "quantity", "unit_price", "discount", "base", "account", "vat",
                  "vat_amount", "surcharge", "surcharge_amount", "withholding", "withholding_amount",
                  "line_of_business", "insurer"]
        read_only_fields = fields


class InvoiceListSerializer(serializers.ModelSerializer):
    series = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "kind", "series", "year", "number", "full_number", "party", "party_name", "party_tax_id",
                  "issue_date", "accounting_date", "due_date", "state", "base_total", "vat_total", "surcharge_total",
                  "withholding_total", "total", "rectifies", "rectification_code", "entry", "version"]
        read_only_fields = fields


class InvoiceSerializer(InvoiceListSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    tax_summary = serializers.SerializerMethodField()

    class Meta(InvoiceListSerializer.Meta):
        fields = [*InvoiceListSerializer.Meta.fields, "operation_date", "rectification_reason", "notes", "lines",
                  "tax_summary", "created_at", "updated_at"]
        read_only_fields = fields

    def get_tax_summary(self, obj) -> list[dict]:
        lines = list(obj.lines.all())
        return [{"tax": row.tax.code, "kind": row.tax.kind, "rate": str(row.tax.rate), "base": str(row.base),
                 "amount": str(row.amount), "legal_text": row.tax.legal_text}
                for row in compute_totals(lines).summary]


class InvoiceLineWriteSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=250)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, required=False)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=4)
    discount = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    account = serializers.CharField(max_length=12, required=False, allow_blank=True,
                                    help_text="Código de cuenta; por defecto la de honorarios (emitidas) o servicios (recibidas).")
    vat = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True,
                                help_text="IVA21, IVA10, IVA4, IVA0, EXENTO20 (emitidas); IVAS21… (recibidas).")
    surcharge = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True,
                                      help_text="RE52, RE14, RE05.")
    withholding = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True,
                                        help_text="IRPF15, IRPF7, IRPF19.")
    line_of_business = serializers.CharField(max_length=40, required=False, allow_blank=True)
    insurer = serializers.IntegerField(required=False, allow_null=True, help_text="Id del tercero aseguradora.")


class InvoiceWriteSerializer(serializers.Serializer):
    """A draft with its lines. POST …/validate/ numbers it and posts its entry."""

    kind = serializers.ChoiceField(choices=InvoiceKind.choices)
    party = serializers.IntegerField()
    issue_date = serializers.DateField()
    series = serializers.CharField(max_length=10, required=False, allow_blank=True)
    full_number = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                        help_text="Recibidas: el número que puso el proveedor (obligatorio).")
    operation_date = serializers.DateField(required=False, allow_null=True)
    accounting_date = serializers.DateField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    rectifies = serializers.IntegerField(required=False, allow_null=True)
    rectification_code = serializers.ChoiceField(choices=list(RECTIFICATION_CODES), required=False, allow_blank=True)
    rectification_reason = serializers.CharField(max_length=250, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    lines = InvoiceLineWriteSerializer(many=True)


class InvoiceUpdateSerializer(InvoiceWriteSerializer):
    kind = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class InvoiceRectifySerializer(serializers.Serializer):
    issue_date = serializers.DateField()
    reason = serializers.CharField(max_length=250)
    code = serializers.CharField(max_length=2, default="R1", help_text="Causa de la rectificación: R1 a R5.")
    full_number = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                        help_text="Recibidas: número de la rectificativa del proveedor.")
    lines = InvoiceLineWriteSerializer(many=True, required=False, allow_null=True,
                                       help_text="Sin líneas: anulación total (todas las líneas en negativo).")
