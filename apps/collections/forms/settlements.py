"""Forms and list filters of the settlement pages (insurers and collaborators). They shape input
only: apps.collections.services.settlements / collaborator_settlements decide."""
import calendar
import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from apps.collections.choices import SettlementState
from apps.collections.filtersets import CodeChoiceFilter
from apps.collections.models import Collaborator, CollaboratorSettlement, Settlement
from apps.insurance.models import Insurer

DATE = {"type": "date"}
FILTER_DATE = {"type": "date", "class": "form-control form-control-sm"}


def _date_field(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kwargs)


def last_month() -> tuple[datetime.date, datetime.date]:
    """The previous calendar month: the usual period of a monthly settlement."""
    today = timezone.localdate()
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end.replace(day=calendar.monthrange(end.year, end.month)[1])


class _PeriodForm(forms.Form):
    period_start = _date_field(_l("Periodo desde"))
    period_end = _date_field(_l("Periodo hasta"),
                             help_text=_l("Se incluyen también los movimientos anteriores aún sin liquidar."))
    date = _date_field(_l("Fecha de la liquidación"))

    def __init__(self, *args, **kwargs):
        if not args or args[0] is None:
            start, end = last_month()
            kwargs.setdefault("initial", {"period_start": start, "period_end": end, "date": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _l("El fin del periodo es anterior a su inicio."))
        return data


class SettlementPeriodForm(_PeriodForm):
    insurer = forms.ModelChoiceField(label=_l("Compañía"), queryset=Insurer.objects.filter(is_active=True))
    field_order = ["insurer", "period_start", "period_end", "date"]


class CollaboratorPeriodForm(_PeriodForm):
    collaborator = forms.ModelChoiceField(label=_l("Colaborador"),
                                          queryset=Collaborator.objects.select_related("party"))
    field_order = ["collaborator", "period_start", "period_end", "date"]


class PaidForm(forms.Form):
    date = _date_field(_l("Fecha del pago"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


def _period_filters():
    return (django_filters.DateFilter(label=_l("Periodo desde"), field_name="period_end", lookup_expr="gte",
                                      widget=forms.DateInput(attrs=FILTER_DATE, format="%Y-%m-%d")),
            django_filters.DateFilter(label=_l("Periodo hasta"), field_name="period_start", lookup_expr="lte",
                                      widget=forms.DateInput(attrs=FILTER_DATE, format="%Y-%m-%d")))


class SettlementFilterSet(django_filters.FilterSet):
    insurer = django_filters.ModelChoiceFilter(label=_l("Compañía"), queryset=Insurer.objects.all())
    state = CodeChoiceFilter(label=_l("Estado"), choices=SettlementState.choices)
    period_from, period_to = _period_filters()

    class Meta:
        model = Settlement
        fields = ["insurer", "state"]


class CollaboratorSettlementFilterSet(django_filters.FilterSet):
    collaborator = django_filters.ModelChoiceFilter(label=_l("Colaborador"),
                                                    queryset=Collaborator.objects.select_related("party"))
    state = CodeChoiceFilter(label=_l("Estado"), choices=SettlementState.choices)
    period_from, period_to = _period_filters()

    class Meta:
        model = CollaboratorSettlement
        fields = ["collaborator", "state"]
