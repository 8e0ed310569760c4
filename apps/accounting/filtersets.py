"""Filters of the accounting lists, shared by the staff pages and the API."""
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from apps.accounting.choices import EntryKind, EntryState
from apps.accounting.models import Account, Entry, EntryLine, FiscalYear, Journal, Period


def parse_amount(value) -> Decimal | None:
    """'1.234,56', '1234,56' or '1234.56' -> Decimal('1234.56'); None when it is not an amount."""
    text = str(value or "").strip().replace(" ", "").replace("€", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control form-control-sm", **(attrs or {})}, format="%Y-%m-%d")


class EntryFilterSet(django_filters.FilterSet):
    fiscal_year = django_filters.ModelChoiceFilter(label=_("Ejercicio"), queryset=FiscalYear.objects.all())
    journal = django_filters.ModelChoiceFilter(label=_("Diario"), queryset=Journal.objects.all(), to_field_name="code")
    state = django_filters.ChoiceFilter(label=_("Estado"), choices=EntryState.choices)
    kind = django_filters.ChoiceFilter(label=_("Clase"), choices=EntryKind.choices)
    date_from = django_filters.DateFilter(label=_("Desde"), field_name="date", lookup_expr="gte", widget=DateInput)
    date_to = django_filters.DateFilter(label=_("Hasta"), field_name="date", lookup_expr="lte", widget=DateInput)
    account = django_filters.CharFilter(
        label=_("Cuenta"), method="filter_account",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "inputmode": "numeric",
                                      "size": 10, "placeholder": _("p. ej. 572")}),
        help_text=_("Asientos con algún apunte en esta cuenta o sus subcuentas."))
    amount = django_filters.CharFilter(
        label=_("Importe"), method="filter_amount",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "inputmode": "decimal", "size": 10,
                                      "placeholder": _("p. ej. 1.210,00")}),
        help_text=_("Asientos cuyo total o alguno de sus apuntes tiene este importe."))

    class Meta:
        model = Entry
        fields = ["fiscal_year", "journal", "state", "kind", "date_from", "date_to", "account", "amount"]

    def filter_account(self, queryset, name, value):
        code = (value or "").strip()
        if not code:
            return queryset
        if not code.isdigit():
            return queryset.none()
        lines = EntryLine.objects.filter(entry=OuterRef("pk"), account__code__startswith=code)
        return queryset.filter(Exists(lines))

    def filter_amount(self, queryset, name, value):
        if not (value or "").strip():
            return queryset
        amount = parse_amount(value)
        if amount is None:
            return queryset.none()
        lines = EntryLine.objects.filter(Q(debit=amount) | Q(credit=amount), entry=OuterRef("pk"))
        return queryset.filter(Q(total=amount) | Exists(lines))


class AccountFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(label=_("Código que empieza por"), field_name="code", lookup_expr="startswith")
    parent = django_filters.CharFilter(label=_("Cuenta madre (código)"), field_name="parent__code")
    party = django_filters.NumberFilter(label=_("Tercero (id)"), field_name="party_id")
    has_party = django_filters.BooleanFilter(label=_("Subcuenta de tercero"), field_name="party",
                                             lookup_expr="isnull", exclude=True)

    class Meta:
        model = Account
        fields = ["code", "parent", "is_postable", "is_active", "is_official", "party", "has_party"]


class PeriodFilterSet(django_filters.FilterSet):
    class Meta:
        model = Period
        fields = ["fiscal_year", "state", "number"]
