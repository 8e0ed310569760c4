"""Registers the accidentes line with the insurance core."""
import datetime
from decimal import Decimal as D

from django.utils.translation import gettext as _

from apps.insurance.choices import ConsorcioBasis, CoverageKind, DgsfpClass
from apps.insurance.lines import LineSpec, TariffTemplate, register_line
from apps.lines.common import add_years, age_at, amount, as_date, demo_dni, fmt_eur, today

from .rating import rate
from .risk import AccidentesRiskForm

CODE = "accidentes"


def sum_insured(data: dict) -> D:
    """The larger of the death and permanent disability capitals (the Consorcio's basis)."""
    return max(amount(data.get("death_capital")), amount(data.get("disability_capital")))


def insured(data: dict) -> list[dict]:
    return [{"name": data["insured_name"], "tax_id": data["insured_tax_id"], "birth_date": data["birth_date"],
             "role": "asegurado"}]


def summary(data: dict) -> str:
    """'Marta Ruiz Soler, 45 años · clase 2 · 24 h · fallecimiento 100.000,00 € · IP 150.000,00 €'"""
    parts = [_("%(name)s, %(age)s años") % {"name": data["insured_name"],
                                            "age": age_at(as_date(data["birth_date"]), today())},
             _("clase %(cls)s") % {"cls": data["risk_class"]},
             _("24 h") if data["cover_scope"] == "24h" else _("solo profesional")]
    if amount(data.get("death_capital")):
        parts.append(_("fallecimiento %(capital)s") % {"capital": fmt_eur(amount(data["death_capital"]))})
    if amount(data.get("disability_capital")):
        parts.append(_("IP %(capital)s") % {"capital": fmt_eur(amount(data["disability_capital"]))})
    if amount(data.get("daily_allowance")):
        parts.append(_("%(amount)s/día hospitalización") % {"amount": fmt_eur(amount(data["daily_allowance"]))})
    return " · ".join(str(part) for part in parts)


def sample_risk() -> dict:
    return {
        "insured_name": "Marta Ruiz Soler", "insured_tax_id": "12345678Z", "birth_date": "1981-09-14",
        "risk_class": "2", "profession": "Comercial con vehículo", "cover_scope": "24h",
        "death_capital": "60000.00", "disability_capital": "120000.00", "daily_allowance": "30.00",
    }


def _key(factor, key, value):
    return (factor, key, None, None, D(value))


def tariff_template() -> TariffTemplate:
    return TariffTemplate(
        base_premium=D("10.00"), minimum_premium=D("40.00"),
        parameters={"death_per_mille": "0.90", "disability_per_mille": "1.10", "allowance_rate": "1.50",
                    "max_age": "70", "max_risk_class": "3", "max_capital": "600000",
                    "max_daily_allowance": "150"},
        factors=[
            _key("risk_class", "1", "1.00"), _key("risk_class", "2", "1.35"), _key("risk_class", "3", "1.90"),
            _key("risk_class", "4", "2.80"),
            _key("cover_scope", "24h", "1.00"), _key("cover_scope", "profesional", "0.65"),
        ],
        coverages=[
            ("fallecimiento", _("Fallecimiento por accidente"), CoverageKind.INCLUDED, None,
             _("Capital elegido"), D("0")),
            ("incapacidad", _("Incapacidad permanente por accidente (según baremo)"), CoverageKind.INCLUDED, None,
             _("Hasta el capital elegido"), D("0")),
            ("circulacion", _("Fallecimiento en accidente de circulación (capital doble)"), CoverageKind.INCLUDED,
             None, _("2 × capital de fallecimiento"), D("0")),
            ("hospitalizacion", _("Indemnización diaria por hospitalización"), CoverageKind.OPTIONAL, None,
             _("Importe diario elegido, hasta 365 días"), D("0")),
            ("asistencia", _("Asistencia sanitaria por accidente"), CoverageKind.INCLUDED, D("6000"),
             _("Hasta 6.000 € en centros concertados"), D("0")),
        ],
    )


_NAMES = ["Marta Ruiz", "Javier Gómez", "Lucía Romero", "Carlos Navarro", "Elena Castro", "Pedro Molina",
          "Sara Ortega", "Miguel Torres", "Nuria Vidal", "Alberto Ramos"]
_PROFESSIONS = {"1": ["Administrativo", "Abogada", "Programador", "Profesora"],
                "2": ["Comercial con vehículo", "Dependienta", "Camarero", "Enfermera"],
                "3": ["Albañil", "Electricista", "Transportista", "Agricultor"]}


def demo_risk(rng) -> dict:
    """A varied, valid accidentes risk for demo data and benchmarks."""
    age = rng.randint(18, 66)
    birth = add_years(today(), -age) - datetime.timedelta(days=rng.randint(1, 360))
    risk_class = rng.choices(["1", "2", "3"], weights=[55, 30, 15])[0]
    death = D(rng.choice([30, 50, 60, 100, 150])) * 1000
    disability = death * rng.choice([1, 2])
    return {
        "insured_name": f"{rng.choice(_NAMES)} {rng.choice(['Sanz', 'Gil', 'Vega', 'Prieto'])}",
        "insured_tax_id": demo_dni(rng.randint(1000000, 79999999)), "birth_date": birth.isoformat(),
        "risk_class": risk_class, "profession": rng.choice(_PROFESSIONS[risk_class]),
        "cover_scope": rng.choices(["24h", "profesional"], weights=[80, 20])[0],
        "death_capital": f"{death:.2f}", "disability_capital": f"{disability:.2f}",
        "daily_allowance": rng.choice([None, "20.00", "30.00", "60.00"]),
    }


SPEC = LineSpec(
    code=CODE, name="Accidentes", dgsfp_class=DgsfpClass.ACCIDENTS, risk_form=AccidentesRiskForm, rate=rate,
    summary=summary, tariff_template=tariff_template, sample_risk=sample_risk, sum_insured=sum_insured,
    insured=insured, ips_applies=True, clea_applies=True, consorcio_basis=ConsorcioBasis.PER_MILLE_CAPITAL,
    consorcio_rate=D("0.003"), icon="bi-bandaid", order=60, demo_risk=demo_risk,
)

register_line(SPEC)
