"""Decesos: members validation, rating with worked numbers, entry age limit, ages at the date.

Worked example (template tariff, effective 01/03/2026), RISK below (servicio completo, prima natural, CP 28043):
  titular born 15/06/1971: 54 años → 62,00 · cónyuge born 01/03/1966: 60 that very day → 105,00
  madre born 20/11/1953: 72 años → 240,00 · hijo born 01/09/2010: 15 años → 22,00
  (62 + 105 + 240 + 22) = 429,00 × 1,00 (natural) × 1,25 (completo) = 536,25 × 1,15 (provincia 28) = 616,6875
  + gastos 6,00 = 622,6875 → 622,69 net
  IPS 8 % = 49,8152 → 49,82 · CLEA 0,15 % = 0,934035 → 0,93 · Consorcio no aplica 0,00
  total 622,69 + 49,82 + 0,93 = 673,44
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
TITULAR = {"name": " Antonio   López García", "tax_id": "12345678z", "birth_date": "1971-06-15",
           "relationship": "titular"}
SPOUSE = {"name": "Rosa Fernández Gil", "tax_id": "87654321X", "birth_date": "1966-03-01", "relationship": "conyuge"}
MOTHER = {"name": "Carmen García Ruiz", "tax_id": "", "birth_date": "1953-11-20", "relationship": "padre"}
SON = {"name": "Pablo López Fernández", "birth_date": "2010-09-01", "relationship": "hijo"}
RISK = {"postal_code": "28043", "service_level": "completo", "premium_type": "natural",
        "members": [TITULAR, SPOUSE, MOTHER, SON]}


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        risk_validate(line_code="decesos", raw={**RISK, **changes})
    return caught.value.message_dict


def test_valid_risk_is_normalised_and_members_listed():
    data = risk_validate(line_code="decesos", raw=RISK)
    assert data["members"][0]["name"] == "Antonio López García"
    assert data["members"][0]["tax_id"] == "12345678Z"
    assert data["members"][0]["birth_date"] == "1971-06-15"
    assert data["members"][3]["tax_id"] == "" and data["members"][3]["entry_date"] is None
    spec = get_line("decesos")
    assert [(person["name"], person["role"]) for person in spec.insured(data)] == [
        ("Antonio López García", "titular"), ("Rosa Fernández Gil", "conyuge"), ("Carmen García Ruiz", "padre"),
        ("Pablo López Fernández", "hijo")]
    assert spec.summary(data) == ("Servicio completo · prima natural · Antonio López García · 4 asegurado(s) · "
                                  "CP 28043")
    assert spec.sum_insured(data) is None


def test_at_least_one_member_and_one_adult_titular():
    assert errors_for(members=[]) == {"members": ["Añada al menos un asegurado: el titular."]}
    assert errors_for(members=[SPOUSE, SON]) == {"members": ["Debe haber exactamente un titular (hay 0)."]}
    assert errors_for(members=[TITULAR, {**SPOUSE, "relationship": "titular"}]) == {
        "members": ["Debe haber exactamente un titular (hay 2)."]}
    from apps.lines.common import add_years, today

    minor = {**SON, "relationship": "titular", "birth_date": add_years(today(), -17).isoformat()}
    assert errors_for(members=[minor]) == {
        "members": ["El titular debe ser mayor de edad."]}


def test_no_member_twice_and_one_spouse():
    assert errors_for(members=[TITULAR, {**SPOUSE, "tax_id": "12345678Z"}]) == {
        "members": ["Hay asegurados repetidos con el mismo DNI o NIE."]}
    assert errors_for(members=[TITULAR, SON, dict(SON)]) == {
        "members": ["Hay asegurados repetidos (mismo nombre y fecha de nacimiento)."]}
    assert errors_for(members=[TITULAR, SPOUSE, {**SPOUSE, "name": "Otra Pareja", "tax_id": ""}]) == {
        "members": ["Solo puede haber un cónyuge o pareja."]}


def test_member_rows_validated_by_row():
    errors = errors_for(members=[TITULAR, {**SPOUSE, "tax_id": "1234"}, {**MOTHER, "birth_date": "2099-01-01"},
                                 {**SON, "entry_date": "2009-12-31"}, {**SON, "name": "", "relationship": "vecino"}])
    assert errors["members-1-tax_id"] == ["«1234» no es un DNI o NIE válido (compruebe la letra de control)."]
    assert errors["members-2-birth_date"] == ["La fecha de nacimiento no puede ser posterior a hoy."]
    assert errors["members-3-entry_date"] == ["La fecha de alta no puede ser anterior a la fecha de nacimiento."]
    assert "members-4-name" in errors and "members-4-relationship" in errors
    assert errors_for(members=[{**TITULAR, "birth_date": "1899-12-31"}]) == {
        "members-0-birth_date": ["La fecha de nacimiento no puede ser anterior a 1900."]}


def test_risk_fields_refused():
    assert errors_for(postal_code="53001") == {"postal_code": [
        "«53001» no es un código postal español: son 5 cifras y empiezan por el código de provincia (01 a 52)."]}
    errors = errors_for(service_level="lujo", premium_type="mixta")
    assert list(errors) == ["service_level", "premium_type"]


@pytest.fixture
def product(tenant_a):
    return make_product("decesos")


def rate(product, on_date=EFFECTIVE, **changes):
    return rate_product(product=product, risk=risk_validate(line_code="decesos", raw={**RISK, **changes}),
                        on_date=on_date)


def test_rating_worked_numbers(product):
    rating = rate(product)
    assert rating.eligible, rating.decline_reason
    assert rating.net_premium == D("622.69")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("49.82"), D("0.00"), D("0.93"))
    assert rating.total_premium == D("673.44")
    assert ("Rosa Fernández Gil, 60 años: prima anual", "105,00 €") in rating.breakdown
    assert ("Suma de 4 asegurado(s)", "429,00 €") in rating.breakdown
    assert ("Completo con traslado nacional e internacional", "× 1,25") in rating.breakdown
    assert ("Provincia del servicio 28", "× 1,15") in rating.breakdown
    assert rating.breakdown[-1] == ("Prima neta", "622,69 €")


def test_level_premium_uses_entry_age(product):
    # nivelada, titular already insured since 10/01/2016 (entry age 44 → 40,00) though 54 today:
    # 40,00 × 1,85 (nivelada) × 1,00 (básico) × 1,00 (provincia 41) = 74,00 + 6,00 = 80,00 net
    # IPS 6,40 · CLEA 0,12 · total 86,52
    rating = rate(product, premium_type="nivelada", service_level="basico", postal_code="41010",
                  members=[{**TITULAR, "entry_date": "2016-01-10"}])
    assert rating.net_premium == D("80.00")
    assert (rating.taxes.ips, rating.taxes.clea, rating.total_premium) == (D("6.40"), D("0.12"), D("86.52"))
    assert ("Antonio López García, 54 años (edad de entrada 44): prima anual", "40,00 €") in rating.breakdown
    # the same person entering today: entry age 54 → 62,00 × 1,85 = 114,70 + 6,00 = 120,70
    assert rate(product, premium_type="nivelada", service_level="basico", postal_code="41010",
                members=[TITULAR]).net_premium == D("120.70")


def test_minimum_premium(product):
    # single child-free young titular, básico, natural: 25 años → 28,00 + 6,00 = 34,00 ≥ 30,00 minimum;
    # 19 años → 22,00 + 6,00 = 28,00 < 30,00 → the product's minimum 30,00
    assert rate(product, service_level="basico", postal_code="41010",
                members=[{**TITULAR, "birth_date": "2000-05-01"}]).net_premium == D("34.00")
    young = rate(product, service_level="basico", postal_code="41010",
                 members=[{**TITULAR, "birth_date": "2006-05-01"}])
    assert young.net_premium == D("30.00")


def test_member_over_entry_age_declined(product):
    father = {"name": "Manuel López Sanz", "tax_id": "", "birth_date": "1950-02-28", "relationship": "padre"}
    rating = rate(product, members=[TITULAR, father])
    assert not rating.eligible
    assert rating.decline_reason == ("Manuel López Sanz tiene 76 años el 01/03/2026 y supera la edad máxima de "
                                     "entrada del producto (75 años).")
    # already insured since he was 64: the entry age is what counts; natural premium at 76 → 340,00
    insured = rate(product, members=[TITULAR, {**father, "entry_date": "2014-06-01"}])
    assert insured.eligible
    assert ("Manuel López Sanz, 76 años: prima anual", "340,00 €") in insured.breakdown


def test_age_band_across_29_february(tenant_a):
    # titular born 29/02/1972: 54 on 28/02/2027 (62,00), 55 on 01/03/2027 (105,00: the birthday counts on 1 March)
    product = make_product("decesos", valid_from=datetime.date(2026, 1, 1))
    members = [{**TITULAR, "birth_date": "1972-02-29"}]
    before = rate(product, members=members, on_date=datetime.date(2027, 2, 28), service_level="basico",
                  postal_code="41010")
    after = rate(product, members=members, on_date=datetime.date(2027, 3, 1), service_level="basico",
                 postal_code="41010")
    assert ("Antonio López García, 54 años: prima anual", "62,00 €") in before.breakdown
    assert ("Antonio López García, 55 años: prima anual", "105,00 €") in after.breakdown
    assert (before.net_premium, after.net_premium) == (D("68.00"), D("111.00"))


def test_entry_age_limit_across_29_february(tenant_a):
    # born 29/02/1952: 75 on 28/02/2028 (accepted), 76 on 29/02/2028 (leap year birthday: declined)
    product = make_product("decesos", valid_from=datetime.date(2026, 1, 1))
    members = [TITULAR, {**MOTHER, "birth_date": "1952-02-29"}]
    assert rate(product, members=members, on_date=datetime.date(2028, 2, 28)).eligible
    assert rate(product, members=members, on_date=datetime.date(2028, 2, 29)).decline_reason.startswith(
        "Carmen García Ruiz tiene 76 años el 29/02/2028")


def test_spec_registered_and_line_row(tenant_a):
    spec = get_line("decesos")
    assert spec.dgsfp_class == "19"
    assert risk_validate(line_code="decesos", raw=spec.sample_risk()) == spec.sample_risk()
    lines_sync()
    line = Line.objects.get(code="decesos")
    assert line.consorcio_basis == ConsorcioBasis.NONE
    assert line.ips_applies and line.clea_applies and not line.is_life
    assert line.dgsfp_class == "19"


def test_demo_risks_are_valid_and_taken_by_the_template_product(tenant_a):
    import random

    from apps.lines.common import today

    spec = get_line("decesos")
    product = make_product("decesos")
    rng = random.Random(7)
    for _ in range(50):
        risk = risk_validate(line_code="decesos", raw=spec.demo_risk(rng))
        rating = rate_product(product=product, risk=risk, on_date=today())
        assert rating.eligible, (rating.decline_reason, risk)
        assert rating.net_premium >= product.tariffs.get().minimum_premium
