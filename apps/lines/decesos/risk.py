"""The decesos risk: where the funeral service is given, its level, the premium type and the
members (one titular and the family living with them)."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.lines.common import (age_at, as_date, check_not_future, clean_person_nif, clean_postal_code,
                               collapse_spaces, today)

SERVICE_LEVEL_CHOICES = [
    ("basico", _l("Básico: servicio fúnebre en la localidad")),
    ("completo", _l("Completo con traslado nacional e internacional")),
]
PREMIUM_TYPE_CHOICES = [
    ("natural", _l("Prima natural (según la edad de cada año)")),
    ("nivelada", _l("Prima nivelada (fija según la edad de entrada)")),
]
RELATIONSHIP_CHOICES = [
    ("titular", _l("Titular")),
    ("conyuge", _l("Cónyuge o pareja")),
    ("hijo", _l("Hijo o hija")),
    ("padre", _l("Padre o madre")),
    ("hermano", _l("Hermano o hermana")),
    ("otro", _l("Otro familiar que convive")),
]
ADULT_AGE = 18
OLDEST_BIRTH_YEAR = 1900


class DecesosRiskForm(forms.Form):
    postal_code = forms.CharField(label=_l("Código postal del servicio"), max_length=5,
                                  help_text=_l("Localidad donde se prestará el servicio fúnebre y el sepelio; "
                                               "determina la provincia de la tarifa."))
    service_level = forms.ChoiceField(label=_l("Nivel de servicio"), choices=SERVICE_LEVEL_CHOICES,
                                      initial="completo")
    premium_type = forms.ChoiceField(label=_l("Tipo de prima"), choices=PREMIUM_TYPE_CHOICES, initial="natural",
                                     help_text=_l("Natural: sube cada año con la edad. Nivelada: se fija con la "
                                                  "edad de entrada y no cambia por la edad."))

    def clean_postal_code(self):
        return clean_postal_code(self.cleaned_data["postal_code"])


class MemberForm(forms.Form):
    name = forms.CharField(label=_l("Nombre y apellidos"), max_length=150)
    tax_id = forms.CharField(label=_l("DNI o NIE"), max_length=15, required=False,
                             help_text=_l("Opcional; si se indica se comprueba la letra de control."))
    birth_date = forms.DateField(label=_l("Fecha de nacimiento"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    relationship = forms.ChoiceField(label=_l("Parentesco con el titular"), choices=RELATIONSHIP_CHOICES,
                                     initial="titular")
    entry_date = forms.DateField(label=_l("Fecha de alta en el seguro"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_l("Solo si ya estaba asegurado (traslado de póliza o renovación): fija "
                                              "la edad de entrada. En blanco, la fecha de efecto."))

    def clean_name(self):
        return collapse_spaces(self.cleaned_data["name"])

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
        birth, entry = data.get("birth_date"), data.get("entry_date")
        if birth and entry and entry < birth:
            raise ValidationError({"entry_date": _("La fecha de alta no puede ser anterior a la fecha de "
                                                   "nacimiento.")})
        return data


def check(data: dict) -> None:
    """At least one member; exactly one titular, of age; nobody twice."""
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
    people = [(member["name"].lower(), member["birth_date"]) for member in members]
    if len(people) != len(set(people)):
        raise ValidationError({"members": _("Hay asegurados repetidos (mismo nombre y fecha de nacimiento).")})
