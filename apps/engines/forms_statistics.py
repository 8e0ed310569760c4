"""Inputs of the statistical engines (cleaned_data is stored as JSON by the engine run)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.engines.services.statistics import DEFAULT_PERCENTILES, series_choices, source_choices


class _DateRangeForm(forms.Form):
    date_from = forms.DateField(label=_("Desde"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Hasta"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("La fecha inicial es posterior a la final."))
        return data


class DescribeForm(_DateRangeForm):
    source = forms.ChoiceField(label=_("Campo a analizar"), choices=source_choices)
    percentiles = forms.CharField(label=_("Percentiles"), required=False,
                                  initial=", ".join(str(p) for p in DEFAULT_PERCENTILES),
                                  help_text=_("Separados por comas o punto y coma, entre 0 y 100."))
    bins = forms.IntegerField(label=_("Intervalos del histograma"), min_value=2, max_value=100, initial=20)

    field_order = ["source", "date_from", "date_to", "percentiles", "bins"]

    def clean_percentiles(self):
        text = (self.cleaned_data.get("percentiles") or "").replace(";", ",")
        values = []
        for token in filter(None, (t.strip() for t in text.split(","))):
            try:
                value = float(token.replace(" ", ""))
            except ValueError:
                raise forms.ValidationError(_("«%(v)s» no es un número.") % {"v": token}) from None
            if not 0 <= value <= 100:
                raise forms.ValidationError(_("Los percentiles van de 0 a 100."))
            values.append(value)
        return values or list(DEFAULT_PERCENTILES)


class DecomposeForm(_DateRangeForm):
    series = forms.ChoiceField(label=_("Serie mensual"), choices=series_choices)
    method = forms.ChoiceField(label=_("Método"), choices=[("stl", _("STL (robusto)")),
                                                          ("classical", _("Descomposición clásica aditiva"))],
                               initial="stl")

    field_order = ["series", "date_from", "date_to", "method"]


class ForecastForm(_DateRangeForm):
    series = forms.ChoiceField(label=_("Serie mensual"), choices=series_choices)
    method = forms.ChoiceField(label=_("Modelo"), choices=[("ets", _("Suavizado exponencial (ETS)")),
                                                          ("sarimax", _("SARIMAX"))], initial="ets")
    horizon = forms.IntegerField(label=_("Horizonte (meses)"), min_value=1, max_value=36, initial=12)

    field_order = ["series", "date_from", "date_to", "method", "horizon"]
