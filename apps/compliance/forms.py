"""Forms of the compliance pages. A client is named by its NIF/NIE/CIF or its id (a brokerage has too many
clients for a select); a policy by its number and a claim by ours."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.compliance.choices import (
    Channel, ComplaintKind, ComplaintOutcome, ComplaintReason, NotAdmittedReason, RequestKind, RequestState,
)
from apps.compliance.models import ProcessingActivity, RetentionRule
from apps.core.forms import BootstrapFormMixin

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}
HOLD_KINDS = [("crm.party", _l("Cliente")), ("claims.claim", _l("Siniestro")), ("insurance.quote", _l("Proyecto")),
              ("crm.consent", _l("Consentimiento")), ("documents.document", _l("Documento"))]


def _staff():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "email")


def find_party(value: str):
    from apps.crm.models import Party

    value = (value or "").strip().upper()
    if not value:
        return None
    party = Party.objects.filter(tax_id=value).first()
    if party is None and value.isdigit():
        party = Party.objects.filter(pk=int(value)).first()
    return party


class PartyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _l("Cliente (NIF/NIE/CIF o id)"))
        super().__init__(max_length=20, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        party = find_party(value)
        if party is None:
            raise forms.ValidationError(_("No hay ningún cliente con ese NIF o id."))
        if party.anonymised_at:
            raise forms.ValidationError(_("Ese cliente está anonimizado."))
        return party


class ActivityForm(BootstrapFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProcessingActivity
        fields = ["code", "name", "purpose", "legal_basis", "legal_basis_detail", "subject_categories",
                  "data_categories", "special_categories", "special_categories_detail", "recipients",
                  "international_transfers", "retention_period", "security_measures", "is_active", "order"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in
                   ["purpose", "subject_categories", "data_categories", "recipients", "international_transfers",
                    "retention_period", "security_measures"]}


class RuleForm(BootstrapFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RetentionRule
        fields = ["record_type", "period_months", "action", "legal_reference", "is_active"]


class HoldForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_l("Tipo de registro"), choices=HOLD_KINDS)
    object_id = forms.IntegerField(label=_l("Id del registro"), min_value=1)
    reason = forms.CharField(label=_l("Motivo"), widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(label=_l("Hasta"), required=False, **DATE)

    def clean(self):
        from django.apps import apps

        data = super().clean()
        if data.get("kind") and data.get("object_id"):
            model = apps.get_model(data["kind"])
            manager = getattr(model, "all_objects", model._default_manager)
            data["target"] = manager.filter(pk=data["object_id"]).first()
            if data["target"] is None:
                self.add_error("object_id", _("No existe ese registro."))
        return data


class RequestForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_l("Derecho ejercido"), choices=RequestKind.choices)
    party = PartyField()
    received_on = forms.DateField(label=_l("Recibida el"), **DATE)
    channel = forms.ChoiceField(label=_l("Canal"), choices=Channel.choices)
    handler = forms.ModelChoiceField(label=_l("Responsable"), queryset=get_user_model().objects.none(),
                                     required=False)
    description = forms.CharField(label=_l("Solicitud"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _staff()


class RequestActionForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000)
    notes = forms.CharField(required=False, max_length=4000)
    text = forms.CharField(required=False, max_length=4000)
    outcome = forms.ChoiceField(required=False, choices=[(RequestState.RESOLVED, RequestState.RESOLVED.label),
                                                         (RequestState.DENIED, RequestState.DENIED.label)])
    resolved_on = forms.DateField(required=False)


class ComplaintForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_l("Tipo"), choices=ComplaintKind.choices)
    party = PartyField()
    is_consumer = forms.BooleanField(label=_l("El reclamante es consumidor"), required=False, initial=True)
    received_on = forms.DateField(label=_l("Recibida el"), **DATE)
    channel = forms.ChoiceField(label=_l("Canal"), choices=Channel.choices)
    reason = forms.ChoiceField(label=_l("Motivo"), choices=ComplaintReason.choices)
    description = forms.CharField(label=_l("Hechos y petición"), widget=forms.Textarea(attrs={"rows": 4}))
    handler = forms.ModelChoiceField(label=_l("Responsable"), queryset=get_user_model().objects.none(),
                                     required=False)
    policy_number = forms.CharField(label=_l("Póliza (número)"), max_length=40, required=False)
    claim_number = forms.CharField(label=_l("Siniestro (número)"), max_length=30, required=False)
    amount_claimed = forms.DecimalField(label=_l("Importe reclamado (€)"), required=False, **MONEY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _staff()

    def clean(self):
        from apps.claims.models import Claim
        from apps.insurance.models import Policy

        data = super().clean()
        data["policy"] = data["claim"] = None
        if data.get("policy_number"):
            data["policy"] = Policy.objects.filter(number=data["policy_number"].strip()).order_by("-pk").first()
            if data["policy"] is None:
                self.add_error("policy_number", _("No existe esa póliza."))
        if data.get("claim_number"):
            data["claim"] = Claim.objects.filter(number=data["claim_number"].strip()).first()
            if data["claim"] is None:
                self.add_error("claim_number", _("No existe ese siniestro."))
        return data


class ResolveForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_l("Resolución"), choices=ComplaintOutcome.choices)
    not_admitted_reason = forms.ChoiceField(label=_l("Causa de inadmisión"), required=False,
                                            choices=[("", "—"), *NotAdmittedReason.choices])
    resolution = forms.CharField(label=_l("Resolución motivada"), widget=forms.Textarea(attrs={"rows": 4}))
    criteria = forms.CharField(label=_l("Criterio aplicado"), max_length=300, required=False)
    amount_granted = forms.DecimalField(label=_l("Importe reconocido (€)"), required=False, **MONEY)
    resolved_on = forms.DateField(label=_l("Resuelta el"), required=False, **DATE)


class ListFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_l("Número o cliente"), required=False)
    estado = forms.ChoiceField(label=_l("Estado"), required=False)
    tipo = forms.ChoiceField(label=_l("Tipo"), required=False)
    vencidas = forms.BooleanField(label=_l("Solo vencidas"), required=False)

    def __init__(self, *args, states=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estado"].choices = [("", "—"), *states]
        self.fields["tipo"].choices = [("", "—"), *kinds]
