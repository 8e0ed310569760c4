"""Registers the autos line with the insurance core."""
import datetime
from decimal import Decimal as D

from django.utils.translation import gettext as _

from apps.insurance.choices import ConsorcioBasis, CoverageKind, DgsfpClass
from apps.insurance.lines import LineSpec, TariffTemplate, register_line
from apps.lines.common import add_years, age_at, as_date, today

from .rating import rate
from .risk import AutosRiskForm

CODE = "autos"


def summary(data: dict) -> str:
    """'Seat León 1234BCD · conductor 45 años'"""
    age = age_at(as_date(data["driver_birth_date"]), today())
    return _("%(make)s %(model)s %(plate)s · conductor %(age)s años") % {
        "make": data["make"], "model": data["model"], "plate": data["plate"], "age": age}


def sample_risk() -> dict:
    return {
        "plate": "4821LKM", "make": "Seat", "model": "León", "first_registration_date": "2022-03-15",
        "use": "particular", "cover": "terceros_ampliado", "postal_code": "28043",
        "driver_birth_date": "1981-06-12", "driver_licence_date": "2000-02-01", "bonus_years": 12,
        "second_driver_birth_date": None, "second_driver_licence_date": None,
    }


def tariff_template() -> TariffTemplate:
    band, key = _band, _key
    return TariffTemplate(
        base_premium=D("310.00"), minimum_premium=D("180.00"),
        parameters={"min_driver_age": "18", "max_vehicle_age": "10"},
        factors=[
            key("cover", "terceros_basico", "1.00"), key("cover", "terceros_ampliado", "1.30"),
            key("cover", "todo_riesgo_franquicia", "2.05"), key("cover", "todo_riesgo", "2.60"),
            band("driver_age", 18, 21, "2.20"), band("driver_age", 21, 25, "1.75"), band("driver_age", 25, 30, "1.25"),
            band("driver_age", 30, 65, "1.00"), band("driver_age", 65, 75, "1.10"),
            band("driver_age", 75, None, "1.35"),
            band("licence_years", 0, 1, "1.40"), band("licence_years", 1, 3, "1.20"),
            band("licence_years", 3, 5, "1.08"), band("licence_years", 5, None, "1.00"),
            band("bonus_years", 0, 1, "1.15"), band("bonus_years", 1, 3, "1.00"), band("bonus_years", 3, 5, "0.90"),
            band("bonus_years", 5, 8, "0.80"), band("bonus_years", 8, 12, "0.70"),
            band("bonus_years", 12, None, "0.60"),
            key("use", "particular", "1.00"), key("use", "profesional", "1.20"), key("use", "reparto", "1.45"),
            key("use", "taxi", "1.90"), key("use", "vtc", "1.75"),
            band("vehicle_age", 0, 2, "1.10"), band("vehicle_age", 2, 6, "1.00"), band("vehicle_age", 6, 12, "0.92"),
            band("vehicle_age", 12, None, "0.85"),
            # provinces not listed: factor 1
            key("province", "28", "1.12"), key("province", "08", "1.12"), key("province", "46", "1.06"),
            key("province", "41", "1.06"), key("province", "29", "1.05"), key("province", "35", "1.04"),
            key("province", "38", "1.04"),
            band("second_driver_age", 18, 25, "1.30"), band("second_driver_age", 25, 30, "1.10"),
            band("second_driver_age", 30, None, "1.00"),
        ],
        coverages=[
            ("rc_obligatoria", _("Responsabilidad civil obligatoria"), CoverageKind.INCLUDED, None,
             _("70.000.000 € daños personales · 15.000.000 € daños materiales"), D("0")),
            ("rc_voluntaria", _("Responsabilidad civil voluntaria"), CoverageKind.INCLUDED, D("50000000"), "", D("0")),
            ("defensa", _("Defensa jurídica y reclamación de daños"), CoverageKind.INCLUDED, D("1500"), "", D("0")),
            ("asistencia", _("Asistencia en viaje desde el km 0"), CoverageKind.INCLUDED, None,
             _("Remolque hasta 200 km"), D("0")),
            ("conductor", _("Accidentes del conductor"), CoverageKind.INCLUDED, D("15000"), "", D("0")),
            ("lunas", _("Rotura de lunas"), CoverageKind.OPTIONAL, None, _("Valor de reposición"), D("0")),
            ("robo_incendio", _("Robo e incendio"), CoverageKind.OPTIONAL, None, _("Valor venal"), D("0")),
            ("danos_propios", _("Daños propios"), CoverageKind.OPTIONAL, None, _("Valor venal"), D("300")),
        ],
    )


def _band(factor, band_from, band_to, value):
    return (factor, "", D(str(band_from)), None if band_to is None else D(str(band_to)), D(value))


def _key(factor, key, value):
    return (factor, key, None, None, D(value))


_MAKES = [("Seat", ["Ibiza", "León", "Arona", "Ateca"]), ("Renault", ["Clio", "Mégane", "Captur"]),
          ("Volkswagen", ["Polo", "Golf", "T-Roc"]), ("Toyota", ["Yaris", "Corolla", "C-HR"]),
          ("Peugeot", ["208", "2008", "308"]), ("Dacia", ["Sandero", "Duster"]), ("Kia", ["Ceed", "Sportage"]),
          ("Hyundai", ["i20", "Tucson"]), ("Citroën", ["C3", "C4", "Berlingo"])]
_CONSONANTS = "BCDFGHJKLMNPRSTVWXYZ"
_POSTAL_CODES = ["28043", "28921", "08025", "08940", "46021", "41013", "29010", "50012", "48007", "15005",
                 "33011", "30008", "03005", "35010", "38003", "07013", "18004", "47014", "37002", "31005"]


def demo_risk(rng) -> dict:
    """A varied, valid autos risk for demo data and benchmarks."""
    now = today()
    make, models = rng.choice(_MAKES)
    age = rng.randint(20, 78)
    birth = now - datetime.timedelta(days=age * 365 + rng.randint(0, 360))
    licence = add_years(birth, rng.randint(18, min(age, 30))) + datetime.timedelta(days=rng.randint(0, 200))
    licence = min(licence, now)
    licence_years = age_at(licence, now)
    cover = rng.choice(["terceros_basico", "terceros_ampliado", "terceros_ampliado", "todo_riesgo_franquicia",
                        "todo_riesgo"])
    vehicle_years = rng.randint(0, 9) if cover.startswith("todo") else rng.randint(0, 20)
    registered = now - datetime.timedelta(days=vehicle_years * 365 + rng.randint(0, 300))
    return {
        "plate": f"{rng.randint(0, 9999):04d}" + "".join(rng.choice(_CONSONANTS) for _ in range(3)),
        "make": make, "model": rng.choice(models),
        "first_registration_date": registered.isoformat(),
        "use": rng.choices(["particular", "profesional", "reparto", "taxi", "vtc"], weights=[85, 7, 4, 2, 2])[0],
        "cover": cover, "postal_code": rng.choice(_POSTAL_CODES),
        "driver_birth_date": birth.isoformat(), "driver_licence_date": licence.isoformat(),
        "bonus_years": rng.randint(0, min(licence_years, 20)),
        "second_driver_birth_date": None, "second_driver_licence_date": None,
    }


SPEC = LineSpec(
    code=CODE, name="Autos", dgsfp_class=DgsfpClass.LAND_VEHICLES, risk_form=AutosRiskForm, rate=rate,
    summary=summary, tariff_template=tariff_template, sample_risk=sample_risk,
    consorcio_basis=ConsorcioBasis.FIXED, consorcio_rate=D("2.10"), ips_applies=True, clea_applies=True,
    icon="bi-car-front", order=10, demo_risk=demo_risk,
)

register_line(SPEC)
