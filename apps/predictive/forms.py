"""Inputs of the ML engines (cleaned_data is stored as JSON by the engine run)."""
from django import forms
from django.utils.translation import gettext_lazy as _


class ChurnForm(forms.Form):
    score = forms.BooleanField(label=_("Puntuar las pólizas en vigor al terminar"), required=False, initial=True)


class AnomalyForm(forms.Form):
    date_from = forms.DateField(label=_("Desde"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Hasta"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("La fecha inicial es posterior a la final."))
        return data


class FraudForm(forms.Form):
    pass
