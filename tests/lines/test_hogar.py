"""Hogar: validation of the risk, rating with worked numbers and the under-insurance decline.

Worked example (template tariff, effective 01/03/2026), RISK below (piso, propietario, Madrid):
  40,00 base + 120.000 × 0,55 ‰ (66,00) + 30.000 × 1,60 ‰ (48,00) = 154,00
  × 1,00 (piso) × 1,05 (construido en 1985) × 1,08 (zona 28) = 174,636 → 174,64 net
  IPS 8 % = 13,9712 → 13,97 · Consorcio 0,07 ‰ × 150.000 = 10,50 · CLEA 0,15 % = 0,26196 → 0,26
  total 174,64 + 13,97 + 10,50 + 0,26 = 199,37
"""
import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from apps.insurance.choices import ConsorcioBasis
from apps.insurance.lines import get_line
from apps.insurance.models import Line
from apps.insurance.services.lines import lines_sync
from apps.insurance.services.rating import rate_product
from apps.insurance.services.risks import risk_validate
from tests.fixtures.insurance import make_product

EFFECTIVE = datetime.date(2026, 3, 1)
RISK = {
    "street": "  Calle   Mayor 5, 3º B ", "postal_code": "28043", "city": "Madrid", "dwelling_type": "piso",
    "tenure": "propietario", "built_area": 90, "construction_year": 1985, "building_capital": "120000",
    "contents_capital": "30000",
}


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        risk_validate(line_code="hogar", raw={**RISK, **changes})
    return caught.value.message_dict


def test_valid_risk_is_normalised():
    data = risk_validate(line_code="hogar", raw=RISK)
    assert data["street"] == "Calle Mayor 5, 3º B"
    assert data["building_capital"] == "120000"
    assert data["valuables_capital"] is None
    assert get_line("hogar").sum_insured(data) == D("150000")


def test_construction_year_bounds():
    assert errors_for(construction_year=2027) == {
        "construction_year": ["El año de construcción no puede ser posterior al año en curso (2026)."]}
    assert errors_for(construction_year=1799) == {
        "construction_year": ["El año de construcción no puede ser anterior a 1800."]}
    assert risk_validate(line_code="hogar", raw={**RISK, "construction_year": 2026})


def test_owner_needs_building_capital():
    assert errors_for(building_capital="") == {
        "building_capital": ["Un propietario debe asegurar el continente: indique su capital."]}


def test_tenant_does_not_insure_building():
    errors = errors_for(tenure="inquilino")
    assert list(errors) == ["building_capital"]
    assert errors["building_capital"][0].startswith("Un inquilino no asegura el continente")
    data = risk_validate(line_code="hogar", raw={**RISK, "tenure": "inquilino", "building_capital": None})
    assert data["building_capital"] is None


def test_implausible_building_capital_refused():
    errors = errors_for(building_capital="900000")  # 10.000 €/m² for 90 m²
    assert errors == {"building_capital": [
        "El continente declarado (900.000,00 €) equivale a 10.000,00 € por m², más de lo que cuesta reconstruir "
        "cualquier vivienda: revise el capital o la superficie."]}


def test_valuables_within_contents_and_capitals_not_negative():
    assert errors_for(valuables_capital="40000") == {"valuables_capital": [
        "Las joyas y objetos de valor forman parte del contenido: su capital no puede superar el del "
        "contenido (30.000,00 €)."]}
    assert errors_for(contents_capital="-5") == {"contents_capital": ["El capital no puede ser negativo."]}


def test_other_fields_refused():
    errors = errors_for(postal_code="60001", built_area=5, dwelling_type="castillo", city="")
    assert set(errors) == {"postal_code", "built_area", "dwelling_type", "city"}
    assert errors["built_area"] == ["La superficie construida va de 15 a 2.000 m²."]
    assert "no es un código postal español" in errors["postal_code"][0]


@pytest.fixture
def product(tenant_a):
    return make_product("hogar")


def rate(product, **changes):
    return rate_product(product=product, risk=risk_validate(line_code="hogar", raw={**RISK, **changes}),
                        on_date=EFFECTIVE)


def test_rating_worked_numbers(product):
    rating = rate(product)
    assert rating.eligible, rating.decline_reason
    assert rating.net_premium == D("174.64")
    assert rating.taxes.ips == D("13.97")
    assert rating.taxes.consorcio == D("10.50")
    assert rating.taxes.clea == D("0.26")
    assert rating.total_premium == D("199.37")
    assert rating.breakdown[:3] == [("Prima base", "40,00 €"), ("Continente 120.000,00 € al 0,55 ‰", "+ 66,00 €"),
                                    ("Contenido 30.000,00 € al 1,60 ‰", "+ 48,00 €")]
    assert ("Año de construcción: 1985", "× 1,05") in rating.breakdown


def test_rating_house_with_valuables_in_flood_zone(product):
    # 40 + 250.000 × 0,55 ‰ (137,50) + 60.000 × 1,60 ‰ (96,00) + 5.000 × 6 ‰ (30,00) = 303,50
    # × 1,30 (unifamiliar) × 1,30 (1935) × 1,12 (zona 46) = 574,4648 → 574,46
    # IPS 45,9568 → 45,96 · Consorcio 0,07 ‰ × 315.000 = 22,05 · CLEA 0,86169 → 0,86 · total 643,33
    rating = rate(product, dwelling_type="unifamiliar", postal_code="46021", city="Valencia", construction_year=1935,
                  built_area=200, building_capital="250000", contents_capital="60000", valuables_capital="5000")
    assert (rating.net_premium, rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (
        D("574.46"), D("45.96"), D("22.05"), D("0.86"))
    assert rating.total_premium == D("643.33")


def test_tenant_rating_hits_minimum_premium(product):
    # 40 + 25.000 × 1,60 ‰ (40,00) = 80,00 × 1,00 × 0,92 (2015) × 1 (zona 50 sin factor) = 73,60 < mínimo 95,00
    # IPS 7,60 · Consorcio 0,07 ‰ × 25.000 = 1,75 · CLEA 0,1425 → 0,14 · total 104,49
    rating = rate(product, tenure="inquilino", building_capital=None, contents_capital="25000", postal_code="50012",
                  city="Zaragoza", construction_year=2015)
    assert rating.net_premium == D("95.00")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("7.60"), D("1.75"), D("0.14"))
    assert rating.total_premium == D("104.49")


def test_under_insurance_declined(product):
    rating = rate(product, building_capital="45000")  # 500 €/m² for 90 m², tariff minimum 600 €/m²
    assert not rating.eligible
    assert rating.decline_reason == ("Infraseguro: el continente (45.000,00 €) equivale a 500,00 € por m² construido "
                                     "y este producto exige al menos 600,00 € por m² (54.000,00 € para 90 m²).")
    assert rate(product, building_capital="54000").eligible


def test_sum_insured_above_product_maximum_declined(product):
    rating = rate(product, dwelling_type="unifamiliar", built_area=1000, building_capital="1400000",
                  contents_capital="200000")
    assert not rating.eligible
    assert rating.decline_reason == "La suma asegurada (1.600.000,00 €) supera el máximo del producto (1.500.000,00 €)."


def test_spec_registered_and_line_row(tenant_a):
    spec = get_line("hogar")
    assert spec.dgsfp_class == "08"
    assert risk_validate(line_code="hogar", raw=spec.sample_risk()) == spec.sample_risk()
    assert spec.summary(spec.sample_risk()) == "Piso 95 m² · Calle de Alcalá 215, 4º B, Madrid · 168.000,00 €"
    lines_sync()
    line = Line.objects.get(code="hogar")
    assert line.consorcio_basis == ConsorcioBasis.PER_MILLE_CAPITAL
    assert line.consorcio_rate == D("0.07")
    assert line.ips_applies and line.clea_applies and not line.is_life


def test_demo_risks_are_valid():
    import random

    spec = get_line("hogar")
    rng = random.Random(7)
    for _ in range(50):
        risk_validate(line_code="hogar", raw=spec.demo_risk(rng))
