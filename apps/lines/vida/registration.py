"""Registers the vida riesgo line with the insurance core."""
import datetime
from decimal import Decimal as D

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.insurance.choices import ConsorcioBasis, CoverageKind, DgsfpClass
from apps.insurance.lines import LineSpec, TariffTemplate, register_line
from apps.lines.common import age_at, as_date, fmt_eur, today

from .rating import rate
from .risk import DESIGNATION_CHOICES, BeneficiaryForm, VidaRiskForm, check

CODE = "vida"


def _amount(value) -> D:
    return D(str(value)) if value not in (None, "") else D("0")


def sum_insured(data: dict) -> D:
    """Death + IPA capitals: the Consorcio surcharge on persons applies to each guarantee's capital."""
    return _amount(data.get("death_capital")) + _amount(data.get("ipa_capital"))


def insured(data: dict) -> list[dict]:
    return [{"name": data["insured_name"], "tax_id": data["insured_tax_id"], "birth_date": data["birth_date"],
             "role": "asegurado", "smoker": bool(data.get("smoker"))}]


def beneficiaries(data: dict) -> list[dict]:
    if data.get("beneficiary_designation") == "nominativa":
        return [{"name": row["name"], "tax_id": row.get("tax_id") or "", "relationship": row["relationship"],
                 "share": row["share"]} for row in data.get("beneficiaries") or []]
    label = str(dict(DESIGNATION_CHOICES).get(data.get("beneficiary_designation"), ""))
    return [{"name": label, "tax_id": "", "relationship": data.get("beneficiary_designation", ""), "share": "100"}]


def summary(data: dict) -> str:
    """'Marta López Ruiz, 45 años · fallecimiento 150.000,00 € + IPA 150.000,00 €'"""
    text = _("%(name)s, %(age)s años · fallecimiento %(capital)s") % {
        "name": data["insured_name"], "age": age_at(as_date(data["birth_date"]), today()),
        "capital": fmt_eur(data["death_capital"])}
    if data.get("ipa_capital"):
        text += _(" + IPA %(capital)s") % {"capital": fmt_eur(data["ipa_capital"])}
    return text


def sample_risk() -> dict:
    return {
        "insured_name": "Marta López Ruiz", "insured_tax_id": "12345678Z", "birth_date": "1981-09-23",
        "smoker": False, "profession_class": "1", "death_capital": "150000.00", "ipa_capital": "150000.00",
        "beneficiary_designation": "nominativa",
        "beneficiaries": [
            {"name": "Javier Sanz Gil", "tax_id": "87654321X", "relationship": "conyuge", "share": "50.00"},
            {"name": "Lucía Sanz López", "tax_id": "", "relationship": "hijo", "share": "25.00"},
            {"name": "Pablo Sanz López", "tax_id": "", "relationship": "hijo", "share": "25.00"},
        ],
    }


def _band(factor, band_from, band_to, value):
    return (factor, "", D(str(band_from)), None if band_to is None else D(str(band_to)), D(value))


def _key(factor, key, value):
    return (factor, key, None, None, D(value))


def tariff_template() -> TariffTemplate:
    rates = [(18, 30, "0.45"), (30, 35, "0.55"), (35, 40, "0.75"), (40, 45, "1.10"), (45, 50, "1.70"),
             (50, 55, "2.70"), (55, 60, "4.20"), (60, 65, "6.50"), (65, 71, "10.00")]
    return TariffTemplate(
        base_premium=D("15.00"), minimum_premium=D("50.00"),
        parameters={"min_age": "18", "max_age": "70", "max_capital": "1000000", "ipa_per_mille": "0.35"},
        factors=[_band("age_rate", low, high, value) for low, high, value in rates] + [
            _key("smoker", "no", "1.00"), _key("smoker", "si", "1.60"),
            _key("profession_class", "1", "1.00"), _key("profession_class", "2", "1.15"),
            _key("profession_class", "3", "1.40"),
        ],
        coverages=[
            ("fallecimiento", _("Fallecimiento por cualquier causa"), CoverageKind.INCLUDED, None,
             _("Capital contratado"), D("0")),
            ("ipa", _("Incapacidad permanente absoluta"), CoverageKind.OPTIONAL, None, _("Capital contratado"), D("0")),
            ("enfermedad_grave", _("Anticipo por enfermedad grave"), CoverageKind.OPTIONAL, None,
             _("25 % del capital, hasta 30.000 €"), D("0")),
            ("testamento", _("Testamento online y gestión de últimas voluntades"), CoverageKind.INCLUDED, None,
             _("Incluido"), D("0")),
        ],
    )


_NAMES = ["María García", "José Martínez", "Carmen López", "Antonio Sánchez", "Laura Fernández", "David Gómez",
          "Ana Ruiz", "Javier Díaz", "Elena Moreno", "Manuel Álvarez", "Lucía Romero", "Pablo Navarro"]
_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni(number: int) -> str:
    return f"{number:08d}{_LETTERS[number % 23]}"


def demo_risk(rng) -> dict:
    """A varied, valid vida riesgo risk for demo data and benchmarks."""
    now = today()
    age = rng.randint(22, 64)
    birth = now - datetime.timedelta(days=age * 365 + rng.randint(0, 360))
    death = D(rng.choice([30, 60, 90, 120, 150, 200, 300])) * 1000
    designation = rng.choices(["prelacion", "herederos", "nominativa"], weights=[60, 15, 25])[0]
    rows = []
    if designation == "nominativa":
        rows = [{"name": rng.choice(_NAMES) + " " + rng.choice(["Pérez", "Torres", "Ramos"]), "tax_id": "",
                 "relationship": "conyuge", "share": "100.00"}]
    return {
        "insured_name": rng.choice(_NAMES) + " " + rng.choice(["Ortega", "Castro", "Molina", "Ortiz"]),
        "insured_tax_id": _dni(rng.randint(1000000, 79999999)), "birth_date": birth.isoformat(),
        "smoker": rng.random() < 0.22, "profession_class": rng.choices(["1", "2", "3"], weights=[70, 20, 10])[0],
        "death_capital": f"{death:.2f}", "ipa_capital": f"{death:.2f}" if rng.random() < 0.6 else None,
        "beneficiary_designation": designation, "beneficiaries": rows,
    }


SPEC = LineSpec(
    code=CODE, name="Vida riesgo", dgsfp_class=DgsfpClass.LIFE, risk_form=VidaRiskForm, rate=rate,
    summary=summary, tariff_template=tariff_template, sample_risk=sample_risk,
    row_forms={"beneficiaries": BeneficiaryForm}, row_labels={"beneficiaries": _l("Beneficiarios")}, check=check,
    sum_insured=sum_insured, insured=insured, beneficiaries=beneficiaries,
    is_life=True, ips_applies=False, clea_applies=False,
    consorcio_basis=ConsorcioBasis.PER_MILLE_CAPITAL, consorcio_rate=D("0.003"),
    icon="bi-heart-pulse", order=30, demo_risk=demo_risk,
)

register_line(SPEC)
