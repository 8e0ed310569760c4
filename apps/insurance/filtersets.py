"""Filters of the policy list (page and API alike): line, insurer, product, state, expiry month
(YYYY-MM), policyholder (name or tax id) and number. Every filter maps onto an index of Policy
(state/expiry, line/state/start, insurer/state/start, expiry, number, policyholder/start)."""
import calendar
import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.insurance.choices import PolicyState
from apps.insurance.models import Insurer, Line, Policy, Product

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_range(value: str) -> tuple[datetime.date, datetime.date]:
    """'2027-02' -> (01/02/2027, 28/02/2027); ValidationError for anything else."""
    match = MONTH.match((value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(_l("Indique el mes como AAAA-MM, p. ej. 2027-03."))
    year, month = int(match.group(1)), int(match.group(2))
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


class MonthField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value:
            month_range(value)
        return value


class MonthFilter(django_filters.CharFilter):
    field_class = MonthField

    def filter(self, qs, value):
        if not value:
            return qs
        first, last = month_range(value)
        return qs.filter(**{f"{self.field_name}__gte": first, f"{self.field_name}__lte": last})


@extend_schema_field(OpenApiTypes.STR)
class PolicyStateFilter(django_filters.ChoiceFilter):
    """A plain string in the API schema (an enum named «state» collides with the quotes' one)."""


class PolicyFilterSet(django_filters.FilterSet):
    line = django_filters.ModelChoiceFilter(label=_l("Ramo"), queryset=Line.objects.all(), to_field_name="code")
    insurer = django_filters.ModelChoiceFilter(label=_l("Compañía"), queryset=Insurer.objects.all())
    product = django_filters.ModelChoiceFilter(label=_l("Producto"), queryset=Product.objects.all())
    state = PolicyStateFilter(label=_l("Estado"), choices=PolicyState.choices)
    expiry_month = MonthFilter(label=_l("Vence en (mes)"), field_name="expiry_date",
                               widget=forms.TextInput(attrs={"type": "month", "class": "form-control form-control-sm",
                                                             "placeholder": "AAAA-MM"}))
    policyholder = django_filters.CharFilter(label=_l("Tomador"), method="filter_policyholder",
                                             widget=forms.TextInput(attrs={"class": "form-control form-control-sm",
                                                                           "placeholder": _l("Nombre o NIF")}))
    number = django_filters.CharFilter(label=_l("Número"), method="filter_number",
                                       widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    class Meta:
        model = Policy
        fields = ["line", "insurer", "product", "state", "expiry_month", "policyholder", "number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["line"].queryset = Line.objects.order_by("name")
        self.filters["insurer"].queryset = Insurer.objects.order_by("name")
        self.filters["product"].queryset = Product.objects.select_related("insurer").order_by("insurer__name", "name")

    def filter_policyholder(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(policyholder__display_name__icontains=value) | Q(policyholder__tax_id__iexact=value))

    def filter_number(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(number__istartswith=value) if value else queryset

    @staticmethod
    def search(queryset, query: str):
        """The list's search box: number prefix, policyholder name or tax id, risk summary."""
        query = (query or "").strip()
        if not query:
            return queryset
        return queryset.filter(Q(number__istartswith=query) | Q(policyholder__display_name__icontains=query)
                               | Q(policyholder__tax_id__iexact=query) | Q(risk_summary__icontains=query))
