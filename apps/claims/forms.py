"""Forms of the claims pages: they shape input; the services decide (cover, duplicates, reserve)."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from apps.claims.choices import ClaimCause, PaymentPayee, ThirdPartyRole
from apps.claims.models import Claim, ThirdParty

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0,
         "widget": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})}


def staff_users():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "email")


class PolicySearchForm(forms.Form):
    q = forms.CharField(label=_l("Póliza"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _l("Número de póliza, tomador o NIF")}))


class ClaimOpenForm(forms.Form):
    loss_date = forms.DateField(label=_l("Fecha de ocurrencia"), **DATE)
    reported_date = forms.DateField(label=_l("Fecha de declaración"), **DATE)
    cause = forms.ChoiceField(label=_l("Causa"), choices=ClaimCause.choices)
    coverage_code = forms.ChoiceField(label=_l("Garantía afectada"), choices=())
    description = forms.CharField(label=_l("Descripción"), widget=forms.Textarea(attrs={"rows": 4}))
    location = forms.CharField(label=_l("Lugar"), max_length=250, required=False)
    insurer_claim_number = forms.CharField(label=_l("Número de siniestro de la compañía"), max_length=40,
                                           required=False)
    reserve = forms.DecimalField(label=_l("Reserva inicial (€)"), required=False, **MONEY)
    handler = forms.ModelChoiceField(label=_l("Tramitador"), queryset=get_user_model().objects.none(), required=False,
                                     help_text=_l("Si lo deja vacío, usted."))
    tp_name = forms.CharField(label=_l("Tercero: nombre"), max_length=200, required=False)
    tp_role = forms.ChoiceField(label=_l("Tercero: papel"), choices=ThirdPartyRole.choices, required=False)
    tp_phone = forms.CharField(label=_l("Tercero: teléfono"), max_length=30, required=False)
    tp_plate = forms.CharField(label=_l("Tercero: matrícula"), max_length=15, required=False)
    tp_insurer = forms.CharField(label=_l("Tercero: su compañía"), max_length=150, required=False)
    allow_duplicate = forms.BooleanField(label=_l("Confirmo que es un siniestro distinto del posible duplicado"),
                                         required=False)

    def __init__(self, *args, coverages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coverage_code"].choices = [("", "—")] + list(coverages)
        self.fields["handler"].queryset = staff_users()
        self.fields["reported_date"].initial = timezone.localdate()

    def third_parties(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("tp_name"):
            return []
        return [{"name": data["tp_name"], "role": data.get("tp_role") or ThirdPartyRole.OTHER,
                 "phone": data.get("tp_phone", ""), "vehicle_plate": data.get("tp_plate", ""),
                 "insurer_name": data.get("tp_insurer", "")}]


class ClaimEditForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["description", "location", "insurer_claim_number", "adjuster_name", "adjuster_phone",
                  "adjuster_email", "handler"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = staff_users()


class TransitionForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput())
    reason = forms.CharField(label=_l("Motivo"), max_length=300, required=False)


class ReserveForm(forms.Form):
    amount = forms.DecimalField(label=_l("Nueva reserva (€)"), **MONEY)
    reason = forms.CharField(label=_l("Motivo"), max_length=300)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_l("Importe (€)"), **MONEY)
    date = forms.DateField(label=_l("Fecha de pago"), **DATE)
    payee = forms.ChoiceField(label=_l("Perceptor"), choices=PaymentPayee.choices)
    payee_name = forms.CharField(label=_l("Nombre del perceptor"), max_length=200, required=False)
    concept = forms.CharField(label=_l("Concepto"), max_length=250, required=False)
    approve_over_reserve = forms.BooleanField(label=_l("Apruebo el pago por encima de la reserva"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class TaskForm(forms.Form):
    title = forms.CharField(label=_l("Tarea"), max_length=200)
    due_date = forms.DateField(label=_l("Fecha límite"), **DATE)
    assignee = forms.ModelChoiceField(label=_l("Asignada a"), queryset=get_user_model().objects.none(),
                                      required=False, help_text=_l("Si lo deja vacío, el tramitador."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users()


class ThirdPartyForm(forms.ModelForm):
    class Meta:
        model = ThirdParty
        fields = ["role", "name", "tax_id", "phone", "email", "insurer_name", "policy_number", "vehicle_plate", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(forms.Form):
    file = forms.FileField(label=_l("Archivo"), help_text=_l("PDF, JPEG, PNG, HEIC o DOCX; máximo 20 MB."))
    description = forms.CharField(label=_l("Descripción"), max_length=250, required=False)
