"""The manual entry form: header plus a formset of apuntes. Input only; entry_post decides."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.accounting.filtersets import parse_amount
from apps.accounting.forms.chart import find_parties
from apps.accounting.forms.fields import ParsedNumberField
from apps.accounting.models import Account, Journal
from apps.core.forms import BootstrapFormMixin

ZERO = Decimal("0.00")
NEW_ENTRY_ROWS = 4
ADD_ROWS = 3


class AmountField(ParsedNumberField):
    """An amount typed the Spanish way (1.234,56) or with a point (1234.56)."""

    parse = staticmethod(parse_amount)
    invalid = _l("«%s» no es un importe.")


class EntryForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_l("Fecha"))
    journal = forms.ModelChoiceField(label=_l("Diario"), queryset=Journal.objects.filter(is_active=True),
                                     to_field_name="code", empty_label=None)
    description = forms.CharField(label=_l("Concepto"), max_length=250)


class EntryLineForm(BootstrapFormMixin, forms.Form):
    account = forms.CharField(label=_l("Cuenta"), max_length=12, required=False,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                            "class": "form-control-sm app-num js-account"}))
    party = forms.CharField(label=_l("Tercero"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"placeholder": _l("NIF o nº"), "class": "form-control-sm"}))
    description = forms.CharField(label=_l("Concepto"), max_length=250, required=False,
                                  widget=forms.TextInput(attrs={"class": "form-control-sm"}))
    debit = AmountField(label=_l("Debe"), widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                              "class": "form-control-sm text-end app-num js-debit"}))
    credit = AmountField(label=_l("Haber"), widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                               "class": "form-control-sm text-end app-num js-credit"}))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in ("account", "party", "description", "debit", "credit"))


class BaseEntryLineFormSet(forms.BaseFormSet):
    """Resolves the typed account codes and parties of every row in two queries."""

    def clean(self):
        # Every row is checked, also those with a wrong amount, so all the errors show at once.
        rows = [form for form in self.forms if form.errors or not form.is_blank()]
        codes = {form.cleaned_data["account"].strip() for form in rows if form.cleaned_data.get("account")}
        accounts = {a.code: a for a in Account.objects.filter(code__in=codes)} if codes else {}
        parties, party_errors = find_parties(form.cleaned_data.get("party", "") for form in rows)
        for form in rows:
            code = (form.cleaned_data.get("account") or "").strip()
            if "account" in form.errors:
                pass
            elif not code:
                form.add_error("account", _("Indique la cuenta."))
                _mark_invalid(form, "account")
            elif code not in accounts:
                form.add_error("account", _("La cuenta %s no existe.") % code)
                _mark_invalid(form, "account")
            else:
                form.cleaned_data["account_obj"] = accounts[code]
            party_text = (form.cleaned_data.get("party") or "").strip()
            if party_text in party_errors and "party" not in form.errors:
                form.add_error("party", party_errors[party_text])
                _mark_invalid(form, "party")
            form.cleaned_data["party_obj"] = parties.get(party_text)
        if any(self.errors):
            raise forms.ValidationError(_("Revise las líneas marcadas en rojo."))

    def line_specs(self) -> tuple[list[dict], list]:
        """(lines for entry_post, the row form of each line, in the same order)."""
        specs, forms_ = [], []
        for form in self.forms:
            if form.is_blank():
                continue
            data = form.cleaned_data
            specs.append({"account": data["account_obj"], "party": data.get("party_obj"),
                          "description": data.get("description") or "",
                          "debit": data.get("debit") or ZERO, "credit": data.get("credit") or ZERO})
            forms_.append(form)
        return specs, forms_


EntryLineFormSet = forms.formset_factory(EntryLineForm, formset=BaseEntryLineFormSet, extra=0)


def line_formset(data=None, *, entry=None, extra_rows: int = 0):
    """Bound to POST `data` (plus `extra_rows` blank rows), or the draft's lines, or blank rows."""
    if data is not None:
        if extra_rows:
            data = data.copy()
            data["lines-TOTAL_FORMS"] = str(int(data.get("lines-TOTAL_FORMS") or 0) + extra_rows)
        return EntryLineFormSet(data, prefix="lines")
    if entry is not None:
        initial = [{"account": line.account.code, "party": (line.party.tax_id or str(line.party.pk)) if line.party else "",
                    "description": line.description, "debit": _shown(line.debit), "credit": _shown(line.credit)}
                   for line in entry.lines.select_related("account", "party")]
        formset = EntryLineFormSet(initial=initial, prefix="lines")
        formset.extra = 1
        return formset
    formset = EntryLineFormSet(prefix="lines")
    formset.extra = NEW_ENTRY_ROWS
    return formset


def _shown(amount) -> str:
    return "" if not amount else f"{amount:.2f}".replace(".", ",")


def formset_totals(formset) -> dict:
    """Debit, credit and difference of what the user typed (readable even when rows are wrong)."""
    debit = credit = ZERO
    if formset.is_bound:
        for index in range(formset.total_form_count()):
            prefix = f"{formset.prefix}-{index}"
            debit += parse_amount(formset.data.get(f"{prefix}-debit")) or ZERO
            credit += parse_amount(formset.data.get(f"{prefix}-credit")) or ZERO
    else:
        for form in formset.forms:
            debit += parse_amount(form.initial.get("debit")) or ZERO
            credit += parse_amount(form.initial.get("credit")) or ZERO
    return {"debit": debit, "credit": credit, "difference": debit - credit}


def add_entry_errors(exc, form, formset, row_forms) -> None:
    """Puts a service error where it belongs: "lines.N.field" on the N-th line, "lines" above the lines."""
    field = exc.field or ""
    if field.startswith("lines."):
        _prefix, index, name = (field.split(".") + ["", ""])[:3]
        if index.isdigit() and 0 < int(index) <= len(row_forms):
            row = row_forms[int(index) - 1]
            row.add_error(name if name in row.fields else None, exc.message)
            _mark_invalid(row, name)
            return
    if field == "lines" or field.startswith("lines"):
        formset.service_errors = [*getattr(formset, "service_errors", []), exc.message]
        return
    form.add_error(field if field in form.fields else None, exc.message)
    _mark_invalid(form, field)


def _mark_invalid(form, name) -> None:
    if name in form.fields:
        attrs = form.fields[name].widget.attrs
        if "is-invalid" not in attrs.get("class", ""):
            attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
        attrs["aria-invalid"] = "true"
