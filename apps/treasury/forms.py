"""Forms of the treasury's bank accounts and SEPA mandates. Validation of the rules is the services'."""
from django import forms
from django.utils.translation import gettext_lazy as _l

from apps.accounting.models import Account
from apps.crm.forms.pipeline import PartyChoiceMixin
from apps.crm.models import Party
from apps.treasury.choices import MandateKind, MandateScheme
from apps.treasury.models import BankAccount

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BankAccountForm(forms.Form):
    name = forms.CharField(label=_l("Nombre"), max_length=100)
    iban = forms.CharField(label=_l("IBAN"), max_length=42)
    bic = forms.CharField(label=_l("BIC"), max_length=11, required=False)
    creditor_id = forms.CharField(label=_l("Identificador de acreedor SEPA"), max_length=35, required=False,
                                  help_text=_l("Vacío: se calcula con el NIF de la correduría y el sufijo 000."))
    account = forms.ModelChoiceField(label=_l("Cuenta contable (572)"), queryset=Account.objects.none())
    is_default = forms.BooleanField(label=_l("Cuenta de cobros por defecto"), required=False)
    is_active = forms.BooleanField(label=_l("Activa"), required=False, initial=True)

    def __init__(self, *args, instance: BankAccount | None = None, **kwargs):
        if instance is not None and not args and not kwargs.get("data"):
            kwargs.setdefault("initial", {field: getattr(instance, field) for field in
                                          ("name", "iban", "bic", "creditor_id", "is_default", "is_active")}
                              | {"account": instance.account_id})
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(code__startswith="572", is_postable=True,
                                                                 is_active=True).order_by("code")


class MandateForm(PartyChoiceMixin, forms.Form):
    party_field = "party"
    party = forms.ModelChoiceField(label=_l("Deudor"), queryset=Party.objects.none())
    reference = forms.CharField(label=_l("Referencia única del mandato"), max_length=35, required=False,
                                help_text=_l("Vacío: se numera automáticamente."))
    iban = forms.CharField(label=_l("IBAN"), max_length=42)
    bic = forms.CharField(label=_l("BIC"), max_length=11, required=False)
    signature_date = forms.DateField(label=_l("Fecha de firma"), widget=DATE)
    scheme = forms.ChoiceField(label=_l("Esquema"), choices=MandateScheme.choices, initial=MandateScheme.CORE)
    kind = forms.ChoiceField(label=_l("Tipo"), choices=MandateKind.choices, initial=MandateKind.RECURRENT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_party(user)


class MandateAmendForm(forms.Form):
    iban = forms.CharField(label=_l("Nuevo IBAN"), max_length=42)
    bic = forms.CharField(label=_l("BIC"), max_length=11, required=False)
    on_date = forms.DateField(label=_l("Fecha de la modificación"), widget=DATE, required=False)


class MandateRevokeForm(forms.Form):
    on_date = forms.DateField(label=_l("Fecha de revocación"), widget=DATE, required=False)
