"""Filters of the receipt list and of the commission ledger (pages and API alike). Every receipt
filter maps onto an index of Receipt (state/due, insurer/state/due, policyholder/due, number)."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.collections.choices import CollaboratorKind, CommissionMovementKind, ReceiptCollector, ReceiptState
from apps.collections.models import Collaborator, CommissionMovement, Receipt
from apps.insurance.models import Insurer, Line

SMALL = {"class": "form-control form-control-sm"}
DATE = {"type": "date", "class": "form-control form-control-sm"}


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ChoiceFilter):
    """A plain string in the API schema (codes listed in the help), as the policy list does."""


def _date(label, lookup):
    return django_filters.DateFilter(label=label, field_name="due_date", lookup_expr=lookup,
                                     widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class ReceiptFilterSet(django_filters.FilterSet):
    state = CodeChoiceFilter(label=_l("Estado"), choices=ReceiptState.choices)
    due_from = _date(_l("Vence desde"), "gte")
    due_to = _date(_l("Vence hasta"), "lte")
    insurer = django_filters.ModelChoiceFilter(label=_l("Compañía"), queryset=Insurer.objects.all())
    line = django_filters.ModelChoiceFilter(label=_l("Ramo"), queryset=Line.objects.all(), to_field_name="code")
    collector = CodeChoiceFilter(label=_l("Cobra"), choices=ReceiptCollector.choices)
    policy = django_filters.CharFilter(label=_l("Póliza"), method="filter_policy",
                                       widget=forms.TextInput(attrs={**SMALL, "placeholder": _l("Número")}))
    policyholder = django_filters.CharFilter(label=_l("Tomador"), method="filter_policyholder",
                                             widget=forms.TextInput(attrs={**SMALL, "placeholder": _l("Nombre o NIF")}))

    class Meta:
        model = Receipt
        fields = ["state", "due_from", "due_to", "insurer", "line", "collector", "policy", "policyholder"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["insurer"].queryset = Insurer.objects.order_by("name")
        self.filters["line"].queryset = Line.objects.order_by("name")

    def filter_policy(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(number__istartswith=value) if value else queryset

    def filter_policyholder(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(policyholder__display_name__icontains=value) | Q(policyholder__tax_id__iexact=value))

    @staticmethod
    def search(queryset, query: str):
        """The list's search box: receipt or policy number prefix, policyholder name or tax id."""
        query = (query or "").strip()
        if not query:
            return queryset
        return queryset.filter(Q(number__istartswith=query) | Q(insurer_number__iexact=query)
                               | Q(policyholder__display_name__icontains=query) | Q(policyholder__tax_id__iexact=query))


class CommissionMovementFilterSet(django_filters.FilterSet):
    kind = CodeChoiceFilter(label=_l("Tipo"), choices=CommissionMovementKind.choices)
    insurer = django_filters.ModelChoiceFilter(label=_l("Compañía"), queryset=Insurer.objects.all())
    collaborator = django_filters.ModelChoiceFilter(label=_l("Colaborador"), queryset=Collaborator.objects.all())
    broker = django_filters.BooleanFilter(label=_l("Solo la correduría"), field_name="collaborator",
                                          lookup_expr="isnull")
    policy = django_filters.NumberFilter(label=_l("Póliza (id)"), field_name="policy_id")
    receipt = django_filters.NumberFilter(label=_l("Recibo (id)"), field_name="receipt_id")
    date_from = django_filters.DateFilter(label=_l("Desde"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_l("Hasta"), field_name="date", lookup_expr="lte")

    class Meta:
        model = CommissionMovement
        fields = ["kind", "insurer", "collaborator", "broker", "policy", "receipt", "date_from", "date_to"]


class CollaboratorFilterSet(django_filters.FilterSet):
    kind = CodeChoiceFilter(label=_l("Tipo"), choices=CollaboratorKind.choices)
    is_active = django_filters.BooleanFilter(label=_l("Activo"))

    class Meta:
        model = Collaborator
        fields = ["kind", "is_active"]

    @staticmethod
    def search(queryset, query: str):
        query = (query or "").strip()
        if not query:
            return queryset
        return queryset.filter(Q(code__istartswith=query) | Q(party__display_name__icontains=query)
                               | Q(party__tax_id__iexact=query))
