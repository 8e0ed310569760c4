"""CNAE 2009 (Real Decreto 475/2007): the divisions that exist, and the common activities a
multirriesgo quotes, each with its rating group. A valid code outside the list takes the group
of its section."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

# Rating groups of the multirriesgo tariff, by fire and damage exposure.
GROUP_CHOICES = [
    ("oficinas", _l("Oficinas y despachos profesionales")),
    ("comercio", _l("Comercio y servicios abiertos al público")),
    ("hosteleria", _l("Hostelería y alojamiento")),
    ("almacen", _l("Almacenes, distribución y logística")),
    ("taller", _l("Talleres y pequeña elaboración")),
    ("industria", _l("Industria")),
    ("riesgo_alto", _l("Industria de alto riesgo de incendio (madera, plásticos, química, papel)")),
]

# Section letter of every CNAE 2009 division (two first digits).
_SECTION_RANGES = [("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
                   ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
                   ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
                   ("S", 94, 96), ("T", 97, 98), ("U", 99, 99)]
DIVISION_SECTION = {f"{division:02d}": letter for letter, low, high in _SECTION_RANGES
                    for division in range(low, high + 1)}
# Group of a code not in ACTIVITIES, by section (G and S are split by division below).
SECTION_GROUP = {"A": "riesgo_alto", "B": "riesgo_alto", "C": "industria", "D": "riesgo_alto", "E": "riesgo_alto",
                 "F": "almacen", "H": "almacen", "I": "hosteleria", "J": "oficinas", "K": "oficinas",
                 "L": "oficinas", "M": "oficinas", "N": "oficinas", "O": "oficinas", "P": "oficinas",
                 "Q": "oficinas", "R": "hosteleria", "U": "oficinas"}
DIVISION_GROUP = {"45": "taller", "46": "almacen", "47": "comercio", "94": "oficinas", "95": "taller",
                  "96": "comercio"}

ACTIVITIES = {
    # oficinas
    "6201": (_l("Actividades de programación informática"), "oficinas"),
    "6202": (_l("Actividades de consultoría informática"), "oficinas"),
    "6622": (_l("Actividades de agentes y corredores de seguros"), "oficinas"),
    "6831": (_l("Agentes de la propiedad inmobiliaria"), "oficinas"),
    "6910": (_l("Actividades jurídicas"), "oficinas"),
    "6920": (_l("Actividades de contabilidad, teneduría de libros, auditoría y asesoría fiscal"), "oficinas"),
    "7022": (_l("Otras actividades de consultoría de gestión empresarial"), "oficinas"),
    "7111": (_l("Servicios técnicos de arquitectura"), "oficinas"),
    "7112": (_l("Servicios técnicos de ingeniería y otras actividades de asesoramiento técnico"), "oficinas"),
    "7311": (_l("Agencias de publicidad"), "oficinas"),
    "7911": (_l("Actividades de las agencias de viajes"), "oficinas"),
    "8559": (_l("Otra educación n.c.o.p. (academias)"), "oficinas"),
    "8622": (_l("Actividades de medicina especializada"), "oficinas"),
    "8623": (_l("Actividades odontológicas"), "oficinas"),
    # comercio
    "4711": (_l("Comercio al por menor en establecimientos no especializados, con predominio en productos "
                "alimenticios"), "comercio"),
    "4719": (_l("Otro comercio al por menor en establecimientos no especializados"), "comercio"),
    "4721": (_l("Comercio al por menor de frutas y hortalizas"), "comercio"),
    "4724": (_l("Comercio al por menor de pan y productos de panadería, confitería y pastelería"), "comercio"),
    "4741": (_l("Comercio al por menor de ordenadores, equipos periféricos y programas informáticos"), "comercio"),
    "4752": (_l("Comercio al por menor de ferretería, pintura y vidrio"), "comercio"),
    "4759": (_l("Comercio al por menor de muebles, aparatos de iluminación y artículos de uso doméstico"),
             "comercio"),
    "4771": (_l("Comercio al por menor de prendas de vestir"), "comercio"),
    "4773": (_l("Comercio al por menor de productos farmacéuticos (farmacias)"), "comercio"),
    "4776": (_l("Comercio al por menor de flores, plantas y animales de compañía"), "comercio"),
    "9602": (_l("Peluquería y otros tratamientos de belleza"), "comercio"),
    # hostelería
    "5510": (_l("Hoteles y alojamientos similares"), "hosteleria"),
    "5610": (_l("Restaurantes y puestos de comidas"), "hosteleria"),
    "5621": (_l("Provisión de comidas preparadas para eventos"), "hosteleria"),
    "5630": (_l("Establecimientos de bebidas"), "hosteleria"),
    # almacenes y logística
    "4631": (_l("Comercio al por mayor de frutas y hortalizas"), "almacen"),
    "4690": (_l("Comercio al por mayor no especializado"), "almacen"),
    "4941": (_l("Transporte de mercancías por carretera"), "almacen"),
    "5210": (_l("Depósito y almacenamiento"), "almacen"),
    # talleres
    "1071": (_l("Fabricación de pan y de productos frescos de panadería y pastelería"), "taller"),
    "3312": (_l("Reparación de maquinaria"), "taller"),
    "4520": (_l("Mantenimiento y reparación de vehículos de motor"), "taller"),
    "9601": (_l("Lavado y limpieza de prendas textiles y de piel"), "taller"),
    # industria
    "1013": (_l("Elaboración de productos cárnicos y de volatería"), "industria"),
    "1413": (_l("Confección de otras prendas de vestir exteriores"), "industria"),
    "1812": (_l("Otras actividades de impresión y artes gráficas"), "industria"),
    "2511": (_l("Fabricación de estructuras metálicas y sus componentes"), "industria"),
    "2562": (_l("Ingeniería mecánica por cuenta de terceros"), "industria"),
    # riesgo alto
    "1610": (_l("Aserrado y cepillado de la madera"), "riesgo_alto"),
    "1712": (_l("Fabricación de papel y cartón"), "riesgo_alto"),
    "2030": (_l("Fabricación de pinturas, barnices y revestimientos similares"), "riesgo_alto"),
    "2222": (_l("Fabricación de envases y embalajes de plástico"), "riesgo_alto"),
    "3109": (_l("Fabricación de otros muebles"), "riesgo_alto"),
}
_CNAE = re.compile(r"^\d{4}$")


def clean_cnae(value: str) -> str:
    """A CNAE 2009 class code as 4 digits ('47.11' → '4711'), its division checked."""
    code = re.sub(r"[\s.]", "", str(value or ""))
    if not _CNAE.match(code):
        raise ValidationError(_("«%(value)s» no es un código CNAE 2009: son 4 cifras, p. ej. 4711 o 47.11.")
                              % {"value": value})
    section = DIVISION_SECTION.get(code[:2])
    if section is None:
        raise ValidationError(_("«%(value)s» no es un código CNAE 2009: la división %(division)s no existe.")
                              % {"value": value, "division": code[:2]})
    if section == "T":
        raise ValidationError(_("El CNAE %(code)s corresponde a hogares que emplean personal doméstico, no a una "
                                "actividad empresarial: asegure la vivienda en el ramo de hogar.") % {"code": code})
    return code


def cnae_group(code: str) -> str:
    if code in ACTIVITIES:
        return ACTIVITIES[code][1]
    return DIVISION_GROUP.get(code[:2]) or SECTION_GROUP[DIVISION_SECTION[code[:2]]]


def cnae_label(code: str) -> str:
    """'4711 · Comercio al por menor…' for listed codes; 'CNAE 4711 (sección G)' otherwise."""
    if code in ACTIVITIES:
        return f"{code} · {ACTIVITIES[code][0]}"
    return _("CNAE %(code)s (sección %(section)s)") % {"code": code, "section": DIVISION_SECTION.get(code[:2], "?")}


def group_label(group: str) -> str:
    return str(dict(GROUP_CHOICES).get(group, group))
