"""Forms of the GDPR page: grant and withdraw a consent, erase (anonymise) a party.

They only collect input; the rules are in apps.crm.services.consents and .gdpr.
"""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.crm.choices import Channel, ConsentPurpose


class ConsentGrantForm(BootstrapFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Finalidad"), choices=ConsentPurpose.choices)
    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.EMAIL)
    granted_at = forms.DateTimeField(
        label=_("Fecha"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                     format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"],
        help_text=_("Vacío: ahora. Indíquela si registra un consentimiento dado antes (p. ej. un formulario en papel)."),
    )
    evidence = forms.CharField(
        label=_("Evidencia"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        help_text=_("Cómo consta: formulario firmado (referencia), grabación de la llamada, casilla web con fecha e IP…"),
    )

    def clean_granted_at(self):
        value = self.cleaned_data.get("granted_at")
        return value or timezone.now()


class ConsentWithdrawForm(BootstrapFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Canal de la retirada"), choices=Channel.choices, initial=Channel.EMAIL)


class AnonymiseForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motivo"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Por ejemplo: «Solicitud de supresión recibida por correo el 12/03/2026». No escriba datos "
                    "personales: quedan en la auditoría."),
    )
    confirm = forms.BooleanField(
        label=_("Entiendo que los datos personales se borran y no se pueden recuperar."), required=True,
    )
