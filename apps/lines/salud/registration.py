"""Registers the salud line with the insurance core."""
import datetime
from decimal import Decimal as D

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.insurance.choices import ConsorcioBasis, CoverageKind, DgsfpClass
from apps.insurance.lines import LineSpec, TariffTemplate, register_line
from apps.lines.common import add_years, today

from .rating import rate
from .risk import MODALITY_CHOICES, MemberForm, SaludRiskForm, check

CODE = "salud"


def insured(data: dict) -> list[dict]:
    return [{"name": member["name"], "tax_id": member.get("tax_id") or "", "birth_date": member["birth_date"],
             "role": member["relationship"], "gender": member["gender"]} for member in data.get("members") or []]


def summary(data: dict) -> str:
    """'Cuadro médico concertado · 4 asegurados · con copago y dental'"""
    members = data.get("members") or []
    titular = next((member["name"] for member in members if member["relationship"] == "titular"), "")
    extras = [str(text) for flag, text in ((data.get("copago"), _("copago")), (data.get("dental"), _("dental")))
              if flag]
    text = _("%(modality)s · %(titular)s · %(count)s asegurado(s)") % {
        "modality": dict(MODALITY_CHOICES).get(data["modality"], data["modality"]), "titular": titular,
        "count": len(members)}
    return text + (" · " + _("con %(extras)s") % {"extras": _(" y ").join(extras)} if extras else "")


def sample_risk() -> dict:
    return {
        "modality": "cuadro_medico", "copago": True, "dental": True,
        "members": [
            {"name": "Sergio Martín Vega", "tax_id": "12345678Z", "birth_date": "1984-05-10",
             "relationship": "titular", "gender": "hombre"},
            {"name": "Elena Ruiz Campos", "tax_id": "87654321X", "birth_date": "1986-03-01",
             "relationship": "conyuge", "gender": "mujer"},
            {"name": "Daniel Martín Ruiz", "tax_id": "", "birth_date": "2016-09-01", "relationship": "hijo",
             "gender": "hombre"},
        ],
    }


def _band(factor, band_from, band_to, value):
    return (factor, "", D(str(band_from)), None if band_to is None else D(str(band_to)), D(value))


def _key(factor, key, value):
    return (factor, key, None, None, D(value))


def tariff_template() -> TariffTemplate:
    monthly = [(0, 1, "70.00"), (1, 15, "38.00"), (15, 25, "40.00"), (25, 35, "46.00"), (35, 45, "54.00"),
               (45, 55, "68.00"), (55, 60, "88.00"), (60, 65, "110.00"), (65, None, "150.00")]
    return TariffTemplate(
        base_premium=D("12.00"), minimum_premium=D("240.00"),
        parameters={"max_age": "64", "dental_per_member": "72.00"},
        factors=[_band("age_monthly", low, high, value) for low, high, value in monthly] + [
            _key("modality", "cuadro_medico", "1.00"), _key("modality", "reembolso", "1.90"),
            _key("copago", "no", "1.00"), _key("copago", "si", "0.80"),
        ],
        coverages=[
            ("primaria", _("Medicina general, pediatría y enfermería"), CoverageKind.INCLUDED, None,
             _("Sin límite"), D("0")),
            ("especialistas", _("Especialistas y pruebas diagnósticas"), CoverageKind.INCLUDED, None,
             _("Sin límite"), D("0")),
            ("hospitalizacion", _("Hospitalización e intervenciones quirúrgicas"), CoverageKind.INCLUDED, None,
             _("Sin límite en cuadro médico"), D("0")),
            ("urgencias", _("Urgencias 24 h"), CoverageKind.INCLUDED, None, _("Sin límite"), D("0")),
            ("reembolso", _("Reembolso fuera del cuadro médico"), CoverageKind.OPTIONAL, D("150000"),
             _("80 % del gasto, hasta 150.000 € al año"), D("0")),
            ("dental", _("Dental básico"), CoverageKind.OPTIONAL, None, _("Actos incluidos sin coste"), D("0")),
        ],
    )


_FIRST = {"mujer": ["María", "Laura", "Carmen", "Ana", "Lucía", "Marta", "Sara"],
          "hombre": ["José", "Javier", "David", "Daniel", "Pablo", "Sergio", "Jorge"]}
_SURNAMES = ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Díaz"]
_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni(number: int) -> str:
    return f"{number:08d}{_LETTERS[number % 23]}"


def _member(rng, relationship, age, surname):
    now = today()
    gender = rng.choice(["mujer", "hombre"])
    birth = add_years(now, -age) - datetime.timedelta(days=rng.randint(1, 360))
    adult = age >= 18
    return {"name": f"{rng.choice(_FIRST[gender])} {surname}", "tax_id": _dni(rng.randint(1000000, 79999999))
            if adult else "", "birth_date": birth.isoformat(), "relationship": relationship, "gender": gender}


def demo_risk(rng) -> dict:
    """A varied, valid salud risk (single, couple or family) for demo data and benchmarks."""
    surname = f"{rng.choice(_SURNAMES)} {rng.choice(_SURNAMES)}"
    titular_age = rng.randint(25, 62)
    members = [_member(rng, "titular", titular_age, surname)]
    if rng.random() < 0.6:
        members.append(_member(rng, "conyuge", max(18, min(63, titular_age + rng.randint(-5, 5))), surname))
    for _index in range(rng.choice([0, 0, 1, 2, 3]) if titular_age < 55 else 0):
        members.append(_member(rng, "hijo", rng.randint(0, max(0, min(titular_age - 20, 25))), surname))
    return {"modality": rng.choices(["cuadro_medico", "reembolso"], weights=[85, 15])[0],
            "copago": rng.random() < 0.55, "dental": rng.random() < 0.4, "members": members}


SPEC = LineSpec(
    code=CODE, name="Salud", dgsfp_class=DgsfpClass.SICKNESS, risk_form=SaludRiskForm, rate=rate,
    summary=summary, tariff_template=tariff_template, sample_risk=sample_risk,
    row_forms={"members": MemberForm}, row_labels={"members": _l("Asegurados")}, check=check, insured=insured,
    ips_applies=True, clea_applies=True, consorcio_basis=ConsorcioBasis.NONE, consorcio_rate=D("0"),
    icon="bi-hospital", order=40, demo_risk=demo_risk,
)

register_line(SPEC)
