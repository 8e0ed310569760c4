"""Forms of the renewal portfolio: the list's filters (state, owner, insurer, line; the API uses
them too), the month picker, one small form per decision and the settings form."""
from decimal import Decimal

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.insurance.choices import NonRenewalReason, RenewalState
from apps.insurance.filtersets import MonthField, MonthFilter
from apps.insurance.models import Insurer, Line, RenewalProposal
from apps.insurance.services.renewals import MAX_DAYS_BEFORE

SMALL = {"class": "form-select form-select-sm js-filter"}


@extend_schema_field(OpenApiTypes.STR)
class RenewalStateFilter(django_filters.ChoiceFilter):
    """A plain string in the API schema (a «state» enum would collide with the policies' one)."""


class RenewalFilterSet(django_filters.FilterSet):
    state = RenewalStateFilter(label=_l("Estado"), choices=RenewalState.choices, widget=forms.Select(attrs=SMALL))
    owner = django_filters.ModelChoiceFilter(label=_l("Responsable"), queryset=get_user_model().objects.none(),
                                             widget=forms.Select(attrs=SMALL))
    insurer = django_filters.ModelChoiceFilter(label=_l("Compañía"), field_name="policy__insurer",
                                               queryset=Insurer.objects.none(), widget=forms.Select(attrs=SMALL))
    line = django_filters.ModelChoiceFilter(label=_l("Ramo"), field_name="policy__line", to_field_name="code",
                                            queryset=Line.objects.none(), widget=forms.Select(attrs=SMALL))
    month = MonthFilter(label=_l("Mes de vencimiento"), field_name="expiry_date")

    class Meta:
        model = RenewalProposal
        fields = ["state", "owner", "insurer", "line", "month"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by(
            "first_name", "last_name", "email")
        self.filters["insurer"].queryset = Insurer.objects.order_by("name")
        self.filters["line"].queryset = Line.objects.order_by("name")


class MonthForm(forms.Form):
    mes = MonthField(label=_l("Mes de vencimiento"), required=False,
                     widget=forms.TextInput(attrs={"type": "month", "class": "form-control form-control-sm",
                                                   "placeholder": "AAAA-MM"}))


class SetPremiumForm(forms.Form):
    net_premium = forms.DecimalField(label=_l("Prima neta de la compañía"), max_digits=12, decimal_places=2,
                                     min_value=Decimal("0.01"), localize=True)
    notes = forms.CharField(label=_l("Observaciones"), max_length=500, required=False)


class ConfirmForm(forms.Form):
    number = forms.CharField(label=_l("Número de la póliza renovada"), max_length=40, required=False,
                             help_text=_l("Vacío: el mismo número."))


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_l("Motivo"), choices=NonRenewalReason.choices)
    notes = forms.CharField(label=_l("Observaciones"), max_length=500, required=False)


class RenewalSettingsForm(forms.Form):
    days_before = forms.IntegerField(label=_l("Días de antelación"), min_value=1, max_value=MAX_DAYS_BEFORE)
    rerate_by_default = forms.BooleanField(label=_l("Retarificar con la tarifa en vigor"), required=False)
