"""The RC risk: the insured activity (with its CNAE 2009 code), its size (turnover, employees),
the limit per claim, the deductible and the extensions (patronal, productos, post-trabajos)."""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.lines.common import collapse_spaces, fmt_eur

# kind: "servicios" (professional or service RC), "productos" (sells or serves products),
# "obras" (executes works or installations: post-trabajos applies)
ACTIVITIES = {
    "asesoria": (_l("Asesoría y gestoría"), "6920", "servicios"),
    "arquitectura": (_l("Arquitectura e ingeniería"), "7111", "servicios"),
    "clinica_dental": (_l("Clínica dental"), "8623", "servicios"),
    "peluqueria": (_l("Peluquería y estética"), "9602", "servicios"),
    "limpieza": (_l("Limpieza de edificios y locales"), "8121", "servicios"),
    "comercio": (_l("Comercio minorista"), "4719", "productos"),
    "hosteleria": (_l("Hostelería: restaurante, bar o cafetería"), "5610", "productos"),
    "taller": (_l("Taller de reparación de vehículos"), "4520", "obras"),
    "instalaciones": (_l("Instalaciones eléctricas y de fontanería"), "4321", "obras"),
    "construccion": (_l("Construcción y reformas"), "4399", "obras"),
}
ACTIVITY_CHOICES = [(code, format_lazy("{} (CNAE {})", label, cnae))
                    for code, (label, cnae, _kind) in ACTIVITIES.items()]
LIMIT_CHOICES = [("150000", "150.000 €"), ("300000", "300.000 €"), ("600000", "600.000 €"),
                 ("1000000", "1.000.000 €"), ("3000000", "3.000.000 €")]
VICTIM_SUBLIMIT_CHOICES = [("", _l("Sin RC patronal")), ("90000", "90.000 €"), ("150000", "150.000 €"),
                           ("300000", "300.000 €"), ("600000", "600.000 €")]
DEDUCTIBLE_CHOICES = [("0", _l("Sin franquicia")), ("150", "150 €"), ("300", "300 €"), ("600", "600 €"),
                      ("1500", "1.500 €")]
MAX_EMPLOYEES = 10000


def activity_label(code: str) -> str:
    return str(ACTIVITIES[code][0]) if code in ACTIVITIES else code


class RcRiskForm(forms.Form):
    activity = forms.ChoiceField(label=_l("Actividad"), choices=ACTIVITY_CHOICES)
    activity_description = forms.CharField(label=_l("Descripción de la actividad"), max_length=200, required=False,
                                           help_text=_l("Qué hace exactamente la empresa o el profesional."))
    annual_turnover = forms.DecimalField(label=_l("Facturación anual (€)"), min_value=0, max_digits=14,
                                         decimal_places=2,
                                         error_messages={"min_value": _l("La facturación no puede ser negativa.")})
    employees = forms.IntegerField(label=_l("Número de empleados"), min_value=0, max_value=MAX_EMPLOYEES,
                                   error_messages={"min_value": _l("El número de empleados no puede ser negativo."),
                                                   "max_value": _l("El número de empleados no puede superar "
                                                                   "10.000.")})
    limit = forms.ChoiceField(label=_l("Límite por siniestro"), choices=LIMIT_CHOICES, initial="300000")
    deductible = forms.ChoiceField(label=_l("Franquicia por siniestro"), choices=DEDUCTIBLE_CHOICES, initial="300")
    patronal = forms.BooleanField(label=_l("RC patronal"), required=False,
                                  help_text=_l("Reclamaciones de los empleados por accidentes de trabajo."))
    victim_sublimit = forms.ChoiceField(label=_l("Sublímite por víctima (RC patronal)"),
                                        choices=VICTIM_SUBLIMIT_CHOICES, required=False)
    products = forms.BooleanField(label=_l("RC de productos"), required=False,
                                  help_text=_l("Daños causados por los productos vendidos o servidos."))
    post_works = forms.BooleanField(label=_l("RC post-trabajos"), required=False,
                                    help_text=_l("Daños causados por obras o instalaciones ya entregadas."))

    def clean_activity_description(self):
        return collapse_spaces(self.cleaned_data["activity_description"])

    def clean(self):
        data = super().clean()
        errors = {}
        activity, employees = data.get("activity"), data.get("employees")
        kind = ACTIVITIES[activity][2] if activity in ACTIVITIES else None
        if data.get("patronal"):
            if employees == 0:
                errors["patronal"] = _("La RC patronal cubre los accidentes de trabajo de los empleados: indique "
                                       "cuántos empleados hay o desmarque la RC patronal.")
            sublimit, limit = data.get("victim_sublimit"), data.get("limit")
            if not sublimit:
                errors["victim_sublimit"] = _("Elija el sublímite por víctima de la RC patronal.")
            elif limit and Decimal(sublimit) > Decimal(limit):
                errors["victim_sublimit"] = _("El sublímite por víctima (%(sublimit)s) no puede superar el límite "
                                              "por siniestro (%(limit)s).") % {
                    "sublimit": fmt_eur(sublimit), "limit": fmt_eur(limit)}
        else:
            data["victim_sublimit"] = ""
        if data.get("products") and kind == "servicios":
            errors["products"] = _("La RC de productos no aplica a «%(activity)s»: la actividad no fabrica, vende "
                                   "ni sirve productos.") % {"activity": activity_label(activity)}
        if data.get("post_works") and kind in ("servicios", "productos"):
            errors["post_works"] = _("La RC post-trabajos solo aplica a actividades que ejecutan obras, "
                                     "instalaciones o reparaciones.")
        if errors:
            raise ValidationError(errors)
        return data
