"""The GET forms of the tax pages and API: year, period (month / quarter / year) and book kind."""
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.accounting.choices import InvoiceKind
from apps.accounting.tax_returns.periods import MAX_YEAR, MIN_YEAR, PERIOD_CHOICES, default_quarter, default_year
from apps.core.forms import BootstrapFormMixin

PERIODIC = [choice for choice in PERIOD_CHOICES if choice[0] != "0A"]


class YearForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_l("Ejercicio"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "app-input-7rem"}))

    def clean_year(self):
        return self.cleaned_data.get("year") or default_year()


class PeriodForm(BootstrapFormMixin, forms.Form):
    """Year and month or quarter (303, 111, 115). Defaults to the quarter being declared now."""

    year = forms.IntegerField(label=_l("Ejercicio"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "app-input-7rem"}))
    period = forms.ChoiceField(label=_l("Periodo"), choices=PERIODIC, required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        year, period = default_quarter()
        if not data.get("year"):
            data["year"] = year
        data["period"] = data.get("period") or period
        return data


class BookForm(PeriodForm):
    """The VAT books also take the whole year and which book."""

    kind = forms.ChoiceField(label=_l("Libro"), required=False, choices=[
        (InvoiceKind.ISSUED, _l("Facturas expedidas")), (InvoiceKind.RECEIVED, _l("Facturas recibidas"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = PERIOD_CHOICES

    def clean_kind(self):
        return self.cleaned_data.get("kind") or InvoiceKind.ISSUED


class SettleForm(BootstrapFormMixin, forms.Form):
    """The VAT settlement: the period settled and the entry date (by default the period's last day)."""

    year = forms.IntegerField(label=_l("Ejercicio"), min_value=MIN_YEAR, max_value=MAX_YEAR,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "app-input-7rem"}))
    period = forms.ChoiceField(label=_l("Periodo"), choices=PERIODIC)
    date = forms.DateField(label=_l("Fecha del asiento"), required=False)

    def clean(self):
        from apps.accounting.tax_returns.periods import tax_period

        data = super().clean()
        if self.errors:
            return data
        data["tax_period"] = tax_period(data["year"], data["period"])
        data["date"] = data.get("date") or data["tax_period"].date_to
        if data["date"] < data["tax_period"].date_to:
            self.add_error("date", _("La liquidación se contabiliza al final del periodo o después."))
        return data
