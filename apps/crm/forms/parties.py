"""Forms of the party pages. They only shape the input: the rules (tax ids, postal codes, IBANs,
duplicates) are checked by apps.crm.services.parties, whose errors are shown beside each field."""
import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin, VersionedModelForm
from apps.crm.choices import AddressKind, ContactKind, PartyKind, RelationKind
from apps.crm.models import Party
from apps.crm.provinces import Province
from apps.crm.selectors_parties import INVERSE_LABELS

PERSON_FIELDS = ("first_name", "last_name", "second_last_name", "birth_date", "gender", "profession")
COMPANY_FIELDS = ("company_name", "trade_name")


class PartyForm(VersionedModelForm):
    tax_id = forms.CharField(label=_("NIF/NIE/CIF"), max_length=20, required=False,
                             help_text=_("DNI o NIE para personas físicas, CIF para personas jurídicas."))
    create_anyway = forms.BooleanField(
        label=_("Crear de todos modos"), required=False,
        help_text=_("He revisado los clientes parecidos y este es otro cliente."))

    class Meta:
        model = Party
        fields = ["kind", "tax_id", "first_name", "last_name", "second_last_name", "company_name", "trade_name",
                  "birth_date", "gender", "profession", "cnae", "status", "preferred_language", "preferred_channel",
                  "account_manager", "tags", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] += " js-party-kind"
        for name in ("tax_id", "first_name", "last_name", "second_last_name", "company_name", "trade_name", "birth_date"):
            self.fields[name].widget.attrs["class"] += " js-dup-field"
        self.fields["tax_id"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["cnae"].widget.attrs.update({"inputmode": "numeric", "maxlength": "4", "placeholder": "6622"})
        managers = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "email")
        if user is not None and not self._sees_all_parties(user):
            # A role that only sees its own clients can only give them to itself.
            managers = managers.filter(pk=user.pk)
            self.fields["account_manager"].empty_label = None
        self.fields["account_manager"].queryset = managers
        if user is not None and not self.instance.pk and not self.is_bound:
            self.fields["account_manager"].initial = user.pk

    @staticmethod
    def _sees_all_parties(user) -> bool:
        from apps.identity.services.roles import user_own_only_modules

        return user.is_superuser or Party._meta.app_label not in user_own_only_modules(user)

    @property
    def party_kind(self) -> str:
        value = self.data.get(self.add_prefix("kind")) if self.is_bound else (self.instance.kind or self.initial.get("kind"))
        return value if value in PartyKind.values else PartyKind.PERSON

    def business_data(self) -> dict:
        skip = {"version", "create_anyway", "tags"}
        data = {name: value for name, value in self.cleaned_data.items() if name not in skip}
        data["tags"] = list(self.cleaned_data.get("tags") or ())
        return data


class _RowForm(BootstrapFormMixin, forms.Form):
    """One repeated row; fields are optional here, the service says what is missing."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Grid width of each visible field (Bootstrap columns); the switches take the rest.
    columns: dict = {}

    def layout(self) -> list[tuple]:
        return [(self[name], css) for name, css in self.columns.items()]

    def is_blank(self) -> bool:
        """A new row left empty (its type or "primary" switch alone do not make it a row)."""
        data = self.cleaned_data
        return not data.get("id") and not any(data.get(name) for name in self.columns if name != "kind")


class AddressForm(_RowForm):
    kind = forms.ChoiceField(label=_("Tipo"), choices=AddressKind.choices, initial=AddressKind.FISCAL)
    street = forms.CharField(label=_("Dirección"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Código postal"), max_length=10, required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "28013"}))
    city = forms.CharField(label=_("Población"), max_length=100, required=False)
    province = forms.ChoiceField(label=_("Provincia"), choices=[("", _("(según el código postal)"))] + Province.choices,
                                 required=False)
    is_primary = forms.BooleanField(label=_("Principal"), required=False)
    columns = {"kind": "col-md-3", "street": "col-md-9", "postal_code": "col-6 col-md-2", "city": "col-6 col-md-4",
               "province": "col-md-4"}


class ContactForm(_RowForm):
    kind = forms.ChoiceField(label=_("Tipo"), choices=ContactKind.choices, initial=ContactKind.PHONE)
    value = forms.CharField(label=_("Teléfono o correo"), max_length=254, required=False)
    label = forms.CharField(label=_("Etiqueta"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"placeholder": _("móvil, trabajo…")}))
    is_primary = forms.BooleanField(label=_("Principal"), required=False)

    # Two lines, like an address: the type (its longest label, "Correo electrónico") and the value
    # side by side, then the label beside the switches; on one line every field was cut short.
    columns = {"kind": "col-sm-5", "value": "col-sm-7", "label": "col-sm-5"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs["class"] += " js-dup-field"


class BankAccountForm(_RowForm):
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "ES91 2100 0418 4502 0005 1332", "spellcheck": "false"}))
    holder_name = forms.CharField(label=_("Titular"), max_length=200, required=False,
                                  widget=forms.TextInput(attrs={"placeholder": _("(el propio cliente)")}))
    is_primary = forms.BooleanField(label=_("Principal"), required=False)
    columns = {"iban": "col-md-6", "holder_name": "col-md-4"}


AddressFormSet = forms.formset_factory(AddressForm, extra=0, can_delete=True)
ContactFormSet = forms.formset_factory(ContactForm, extra=0, can_delete=True)
BankAccountFormSet = forms.formset_factory(BankAccountForm, extra=0, can_delete=True)

FORMSETS = {
    # prefix (also the service's list name): (formset class, title, model fields copied for the initial rows)
    "addresses": (AddressFormSet, _("Direcciones"), ("kind", "street", "postal_code", "city", "province", "is_primary")),
    "contacts": (ContactFormSet, _("Teléfonos y correos"), ("kind", "value", "label", "is_primary")),
    "bank_accounts": (BankAccountFormSet, _("Cuentas bancarias"), ("iban", "holder_name", "is_primary")),
}
NEW_PARTY_ROWS = {"addresses": [{}], "contacts": [{"kind": ContactKind.PHONE}, {"kind": ContactKind.EMAIL}],
                  "bank_accounts": [{}]}


def _shown(row, name):
    value = getattr(row, name)
    if name == "iban" and value:
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    return value


def party_formsets(data=None, party: Party | None = None) -> dict:
    """The three row formsets, bound to `data` or filled from the party's rows (or blank rows for a new party)."""
    formsets = {}
    for prefix, (formset_class, title, fields) in FORMSETS.items():
        if data is not None:
            formset = formset_class(data, prefix=prefix)
        elif party is not None:
            rows = [{"id": row.pk, **{f: _shown(row, f) for f in fields}} for row in getattr(party, prefix).all()]
            formset = formset_class(initial=rows, prefix=prefix)
            formset.extra = 0 if rows else 1
        else:
            formset = formset_class(prefix=prefix, initial=NEW_PARTY_ROWS[prefix])
        formset.title = title
        formsets[prefix] = formset
    return formsets


def formset_rows(formset) -> tuple[list[dict], list]:
    """(rows for the service, the form of each row): blank new rows left out, removals as {"id", "delete"}."""
    rows, forms_ = [], []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or form.is_blank():
            continue
        if data.get("DELETE"):
            if data.get("id"):
                rows.append({"id": data["id"], "delete": True})
                forms_.append(form)
            continue
        if data.get("id") and not form.has_changed():
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE" and (k != "id" or v)})
        forms_.append(form)
    return rows, forms_


_ROW_ERROR = re.compile(r"^(addresses|contacts|bank_accounts)-(\d+)-(\w+)$")


def add_row_errors(exc, form, row_forms: dict) -> None:
    """Puts a service ValidationError beside each field: party fields on `form`, "list-i-field" on that row."""
    from django.core.exceptions import ValidationError

    from apps.core.forms import add_service_errors

    if not isinstance(exc, ValidationError) or not hasattr(exc, "message_dict"):
        add_service_errors(form, exc)
        return
    rest = {}
    for key, messages in exc.message_dict.items():
        match = _ROW_ERROR.match(key)
        if not match:
            rest[key] = messages
            continue
        prefix, index, field = match.group(1), int(match.group(2)), match.group(3)
        forms_ = row_forms.get(prefix, [])
        target = forms_[index] if index < len(forms_) else None
        for message in messages:
            if target is not None and field in target.fields and not target.fields[field].widget.is_hidden:
                target.add_error(field, message)
            elif target is not None:
                target.add_error(None, message)
            else:
                form.add_error(None, message)
    if rest:
        add_service_errors(form, ValidationError(rest))


# "This party is <kind> the other": the relation kinds plus the inverse readings of those without one.
RELATION_CHOICES = [(kind.value, kind.label) for kind in RelationKind] + [
    (f"~{kind.value}", label) for kind, label in INVERSE_LABELS.items()]


class RelationForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Este cliente es…"), choices=[("", "—")] + RELATION_CHOICES)
    # Chosen among the search results (radio buttons the template draws), never a list of every party.
    other = forms.IntegerField(label=_("…del cliente"), error_messages={"required": _("Busque y elija el otro cliente.")})
    notes = forms.CharField(label=_("Notas"), max_length=200, required=False)

    def relation(self, party, other) -> tuple:
        """(from_party, to_party, kind) as stored."""
        kind = self.cleaned_data["kind"]
        if kind.startswith("~"):
            return other, party, kind[1:]
        return party, other, kind


class MergeForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
    survivor = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("He revisado el resumen: fusionar y borrar el duplicado"),
        error_messages={"required": _("Marque la casilla para confirmar la fusión.")})
