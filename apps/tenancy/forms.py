from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.tenancy.choices import ChartOfAccounts, Plan


class SignupForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Nombre de la correduría"), max_length=200)
    tax_id = forms.CharField(label=_("NIF/CIF"), max_length=12)
    dgsfp_code = forms.CharField(label=_("Clave DGSFP"), max_length=20, required=False)
    schema = forms.SlugField(label=_("Identificador"), max_length=41)
    admin_first_name = forms.CharField(label=_("Su nombre"), max_length=150)
    admin_email = forms.EmailField(label=_("Su correo electrónico"))
    admin_password = forms.CharField(label=_("Contraseña"), widget=forms.PasswordInput, min_length=10)
    chart_of_accounts = forms.ChoiceField(
        label=_("Plan contable"), choices=ChartOfAccounts.choices, initial=ChartOfAccounts.PGC_PYMES, required=False,
        help_text=_("PGC PYMES para la mayoría de corredurías; PGC normal si supera los límites de PYMES."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schema"].help_text = _("Será su dirección: <identificador>.%(domain)s") % {
            "domain": settings.PLATFORM_DOMAIN}

    def clean_chart_of_accounts(self):
        return self.cleaned_data.get("chart_of_accounts") or ChartOfAccounts.PGC_PYMES


class ProvisionForm(SignupForm):
    """The platform admin's version: explicit domain and plan."""

    domain = forms.CharField(label=_("Dominio"), max_length=253, help_text=_("p. ej. levante.aitcore.es"))
    plan = forms.ChoiceField(label=_("Plan"), choices=Plan.choices, initial=Plan.PROFESSIONAL)
