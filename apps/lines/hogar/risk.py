"""The hogar risk: the dwelling (address, type, area, age), who lives there and the capitals."""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.lines.common import clean_postal_code, fmt_eur, today

DWELLING_CHOICES = [
    ("piso", _l("Piso o apartamento")),
    ("adosado", _l("Chalet adosado o pareado")),
    ("unifamiliar", _l("Vivienda unifamiliar aislada")),
]
TENURE_CHOICES = [
    ("propietario", _l("Propietario")),
    ("inquilino", _l("Inquilino")),
]
OLDEST_CONSTRUCTION_YEAR = 1800
# Beyond this the building capital is surely a typing error (luxury rebuild costs stay well below).
MAX_BUILDING_PER_M2 = Decimal("8000")


def _capital(label, required=True, help_text=""):
    return forms.DecimalField(label=label, required=required, min_value=0, max_digits=12, decimal_places=2,
                              help_text=help_text,
                              error_messages={"min_value": _l("El capital no puede ser negativo.")})


class HogarRiskForm(forms.Form):
    street = forms.CharField(label=_l("Dirección"), max_length=150,
                             help_text=_l("Calle, número, piso y puerta."))
    postal_code = forms.CharField(label=_l("Código postal"), max_length=5)
    city = forms.CharField(label=_l("Localidad"), max_length=80)
    dwelling_type = forms.ChoiceField(label=_l("Tipo de vivienda"), choices=DWELLING_CHOICES, initial="piso")
    tenure = forms.ChoiceField(label=_l("Régimen"), choices=TENURE_CHOICES, initial="propietario")
    built_area = forms.IntegerField(label=_l("Superficie construida (m²)"), min_value=15, max_value=2000,
                                    error_messages={"min_value": _l("La superficie construida va de 15 a 2.000 m²."),
                                                    "max_value": _l("La superficie construida va de 15 a 2.000 m².")})
    construction_year = forms.IntegerField(label=_l("Año de construcción"),
                                           help_text=_l("Año de construcción del edificio (o de su "
                                                        "rehabilitación integral)."))
    building_capital = _capital(_l("Capital de continente (€)"), required=False,
                                help_text=_l("Coste de reconstruir la vivienda, sin el valor del suelo. "
                                             "Obligatorio para propietarios."))
    contents_capital = _capital(_l("Capital de contenido (€)"),
                                help_text=_l("Muebles, ropa, electrodomésticos y enseres."))
    valuables_capital = _capital(_l("Joyas y objetos de valor (€)"), required=False,
                                 help_text=_l("Opcional: joyas, relojes y objetos de valor especial, dentro del "
                                              "contenido."))

    def clean_postal_code(self):
        return clean_postal_code(self.cleaned_data["postal_code"])

    def clean_street(self):
        return " ".join(self.cleaned_data["street"].split())

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split())

    def clean_construction_year(self):
        year = self.cleaned_data["construction_year"]
        if year > today().year:
            raise ValidationError(_("El año de construcción no puede ser posterior al año en curso (%(year)s).")
                                  % {"year": today().year})
        if year < OLDEST_CONSTRUCTION_YEAR:
            raise ValidationError(_("El año de construcción no puede ser anterior a 1800."))
        return year

    def clean(self):
        data = super().clean()
        errors = {}
        building, area = data.get("building_capital"), data.get("built_area")
        tenure = data.get("tenure")
        if tenure == "propietario" and not building and "building_capital" not in self.errors:
            errors["building_capital"] = _("Un propietario debe asegurar el continente: indique su capital.")
        elif tenure == "inquilino" and building:
            errors["building_capital"] = _("Un inquilino no asegura el continente (lo asegura el propietario del "
                                           "edificio): deje el capital de continente vacío.")
        elif building and area and building / area > MAX_BUILDING_PER_M2:
            errors["building_capital"] = _(
                "El continente declarado (%(capital)s) equivale a %(per_m2)s por m², más de lo que cuesta "
                "reconstruir cualquier vivienda: revise el capital o la superficie."
            ) % {"capital": fmt_eur(building), "per_m2": fmt_eur(building / area)}
        valuables, contents = data.get("valuables_capital"), data.get("contents_capital")
        if valuables and contents is not None and valuables > contents:
            errors["valuables_capital"] = _("Las joyas y objetos de valor forman parte del contenido: su capital "
                                            "no puede superar el del contenido (%(contents)s).") % {
                "contents": fmt_eur(contents)}
        if not building and contents == 0 and "contents_capital" not in errors:
            errors["contents_capital"] = _("Indique algún capital: continente, contenido o ambos.")
        if errors:
            raise ValidationError(errors)
        return data
