"""Registers the hogar line with the insurance core."""
from decimal import Decimal as D

from django.utils.translation import gettext as _

from apps.insurance.choices import ConsorcioBasis, CoverageKind, DgsfpClass
from apps.insurance.lines import LineSpec, TariffTemplate, register_line
from apps.lines.common import fmt_eur, today

from .rating import rate
from .risk import DWELLING_CHOICES, HogarRiskForm

CODE = "hogar"


def _amount(value) -> D:
    return D(str(value)) if value not in (None, "") else D("0")


def sum_insured(data: dict) -> D:
    """Building + contents + valuables: the Consorcio surcharge's basis."""
    return sum((_amount(data.get(name)) for name in ("building_capital", "contents_capital", "valuables_capital")),
               D("0"))


def summary(data: dict) -> str:
    """'Piso 90 m² · Calle Mayor 5, 3º B, Madrid · 150.000,00 €'"""
    dwelling = str(dict(DWELLING_CHOICES).get(data["dwelling_type"], data["dwelling_type"])).split(" ")[0]
    return _("%(dwelling)s %(area)s m² · %(street)s, %(city)s · %(sum)s") % {
        "dwelling": dwelling, "area": data["built_area"], "street": data["street"], "city": data["city"],
        "sum": fmt_eur(sum_insured(data))}


def sample_risk() -> dict:
    return {
        "street": "Calle de Alcalá 215, 4º B", "postal_code": "28028", "city": "Madrid", "dwelling_type": "piso",
        "tenure": "propietario", "built_area": 95, "construction_year": 1978, "building_capital": "130000.00",
        "contents_capital": "35000.00", "valuables_capital": "3000.00",
    }


def _band(factor, band_from, band_to, value):
    return (factor, "", D(str(band_from)), None if band_to is None else D(str(band_to)), D(value))


def _key(factor, key, value):
    return (factor, key, None, None, D(value))


def tariff_template() -> TariffTemplate:
    return TariffTemplate(
        base_premium=D("40.00"), minimum_premium=D("95.00"),
        parameters={"building_per_mille": "0.55", "contents_per_mille": "1.60", "valuables_per_mille": "6.00",
                    "min_building_per_m2": "600", "max_sum_insured": "1500000"},
        factors=[
            _key("dwelling_type", "piso", "1.00"), _key("dwelling_type", "adosado", "1.15"),
            _key("dwelling_type", "unifamiliar", "1.30"),
            _band("construction_year", 1800, 1940, "1.30"), _band("construction_year", 1940, 1970, "1.15"),
            _band("construction_year", 1970, 1990, "1.05"), _band("construction_year", 1990, 2010, "1.00"),
            _band("construction_year", 2010, None, "0.92"),
            # provinces not listed: factor 1 (Valencia, Alicante, Murcia: flood history)
            _key("zone", "46", "1.12"), _key("zone", "03", "1.08"), _key("zone", "30", "1.08"),
            _key("zone", "08", "1.10"), _key("zone", "28", "1.08"), _key("zone", "29", "1.05"),
            _key("zone", "41", "1.05"),
        ],
        coverages=[
            ("incendio", _("Incendio, explosión y caída de rayo"), CoverageKind.INCLUDED, None,
             _("100 % del capital"), D("0")),
            ("agua", _("Daños por agua"), CoverageKind.INCLUDED, None, _("100 % del capital"), D("150")),
            ("fenomenos", _("Fenómenos atmosféricos"), CoverageKind.INCLUDED, None, _("100 % del capital"), D("0")),
            ("robo", _("Robo y expoliación del contenido"), CoverageKind.INCLUDED, None,
             _("100 % del contenido"), D("0")),
            ("cristales", _("Rotura de cristales y sanitarios"), CoverageKind.INCLUDED, None,
             _("Valor de reposición"), D("0")),
            ("electricos", _("Daños eléctricos"), CoverageKind.INCLUDED, D("3000"), "", D("0")),
            ("rc_familiar", _("Responsabilidad civil familiar"), CoverageKind.INCLUDED, D("300000"), "", D("0")),
            ("asistencia", _("Asistencia en el hogar 24 h"), CoverageKind.INCLUDED, None,
             _("Mano de obra 3 h"), D("0")),
            ("joyas", _("Joyas y objetos de valor"), CoverageKind.OPTIONAL, None, _("Capital declarado"), D("0")),
        ],
    )


_STREETS = ["Calle Mayor", "Avenida de la Constitución", "Calle Real", "Paseo de la Castellana", "Calle San Juan",
            "Avenida de Andalucía", "Calle del Carmen", "Ronda de Valencia", "Calle Gran Vía", "Plaza de España"]
_PLACES = [("28028", "Madrid"), ("08013", "Barcelona"), ("46021", "Valencia"), ("41013", "Sevilla"),
           ("29010", "Málaga"), ("50012", "Zaragoza"), ("48007", "Bilbao"), ("03005", "Alicante"),
           ("30008", "Murcia"), ("15005", "A Coruña"), ("33011", "Oviedo"), ("47014", "Valladolid")]


def demo_risk(rng) -> dict:
    """A varied, valid hogar risk for demo data and benchmarks."""
    postal_code, city = rng.choice(_PLACES)
    dwelling = rng.choices(["piso", "adosado", "unifamiliar"], weights=[70, 18, 12])[0]
    area = rng.randint(45, 140) if dwelling == "piso" else rng.randint(100, 320)
    tenure = "inquilino" if dwelling == "piso" and rng.random() < 0.2 else "propietario"
    building = D(area * rng.randint(750, 1900)).quantize(D("1000")) if tenure == "propietario" else None
    contents = D(rng.randint(12, 80) * 1000)
    valuables = D(rng.choice([0, 0, 0, 2000, 5000, 10000]))
    return {
        "street": f"{rng.choice(_STREETS)} {rng.randint(1, 180)}", "postal_code": postal_code, "city": city,
        "dwelling_type": dwelling, "tenure": tenure, "built_area": area,
        "construction_year": rng.randint(1900, today().year - 1),
        "building_capital": f"{building:.2f}" if building else None, "contents_capital": f"{contents:.2f}",
        "valuables_capital": f"{min(valuables, contents):.2f}" if valuables else None,
    }


SPEC = LineSpec(
    code=CODE, name="Hogar", dgsfp_class=DgsfpClass.FIRE, risk_form=HogarRiskForm, rate=rate,
    summary=summary, tariff_template=tariff_template, sample_risk=sample_risk, sum_insured=sum_insured,
    consorcio_basis=ConsorcioBasis.PER_MILLE_CAPITAL, consorcio_rate=D("0.07"), ips_applies=True, clea_applies=True,
    icon="bi-house-door", order=20, demo_risk=demo_risk,
)

register_line(SPEC)
