"""Invoice pages' forms: header, a formset of lines, the rectification and the list filters.
Input only: apps.accounting.services.invoices decides what is valid."""
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.accounting.choices import InvoiceKind, InvoiceState, TaxKind
from apps.accounting.forms.fields import ParsedNumberField
from apps.accounting.models import Invoice, InvoiceSeries, Tax
from apps.accounting.services.invoices import RECTIFICATION_CODES
from apps.accounting.services.invoices_lines import VAT_KINDS
from apps.core.forms import BootstrapFormMixin
from apps.core.validators import normalize_tax_id

NEW_INVOICE_ROWS = 3
ADD_ROWS = 3
LINE_FIELDS = ("description", "quantity", "unit_price", "discount", "vat", "surcharge", "withholding", "account",
               "line_of_business", "insurer")


def parse_number(value) -> Decimal | None:
    """'1.234,56', '1234,56' or '1234.56' -> Decimal; None when it is not a number."""
    text = str(value or "").strip().replace(" ", "").replace("€", "").replace("%", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def find_party(text: str):
    """The CRM party typed as its NIF/NIE/CIF or its number (#123 or 123)."""
    from apps.crm.models import Party

    text = (text or "").strip()
    if not text:
        return None
    number = text.lstrip("#")
    condition = Q(pk=int(number)) if number.isdigit() and len(number) < 10 else Q(tax_id=normalize_tax_id(text).upper())
    return Party.objects.filter(condition).first()


class PartyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "placeholder": _l("NIF o nº")}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        party = find_party(text)
        if party is None:
            raise forms.ValidationError(_("No hay ningún tercero con NIF o número «%s».") % text.strip())
        return party


class NumberField(ParsedNumberField):
    """A number typed the Spanish way (1.234,56) or with a point."""

    parse = staticmethod(parse_number)
    invalid = _l("«%s» no es un número.")
    widget_attrs_extra = {"class": "form-control-sm text-end app-num"}


def shown(value) -> str:
    """A stored number as staff type it (1234,5 -> '1234,50'; 1.000 -> '1')."""
    if value is None:
        return ""
    value = Decimal(value)
    text = f"{value.normalize():f}" if value != value.quantize(Decimal("0.01")) else f"{value:.2f}"
    if text.endswith(".00") and "." in text:
        text = text[:-3]
    return text.replace(".", ",")


class InvoiceForm(BootstrapFormMixin, forms.Form):
    party = PartyField(label=_l("Tercero (NIF o nº)"))
    series = forms.ModelChoiceField(label=_l("Serie"), queryset=InvoiceSeries.objects.none(), to_field_name="code",
                                    empty_label=None)
    full_number = forms.CharField(label=_l("Número del proveedor"), max_length=40, required=False)
    issue_date = forms.DateField(label=_l("Fecha de expedición"))
    operation_date = forms.DateField(label=_l("Fecha de operación"), required=False)
    accounting_date = forms.DateField(label=_l("Fecha contable"), required=False)
    due_date = forms.DateField(label=_l("Vencimiento"), required=False)
    notes = forms.CharField(label=_l("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind: str, rectifying: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        series = InvoiceSeries.objects.filter(kind=kind, is_active=True)
        if kind == InvoiceKind.ISSUED:
            series = series.filter(is_rectifying=rectifying)
            del self.fields["full_number"], self.fields["accounting_date"]
        else:
            self.fields["full_number"].required = True
        self.fields["series"].queryset = series.order_by("code")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("full_number", "")
        return data


def _all_taxes() -> list[Tax]:
    return list(Tax.objects.filter(is_active=True).order_by("kind", "-rate", "code"))


class InvoiceLineForm(BootstrapFormMixin, forms.Form):
    description = forms.CharField(label=_l("Concepto"), max_length=250, required=False,
                                  widget=forms.TextInput(attrs={"class": "form-control-sm"}))
    quantity = NumberField(label=_l("Cantidad"))
    unit_price = NumberField(label=_l("Precio"))
    discount = NumberField(label=_l("Dto. %"))
    vat = forms.ChoiceField(label=_l("IVA"), required=False, widget=forms.Select(attrs={"class": "form-select-sm"}))
    surcharge = forms.ChoiceField(label=_l("Recargo"), required=False,
                                  widget=forms.Select(attrs={"class": "form-select-sm"}))
    withholding = forms.ChoiceField(label=_l("Retención"), required=False,
                                    widget=forms.Select(attrs={"class": "form-select-sm"}))
    account = forms.CharField(label=_l("Cuenta"), max_length=12, required=False,
                              widget=forms.TextInput(attrs={"class": "form-control-sm app-num", "inputmode": "numeric",
                                                            "placeholder": _l("por defecto")}))
    line_of_business = forms.CharField(label=_l("Ramo"), max_length=40, required=False,
                                       widget=forms.TextInput(attrs={"class": "form-control-sm"}))
    insurer = PartyField(label=_l("Aseguradora (NIF o nº)"), required=False,
                         widget=forms.TextInput(attrs={"class": "form-control-sm", "autocomplete": "off"}))

    def __init__(self, *args, kind: str = InvoiceKind.ISSUED, taxes=None, **kwargs):
        super().__init__(*args, **kwargs)
        taxes = taxes if taxes is not None else _all_taxes()
        by_kind = lambda kinds: [("", "—"), *[(t.code, t.name) for t in taxes if t.kind in kinds]]  # noqa: E731
        self.fields["vat"].choices = by_kind(VAT_KINDS[kind])
        self.fields["surcharge"].choices = by_kind((TaxKind.SURCHARGE,))
        self.fields["withholding"].choices = by_kind((TaxKind.WITHHOLDING,))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None)
        if data is None:
            return not any((self.data.get(self.add_prefix(name)) or "").strip() for name in
                           ("description", "quantity", "unit_price"))
        return not any(data.get(name) not in (None, "") for name in ("description", "quantity", "unit_price"))

    def line(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in LINE_FIELDS if data.get(name) not in (None, "")}


class BaseInvoiceLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, kind: str = InvoiceKind.ISSUED, **kwargs):
        self.kind = kind
        self._taxes = _all_taxes()
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "kind": self.kind, "taxes": self._taxes}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, renderer=self.renderer, kind=self.kind, taxes=self._taxes)
        self.add_fields(form, None)
        return form

    def lines(self) -> tuple[list[dict], list]:
        """(line dicts for the service, the row form of each line, same order); blank rows skipped."""
        rows, row_forms = [], []
        for form in self.forms:
            if form.is_blank():
                continue
            rows.append(form.line())
            row_forms.append(form)
        return rows, row_forms


InvoiceLineFormSet = forms.formset_factory(InvoiceLineForm, formset=BaseInvoiceLineFormSet, extra=0)


def line_formset(data=None, *, kind: str, invoice=None, initial=None, extra_rows: int = 0):
    """Bound to POST `data` (plus `extra_rows` blank rows), or an invoice's lines, or blank rows."""
    if data is not None:
        if extra_rows:
            data = data.copy()
            data["lines-TOTAL_FORMS"] = str(int(data.get("lines-TOTAL_FORMS") or 0) + extra_rows)
        return InvoiceLineFormSet(data, prefix="lines", kind=kind)
    if invoice is not None:
        initial = [{
            "description": line.description, "quantity": shown(line.quantity), "unit_price": shown(line.unit_price),
            "discount": shown(line.discount) if line.discount else "", "vat": line.vat.code if line.vat else "",
            "surcharge": line.surcharge.code if line.surcharge else "",
            "withholding": line.withholding.code if line.withholding else "",
            "account": line.account.code if line.account else "", "line_of_business": line.line_of_business,
            "insurer": (line.insurer.tax_id or str(line.insurer.pk)) if line.insurer else "",
        } for line in invoice.lines.select_related("account", "vat", "surcharge", "withholding", "insurer")]
    formset = InvoiceLineFormSet(initial=initial or None, prefix="lines", kind=kind)
    formset.extra = 1 if initial else NEW_INVOICE_ROWS
    return formset


class RectifyForm(BootstrapFormMixin, forms.Form):
    FULL, DIFFERENCES = "full", "differences"

    mode = forms.ChoiceField(label=_l("Rectificación"), widget=forms.RadioSelect, initial=FULL, choices=[
        (FULL, _l("Anular la factura entera (todas las líneas en negativo)")),
        (DIFFERENCES, _l("Por diferencias: solo las líneas que indique abajo (en negativo para restar)"))])
    issue_date = forms.DateField(label=_l("Fecha de expedición"))
    code = forms.ChoiceField(label=_l("Causa"), choices=list(RECTIFICATION_CODES.items()), initial="R1")
    reason = forms.CharField(label=_l("Motivo"), max_length=250)
    full_number = forms.CharField(label=_l("Número del proveedor"), max_length=40, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == InvoiceKind.ISSUED:
            del self.fields["full_number"]
        else:
            self.fields["full_number"].required = True
        self.fields["mode"].widget.attrs["class"] = "form-check-input"


def add_invoice_errors(exc, form, formset, row_forms) -> None:
    """A service error beside its field: "lines.N.name" on the N-th line, "lines" above the lines."""
    field = exc.field or ""
    if field.startswith("lines."):
        _prefix, index, name = (field.split(".") + ["", ""])[:3]
        if index.isdigit() and 0 < int(index) <= len(row_forms):
            row = row_forms[int(index) - 1]
            row.add_error(name if name in row.fields else None, exc.message)
            return
    if field.startswith("lines") and formset is not None:
        formset.service_errors = [*getattr(formset, "service_errors", []), exc.message]
        return
    mapped = {"code": "code", "rectification_code": "code", "rectification_reason": "reason"}.get(field, field)
    form.add_error(mapped if mapped in form.fields else None, exc.message)


class InvoiceFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_l("Estado"), choices=InvoiceState.choices)
    series = django_filters.ModelChoiceFilter(label=_l("Serie"), queryset=InvoiceSeries.objects.all(),
                                              to_field_name="code")
    party = django_filters.CharFilter(label=_l("Tercero (NIF o nº)"), method="filter_party")
    date_from = django_filters.DateFilter(label=_l("Desde"), field_name="issue_date", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))
    date_to = django_filters.DateFilter(label=_l("Hasta"), field_name="issue_date", lookup_expr="lte",
                                        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))

    class Meta:
        model = Invoice
        fields = ["state", "series", "party", "date_from", "date_to"]

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["series"].queryset = InvoiceSeries.objects.filter(kind=kind).order_by("code")
        self.form.fields["party"].widget.attrs.update({"class": "form-control form-control-sm", "autocomplete": "off"})

    def filter_party(self, queryset, name, value):
        party = find_party(value)
        return queryset.filter(party=party) if party else queryset.none()
