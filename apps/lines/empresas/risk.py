"""The empresas (multirriesgo) risk: the company's CNAE activity and size, its premises (address,
area, ownership, capitals, fire protection), and the optional RC de explotación and pérdida de
beneficios (business interruption)."""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.lines.common import amount, clean_postal_code, collapse_spaces, fmt_eur

from .cnae import clean_cnae

RC_LIMIT_CHOICES = [("", _l("Sin RC de explotación")), ("150000", "150.000 €"), ("300000", "300.000 €"),
                    ("600000", "600.000 €"), ("1000000", "1.000.000 €")]
OWNERSHIP_CHOICES = [
    ("propiedad", _l("En propiedad")),
    ("alquiler", _l("En alquiler")),
]
DAYS_IN_YEAR = Decimal("365")
# Beyond this the building capital of a commercial or industrial premises is surely a typing error.
MAX_BUILDING_PER_M2 = Decimal("5000")


def _capital(label, required=False, help_text=""):
    return forms.DecimalField(label=label, required=required, min_value=0, max_digits=12, decimal_places=2,
                              help_text=help_text,
                              error_messages={"min_value": _l("El capital no puede ser negativo.")})


class EmpresasRiskForm(forms.Form):
    cnae = forms.CharField(label=_l("Actividad (CNAE 2009)"), max_length=8,
                           help_text=_l("Código de 4 cifras de la actividad principal, p. ej. 4711."))
    activity_description = forms.CharField(label=_l("Descripción de la actividad"), max_length=200, required=False)
    annual_turnover = forms.DecimalField(label=_l("Facturación anual (€)"), min_value=0, max_digits=14,
                                         decimal_places=2,
                                         error_messages={"min_value": _l("La facturación no puede ser negativa.")})
    employees = forms.IntegerField(label=_l("Número de empleados"), min_value=0, max_value=100000,
                                   error_messages={"min_value": _l("El número de empleados no puede ser negativo."),
                                                   "max_value": _l("El número de empleados no puede superar "
                                                                   "100.000.")})
    rc_limit = forms.ChoiceField(label=_l("RC de explotación: límite por siniestro"), choices=RC_LIMIT_CHOICES,
                                 required=False)
    interruption = forms.BooleanField(label=_l("Pérdida de beneficios"), required=False,
                                      help_text=_l("Indemnización diaria mientras la actividad esté parada por un "
                                                   "siniestro cubierto."))
    interruption_daily = forms.DecimalField(label=_l("Indemnización diaria por pérdida de beneficios (€/día)"),
                                            required=False, min_value=0, max_digits=9, decimal_places=2,
                                            error_messages={"min_value": _l("La indemnización no puede ser "
                                                                            "negativa.")})

    def clean_cnae(self):
        return clean_cnae(self.cleaned_data["cnae"])

    def clean_activity_description(self):
        return collapse_spaces(self.cleaned_data["activity_description"])

    def clean(self):
        data = super().clean()
        if not data.get("interruption"):
            data["interruption_daily"] = None
            return data
        daily, turnover = data.get("interruption_daily"), data.get("annual_turnover")
        if not daily:
            if "interruption_daily" not in self.errors:
                raise ValidationError({"interruption_daily": _("Indique la indemnización diaria de la pérdida de "
                                                               "beneficios.")})
        elif turnover is not None and daily * DAYS_IN_YEAR > turnover:
            raise ValidationError({"interruption_daily": _(
                "La indemnización diaria (%(daily)s) supera lo que factura la empresa en un día (%(per_day)s): "
                "la pérdida de beneficios no puede indemnizar más de lo que se deja de ganar.") % {
                "daily": fmt_eur(daily), "per_day": fmt_eur(turnover / DAYS_IN_YEAR)}})
        return data


class PremisesForm(forms.Form):
    address = forms.CharField(label=_l("Dirección del local o nave"), max_length=150)
    postal_code = forms.CharField(label=_l("Código postal"), max_length=5)
    city = forms.CharField(label=_l("Localidad"), max_length=80)
    built_area = forms.IntegerField(label=_l("Superficie construida (m²)"), min_value=10, max_value=200000,
                                    error_messages={"min_value": _l("La superficie va de 10 a 200.000 m²."),
                                                    "max_value": _l("La superficie va de 10 a 200.000 m².")})
    ownership = forms.ChoiceField(label=_l("Régimen"), choices=OWNERSHIP_CHOICES, initial="propiedad")
    building_capital = _capital(_l("Continente (€)"),
                                help_text=_l("Coste de reconstrucción. En alquiler: solo las obras de reforma y "
                                             "mejora hechas por la empresa."))
    contents_capital = _capital(_l("Contenido: mobiliario, maquinaria e instalaciones (€)"))
    stock_capital = _capital(_l("Existencias y mercancías (€)"))
    extinguishers = forms.BooleanField(label=_l("Extintores"), required=False)
    sprinklers = forms.BooleanField(label=_l("Rociadores automáticos"), required=False)
    alarm = forms.BooleanField(label=_l("Alarma conectada a central"), required=False)

    def clean_address(self):
        return collapse_spaces(self.cleaned_data["address"])

    def clean_city(self):
        return collapse_spaces(self.cleaned_data["city"])

    def clean_postal_code(self):
        return clean_postal_code(self.cleaned_data["postal_code"])

    def clean(self):
        data = super().clean()
        capitals = ("building_capital", "contents_capital", "stock_capital")
        if any(name in self.errors for name in capitals):
            return data
        building, area = data.get("building_capital"), data.get("built_area")
        if data.get("ownership") == "propiedad" and not building:
            raise ValidationError({"building_capital": _("Un local en propiedad debe asegurar el continente: "
                                                         "indique su capital.")})
        if building and area and building / area > MAX_BUILDING_PER_M2:
            raise ValidationError({"building_capital": _(
                "El continente declarado (%(capital)s) equivale a %(per_m2)s por m²: revise el capital o la "
                "superficie.") % {"capital": fmt_eur(building), "per_m2": fmt_eur(building / area)}})
        if not any(data.get(name) for name in capitals):
            raise ValidationError({"contents_capital": _("Indique algún capital para este local: continente, "
                                                         "contenido o existencias.")})
        return data


def premises_capital(premises: dict) -> Decimal:
    return sum((amount(premises.get(name)) for name in ("building_capital", "contents_capital", "stock_capital")),
               Decimal("0"))


def check(data: dict) -> None:
    """At least one premises, none listed twice."""
    premises = data.get("premises") or []
    if not premises:
        raise ValidationError({"premises": _("Añada al menos un local o nave.")})
    seen = set()
    for row in premises:
        key = (row["address"].lower(), row["postal_code"])
        if key in seen:
            raise ValidationError({"premises": _("El local «%(address)s» (%(postal_code)s) está repetido.")
                                   % {"address": row["address"], "postal_code": row["postal_code"]}})
        seen.add(key)
