"""Forms of the collaborator pages (the party picker is the policy's client picker) and the
policy panel's share form. The services in apps.collections.services.collaborators decide."""
from django import forms
from django.utils.translation import gettext_lazy as _l

from apps.collections.choices import CollaboratorKind
from apps.collections.models import Collaborator
from apps.crm.forms.pipeline import PartyChoiceMixin
from apps.crm.models import Party

PCT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


class CollaboratorForm(PartyChoiceMixin, forms.Form):
    party_field = "party"
    party = forms.ModelChoiceField(label=_l("Ficha de tercero"), queryset=Party.objects.none())
    kind = forms.ChoiceField(label=_l("Tipo"), choices=CollaboratorKind.choices)
    code = forms.CharField(label=_l("Código"), max_length=20)
    default_share_pct = forms.DecimalField(label=_l("% de la comisión por defecto"), initial=0, **PCT)
    withholding_pct = forms.DecimalField(label=_l("% retención IRPF"), initial=0, **PCT,
                                         help_text=_l("Personas físicas: normalmente 15 % (7 % los primeros años)."))
    dgsfp_code = forms.CharField(label=_l("Clave DGSFP"), max_length=20, required=False)
    iban = forms.CharField(label=_l("IBAN"), max_length=34, required=False)
    is_active = forms.BooleanField(label=_l("Activo"), required=False, initial=True)
    notes = forms.CharField(label=_l("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, instance: Collaborator | None = None, **kwargs):
        if instance is not None and not kwargs.get("data") and not args:
            kwargs.setdefault("initial", {
                "party": instance.party_id, "kind": instance.kind, "code": instance.code,
                "default_share_pct": instance.default_share_pct, "withholding_pct": instance.withholding_pct,
                "dgsfp_code": instance.dgsfp_code, "iban": instance.iban, "is_active": instance.is_active,
                "notes": instance.notes, "version": instance.version})
        self.instance = instance
        super().__init__(*args, **kwargs)
        extra = [instance.party] if instance is not None else ()
        self.setup_party(user, extra=extra)
        if instance is not None:  # the record's own party stays valid even if the user cannot list it
            self.fields["party"].queryset = (self.fields["party"].queryset | Party.objects.filter(
                pk=instance.party_id)).distinct()

    def clean_iban(self):
        return (self.cleaned_data.get("iban") or "").replace(" ", "").upper()

    @property
    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ShareForm(forms.Form):
    collaborator = forms.ModelChoiceField(label=_l("Colaborador"), queryset=Collaborator.objects.none())
    share_pct = forms.DecimalField(label=_l("% de la comisión"), max_digits=5, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collaborator"].queryset = (Collaborator.objects.filter(is_active=True)
                                                .select_related("party").order_by("code"))


class ShareRemoveForm(forms.Form):
    collaborator = forms.ModelChoiceField(label=_l("Colaborador"), queryset=Collaborator.objects.all())
