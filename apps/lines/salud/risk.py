"""The salud risk: the modality and add-ons, and the members (one titular, spouse, children)."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.lines.common import age_at, as_date, check_not_future, clean_person_nif, today

MODALITY_CHOICES = [
    ("cuadro_medico", _l("Cuadro médico concertado")),
    ("reembolso", _l("Reembolso de gastos (libre elección de médico)")),
]
RELATIONSHIP_CHOICES = [
    ("titular", _l("Titular")),
    ("conyuge", _l("Cónyuge o pareja")),
    ("hijo", _l("Hijo o hija")),
]
GENDER_CHOICES = [
    ("mujer", _l("Mujer")),
    ("hombre", _l("Hombre")),
]
ADULT_AGE = 18
OLDEST_BIRTH_YEAR = 1900


class SaludRiskForm(forms.Form):
    modality = forms.ChoiceField(label=_l("Modalidad"), choices=MODALITY_CHOICES, initial="cuadro_medico")
    copago = forms.BooleanField(label=_l("Con copago"), required=False,
                                help_text=_l("El asegurado paga una pequeña cantidad por acto médico a cambio de una "
                                             "prima menor."))
    dental = forms.BooleanField(label=_l("Cobertura dental"), required=False,
                                help_text=_l("Complemento dental para todos los asegurados."))


class MemberForm(forms.Form):
    name = forms.CharField(label=_l("Nombre y apellidos"), max_length=150)
    tax_id = forms.CharField(label=_l("DNI o NIE"), max_length=15, required=False,
                             help_text=_l("Obligatorio para mayores de edad."))
    birth_date = forms.DateField(label=_l("Fecha de nacimiento"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    relationship = forms.ChoiceField(label=_l("Parentesco"), choices=RELATIONSHIP_CHOICES, initial="titular")
    gender = forms.ChoiceField(label=_l("Sexo"), choices=GENDER_CHOICES)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_tax_id(self):
        return clean_person_nif(self.cleaned_data["tax_id"])

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        check_not_future(value, _("La fecha de nacimiento no puede ser posterior a hoy."))
        if value.year < OLDEST_BIRTH_YEAR:
            raise ValidationError(_("La fecha de nacimiento no puede ser anterior a 1900."))
        return value

    def clean(self):
        data = super().clean()
        birth = data.get("birth_date")
        if birth and not data.get("tax_id") and "tax_id" not in self.errors and age_at(birth, today()) >= ADULT_AGE:
            raise ValidationError({"tax_id": _("Los asegurados mayores de edad deben identificarse con su DNI o NIE.")})
        return data


def check(data: dict) -> None:
    """One titular (an adult), at most one spouse, no person twice."""
    members = data.get("members") or []
    if not members:
        raise ValidationError({"members": _("Añada al menos un asegurado: el titular.")})
    titulars = [member for member in members if member["relationship"] == "titular"]
    if len(titulars) != 1:
        raise ValidationError({"members": _("Debe haber exactamente un titular (hay %(count)s).")
                               % {"count": len(titulars)}})
    if age_at(as_date(titulars[0]["birth_date"]), today()) < ADULT_AGE:
        raise ValidationError({"members": _("El titular debe ser mayor de edad.")})
    if sum(1 for member in members if member["relationship"] == "conyuge") > 1:
        raise ValidationError({"members": _("Solo puede haber un cónyuge o pareja.")})
    tax_ids = [member["tax_id"] for member in members if member.get("tax_id")]
    if len(tax_ids) != len(set(tax_ids)):
        raise ValidationError({"members": _("Hay asegurados repetidos con el mismo DNI o NIE.")})
