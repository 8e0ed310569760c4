"""Registers the decesos line with the insurance core."""
import datetime
from decimal import Decimal as D

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.insurance.choices import ConsorcioBasis, CoverageKind, DgsfpClass
from apps.insurance.lines import LineSpec, TariffTemplate, register_line
from apps.lines.common import add_years, demo_dni, today

from .rating import rate
from .risk import DecesosRiskForm, MemberForm, check

CODE = "decesos"


def insured(data: dict) -> list[dict]:
    return [{"name": member["name"], "tax_id": member.get("tax_id") or "", "birth_date": member["birth_date"],
             "role": member["relationship"]} for member in data.get("members") or []]


def summary(data: dict) -> str:
    """'Servicio completo · prima natural · Ana López García · 4 asegurado(s) · CP 28043'"""
    members = data.get("members") or []
    titular = next((member["name"] for member in members if member["relationship"] == "titular"), "")
    level = _("Servicio completo") if data["service_level"] == "completo" else _("Servicio básico")
    premium = _("prima nivelada") if data["premium_type"] == "nivelada" else _("prima natural")
    return _("%(level)s · %(premium)s · %(titular)s · %(count)s asegurado(s) · CP %(postal_code)s") % {
        "level": level, "premium": premium, "titular": titular, "count": len(members),
        "postal_code": data["postal_code"]}


def sample_risk() -> dict:
    return {
        "postal_code": "28043", "service_level": "completo", "premium_type": "natural",
        "members": [
            {"name": "Antonio López García", "tax_id": "12345678Z", "birth_date": "1968-04-12",
             "relationship": "titular", "entry_date": None},
            {"name": "Rosa Fernández Gil", "tax_id": "87654321X", "birth_date": "1970-10-03",
             "relationship": "conyuge", "entry_date": None},
            {"name": "Lucía López Fernández", "tax_id": "", "birth_date": "2004-07-21", "relationship": "hijo",
             "entry_date": None},
        ],
    }


def _band(factor, band_from, band_to, value):
    return (factor, "", D(str(band_from)), None if band_to is None else D(str(band_to)), D(value))


def _key(factor, key, value):
    return (factor, key, None, None, D(value))


# Annual premium per member by age band (natural premium, basic service).
AGE_RATES = [(0, 15, "18.00"), (15, 25, "22.00"), (25, 35, "28.00"), (35, 45, "40.00"), (45, 55, "62.00"),
             (55, 65, "105.00"), (65, 70, "170.00"), (70, 75, "240.00"), (75, 80, "340.00"), (80, 85, "480.00"),
             (85, None, "650.00")]
# Provinces where funeral services cost more than the national average.
PROVINCE_FACTORS = [("08", "1.20"), ("28", "1.15"), ("20", "1.12"), ("48", "1.12"), ("01", "1.08"),
                    ("07", "1.10"), ("35", "1.10"), ("38", "1.10")]


def tariff_template() -> TariffTemplate:
    return TariffTemplate(
        base_premium=D("6.00"), minimum_premium=D("30.00"),
        parameters={"max_entry_age": "75"},
        factors=[_band("age_annual", low, high, value) for low, high, value in AGE_RATES] + [
            _key("premium_type", "natural", "1.00"), _key("premium_type", "nivelada", "1.85"),
            _key("service_level", "basico", "1.00"), _key("service_level", "completo", "1.25"),
        ] + [_key("province", code, value) for code, value in PROVINCE_FACTORS],
        coverages=[
            ("servicio", _("Servicio fúnebre completo (féretro, tanatorio, inhumación o incineración)"),
             CoverageKind.INCLUDED, D("4000"), _("Prestación del servicio hasta 4.000 €"), D("0")),
            ("traslado", _("Traslado nacional e internacional del fallecido"), CoverageKind.OPTIONAL, None,
             _("Sin límite (servicio completo)"), D("0")),
            ("acompanante", _("Billete y alojamiento de un acompañante"), CoverageKind.INCLUDED, D("600"),
             _("Hasta 600 €"), D("0")),
            ("gestoria", _("Gestión de trámites (certificados, pensiones, bajas)"), CoverageKind.INCLUDED, None,
             _("Incluida"), D("0")),
            ("psicologica", _("Asistencia psicológica a familiares"), CoverageKind.INCLUDED, None,
             _("Hasta 10 sesiones"), D("0")),
        ],
    )


_FIRST = ["María", "Carmen", "Josefa", "Isabel", "Ana", "Antonio", "José", "Manuel", "Francisco", "Juan", "Lucía",
          "Pablo", "Marta", "David"]
_SURNAMES = ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
             "Martín"]


def _member(rng, relationship, age, surname):
    birth = add_years(today(), -age) - datetime.timedelta(days=rng.randint(1, 360))
    return {"name": f"{rng.choice(_FIRST)} {surname}",
            "tax_id": demo_dni(rng.randint(1000000, 79999999)) if age >= 18 and rng.random() < 0.8 else "",
            "birth_date": birth.isoformat(), "relationship": relationship, "entry_date": None}


def demo_risk(rng) -> dict:
    """A varied, valid decesos risk (single, couple, family, with parents) for demo data and benchmarks."""
    surname = f"{rng.choice(_SURNAMES)} {rng.choice(_SURNAMES)}"
    titular_age = rng.randint(25, 72)
    members = [_member(rng, "titular", titular_age, surname)]
    if rng.random() < 0.65:
        members.append(_member(rng, "conyuge", max(18, min(74, titular_age + rng.randint(-5, 5))), surname))
    if titular_age < 55:
        for _index in range(rng.choice([0, 1, 2, 3])):
            members.append(_member(rng, "hijo", rng.randint(0, max(0, min(titular_age - 20, 30))), surname))
        if titular_age < 48 and rng.random() < 0.2:
            members.append(_member(rng, "padre", min(75, titular_age + rng.randint(22, 30)), surname))
    return {"postal_code": rng.choice(["28043", "08025", "41010", "46020", "29004", "50008", "48011", "15004"]),
            "service_level": rng.choices(["completo", "basico"], weights=[70, 30])[0],
            "premium_type": rng.choices(["natural", "nivelada"], weights=[65, 35])[0], "members": members}


SPEC = LineSpec(
    code=CODE, name="Decesos", dgsfp_class=DgsfpClass.FUNERAL, risk_form=DecesosRiskForm, rate=rate,
    summary=summary, tariff_template=tariff_template, sample_risk=sample_risk,
    row_forms={"members": MemberForm}, row_labels={"members": _l("Asegurados")}, check=check, insured=insured,
    ips_applies=True, clea_applies=True, consorcio_basis=ConsorcioBasis.NONE, consorcio_rate=D("0"),
    icon="bi-flower1", order=50, demo_risk=demo_risk,
)

register_line(SPEC)
