"""Forms of the chart of accounts, account roles and fiscal years. They read input; the services decide."""
import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.accounting.models import Account
from apps.core.forms import BootstrapFormMixin
from apps.core.validators import normalize_tax_id


def find_parties(texts) -> tuple[dict, dict]:
    """({text: Party}, {text: error}) for NIF/NIE/CIF or party numbers typed by staff, in one query."""
    from django.db.models import Q

    from apps.crm.models import Party

    wanted = {text.strip() for text in texts if text and text.strip()}
    numbers = {text.lstrip("#") for text in wanted if text.lstrip("#").isdigit()}
    tax_ids = {normalize_tax_id(text).upper() for text in wanted if not text.lstrip("#").isdigit()}
    found = {}
    if wanted:
        for party in Party.objects.filter(Q(pk__in=numbers) | Q(tax_id__in=tax_ids)):
            found[str(party.pk)] = party
            if party.tax_id:
                found[party.tax_id.upper()] = party
    parties, errors = {}, {}
    for text in wanted:
        key = text.lstrip("#") if text.lstrip("#").isdigit() else normalize_tax_id(text).upper()
        if key in found:
            parties[text] = found[key]
        else:
            errors[text] = _("No hay ningún tercero con NIF o número «%s».") % text
    return parties, errors


class PartyField(forms.CharField):
    """A party typed as its NIF/NIE/CIF or its number; cleaned to the Party (or None)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _l("NIF/NIE/CIF o número de tercero del CRM."))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        parties, errors = find_parties([text])
        if errors:
            raise forms.ValidationError(errors[text.strip()])
        return parties[text.strip()]


class AccountCreateForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_l("Código"), max_length=12,
                           help_text=_l("Entre 3 y 12 dígitos; cuelga de la cuenta cuyo código es su prefijo más largo."),
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_l("Nombre"), max_length=200)
    party = PartyField(label=_l("Tercero"))


class FiscalYearForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_l("Nombre"), max_length=20, help_text=_l("Normalmente el año: 2027."))
    start_date = forms.DateField(label=_l("Inicio"))
    end_date = forms.DateField(label=_l("Fin"))


class ReverseForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_l("Fecha de la anulación"))
    description = forms.CharField(label=_l("Concepto"), max_length=250, required=False,
                                  help_text=_l("Por defecto, «Anulación del asiento …»."))


def mapping_rows(mappings: dict, roles: dict, data=None) -> tuple[list[dict], dict]:
    """The rows of the account roles page and, with POST `data`, {role: Account} of the changed ones
    (errors are left in each row's "error")."""
    typed = {role: (data.get(f"role-{role}", "") if data is not None else "").strip() for role in roles}
    accounts = {}
    if data is not None:
        accounts = {a.code: a for a in Account.objects.filter(code__in={c for c in typed.values() if c})}
    rows, changed = [], {}
    for role, (default_code, label) in roles.items():
        current = mappings.get(role)
        row = {"role": role, "label": label, "default_code": default_code, "account": current,
               "value": typed[role] if data is not None else (current.code if current else ""), "error": ""}
        if data is not None:
            code = typed[role]
            if not code:
                row["error"] = _("Indique una cuenta.")
            elif code not in accounts:
                row["error"] = _("La cuenta %s no existe.") % code
            elif not accounts[code].is_active:
                row["error"] = _("La cuenta %s está dada de baja.") % code
            elif current is None or current.code != code:
                changed[role] = accounts[code]
        rows.append(row)
    return rows, changed


def next_fiscal_year_initial(last) -> dict:
    """Name and dates of the year after `last` (or the current calendar year)."""
    if last is None:
        today = datetime.date.today()
        return {"name": str(today.year), "start_date": datetime.date(today.year, 1, 1),
                "end_date": datetime.date(today.year, 12, 31)}
    start = last.end_date + datetime.timedelta(days=1)
    try:
        end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + 1, day=28)
    name = str(start.year) if start.month == 1 and start.day == 1 else f"{start.year}-{end.year}"
    return {"name": name, "start_date": start, "end_date": end}
