"""Vida riesgo: validation (insured, capitals, beneficiaries), rating with worked numbers, age limits.

Worked example (template tariff, effective 01/03/2026), RISK below:
  insured born 02/03/1986: 39 años el 01/03/2026 (cumple 40 al día siguiente) → tasa 0,75 ‰ (35-39)
  15,00 gastos + 150.000 / 1.000 × 0,75 × 1,00 (no fumador) × 1,00 (clase 1) = 112,50
  + IPA 150.000 / 1.000 × 0,35 = 52,50 → 180,00 net
  IPS exento (vida) 0,00 · CLEA no aplica 0,00 · Consorcio 0,003 ‰ × (150.000 + 150.000) = 0,90
  total 180,90
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
BENEFICIARIES = [
    {"name": "Javier  Sanz Gil", "tax_id": "87654321-x", "relationship": "conyuge", "share": "50"},
    {"name": "Lucía Sanz López", "tax_id": "", "relationship": "hijo", "share": "25"},
    {"name": "Pablo Sanz López", "relationship": "hijo", "share": "25"},
]
RISK = {
    "insured_name": "Marta López Ruiz", "insured_tax_id": "12345678z", "birth_date": "1986-03-02", "smoker": False,
    "profession_class": "1", "death_capital": "150000", "ipa_capital": "150000",
    "beneficiary_designation": "nominativa", "beneficiaries": BENEFICIARIES,
}


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        risk_validate(line_code="vida", raw={**RISK, **changes})
    return caught.value.message_dict


def test_valid_risk_is_normalised_with_people():
    data = risk_validate(line_code="vida", raw=RISK)
    assert data["insured_tax_id"] == "12345678Z"
    assert data["beneficiaries"][0] == {"name": "Javier Sanz Gil", "tax_id": "87654321X", "relationship": "conyuge",
                                        "share": "50"}
    spec = get_line("vida")
    assert spec.insured(data) == [{"name": "Marta López Ruiz", "tax_id": "12345678Z", "birth_date": "1986-03-02",
                                   "role": "asegurado", "smoker": False}]
    assert [(row["name"], row["share"]) for row in spec.beneficiaries(data)] == [
        ("Javier Sanz Gil", "50"), ("Lucía Sanz López", "25"), ("Pablo Sanz López", "25")]
    assert spec.sum_insured(data) == D("300000")


def test_legal_heirs_designation_without_rows():
    data = risk_validate(line_code="vida", raw={**RISK, "beneficiary_designation": "herederos", "beneficiaries": []})
    assert get_line("vida").beneficiaries(data) == [
        {"name": "Herederos legales", "tax_id": "", "relationship": "herederos", "share": "100"}]


def test_shares_must_add_up_to_100():
    rows = [dict(BENEFICIARIES[0]), {**BENEFICIARIES[1], "share": "15"}, BENEFICIARIES[2]]
    assert errors_for(beneficiaries=rows) == {"beneficiaries": [
        "Los porcentajes de los beneficiarios deben sumar 100 % (ahora suman 90,00 %)."]}


def test_named_designation_needs_rows_and_other_designations_none():
    assert errors_for(beneficiaries=[]) == {"beneficiaries": ["Indique al menos un beneficiario con su porcentaje."]}
    errors = errors_for(beneficiary_designation="herederos")
    assert list(errors) == ["beneficiaries"]
    assert errors["beneficiaries"][0].startswith("Solo se detallan beneficiarios con la designación")


def test_insured_cannot_be_own_beneficiary():
    rows = [{"name": "Marta López Ruiz", "tax_id": "12345678Z", "relationship": "otro", "share": "100"}]
    assert errors_for(beneficiaries=rows) == {"beneficiaries": [
        "El asegurado no puede ser beneficiario de su propio fallecimiento."]}


def test_row_errors_are_keyed_by_row():
    rows = [BENEFICIARIES[0], {**BENEFICIARIES[1], "tax_id": "12345678A", "share": "0"}, BENEFICIARIES[2]]
    errors = errors_for(beneficiaries=rows)
    assert errors["beneficiaries-1-tax_id"][0].startswith("«12345678A» no es un NIF, DNI o NIE válido")
    assert errors["beneficiaries-1-share"] == ["El porcentaje va de 0,01 a 100."]


def test_insured_and_capital_rules():
    errors = errors_for(insured_tax_id="12345678A", birth_date="2030-01-01", death_capital="5000")
    assert errors["insured_tax_id"] == ["«12345678A» no es un DNI o NIE válido (compruebe la letra de control)."]
    assert errors["birth_date"] == ["La fecha de nacimiento no puede ser posterior a hoy."]
    assert errors["death_capital"] == ["El capital mínimo por fallecimiento es de 6.000 €."]
    assert errors_for(ipa_capital="200000") == {"ipa_capital": [
        "El capital por incapacidad no puede superar el capital por fallecimiento."]}
    assert errors_for(profession_class="9").keys() == {"profession_class"}


@pytest.fixture
def product(tenant_a):
    return make_product("vida")


def rate(product, on_date=EFFECTIVE, **changes):
    return rate_product(product=product, risk=risk_validate(line_code="vida", raw={**RISK, **changes}),
                        on_date=on_date)


def test_rating_worked_numbers(product):
    rating = rate(product)
    assert rating.eligible, rating.decline_reason
    assert rating.net_premium == D("180.00")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("0.00"), D("0.90"), D("0.00"))
    assert rating.total_premium == D("180.90")
    assert ("Fallecimiento 150.000,00 €: tasa 0,75 ‰ a los 39 años", "112,50 €") in rating.breakdown
    assert ("Incapacidad permanente absoluta 150.000,00 € al 0,35 ‰", "+ 52,50 €") in rating.breakdown


def test_rating_changes_band_on_the_birthday(product):
    # 02/03/2026: 40 años, tasa 1,10 ‰: 15,00 + 150 × 1,10 (165,00) + 52,50 = 232,50; Consorcio 0,90 → 233,40
    rating = rate(product, on_date=datetime.date(2026, 3, 2))
    assert rating.net_premium == D("232.50")
    assert rating.total_premium == D("233.40")


def test_rating_smoker_risky_profession(product):
    # born 10/07/1973: 52 años → 2,70 ‰; 15,00 + 200 × 2,70 × 1,60 (fumador) × 1,40 (clase 3) = 1.209,60 → 1.224,60
    # Consorcio 0,003 ‰ × 200.000 = 0,60; IPS y CLEA no aplican → total 1.225,20
    rating = rate(product, birth_date="1973-07-10", smoker=True, profession_class="3", death_capital="200000",
                  ipa_capital=None, beneficiary_designation="prelacion", beneficiaries=[])
    assert rating.net_premium == D("1224.60")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("0.00"), D("0.60"), D("0.00"))
    assert rating.total_premium == D("1225.20")
    assert ("Fumador", "× 1,60") in rating.breakdown


def test_age_limits_declined(product):
    old = rate(product, birth_date="1955-01-01")
    assert not old.eligible
    assert old.decline_reason == ("El asegurado tiene 71 años el 01/03/2026 y el producto se contrata entre los 18 "
                                  "y los 70 años.")
    young = rate(product, birth_date="2008-03-02")  # 17 on 01/03/2026, 18 the next day
    assert young.decline_reason.startswith("El asegurado tiene 17 años el 01/03/2026")
    assert rate(product, birth_date="2008-03-02", on_date=datetime.date(2026, 3, 2)).eligible


def test_maximum_age_across_29_february(product):
    # born 29/02/1956: 70 on 28/02/2027 (still insurable), 71 on 01/03/2027
    assert rate(product, birth_date="1956-02-29", on_date=datetime.date(2027, 2, 28)).eligible
    after = rate(product, birth_date="1956-02-29", on_date=datetime.date(2027, 3, 1))
    assert not after.eligible
    assert after.decline_reason.startswith("El asegurado tiene 71 años el 01/03/2027")


def test_capital_above_maximum_declined(product):
    rating = rate(product, death_capital="1200000", ipa_capital=None)
    assert rating.decline_reason == ("El capital por fallecimiento (1.200.000,00 €) supera el máximo del producto sin "
                                     "pruebas médicas adicionales (1.000.000,00 €).")


def test_spec_registered_and_line_row(tenant_a):
    spec = get_line("vida")
    assert spec.dgsfp_class == "VI" and spec.is_life
    assert risk_validate(line_code="vida", raw=spec.sample_risk()) == spec.sample_risk()
    lines_sync()
    line = Line.objects.get(code="vida")
    assert line.is_life and not line.ips_applies and not line.clea_applies
    assert line.consorcio_basis == ConsorcioBasis.PER_MILLE_CAPITAL
    assert line.consorcio_rate == D("0.003")


def test_demo_risks_are_valid():
    import random

    spec = get_line("vida")
    rng = random.Random(3)
    for _ in range(50):
        risk_validate(line_code="vida", raw=spec.demo_risk(rng))
