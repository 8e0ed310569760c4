from django import forms
from django.utils.translation import gettext_lazy as _

from apps.analytics.choices import Frequency, PeriodKind

SM = {"class": "form-select form-select-sm"}
DATE = {"type": "date", "class": "form-control form-control-sm"}


class PeriodForm(forms.Form):
    periodo = forms.ChoiceField(label=_("Periodo"), choices=PeriodKind.choices, initial=PeriodKind.YEAR, required=False,
                                widget=forms.Select(attrs={**SM, "data-period": "1"}))
    desde = forms.DateField(label=_("Desde"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    hasta = forms.DateField(label=_("Hasta"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class SubscriptionForm(forms.Form):
    dashboard = forms.ChoiceField(label=_("Cuadro de mando"), widget=forms.Select(attrs=SM))
    frequency = forms.ChoiceField(label=_("Frecuencia"), choices=Frequency.choices, widget=forms.Select(attrs=SM))

    def __init__(self, *args, dashboards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dashboard"].choices = list(dashboards)
