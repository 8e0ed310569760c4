"""Registers the responsabilidad civil line with the insurance core."""
from decimal import Decimal as D

from django.utils.translation import gettext as _

from apps.insurance.choices import ConsorcioBasis, CoverageKind, DgsfpClass
from apps.insurance.lines import LineSpec, TariffTemplate, register_line
from apps.lines.common import amount, fmt_eur

from .rating import rate
from .risk import ACTIVITIES, RcRiskForm, activity_label

CODE = "rc"


def sum_insured(data: dict) -> D:
    """The limit per claim."""
    return amount(data.get("limit"))


def summary(data: dict) -> str:
    """'Hostelería: restaurante, bar o cafetería (CNAE 5610) · límite 600.000,00 € · 8 empleados ·
    patronal, productos'"""
    activity = data["activity"]
    cnae = ACTIVITIES[activity][1] if activity in ACTIVITIES else ""
    text = _("%(activity)s (CNAE %(cnae)s) · límite %(limit)s · %(employees)s empleados") % {
        "activity": activity_label(activity), "cnae": cnae, "limit": fmt_eur(amount(data["limit"])),
        "employees": data["employees"]}
    extras = [str(label) for flag, label in ((data.get("patronal"), _("patronal")),
                                             (data.get("products"), _("productos")),
                                             (data.get("post_works"), _("post-trabajos"))) if flag]
    return text + (" · " + ", ".join(extras) if extras else "")


def sample_risk() -> dict:
    return {
        "activity": "hosteleria", "activity_description": "Restaurante con terraza, 60 comensales",
        "annual_turnover": "420000.00", "employees": 8, "limit": "600000", "deductible": "300", "patronal": True,
        "victim_sublimit": "150000", "products": True, "post_works": False,
    }


def _band(factor, band_from, band_to, value):
    return (factor, "", D(str(band_from)), None if band_to is None else D(str(band_to)), D(value))


def _key(factor, key, value):
    return (factor, key, None, None, D(value))


ACTIVITY_FACTORS = {"asesoria": "0.80", "comercio": "1.00", "peluqueria": "1.00", "hosteleria": "1.30",
                    "limpieza": "1.40", "taller": "1.60", "clinica_dental": "2.00", "arquitectura": "2.20",
                    "instalaciones": "2.20", "construccion": "3.00"}


def tariff_template() -> TariffTemplate:
    return TariffTemplate(
        base_premium=D("180.00"), minimum_premium=D("150.00"),
        parameters={"patronal_per_employee": "18.00", "max_turnover": "6000000", "max_employees": "100"},
        factors=[_key("activity", code, value) for code, value in ACTIVITY_FACTORS.items()] + [
            _key("limit", "150000", "0.75"), _key("limit", "300000", "1.00"), _key("limit", "600000", "1.35"),
            _key("limit", "1000000", "1.70"), _key("limit", "3000000", "2.60"),
            _band("turnover", 0, 150000, "1.00"), _band("turnover", 150000, 500000, "1.30"),
            _band("turnover", 500000, 1500000, "1.75"), _band("turnover", 1500000, 3000000, "2.40"),
            _band("turnover", 3000000, None, "3.20"),
            _key("deductible", "0", "1.00"), _key("deductible", "150", "0.95"), _key("deductible", "300", "0.90"),
            _key("deductible", "600", "0.85"), _key("deductible", "1500", "0.75"),
            _key("products", "si", "1.15"), _key("products", "no", "1.00"),
            _key("post_works", "si", "1.20"), _key("post_works", "no", "1.00"),
            _key("victim_sublimit", "90000", "1.00"), _key("victim_sublimit", "150000", "1.25"),
            _key("victim_sublimit", "300000", "1.60"), _key("victim_sublimit", "600000", "2.10"),
        ],
        coverages=[
            ("explotacion", _("RC de explotación"), CoverageKind.INCLUDED, None, _("Límite por siniestro elegido"),
             D("300")),
            ("patronal", _("RC patronal (accidentes de trabajo)"), CoverageKind.OPTIONAL, None,
             _("Sublímite por víctima elegido"), D("300")),
            ("productos", _("RC de productos"), CoverageKind.OPTIONAL, None, _("Límite por siniestro y año"),
             D("300")),
            ("post_trabajos", _("RC post-trabajos"), CoverageKind.OPTIONAL, None, _("Límite por siniestro y año"),
             D("300")),
            ("defensa", _("Defensa jurídica y fianzas"), CoverageKind.INCLUDED, None, _("Incluida"), D("0")),
            ("locativa", _("RC locativa (daños al local alquilado)"), CoverageKind.INCLUDED, D("150000"),
             _("Hasta 150.000 €"), D("300")),
        ],
    )


def demo_risk(rng) -> dict:
    """A varied, valid RC risk for demo data and benchmarks."""
    activity = rng.choice(list(ACTIVITIES))
    kind = ACTIVITIES[activity][2]
    employees = rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 35])
    limit = rng.choices(["150000", "300000", "600000", "1000000", "3000000"], weights=[15, 35, 30, 15, 5])[0]
    patronal = employees > 0 and rng.random() < 0.7
    sublimit = ""
    if patronal:
        sublimit = rng.choice([value for value in ("90000", "150000", "300000", "600000") if D(value) <= D(limit)])
    turnover = D(rng.choice([60, 120, 250, 400, 800, 1500, 2500])) * 1000
    return {
        "activity": activity, "activity_description": "", "annual_turnover": f"{turnover:.2f}",
        "employees": employees, "limit": limit, "deductible": rng.choice(["0", "150", "300", "600", "1500"]),
        "patronal": patronal, "victim_sublimit": sublimit,
        "products": kind != "servicios" and rng.random() < 0.5, "post_works": kind == "obras" and rng.random() < 0.6,
    }


SPEC = LineSpec(
    code=CODE, name="Responsabilidad civil", dgsfp_class=DgsfpClass.GENERAL_LIABILITY, risk_form=RcRiskForm,
    rate=rate, summary=summary, tariff_template=tariff_template, sample_risk=sample_risk, sum_insured=sum_insured,
    ips_applies=True, clea_applies=True, consorcio_basis=ConsorcioBasis.NONE, consorcio_rate=D("0"),
    icon="bi-people", order=70, demo_risk=demo_risk,
)

register_line(SPEC)
