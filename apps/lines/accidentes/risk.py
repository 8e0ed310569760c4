"""The accidentes risk: the insured person and their occupation's risk class, the capitals for
death and permanent disability, the optional daily hospital allowance and the cover's scope."""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.lines.common import age_at, check_not_future, clean_person_nif, collapse_spaces, fmt_eur, today

RISK_CLASS_CHOICES = [
    ("1", _l("Clase 1: trabajo de oficina o administrativo, sin riesgo manual")),
    ("2", _l("Clase 2: comercio, trabajo manual ligero, desplazamientos frecuentes")),
    ("3", _l("Clase 3: trabajo manual con riesgo (construcción, transporte, industria, agricultura)")),
    ("4", _l("Clase 4: riesgo alto (trabajos en altura, explosivos, minería, cuerpos de seguridad)")),
]
COVER_SCOPE_CHOICES = [
    ("24h", _l("24 horas: vida profesional y privada")),
    ("profesional", _l("Solo accidentes en el ejercicio de la profesión (incluido in itinere)")),
]
# Ley 50/1980 de Contrato de Seguro, art. 83: no death cover on the life of a child under 14.
MIN_AGE_DEATH_COVER = 14
MAX_DAILY_ALLOWANCE = Decimal("300")
OLDEST_BIRTH_YEAR = 1900


def _capital(label, help_text=""):
    return forms.DecimalField(label=label, min_value=0, max_digits=12, decimal_places=2, help_text=help_text,
                              error_messages={"min_value": _l("El capital no puede ser negativo.")})


class AccidentesRiskForm(forms.Form):
    insured_name = forms.CharField(label=_l("Nombre y apellidos del asegurado"), max_length=150)
    insured_tax_id = forms.CharField(label=_l("DNI o NIE del asegurado"), max_length=15)
    birth_date = forms.DateField(label=_l("Fecha de nacimiento del asegurado"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    risk_class = forms.ChoiceField(label=_l("Clase de riesgo de la profesión"), choices=RISK_CLASS_CHOICES,
                                   initial="1")
    profession = forms.CharField(label=_l("Profesión"), max_length=100, required=False,
                                 help_text=_l("Ocupación habitual del asegurado, para justificar la clase de "
                                              "riesgo."))
    cover_scope = forms.ChoiceField(label=_l("Ámbito de la cobertura"), choices=COVER_SCOPE_CHOICES, initial="24h")
    death_capital = _capital(_l("Capital por fallecimiento por accidente (€)"))
    disability_capital = _capital(_l("Capital por incapacidad permanente por accidente (€)"),
                                  help_text=_l("Se paga según el baremo de invalidez de la póliza, hasta este "
                                               "capital en la incapacidad absoluta."))
    daily_allowance = forms.DecimalField(label=_l("Indemnización diaria por hospitalización (€/día)"),
                                         required=False, min_value=0, max_digits=6, decimal_places=2,
                                         help_text=_l("Opcional, hasta 300 € al día."),
                                         error_messages={"min_value": _l("La indemnización no puede ser negativa.")})

    def clean_insured_name(self):
        return collapse_spaces(self.cleaned_data["insured_name"])

    def clean_profession(self):
        return collapse_spaces(self.cleaned_data["profession"])

    def clean_insured_tax_id(self):
        return clean_person_nif(self.cleaned_data["insured_tax_id"])

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        check_not_future(value, _("La fecha de nacimiento no puede ser posterior a hoy."))
        if value.year < OLDEST_BIRTH_YEAR:
            raise ValidationError(_("La fecha de nacimiento no puede ser anterior a 1900."))
        return value

    def clean_daily_allowance(self):
        value = self.cleaned_data["daily_allowance"]
        if value and value > MAX_DAILY_ALLOWANCE:
            raise ValidationError(_("La indemnización diaria por hospitalización no puede superar %(max)s al día.")
                                  % {"max": fmt_eur(MAX_DAILY_ALLOWANCE)})
        return value

    def clean(self):
        data = super().clean()
        death, disability, birth = data.get("death_capital"), data.get("disability_capital"), data.get("birth_date")
        if death is not None and disability is not None and not death and not disability:
            raise ValidationError({"death_capital": _("Indique al menos un capital: fallecimiento o incapacidad "
                                                      "permanente.")})
        if death and birth and age_at(birth, today()) < MIN_AGE_DEATH_COVER:
            raise ValidationError({"death_capital": _(
                "No se puede asegurar el fallecimiento de un menor de 14 años (art. 83 de la Ley de Contrato de "
                "Seguro): deje el capital por fallecimiento a 0 y asegure la incapacidad permanente.")})
        return data
