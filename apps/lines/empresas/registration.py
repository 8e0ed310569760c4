"""Registers the empresas (multirriesgo) line with the insurance core."""
from decimal import Decimal as D

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.insurance.choices import ConsorcioBasis, CoverageKind, DgsfpClass
from apps.insurance.lines import LineSpec, TariffTemplate, register_line
from apps.lines.common import fmt_eur

from .cnae import ACTIVITIES, cnae_label
from .rating import rate
from .risk import EmpresasRiskForm, PremisesForm, check, premises_capital

CODE = "empresas"


def sum_insured(data: dict) -> D:
    """Building + contents + stock of every premises: the Consorcio surcharge's basis."""
    return sum((premises_capital(premises) for premises in data.get("premises") or []), D("0"))


def summary(data: dict) -> str:
    """'4711 · Comercio al por menor… · 2 locales · 690.000,00 € · RC 300.000,00 € · pérdida de beneficios'"""
    label = cnae_label(data["cnae"])
    if len(label) > 60:
        label = label[:59].rstrip() + "…"
    parts = [label, _("%(count)s local(es)") % {"count": len(data.get("premises") or [])},
             fmt_eur(sum_insured(data))]
    if data.get("rc_limit"):
        parts.append(_("RC %(limit)s") % {"limit": fmt_eur(data["rc_limit"])})
    if data.get("interruption"):
        parts.append(_("pérdida de beneficios %(daily)s/día") % {"daily": fmt_eur(data["interruption_daily"])})
    return " · ".join(str(part) for part in parts)


def sample_risk() -> dict:
    return {
        "cnae": "4711", "activity_description": "Supermercado de barrio", "annual_turnover": "850000.00",
        "employees": 6, "rc_limit": "300000", "interruption": True, "interruption_daily": "600.00",
        "premises": [
            {"address": "Calle de Bravo Murillo 120", "postal_code": "28020", "city": "Madrid", "built_area": 320,
             "ownership": "propiedad", "building_capital": "250000.00", "contents_capital": "80000.00",
             "stock_capital": "120000.00", "extinguishers": True, "sprinklers": False, "alarm": True},
        ],
    }


def _band(factor, band_from, band_to, value):
    return (factor, "", D(str(band_from)), None if band_to is None else D(str(band_to)), D(value))


def _key(factor, key, value):
    return (factor, key, None, None, D(value))


GROUP_FACTORS = {"oficinas": "0.70", "comercio": "1.00", "almacen": "1.30", "hosteleria": "1.45", "taller": "1.60",
                 "industria": "2.10"}  # riesgo_alto: not taken by the template product


def tariff_template() -> TariffTemplate:
    return TariffTemplate(
        base_premium=D("25.00"), minimum_premium=D("180.00"),
        parameters={"rate_per_mille": "1.20", "require_extinguishers": "1", "max_premises_capital": "6000000",
                    "interruption_days": "90", "interruption_per_mille": "2.50"},
        factors=[_key("activity_group", group, value) for group, value in GROUP_FACTORS.items()] + [
            _key("extinguishers", "si", "1.00"), _key("extinguishers", "no", "1.25"),
            _key("sprinklers", "si", "0.75"), _key("sprinklers", "no", "1.00"),
            _key("alarm", "si", "0.90"), _key("alarm", "no", "1.00"),
            _key("rc_limit", "150000", "60.00"), _key("rc_limit", "300000", "90.00"),
            _key("rc_limit", "600000", "130.00"), _key("rc_limit", "1000000", "180.00"),
            _band("turnover", 0, 300000, "1.00"), _band("turnover", 300000, 1000000, "1.30"),
            _band("turnover", 1000000, 3000000, "1.70"), _band("turnover", 3000000, 10000000, "2.30"),
            _band("turnover", 10000000, None, "3.00"),
        ],
        coverages=[
            ("incendio", _("Incendio, rayo y explosión"), CoverageKind.INCLUDED, None, _("100 % de los capitales"),
             D("0")),
            ("agua", _("Daños por agua"), CoverageKind.INCLUDED, None, _("100 % de los capitales"), D("150")),
            ("robo", _("Robo y expoliación del contenido y las existencias"), CoverageKind.INCLUDED, None,
             _("Hasta el capital de contenido y existencias"), D("300")),
            ("averia", _("Avería de maquinaria"), CoverageKind.INCLUDED, D("30000"), _("Hasta 30.000 €"),
             D("300")),
            ("rc_explotacion", _("RC de explotación"), CoverageKind.OPTIONAL, None,
             _("Límite por siniestro elegido"), D("300")),
            ("perdida_beneficios", _("Pérdida de beneficios"), CoverageKind.OPTIONAL, None,
             _("Indemnización diaria elegida, hasta 90 días"), D("0")),
        ],
    )


_STREETS = ["Calle Mayor", "Avenida de la Constitución", "Polígono Industrial Las Arenas, nave",
            "Calle del Comercio", "Paseo de la Estación", "Calle Real"]
_PLACES = [("28020", "Madrid"), ("08013", "Barcelona"), ("41010", "Sevilla"), ("46020", "Valencia"),
           ("50008", "Zaragoza"), ("29004", "Málaga"), ("48011", "Bilbao"), ("15004", "A Coruña")]


def demo_risk(rng) -> dict:
    """A varied, valid multirriesgo risk (1-3 premises) for demo data and benchmarks."""
    cnae = rng.choice([code for code, (_label, group) in ACTIVITIES.items() if group != "riesgo_alto"])
    turnover = D(rng.choice([150, 300, 600, 900, 1500, 3000, 6000])) * 1000
    premises = []
    for index in range(rng.choice([1, 1, 1, 2, 3])):
        area = rng.choice([60, 120, 250, 400, 800, 1500])
        owned = rng.random() < 0.4
        postal_code, city = rng.choice(_PLACES)
        premises.append({
            "address": f"{rng.choice(_STREETS)} {rng.randint(1, 200)}", "postal_code": postal_code, "city": city,
            "built_area": area, "ownership": "propiedad" if owned else "alquiler",
            "building_capital": f"{D(area) * rng.choice([600, 800, 1000]):.2f}" if owned else None,
            "contents_capital": f"{D(area) * rng.choice([100, 200, 400]):.2f}",
            "stock_capital": f"{D(area) * rng.choice([0, 150, 300]):.2f}",
            "extinguishers": True, "sprinklers": area >= 800 and rng.random() < 0.5, "alarm": rng.random() < 0.6,
        })
    interruption = rng.random() < 0.3
    return {
        "cnae": cnae, "activity_description": "", "annual_turnover": f"{turnover:.2f}",
        "employees": rng.choice([1, 3, 6, 12, 25, 60]),
        "rc_limit": rng.choice(["", "150000", "300000", "600000", "1000000"]), "interruption": interruption,
        "interruption_daily": f"{(turnover / 365 * D('0.2')).quantize(D('1')):.2f}" if interruption else None,
        "premises": premises,
    }


SPEC = LineSpec(
    code=CODE, name="Multirriesgo empresas", dgsfp_class=DgsfpClass.FIRE, risk_form=EmpresasRiskForm, rate=rate,
    summary=summary, tariff_template=tariff_template, sample_risk=sample_risk,
    row_forms={"premises": PremisesForm}, row_labels={"premises": _l("Locales y naves")}, check=check,
    sum_insured=sum_insured, ips_applies=True, clea_applies=True, consorcio_basis=ConsorcioBasis.PER_MILLE_CAPITAL,
    consorcio_rate=D("0.18"), icon="bi-building", order=80, demo_risk=demo_risk,
)

register_line(SPEC)
