"""Inputs of the financial engines (cleaned_data is stored as JSON by the engine run)."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.engines.services.financial import parse_returns_csv
from apps.predictive.errors import EngineInputError


class VarForm(forms.Form):
    returns_csv = forms.CharField(
        label=_("Rentabilidades (CSV)"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Una fila por periodo; una columna por activo (cabecera opcional), separadas por «;» o «,». "
                    "Rentabilidades en tanto por uno (0,012) o en porcentaje (1,2%)."))
    returns_file = forms.FileField(label=_("… o un fichero CSV"), required=False)
    weights = forms.CharField(label=_("Pesos de la cartera"), required=False,
                              help_text=_("Uno por columna, separados por «;», que sumen 1 (vacío: pesos iguales)."))
    confidences = forms.MultipleChoiceField(label=_("Niveles de confianza"), initial=["0.95", "0.99"],
                                            choices=[("0.9", "90 %"), ("0.95", "95 %"), ("0.975", "97,5 %"),
                                                     ("0.99", "99 %")], widget=forms.CheckboxSelectMultiple)
    portfolio_value = forms.DecimalField(label=_("Valor de la cartera (€)"), required=False, max_digits=16,
                                         decimal_places=2, min_value=Decimal("0"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returns_csv"].required = False

    def clean_weights(self):
        text = (self.cleaned_data.get("weights") or "").strip()
        if not text:
            return []
        try:
            return [float(t.strip().replace(",", ".")) for t in text.split(";") if t.strip()]
        except ValueError:
            raise forms.ValidationError(_("Los pesos deben ser números separados por «;».")) from None

    def clean(self):
        data = super().clean()
        upload = data.pop("returns_file", None)
        if upload:
            try:
                data["returns_csv"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                data["returns_csv"] = upload.read().decode("latin-1")
        if not (data.get("returns_csv") or "").strip():
            raise forms.ValidationError(_("Pegue las rentabilidades o suba un fichero CSV."))
        try:
            parse_returns_csv(data["returns_csv"])
        except EngineInputError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


class NpvIrrForm(forms.Form):
    flows = forms.CharField(label=_("Flujos de caja"), widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("Uno por periodo (o separados por «;»), empezando por el periodo 0; los "
                                        "pagos en negativo. Ej.: -1000; 300; 400; 500"))
    rate = forms.DecimalField(label=_("Tipo de descuento anual (%)"), max_digits=7, decimal_places=4,
                              min_value=Decimal("-99"), initial=Decimal("5"))


class AmortizationForm(forms.Form):
    principal = forms.DecimalField(label=_("Capital (€)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    annual_rate = forms.DecimalField(label=_("Tipo nominal anual (%)"), max_digits=7, decimal_places=4,
                                     min_value=Decimal("0"), initial=Decimal("5"))
    months = forms.IntegerField(label=_("Plazo (meses)"), min_value=1, max_value=600, initial=12)
