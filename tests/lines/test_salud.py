"""Salud: members validation (one titular...), rating with worked numbers, entry age, ages at the date.

Worked example (template tariff, effective 01/03/2026), RISK below (cuadro médico, copago, dental):
  titular born 10/05/1984: 41 años → 54,00 €/mes · cónyuge born 01/03/1986: 40 that very day → 54,00
  hijo born 01/09/2016: 9 años → 38,00 · hija born 15/06/2025: 0 años → 70,00
  (54 + 54 + 38 + 70) = 216,00 €/mes × 12 = 2.592,00 × 1,00 (cuadro médico) × 0,80 (copago) = 2.073,60
  + dental 4 × 72,00 = 288,00 + gastos 12,00 → 2.373,60 net
  IPS 8 % = 189,888 → 189,89 · CLEA 0,15 % = 3,5604 → 3,56 · Consorcio no aplica 0,00
  total 2.373,60 + 189,89 + 3,56 = 2.567,05
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
TITULAR = {"name": "Sergio  Martín Vega", "tax_id": "12345678z", "birth_date": "1984-05-10",
           "relationship": "titular", "gender": "hombre"}
SPOUSE = {"name": "Elena Ruiz Campos", "tax_id": "87654321X", "birth_date": "1986-03-01", "relationship": "conyuge",
          "gender": "mujer"}
SON = {"name": "Daniel Martín Ruiz", "birth_date": "2016-09-01", "relationship": "hijo", "gender": "hombre"}
BABY = {"name": "Alba Martín Ruiz", "tax_id": "", "birth_date": "2025-06-15", "relationship": "hijo", "gender": "mujer"}
RISK = {"modality": "cuadro_medico", "copago": True, "dental": True, "members": [TITULAR, SPOUSE, SON, BABY]}


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        risk_validate(line_code="salud", raw={**RISK, **changes})
    return caught.value.message_dict


def test_valid_risk_is_normalised_and_members_listed():
    data = risk_validate(line_code="salud", raw=RISK)
    assert data["members"][0]["name"] == "Sergio Martín Vega"
    assert data["members"][0]["tax_id"] == "12345678Z"
    assert data["members"][2]["tax_id"] == ""
    people = get_line("salud").insured(data)
    assert [(person["name"], person["role"]) for person in people] == [
        ("Sergio Martín Vega", "titular"), ("Elena Ruiz Campos", "conyuge"), ("Daniel Martín Ruiz", "hijo"),
        ("Alba Martín Ruiz", "hijo")]


def test_exactly_one_titular():
    assert errors_for(members=[SPOUSE, SON]) == {"members": ["Debe haber exactamente un titular (hay 0)."]}
    assert errors_for(members=[TITULAR, {**SPOUSE, "relationship": "titular"}]) == {
        "members": ["Debe haber exactamente un titular (hay 2)."]}
    assert errors_for(members=[]) == {"members": ["Añada al menos un asegurado: el titular."]}


def test_titular_adult_single_spouse_no_duplicates():
    assert errors_for(members=[{**SON, "relationship": "titular"}]) == {
        "members": ["El titular debe ser mayor de edad."]}
    second_spouse = {**SPOUSE, "name": "Otra Persona", "tax_id": "X1234567L"}
    assert errors_for(members=[TITULAR, SPOUSE, second_spouse]) == {
        "members": ["Solo puede haber un cónyuge o pareja."]}
    assert errors_for(members=[TITULAR, {**SPOUSE, "tax_id": "12345678Z"}]) == {
        "members": ["Hay asegurados repetidos con el mismo DNI o NIE."]}


def test_member_rows_validated_by_row():
    errors = errors_for(members=[TITULAR, {**SPOUSE, "tax_id": ""}, {**SON, "birth_date": "2030-01-01"},
                                 {**BABY, "gender": "x", "tax_id": "1234"}])
    assert errors["members-1-tax_id"] == ["Los asegurados mayores de edad deben identificarse con su DNI o NIE."]
    assert errors["members-2-birth_date"] == ["La fecha de nacimiento no puede ser posterior a hoy."]
    assert errors["members-3-tax_id"] == ["«1234» no es un DNI o NIE válido (compruebe la letra de control)."]
    assert "members-3-gender" in errors


def test_modality_choice_refused():
    assert list(errors_for(modality="premium")) == ["modality"]


@pytest.fixture
def product(tenant_a):
    return make_product("salud")


def rate(product, on_date=EFFECTIVE, **changes):
    return rate_product(product=product, risk=risk_validate(line_code="salud", raw={**RISK, **changes}),
                        on_date=on_date)


def test_rating_worked_numbers(product):
    rating = rate(product)
    assert rating.eligible, rating.decline_reason
    assert rating.net_premium == D("2373.60")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("189.89"), D("0.00"), D("3.56"))
    assert rating.total_premium == D("2567.05")
    assert ("Elena Ruiz Campos, 40 años: cuota mensual", "54,00 €") in rating.breakdown
    assert ("Cuota anual (216,00 € × 12)", "2.592,00 €") in rating.breakdown
    assert ("Cobertura dental (4 asegurados × 72,00 €)", "+ 288,00 €") in rating.breakdown


def test_rating_single_reimbursement(product):
    # titular born 15/01/1970: 56 años → 88,00 €/mes × 12 = 1.056,00 × 1,90 (reembolso) × 1,00 (sin copago)
    # = 2.006,40 + 12,00 = 2.018,40; IPS 161,472 → 161,47; CLEA 3,0276 → 3,03; total 2.182,90
    rating = rate(product, modality="reembolso", copago=False, dental=False,
                  members=[{**TITULAR, "birth_date": "1970-01-15"}])
    assert rating.net_premium == D("2018.40")
    assert (rating.taxes.ips, rating.taxes.clea) == (D("161.47"), D("3.03"))
    assert rating.total_premium == D("2182.90")


def test_member_over_entry_age_declined(product):
    rating = rate(product, members=[{**TITULAR, "birth_date": "1960-06-01"}, SPOUSE])
    assert not rating.eligible
    assert rating.decline_reason == ("Sergio Martín Vega tiene 65 años el 01/03/2026 y supera la edad máxima de "
                                     "contratación del producto (64 años).")


def test_entry_age_across_29_february(tenant_a):
    # titular born 29/02/1960: 64 on 28/02/2025, 65 on 01/03/2025 (common year: the birthday counts on 1 March)
    product = make_product("salud", valid_from=datetime.date(2024, 1, 1))
    members = [{**TITULAR, "birth_date": "1960-02-29"}]
    assert rate(product, members=members, on_date=datetime.date(2025, 2, 28)).eligible
    assert rate(product, members=members, on_date=datetime.date(2025, 3, 1)).decline_reason.startswith(
        "Sergio Martín Vega tiene 65 años el 01/03/2025")


def test_baby_rate_changes_on_first_birthday(tenant_a):
    # born 29/02/2024: 0 años on 28/02/2025 (70,00 €/mes), 1 año on 01/03/2025 (38,00 €/mes)
    product = make_product("salud", valid_from=datetime.date(2024, 1, 1))
    members = [TITULAR, {**BABY, "birth_date": "2024-02-29"}]
    before = rate(product, members=members, on_date=datetime.date(2025, 2, 28))
    after = rate(product, members=members, on_date=datetime.date(2025, 3, 1))
    assert ("Alba Martín Ruiz, 0 años: cuota mensual", "70,00 €") in before.breakdown
    assert ("Alba Martín Ruiz, 1 años: cuota mensual", "38,00 €") in after.breakdown
    # (54 + 70) × 12 × 0,80 + 2 × 72 + 12 = 1.346,40 → (54 + 38) × 12 × 0,80 + 156 = 1.039,20
    assert (before.net_premium, after.net_premium) == (D("1346.40"), D("1039.20"))


def test_spec_registered_and_line_row(tenant_a):
    spec = get_line("salud")
    assert spec.dgsfp_class == "02"
    assert risk_validate(line_code="salud", raw=spec.sample_risk()) == spec.sample_risk()
    lines_sync()
    line = Line.objects.get(code="salud")
    assert line.consorcio_basis == ConsorcioBasis.NONE
    assert line.ips_applies and line.clea_applies and not line.is_life


def test_demo_risks_are_valid():
    import random

    spec = get_line("salud")
    rng = random.Random(11)
    for _ in range(50):
        risk_validate(line_code="salud", raw=spec.demo_risk(rng))
