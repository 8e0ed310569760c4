"""Accidentes: validation of the insured and capitals, rating with worked numbers, declines, ages.

Worked example (template tariff, effective 01/03/2026), RISK below (clase 2, 24 h):
  fallecimiento 100.000 × 0,90 ‰ = 90,00 + incapacidad 150.000 × 1,10 ‰ = 165,00 → 255,00
  × 1,35 (clase 2) = 344,25 × 1,00 (24 h) = 344,25 + hospitalización 30,00 €/día × 1,50 = 45,00
  + gastos 10,00 = 399,25 net
  IPS 8 % = 31,94 · CLEA 0,15 % = 0,598875 → 0,60 · Consorcio 0,003 ‰ × 150.000 (mayor capital) = 0,45
  total 399,25 + 31,94 + 0,60 + 0,45 = 432,24
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
RISK = {"insured_name": "  Javier   Gómez Sanz ", "insured_tax_id": "12345678-z", "birth_date": "1980-07-20",
        "risk_class": "2", "profession": "Comercial", "cover_scope": "24h", "death_capital": "100000",
        "disability_capital": "150000", "daily_allowance": "30"}


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        risk_validate(line_code="accidentes", raw={**RISK, **changes})
    return caught.value.message_dict


def test_valid_risk_is_normalised():
    data = risk_validate(line_code="accidentes", raw=RISK)
    assert data["insured_name"] == "Javier Gómez Sanz"
    assert data["insured_tax_id"] == "12345678Z"
    assert (data["death_capital"], data["disability_capital"], data["daily_allowance"]) == ("100000", "150000", "30")
    spec = get_line("accidentes")
    assert spec.sum_insured(data) == D("150000")
    assert spec.insured(data) == [{"name": "Javier Gómez Sanz", "tax_id": "12345678Z", "birth_date": "1980-07-20",
                                   "role": "asegurado"}]
    without_allowance = risk_validate(line_code="accidentes", raw={**RISK, "daily_allowance": ""})
    assert without_allowance["daily_allowance"] is None


def test_insured_person_refused():
    assert list(errors_for(insured_tax_id="")) == ["insured_tax_id"]
    assert errors_for(insured_tax_id="12345678A") == {
        "insured_tax_id": ["«12345678A» no es un DNI o NIE válido (compruebe la letra de control)."]}
    assert errors_for(birth_date="2099-01-01") == {
        "birth_date": ["La fecha de nacimiento no puede ser posterior a hoy."]}
    assert list(errors_for(risk_class="5")) == ["risk_class"]
    assert list(errors_for(cover_scope="ocio")) == ["cover_scope"]


def test_capitals_refused():
    assert errors_for(death_capital="0", disability_capital="0") == {
        "death_capital": ["Indique al menos un capital: fallecimiento o incapacidad permanente."]}
    assert errors_for(disability_capital="-1") == {"disability_capital": ["El capital no puede ser negativo."]}
    assert errors_for(daily_allowance="301") == {
        "daily_allowance": ["La indemnización diaria por hospitalización no puede superar 300,00 € al día."]}


def test_no_death_cover_for_children_under_14():
    from apps.lines.common import add_years, today

    child = {"birth_date": add_years(today(), -10).isoformat(), "insured_tax_id": "87654321X"}
    assert errors_for(**child) == {"death_capital": [
        "No se puede asegurar el fallecimiento de un menor de 14 años (art. 83 de la Ley de Contrato de Seguro): "
        "deje el capital por fallecimiento a 0 y asegure la incapacidad permanente."]}
    data = risk_validate(line_code="accidentes", raw={**RISK, **child, "death_capital": "0"})
    assert data["death_capital"] == "0"


@pytest.fixture
def product(tenant_a):
    return make_product("accidentes")


def rate(product, on_date=EFFECTIVE, **changes):
    return rate_product(product=product, risk=risk_validate(line_code="accidentes", raw={**RISK, **changes}),
                        on_date=on_date)


def test_rating_worked_numbers(product):
    rating = rate(product)
    assert rating.eligible, rating.decline_reason
    assert rating.net_premium == D("399.25")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("31.94"), D("0.45"), D("0.60"))
    assert rating.total_premium == D("432.24")
    assert ("Fallecimiento 100.000,00 € al 0,90 ‰", "+ 90,00 €") in rating.breakdown
    assert ("Incapacidad permanente 150.000,00 € al 1,10 ‰", "+ 165,00 €") in rating.breakdown
    assert ("Clase de riesgo 2", "× 1,35") in rating.breakdown
    assert ("Hospitalización 30,00 €/día × 1,50", "+ 45,00 €") in rating.breakdown


def test_rating_professional_only_disability(product):
    # clase 3, solo incapacidad 200.000 × 1,10 ‰ = 220,00 × 1,90 = 418,00 × 0,65 (solo profesional) = 271,70
    # + 10,00 = 281,70; IPS 22,536 → 22,54; CLEA 0,42255 → 0,42; Consorcio 200.000 × 0,003 ‰ = 0,60; total 305,26
    rating = rate(product, risk_class="3", cover_scope="profesional", death_capital="0", disability_capital="200000",
                  daily_allowance=None)
    assert rating.net_premium == D("281.70")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("22.54"), D("0.60"), D("0.42"))
    assert rating.total_premium == D("305.26")
    assert ("Solo accidentes en el ejercicio de la profesión (incluido in itinere)", "× 0,65") in rating.breakdown


def test_minimum_premium(product):
    # clase 1, fallecimiento 30.000 × 0,90 ‰ = 27,00 + 10,00 = 37,00 < 40,00 → 40,00
    rating = rate(product, risk_class="1", death_capital="30000", disability_capital="0", daily_allowance=None)
    assert rating.net_premium == D("40.00")


def test_declined_class_capital_and_allowance(product):
    assert rate(product, risk_class="4").decline_reason == (
        "El producto no asegura profesiones de clase de riesgo 4 (admite hasta la clase 3).")
    assert rate(product, disability_capital="700000").decline_reason == (
        "El capital asegurado (700.000,00 €) supera el máximo del producto (600.000,00 €).")
    assert rate(product, daily_allowance="200").decline_reason == (
        "La indemnización diaria (200,00 €) supera el máximo del producto (150,00 € al día).")


def test_class_4_accepted_where_the_tariff_takes_it(tenant_a):
    # same risk in clase 4 with max_risk_class 4: 255,00 × 2,80 = 714,00 + 45,00 + 10,00 = 769,00
    spec = get_line("accidentes")
    template = spec.tariff_template()
    from dataclasses import replace

    product = make_product("accidentes", template=replace(template, parameters={
        **template.parameters, "max_risk_class": "4"}))
    assert rate(product, risk_class="4").net_premium == D("769.00")


def test_max_age_across_29_february(tenant_a):
    # born 29/02/1956: 70 on 28/02/2027 (accepted, max_age 70), 71 on 01/03/2027 (declined)
    product = make_product("accidentes", valid_from=datetime.date(2026, 1, 1))
    assert rate(product, birth_date="1956-02-29", on_date=datetime.date(2027, 2, 28)).eligible
    declined = rate(product, birth_date="1956-02-29", on_date=datetime.date(2027, 3, 1))
    assert declined.decline_reason == ("El asegurado tiene 71 años el 01/03/2027 y supera la edad máxima de "
                                       "contratación del producto (70 años).")


def test_spec_registered_and_line_row(tenant_a):
    spec = get_line("accidentes")
    assert spec.dgsfp_class == "01"
    assert risk_validate(line_code="accidentes", raw=spec.sample_risk()) == spec.sample_risk()
    lines_sync()
    line = Line.objects.get(code="accidentes")
    assert line.consorcio_basis == ConsorcioBasis.PER_MILLE_CAPITAL
    assert line.consorcio_rate == D("0.003")
    assert line.ips_applies and line.clea_applies and not line.is_life


def test_demo_risks_are_valid_and_taken_by_the_template_product(tenant_a):
    import random

    from apps.lines.common import today

    spec = get_line("accidentes")
    product = make_product("accidentes")
    rng = random.Random(5)
    for _ in range(50):
        risk = risk_validate(line_code="accidentes", raw=spec.demo_risk(rng))
        rating = rate_product(product=product, risk=risk, on_date=today())
        assert rating.eligible, (rating.decline_reason, risk)
        assert rating.net_premium >= product.tariffs.get().minimum_premium
