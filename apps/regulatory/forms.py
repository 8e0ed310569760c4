"""Forms of the regulatory pages: the compliance dashboard filters, recording a delivery, the
DEC year and the DGSFP mapping of one line."""
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from apps.core.forms import style_form
from apps.identity.models import User
from apps.insurance.models import Insurer, Line
from apps.regulatory.choices import DecRamo, DeliveryChannel, EvidenceKind, RemunerationNature

DATE = {"type": "date"}


class ComplianceFilterForm(forms.Form):
    ramo = forms.ModelChoiceField(label=_l("Ramo"), required=False, queryset=Line.objects.none(),
                                  to_field_name="code", empty_label=_l("Cualquiera"))
    compania = forms.ModelChoiceField(label=_l("Compañía"), required=False, queryset=Insurer.objects.none(),
                                      empty_label=_l("Cualquiera"))
    comercial = forms.ModelChoiceField(label=_l("Comercial"), required=False, queryset=User.objects.none(),
                                       empty_label=_l("Cualquiera"))
    desde = forms.DateField(label=_l("Efecto desde"), required=False, widget=forms.DateInput(attrs=DATE))
    hasta = forms.DateField(label=_l("Efecto hasta"), required=False, widget=forms.DateInput(attrs=DATE))
    falta = forms.ChoiceField(label=_l("Falta"), required=False,
                              choices=[("", _l("Cualquier obligación")), *EvidenceKind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ramo"].queryset = Line.objects.filter(is_active=True).order_by("name")
        self.fields["compania"].queryset = Insurer.objects.filter(is_active=True).order_by("name")
        self.fields["comercial"].queryset = User.objects.filter(is_active=True).order_by("email")
        style_form(self)

    def filters(self):
        from apps.regulatory.selectors_lds import ComplianceFilters

        data = self.cleaned_data if self.is_valid() else {}
        return ComplianceFilters(line=data.get("ramo"), insurer=data.get("compania"), manager=data.get("comercial"),
                                 date_from=data.get("desde"), date_to=data.get("hasta"), missing=data.get("falta") or "")


class EvidenceForm(forms.Form):
    """One delivery of a duty; the demands-and-needs answers come from the line's questionnaire."""

    kind = forms.ChoiceField(label=_l("Obligación"), choices=EvidenceKind.choices)
    delivered_on = forms.DateField(label=_l("Fecha de entrega"), widget=forms.DateInput(attrs=DATE))
    channel = forms.ChoiceField(label=_l("Medio"), choices=DeliveryChannel.choices)
    document = forms.ModelChoiceField(label=_l("Documento archivado"), required=False, queryset=None,
                                      empty_label=_l("— Sin documento —"))
    remuneration_nature = forms.ChoiceField(label=_l("Naturaleza de la remuneración"), required=False,
                                            choices=[("", "—"), *RemunerationNature.choices])
    statement = forms.CharField(label=_l("Declaración de adecuación del producto"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_l("Vacía: se redacta a partir de las respuestas y del producto."))
    notes = forms.CharField(label=_l("Observaciones"), required=False, max_length=300)

    def __init__(self, *args, policy, **kwargs):
        from django.contrib.contenttypes.models import ContentType

        from apps.documents.models import Document

        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = Document.objects.filter(
            content_type=ContentType.objects.get_for_model(type(policy)), object_id=policy.pk).order_by("-created_at")
        self.fields["delivered_on"].initial = timezone.localdate()
        style_form(self)

    def clean_delivered_on(self):
        value = self.cleaned_data["delivered_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_l("La fecha de entrega no puede ser futura."))
        return value

    def delivered_at(self) -> datetime.datetime:
        value = self.cleaned_data["delivered_on"]
        if value == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time(12, 0)))


class DecYearForm(forms.Form):
    year = forms.IntegerField(label=_l("Ejercicio"), min_value=2000, max_value=2100)


class MappingForm(forms.Form):
    ramo = forms.ChoiceField(label=_l("Ramo DGSFP"), choices=DecRamo.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
