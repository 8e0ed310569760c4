"""The vida riesgo risk: the insured person, the capitals and who receives them."""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.lines.common import check_not_future, clean_nif, clean_person_nif, fmt_number

PROFESSION_CHOICES = [
    ("1", _l("Clase 1: trabajo de oficina, sin riesgo especial")),
    ("2", _l("Clase 2: trabajo manual ligero, desplazamientos frecuentes")),
    ("3", _l("Clase 3: trabajo manual con riesgo (construcción, transporte, industria)")),
]
DESIGNATION_CHOICES = [
    ("prelacion", _l("Orden de prelación: cónyuge; en su defecto hijos, padres y herederos legales")),
    ("herederos", _l("Herederos legales")),
    ("nominativa", _l("Beneficiarios designados (nombre y porcentaje)")),
]
RELATIONSHIP_CHOICES = [
    ("conyuge", _l("Cónyuge")),
    ("pareja", _l("Pareja de hecho")),
    ("hijo", _l("Hijo o hija")),
    ("padre", _l("Padre o madre")),
    ("hermano", _l("Hermano o hermana")),
    ("acreedor", _l("Entidad acreedora (préstamo)")),
    ("otro", _l("Otra persona")),
]
HUNDRED = Decimal("100")
OLDEST_BIRTH_YEAR = 1900


class VidaRiskForm(forms.Form):
    insured_name = forms.CharField(label=_l("Nombre y apellidos del asegurado"), max_length=150)
    insured_tax_id = forms.CharField(label=_l("DNI o NIE del asegurado"), max_length=15)
    birth_date = forms.DateField(label=_l("Fecha de nacimiento del asegurado"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    smoker = forms.BooleanField(label=_l("Fumador"), required=False,
                                help_text=_l("Ha fumado (tabaco o cigarrillo electrónico) en los últimos 12 meses."))
    profession_class = forms.ChoiceField(label=_l("Clase de profesión"), choices=PROFESSION_CHOICES, initial="1")
    death_capital = forms.DecimalField(label=_l("Capital por fallecimiento (€)"), min_value=6000, max_digits=12,
                                       decimal_places=2,
                                       error_messages={"min_value": _l("El capital mínimo por fallecimiento es de "
                                                                       "6.000 €.")})
    ipa_capital = forms.DecimalField(label=_l("Capital por incapacidad permanente absoluta (€)"), required=False,
                                     min_value=0, max_digits=12, decimal_places=2,
                                     help_text=_l("Opcional. No puede superar el capital por fallecimiento."),
                                     error_messages={"min_value": _l("El capital no puede ser negativo.")})
    beneficiary_designation = forms.ChoiceField(label=_l("Beneficiarios en caso de fallecimiento"),
                                                choices=DESIGNATION_CHOICES, initial="prelacion")

    def clean_insured_name(self):
        return " ".join(self.cleaned_data["insured_name"].split())

    def clean_insured_tax_id(self):
        return clean_person_nif(self.cleaned_data["insured_tax_id"])

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        check_not_future(value, _("La fecha de nacimiento no puede ser posterior a hoy."))
        if value.year < OLDEST_BIRTH_YEAR:
            raise ValidationError(_("La fecha de nacimiento no puede ser anterior a 1900."))
        return value

    def clean_ipa_capital(self):
        value = self.cleaned_data["ipa_capital"]
        return value or None

    def clean(self):
        data = super().clean()
        death, ipa = data.get("death_capital"), data.get("ipa_capital")
        if death is not None and ipa and ipa > death:
            raise ValidationError({"ipa_capital": _("El capital por incapacidad no puede superar el capital por "
                                                    "fallecimiento.")})
        return data


class BeneficiaryForm(forms.Form):
    name = forms.CharField(label=_l("Nombre y apellidos o razón social"), max_length=150)
    tax_id = forms.CharField(label=_l("DNI, NIE o NIF"), max_length=15, required=False)
    relationship = forms.ChoiceField(label=_l("Parentesco o relación"), choices=RELATIONSHIP_CHOICES)
    share = forms.DecimalField(label=_l("Porcentaje (%)"), min_value=Decimal("0.01"), max_value=HUNDRED,
                               max_digits=5, decimal_places=2,
                               error_messages={"min_value": _l("El porcentaje va de 0,01 a 100."),
                                               "max_value": _l("El porcentaje va de 0,01 a 100.")})

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_tax_id(self):
        return clean_nif(self.cleaned_data["tax_id"])


def check(data: dict) -> None:
    """Beneficiaries agree with the designation; named shares add up to 100 %."""
    rows = data.get("beneficiaries") or []
    if data["beneficiary_designation"] != "nominativa":
        if rows:
            raise ValidationError({"beneficiaries": _(
                "Solo se detallan beneficiarios con la designación «Beneficiarios designados»; quítelos o cambie "
                "la designación.")})
        return
    if not rows:
        raise ValidationError({"beneficiaries": _("Indique al menos un beneficiario con su porcentaje.")})
    total = sum((Decimal(str(row["share"])) for row in rows), Decimal("0"))
    if total != HUNDRED:
        raise ValidationError({"beneficiaries": _(
            "Los porcentajes de los beneficiarios deben sumar 100 %% (ahora suman %(total)s %%).") % {
            "total": fmt_number(total)}})
    insured = data.get("insured_tax_id")
    if insured and any(row.get("tax_id") == insured for row in rows):
        raise ValidationError({"beneficiaries": _("El asegurado no puede ser beneficiario de su propio "
                                                  "fallecimiento.")})
