"""Multirriesgo empresas: CNAE and premises validation, rating with worked numbers, declines.

Worked example (template tariff, effective 01/03/2026), RISK below (CNAE 4711 comercio, two premises,
RC de explotación 300.000 €, pérdida de beneficios 600 €/día):
  local 1 (propiedad): 250.000 + 80.000 + 120.000 = 450.000 × 1,20 ‰ = 540,00 × 0,90 (extintores, alarma) = 486,00
  local 2 (alquiler): 40.000 + 200.000 = 240.000 × 1,20 ‰ = 288,00 × 0,675 (extintores 1,00 × rociadores 0,75
  × alarma 0,90) = 194,40
  (486,00 + 194,40) = 680,40 × 1,00 (comercio) + 25,00 base = 705,40
  + RC 90,00 × 1,30 (facturación 850.000) = 117,00 + pérdida de beneficios 600 × 90 días × 2,50 ‰ = 135,00
  → 957,40 net
  IPS 8 % = 76,592 → 76,59 · CLEA 0,15 % = 1,4361 → 1,44 · Consorcio 0,18 ‰ × 690.000 = 124,20
  total 957,40 + 76,59 + 1,44 + 124,20 = 1.159,63
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
from apps.lines.empresas.cnae import cnae_group
from tests.fixtures.insurance import make_product

EFFECTIVE = datetime.date(2026, 3, 1)
SHOP = {"address": " Calle de Bravo  Murillo 120", "postal_code": "28020", "city": "Madrid", "built_area": 320,
        "ownership": "propiedad", "building_capital": "250000", "contents_capital": "80000",
        "stock_capital": "120000", "extinguishers": True, "sprinklers": False, "alarm": True}
WAREHOUSE = {"address": "Polígono Los Olivos, nave 14", "postal_code": "28906", "city": "Getafe", "built_area": 900,
             "ownership": "alquiler", "building_capital": None, "contents_capital": "40000",
             "stock_capital": "200000", "extinguishers": True, "sprinklers": True, "alarm": True}
RISK = {"cnae": "47.11", "activity_description": "Supermercado", "annual_turnover": "850000", "employees": 6,
        "rc_limit": "300000", "interruption": True, "interruption_daily": "600", "premises": [SHOP, WAREHOUSE]}


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        risk_validate(line_code="empresas", raw={**RISK, **changes})
    return caught.value.message_dict


def test_valid_risk_is_normalised():
    data = risk_validate(line_code="empresas", raw=RISK)
    assert data["cnae"] == "4711"
    assert data["premises"][0]["address"] == "Calle de Bravo Murillo 120"
    assert data["premises"][1]["building_capital"] is None
    spec = get_line("empresas")
    assert spec.sum_insured(data) == D("690000")
    assert spec.summary(data) == ("4711 · Comercio al por menor en establecimientos no especia… · 2 local(es) · "
                                  "690.000,00 € · RC 300.000,00 € · pérdida de beneficios 600,00 €/día")
    without = risk_validate(line_code="empresas", raw={**RISK, "interruption": False})
    assert without["interruption_daily"] is None


def test_cnae_code_checked():
    assert errors_for(cnae="47A1") == {"cnae": ["«47A1» no es un código CNAE 2009: son 4 cifras, p. ej. 4711 o 47.11."]}
    assert errors_for(cnae="471") == {"cnae": ["«471» no es un código CNAE 2009: son 4 cifras, p. ej. 4711 o 47.11."]}
    assert errors_for(cnae="0411") == {"cnae": ["«0411» no es un código CNAE 2009: la división 04 no existe."]}
    assert errors_for(cnae="9700") == {"cnae": [
        "El CNAE 9700 corresponde a hogares que emplean personal doméstico, no a una actividad empresarial: asegure "
        "la vivienda en el ramo de hogar."]}


def test_cnae_groups_from_list_or_section():
    assert (cnae_group("4711"), cnae_group("5610"), cnae_group("1610")) == ("comercio", "hosteleria", "riesgo_alto")
    # not in the shipped list: by division or section
    assert (cnae_group("2932"), cnae_group("4778"), cnae_group("6419"), cnae_group("4532")) == (
        "industria", "comercio", "oficinas", "taller")


def test_premises_required_and_not_repeated():
    assert errors_for(premises=[]) == {"premises": ["Añada al menos un local o nave."]}
    assert errors_for(premises=[SHOP, {**SHOP, "address": "calle de bravo murillo 120"}]) == {
        "premises": ["El local «calle de bravo murillo 120» (28020) está repetido."]}


def test_premises_rows_validated():
    errors = errors_for(premises=[{**SHOP, "building_capital": ""}, {**WAREHOUSE, "contents_capital": "0",
                                                                     "stock_capital": None},
                                  {**SHOP, "address": "Otra 1", "building_capital": "2000000"},
                                  {**WAREHOUSE, "address": "Otra 2", "postal_code": "99001", "built_area": 5}])
    assert errors["premises-0-building_capital"] == [
        "Un local en propiedad debe asegurar el continente: indique su capital."]
    assert errors["premises-1-contents_capital"] == [
        "Indique algún capital para este local: continente, contenido o existencias."]
    assert errors["premises-2-building_capital"] == [
        "El continente declarado (2.000.000,00 €) equivale a 6.250,00 € por m²: revise el capital o la superficie."]
    assert errors["premises-3-postal_code"][0].startswith("«99001» no es un código postal español")
    assert errors["premises-3-built_area"] == ["La superficie va de 10 a 200.000 m²."]


def test_business_interruption_rules():
    assert errors_for(interruption_daily="") == {
        "interruption_daily": ["Indique la indemnización diaria de la pérdida de beneficios."]}
    assert errors_for(interruption_daily="3000") == {"interruption_daily": [
        "La indemnización diaria (3.000,00 €) supera lo que factura la empresa en un día (2.328,77 €): la pérdida "
        "de beneficios no puede indemnizar más de lo que se deja de ganar."]}
    assert errors_for(annual_turnover="-5") == {"annual_turnover": ["La facturación no puede ser negativa."]}
    assert list(errors_for(rc_limit="200000")) == ["rc_limit"]


@pytest.fixture
def product(tenant_a):
    return make_product("empresas")


def rate(product, on_date=EFFECTIVE, **changes):
    return rate_product(product=product, risk=risk_validate(line_code="empresas", raw={**RISK, **changes}),
                        on_date=on_date)


def test_rating_worked_numbers(product):
    rating = rate(product)
    assert rating.eligible, rating.decline_reason
    assert rating.net_premium == D("957.40")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("76.59"), D("124.20"), D("1.44"))
    assert rating.total_premium == D("1159.63")
    assert ("Local 1 · Calle de Bravo Murillo 120, Madrid: 450.000,00 € al 1,20 ‰, protección × 0,90 "
            "(extintores, alarma)", "+ 486,00 €") in rating.breakdown
    assert ("Local 2 · Polígono Los Olivos, nave 14, Getafe: 240.000,00 € al 1,20 ‰, protección × 0,675 "
            "(extintores, rociadores, alarma)", "+ 194,40 €") in rating.breakdown
    assert ("RC de explotación 300.000,00 €: 90,00 € × 1,30 (facturación 850.000,00 €)", "+ 117,00 €") in \
        rating.breakdown
    assert ("Pérdida de beneficios 600,00 €/día × 90 días al 2,50 ‰", "+ 135,00 €") in rating.breakdown


def test_rating_industry_code_outside_the_list(product):
    # CNAE 2932 (sección C → industria 2,10), one owned nave 600.000 + 300.000 + 100.000 = 1.000.000 × 1,20 ‰
    # = 1.200,00 × 0,75 (extintores, rociadores) = 900,00 × 2,10 = 1.890,00 + 25,00 = 1.915,00
    # + RC 600.000: 130,00 × 1,70 (facturación 2.500.000) = 221,00 → 2.136,00
    # IPS 170,88 · CLEA 3,204 → 3,20 · Consorcio 1.000.000 × 0,18 ‰ = 180,00 · total 2.490,08
    nave = {**SHOP, "built_area": 2000, "building_capital": "600000", "contents_capital": "300000",
            "stock_capital": "100000", "sprinklers": True, "alarm": False}
    rating = rate(product, cnae="2932", annual_turnover="2500000", rc_limit="600000", interruption=False,
                  premises=[nave])
    assert rating.net_premium == D("2136.00")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("170.88"), D("180.00"), D("3.20"))
    assert rating.total_premium == D("2490.08")


def test_minimum_premium(product):
    # asesoría (6920, oficinas 0,70) in a rented office, contents 60.000 × 1,20 ‰ = 72,00 × 0,90 (alarma) = 64,80
    # × 0,70 = 45,36 + 25,00 = 70,36 < 180,00 → 180,00; IPS 14,40 · CLEA 0,27 · Consorcio 60.000 × 0,18 ‰ = 10,80
    office = {**WAREHOUSE, "contents_capital": "60000", "stock_capital": None, "sprinklers": False}
    rating = rate(product, cnae="6920", annual_turnover="250000", rc_limit="", interruption=False, premises=[office])
    assert rating.net_premium == D("180.00")
    assert rating.total_premium == D("205.47")


def test_declined_activity_protection_and_capital(product):
    assert rate(product, cnae="1610").decline_reason == (
        "El producto no asegura actividades del grupo «Industria de alto riesgo de incendio (madera, plásticos, "
        "química, papel)» (CNAE 1610).")
    assert rate(product, premises=[SHOP, {**WAREHOUSE, "extinguishers": False}]).decline_reason == (
        "El local de Polígono Los Olivos, nave 14, Getafe no tiene extintores y el producto los exige en todos "
        "los locales.")
    big = {**WAREHOUSE, "contents_capital": "3000000", "stock_capital": "3500000"}
    assert rate(product, premises=[big]).decline_reason == (
        "El capital del local de Polígono Los Olivos, nave 14, Getafe (6.500.000,00 €) supera el máximo por local "
        "del producto (6.000.000,00 €).")


def test_spec_registered_and_line_row(tenant_a):
    spec = get_line("empresas")
    assert spec.dgsfp_class == "08"
    assert risk_validate(line_code="empresas", raw=spec.sample_risk()) == spec.sample_risk()
    lines_sync()
    line = Line.objects.get(code="empresas")
    assert line.consorcio_basis == ConsorcioBasis.PER_MILLE_CAPITAL
    assert line.consorcio_rate == D("0.18")
    assert line.ips_applies and line.clea_applies and not line.is_life


def test_demo_risks_are_valid_and_taken_by_the_template_product(tenant_a):
    import random

    from apps.lines.common import today

    spec = get_line("empresas")
    product = make_product("empresas")
    rng = random.Random(9)
    for _ in range(50):
        risk = risk_validate(line_code="empresas", raw=spec.demo_risk(rng))
        rating = rate_product(product=product, risk=risk, on_date=today())
        assert rating.eligible, (rating.decline_reason, risk)
        assert rating.net_premium >= product.tariffs.get().minimum_premium
