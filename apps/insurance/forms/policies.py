"""Forms of the policy pages: the new policy's terms (the risk itself is the line's own form),
and one small form per action (endorse, suspend/resume/reactivate, cancel, renew, compare)."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from apps.crm.forms.pipeline import PartyChoiceMixin
from apps.crm.models import Party
from apps.insurance.choices import CancellationReason, PaymentFrequency, PaymentMethod
from apps.insurance.models import Insurer, Product
from apps.insurance.services.policies import MAX_TERM_MONTHS

DATE = {"type": "date"}


def _date_field(label, required=True):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class PolicyStartForm(PartyChoiceMixin, forms.Form):
    """Step 1 of a new policy without a quote: who, where, which product and the terms. Sent by GET
    to step 2 (the line's risk form), so both steps can be bookmarked and reloaded."""

    party_field = "policyholder"
    policyholder = forms.ModelChoiceField(label=_l("Tomador"), queryset=Party.objects.none())
    insurer = forms.ModelChoiceField(label=_l("Compañía"), queryset=Insurer.objects.none())
    product = forms.ModelChoiceField(label=_l("Producto"), queryset=Product.objects.none())
    number = forms.CharField(label=_l("Número de póliza"), max_length=40,
                             help_text=_l("El que ha dado la compañía; único en cada compañía."))
    start_date = _date_field(_l("Fecha de efecto"))
    term_months = forms.IntegerField(label=_l("Duración (meses)"), min_value=1, max_value=MAX_TERM_MONTHS, initial=12)
    payment_frequency = forms.ChoiceField(label=_l("Fraccionamiento"), choices=PaymentFrequency.choices)
    payment_method = forms.ChoiceField(label=_l("Forma de cobro"), choices=PaymentMethod.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insurer"].queryset = Insurer.objects.filter(is_active=True).order_by("name")
        self.fields["product"].queryset = (Product.objects.filter(is_active=True, insurer__is_active=True)
                                           .select_related("insurer", "line").order_by("insurer__name", "name"))
        self.setup_party(user)

    def clean(self):
        data = super().clean()
        insurer, product = data.get("insurer"), data.get("product")
        if insurer and product and product.insurer_id != insurer.pk:
            self.add_error("product", _l("Este producto no es de la compañía elegida."))
        return data


class EndorseForm(forms.Form):
    effective_date = _date_field(_l("Fecha de efecto del suplemento"))
    reason = forms.CharField(label=_l("Motivo"), max_length=300)
    rerate = forms.BooleanField(label=_l("Recalcular la prima con la tarifa"), required=False, initial=True)


class StateChangeForm(forms.Form):
    """Suspend, resume, reactivate: a date (today by default) and an optional reason."""

    effective_date = _date_field(_l("Fecha de efecto"))
    reason = forms.CharField(label=_l("Motivo"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"effective_date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    effective_date = _date_field(_l("Fecha de efecto de la anulación"))
    reason = forms.ChoiceField(label=_l("Motivo de anulación"), choices=CancellationReason.choices)
    notes = forms.CharField(label=_l("Observaciones"), required=False, max_length=500,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"effective_date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class RenewForm(forms.Form):
    number = forms.CharField(label=_l("Número de la renovación"), max_length=40, required=False,
                             help_text=_l("Vacío: el mismo número."))
    rerate = forms.BooleanField(label=_l("Recalcular la prima con la tarifa en vigor"), required=False, initial=True)


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_l("Versión"), min_value=1)
    b = forms.IntegerField(label=_l("con la versión"), min_value=1)
