"""Autos: validation of the risk, rating with worked numbers, declines, ages at the effective date.

Worked example (template tariff, effective 01/03/2026), risk RISK below:
  base 310,00 × 1,30 (terceros ampliado) × 1,75 (conductor 22 años: born 02/03/2003, birthday tomorrow)
  × 1,08 (permiso 01/06/2021: 4 años) × 0,90 (bonus 3 años) × 1,00 (particular)
  × 1,10 (vehículo matriculado 10/05/2024: 1 año) × 1,12 (CP 28043, Madrid)
  = 844,539696 → 844,54 net
  IPS 8 % = 67,5632 → 67,56 · Consorcio fijo 2,10 · CLEA 0,15 % = 1,26681 → 1,27
  total 844,54 + 67,56 + 2,10 + 1,27 = 915,47
"""
import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from apps.insurance.choices import ConsorcioBasis
from apps.insurance.lines import TariffTemplate, get_line
from apps.insurance.models import Line
from apps.insurance.services.lines import lines_sync
from apps.insurance.services.rating import rate_product
from apps.insurance.services.risks import risk_validate
from apps.lines.common import age_at
from tests.fixtures.insurance import make_product

EFFECTIVE = datetime.date(2026, 3, 1)
RISK = {
    "plate": "4821 lkm", "make": "Seat", "model": " León ", "first_registration_date": "2024-05-10",
    "use": "particular", "cover": "terceros_ampliado", "postal_code": "28043",
    "driver_birth_date": "2003-03-02", "driver_licence_date": "2021-06-01", "bonus_years": 3,
}


def errors_for(**changes) -> dict:
    raw = {**RISK, **changes}
    raw = {key: value for key, value in raw.items() if value is not ...}
    with pytest.raises(ValidationError) as caught:
        risk_validate(line_code="autos", raw=raw)
    return caught.value.message_dict


def test_valid_risk_is_normalised():
    data = risk_validate(line_code="autos", raw=RISK)
    assert data["plate"] == "4821LKM"
    assert data["model"] == "León"
    assert data["driver_birth_date"] == "2003-03-02"
    assert data["bonus_years"] == 3
    assert data["second_driver_birth_date"] is None


@pytest.mark.parametrize("plate", ["M-1234-AB", "b 5678 z", "0000BBB"])
def test_accepted_plates(plate):
    assert risk_validate(line_code="autos", raw={**RISK, "plate": plate})["plate"] == plate.replace("-", "").replace(
        " ", "").upper()


@pytest.mark.parametrize("plate", ["1234ABC", "1234BCQ", "1234BÑD", "12345BCD", "XX1234A", ""])
def test_bad_plates_refused(plate):
    errors = errors_for(plate=plate)
    assert list(errors) == ["plate"]
    if plate:
        assert "no es una matrícula española válida" in errors["plate"][0]


@pytest.mark.parametrize("postal_code", ["53001", "00123", "2804", "28O43"])
def test_bad_postal_code_refused(postal_code):
    errors = errors_for(postal_code=postal_code)
    assert list(errors) == ["postal_code"]
    assert "no es un código postal español" in errors["postal_code"][0]


def test_licence_before_eighteenth_birthday_refused():
    errors = errors_for(driver_birth_date="2003-03-02", driver_licence_date="2021-03-01")
    assert errors == {"driver_licence_date": [
        "El permiso B se obtiene a partir de los 18 años: la fecha del permiso debe ser igual o posterior al "
        "02/03/2021."]}
    # on the 18th birthday itself it is fine
    assert risk_validate(line_code="autos", raw={**RISK, "driver_licence_date": "2021-03-02", "bonus_years": 3})


def test_licence_before_birth_refused():
    errors = errors_for(driver_licence_date="2000-01-01")
    assert errors == {"driver_licence_date": ["La fecha del permiso no puede ser anterior a la fecha de nacimiento."]}


def test_future_dates_refused():
    errors = errors_for(driver_licence_date="2030-01-01", first_registration_date="2030-01-01")
    assert errors["driver_licence_date"] == ["La fecha del permiso de conducir no puede ser posterior a hoy."]
    assert errors["first_registration_date"] == ["La fecha de primera matriculación no puede ser posterior a hoy."]
    errors = errors_for(driver_birth_date="2031-01-01")
    assert errors["driver_birth_date"] == ["La fecha de nacimiento no puede ser posterior a hoy."]


def test_minor_driver_refused():
    errors = errors_for(driver_birth_date="2015-01-01", driver_licence_date=...)
    assert "El conductor debe ser mayor de edad (18 años)." in errors["driver_birth_date"]


def test_bonus_years_range_and_consistency():
    assert errors_for(bonus_years=21) == {"bonus_years": ["Los años sin siniestros van de 0 a 20."]}
    assert errors_for(bonus_years=-1) == {"bonus_years": ["Los años sin siniestros van de 0 a 20."]}
    # licence 01/06/2021: 5 full years by today (04/12/2026), so 6 bonus years are impossible
    errors = errors_for(bonus_years=6)
    assert errors == {"bonus_years": ["Los años sin siniestros (6) no pueden superar los años de carné (5)."]}


def test_second_driver_needs_both_dates_and_a_valid_licence():
    errors = errors_for(second_driver_birth_date="1990-01-01")
    assert errors == {"second_driver_licence_date": ["Indique la fecha del permiso del conductor ocasional."]}
    errors = errors_for(second_driver_licence_date="2010-01-01")
    assert errors == {"second_driver_birth_date": ["Indique la fecha de nacimiento del conductor ocasional."]}
    errors = errors_for(second_driver_birth_date="1990-01-01", second_driver_licence_date="2007-01-01")
    assert "a partir de los 18 años" in errors["second_driver_licence_date"][0]


def test_bad_choices_refused():
    errors = errors_for(use="carreras", cover="total")
    assert set(errors) == {"use", "cover"}
    assert "carreras" in errors["use"][0]


@pytest.fixture
def product(tenant_a):
    return make_product("autos")


def test_rating_worked_numbers(product):
    risk = risk_validate(line_code="autos", raw=RISK)
    rating = rate_product(product=product, risk=risk, on_date=EFFECTIVE)
    assert rating.eligible, rating.decline_reason
    assert rating.net_premium == D("844.54")
    assert rating.taxes.ips == D("67.56")
    assert rating.taxes.consorcio == D("2.10")
    assert rating.taxes.clea == D("1.27")
    assert rating.total_premium == D("915.47")
    labels = dict(rating.breakdown)
    assert labels["Prima base"] == "310,00 €"
    assert labels["Edad del conductor: 22 años"] == "× 1,75"
    assert labels["Antigüedad del permiso: 4 años"] == "× 1,08"
    assert labels["Provincia de circulación: 28"] == "× 1,12"
    assert labels["Prima neta"] == "844,54 €"


def test_rating_with_second_driver_and_unlisted_province(product):
    # 310 × 2,60 (todo riesgo) × 1,00 (45 años) × 1,00 (25 años de permiso) × 0,60 (bonus 15)
    # × 1,20 (profesional) × 1,00 (2 años) × 1 (CP 50012, Zaragoza: sin factor) × 1,30 (ocasional 20 años)
    # = 754,416 → 754,42; IPS 60,3536 → 60,35; CLEA 1,13163 → 1,13; total 754,42 + 60,35 + 2,10 + 1,13 = 818,00
    risk = risk_validate(line_code="autos", raw={
        **RISK, "cover": "todo_riesgo", "use": "profesional", "postal_code": "50012",
        "first_registration_date": "2024-01-15", "driver_birth_date": "1980-05-05", "driver_licence_date": "1999-01-10",
        "bonus_years": 15, "second_driver_birth_date": "2005-07-01", "second_driver_licence_date": "2024-01-01"})
    rating = rate_product(product=product, risk=risk, on_date=EFFECTIVE)
    assert rating.eligible, rating.decline_reason
    assert (rating.net_premium, rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (
        D("754.42"), D("60.35"), D("2.10"), D("1.13"))
    assert rating.total_premium == D("818.00")
    assert ("Conductor ocasional: 20 años", "× 1,30") in rating.breakdown


def test_minimum_premium_applies(product):
    # 310 × 1,00 × 1,00 × 1,00 × 0,60 × 1,00 × 0,85 (15 años) × 1 = 158,10 < mínimo 180,00
    risk = risk_validate(line_code="autos", raw={
        **RISK, "cover": "terceros_basico", "postal_code": "50012", "first_registration_date": "2010-01-15",
        "driver_birth_date": "1980-05-05", "driver_licence_date": "1999-01-10", "bonus_years": 15})
    rating = rate_product(product=product, risk=risk, on_date=EFFECTIVE)
    assert rating.net_premium == D("180.00")
    assert rating.breakdown[-1][0] == "Prima mínima del producto"


def test_todo_riesgo_declined_for_old_vehicle(product):
    risk = risk_validate(line_code="autos", raw={**RISK, "cover": "todo_riesgo_franquicia",
                                                 "first_registration_date": "2014-06-01"})
    rating = rate_product(product=product, risk=risk, on_date=EFFECTIVE)
    assert not rating.eligible
    assert rating.decline_reason == ("El producto no contrata todo riesgo para vehículos de más de 10 años "
                                     "(este tiene 11).")
    # the same vehicle with third-party cover is fine
    risk["cover"] = "terceros_ampliado"
    assert rate_product(product=product, risk=risk, on_date=EFFECTIVE).eligible


def test_driver_under_minimum_age_declined(tenant_a):
    base = get_line("autos").tariff_template()
    strict = TariffTemplate(base_premium=base.base_premium, minimum_premium=base.minimum_premium,
                            parameters={**base.parameters, "min_driver_age": "23"}, factors=base.factors,
                            coverages=base.coverages)
    product = make_product("autos", template=strict)
    risk = risk_validate(line_code="autos", raw=RISK)
    rating = rate_product(product=product, risk=risk, on_date=EFFECTIVE)
    assert not rating.eligible
    assert rating.decline_reason == ("El conductor habitual tiene 22 años y el producto exige una edad mínima de "
                                     "23 años.")
    # a year later the driver is 23 and the product takes the risk
    assert rate_product(product=product, risk=risk, on_date=datetime.date(2027, 3, 2)).eligible


def test_age_across_birthday_and_29_february():
    assert age_at(datetime.date(2003, 3, 2), datetime.date(2026, 3, 1)) == 22
    assert age_at(datetime.date(2003, 3, 2), datetime.date(2026, 3, 2)) == 23
    leap = datetime.date(2000, 2, 29)
    assert age_at(leap, datetime.date(2025, 2, 28)) == 24
    assert age_at(leap, datetime.date(2025, 3, 1)) == 25
    assert age_at(leap, datetime.date(2024, 2, 28)) == 23
    assert age_at(leap, datetime.date(2024, 2, 29)) == 24


def test_driver_age_band_changes_on_birthday(tenant_a):
    product = make_product("autos", valid_from=datetime.date(2024, 1, 1))
    # born 29/02/2000: 24 on 28/02/2025 (band 21-25, × 1,75), 25 on 01/03/2025 (band 25-30, × 1,25)
    risk = risk_validate(line_code="autos", raw={**RISK, "driver_birth_date": "2000-02-29",
                                                 "driver_licence_date": "2018-03-01"})
    before = rate_product(product=product, risk=risk, on_date=datetime.date(2025, 2, 28))
    after = rate_product(product=product, risk=risk, on_date=datetime.date(2025, 3, 1))
    assert ("Edad del conductor: 24 años", "× 1,75") in before.breakdown
    assert ("Edad del conductor: 25 años", "× 1,25") in after.breakdown
    assert after.net_premium < before.net_premium


def test_spec_registered_and_line_row(tenant_a):
    spec = get_line("autos")
    assert spec.dgsfp_class == "03"
    assert risk_validate(line_code="autos", raw=spec.sample_risk()) == spec.sample_risk()
    assert spec.summary(spec.sample_risk()).startswith("Seat León 4821LKM · conductor ")
    lines_sync()
    line = Line.objects.get(code="autos")
    assert line.consorcio_basis == ConsorcioBasis.FIXED
    assert line.consorcio_rate == D("2.10")
    assert line.ips_applies and line.clea_applies and not line.is_life


def test_demo_risks_are_valid():
    import random

    spec = get_line("autos")
    rng = random.Random(5)
    for _ in range(50):
        risk = spec.demo_risk(rng)
        assert risk_validate(line_code="autos", raw=risk)["plate"] == risk["plate"]
