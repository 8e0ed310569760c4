"""The query forms of the books pages and API (GET parameters): period, account, party, level, model."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.accounting.data.layouts import MODEL_LABELS
from apps.accounting.models import Account
from apps.accounting.selectors_books import default_period
from apps.accounting.selectors_statements import available_models
from apps.core.forms import BootstrapFormMixin

YES = ("1", "true", "on", "yes", "si", "sí")


def bound(form_class, params, **kwargs):
    """The form bound to the query string, missing dates filled with their defaults (the fiscal
    year to date; today for a balance sheet) so the page shows the period it is showing."""
    fields = form_class.base_fields
    params = params.copy() if hasattr(params, "copy") else dict(params)
    if "date_from" in fields and not params.get("date_from") and not params.get("date_to"):
        start, today = default_period()
        params["date_from"], params["date_to"] = start.isoformat(), today.isoformat()
    if "date" in fields and not params.get("date"):
        params["date"] = timezone.localdate().isoformat()
    return form_class(params, **kwargs)


class TickedByDefault(forms.CheckboxInput):
    """A checkbox that is ticked when the parameter is absent (API callers and first visits).

    The page renders a hidden «0» before the checkbox, so an unticked box still sends a value;
    the last value sent wins."""

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return True
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        return str(values[-1]).strip().lower() in YES


class PeriodForm(BootstrapFormMixin, forms.Form):
    date_from = forms.DateField(label=_l("Desde"), required=False)
    date_to = forms.DateField(label=_l("Hasta"), required=False)

    def clean(self):
        data = super().clean()
        if "date_from" in self.errors or "date_to" in self.errors:
            return data
        if not data.get("date_from") or not data.get("date_to"):
            start, today = default_period()
            data["date_from"] = data.get("date_from") or start
            data["date_to"] = data.get("date_to") or max(today, data["date_from"])
        if data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("La fecha «hasta» no puede ser anterior a la fecha «desde»."))
        return data


def _codes(value: str) -> list[str]:
    return [code.strip() for code in (value or "").replace(";", ",").split(",") if code.strip()]


class LedgerForm(PeriodForm):
    account = forms.CharField(label=_l("Cuenta"), required=False, max_length=12,
                              widget=forms.TextInput(attrs={"placeholder": "572", "inputmode": "numeric",
                                                            "autocomplete": "off"}))
    party = forms.CharField(label=_l("Tercero (NIF o nº)"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"placeholder": "B12345678", "autocomplete": "off"}))
    accounts = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_account(self):
        code = self.cleaned_data["account"].strip()
        if code and not code.isdigit():
            raise forms.ValidationError(_("Escriba el código de la cuenta, solo cifras (p. ej. 572 o 4300000123)."))
        if code and not Account.objects.filter(code__startswith=code).exists():
            raise forms.ValidationError(_("No existe ninguna cuenta con el código %s.") % code)
        return code

    def clean_accounts(self):
        codes = _codes(self.cleaned_data["accounts"])
        if any(not code.isdigit() for code in codes):
            raise forms.ValidationError(_("Lista de cuentas no válida."))
        return codes

    def clean_party(self):
        from apps.crm.models import Party

        value = self.cleaned_data["party"].strip().upper()
        if not value:
            return None
        party = Party.objects.filter(tax_id=value).first()
        if party is None and value.isdigit():
            party = Party.objects.filter(pk=int(value)).first()
        if party is None:
            raise forms.ValidationError(_("No hay ningún tercero con el NIF o número «%s».") % value)
        return party


class TrialBalanceForm(PeriodForm):
    LEVELS = [("", _l("Subcuentas")), ("1", _l("Grupos (1 dígito)")), ("2", _l("Subgrupos (2 dígitos)")),
              ("3", _l("Cuentas (3 dígitos)")), ("4", _l("Subcuentas de 4 dígitos"))]
    level = forms.ChoiceField(label=_l("Nivel"), choices=LEVELS, required=False)
    with_parents = forms.BooleanField(label=_l("Con sumas de los niveles superiores"), required=False)

    def clean_level(self):
        value = self.cleaned_data["level"]
        return int(value) if value else None


class _ModelMixin:
    def _set_models(self):
        self.models = available_models()
        self.fields["model"].choices = [(key, MODEL_LABELS[key]) for key in self.models]

    def clean_model(self):
        return self.cleaned_data.get("model") or self.models[0]


class BalanceSheetForm(_ModelMixin, BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_l("Fecha"), required=False)
    model = forms.ChoiceField(label=_l("Modelo"), required=False)
    compare = forms.BooleanField(label=_l("Comparar con el año anterior"), required=False, widget=TickedByDefault)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_models()

    def clean_date(self):
        return self.cleaned_data.get("date") or timezone.localdate()


class ProfitAndLossForm(_ModelMixin, PeriodForm):
    model = forms.ChoiceField(label=_l("Modelo"), required=False)
    compare = forms.BooleanField(label=_l("Comparar con el año anterior"), required=False, widget=TickedByDefault)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_models()

