"""Responsabilidad civil: validation of activity, limits and extensions, rating with worked numbers, declines.

Worked example (template tariff, effective 01/03/2026), RISK below (hostelería, 420.000 € facturación,
8 empleados, límite 600.000 €, franquicia 300 €, RC patronal 150.000 € por víctima, RC productos):
  180,00 base × 1,30 (hostelería) = 234,00 × 1,35 (límite 600.000) = 315,90 × 1,30 (facturación 150.000-500.000)
  = 410,67 × 0,90 (franquicia 300) = 369,603 × 1,15 (productos) = 425,04345
  + RC patronal 8 × 18,00 × 1,25 (sublímite 150.000) = 180,00 → 605,04345 → 605,04 net
  IPS 8 % = 48,4032 → 48,40 · CLEA 0,15 % = 0,90756 → 0,91 · Consorcio no aplica 0,00
  total 605,04 + 48,40 + 0,91 = 654,35
"""
import datetime
from dataclasses import replace
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
RISK = {"activity": "hosteleria", "activity_description": "  Restaurante   con terraza ", "annual_turnover": "420000",
        "employees": 8, "limit": "600000", "deductible": "300", "patronal": True, "victim_sublimit": "150000",
        "products": True, "post_works": False}


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationError) as caught:
        risk_validate(line_code="rc", raw={**RISK, **changes})
    return caught.value.message_dict


def test_valid_risk_is_normalised():
    data = risk_validate(line_code="rc", raw=RISK)
    assert data["activity_description"] == "Restaurante con terraza"
    assert (data["annual_turnover"], data["employees"], data["limit"]) == ("420000", 8, "600000")
    spec = get_line("rc")
    assert spec.sum_insured(data) == D("600000")
    assert spec.summary(data) == ("Hostelería: restaurante, bar o cafetería (CNAE 5610) · límite 600.000,00 € · "
                                  "8 empleados · patronal, productos")
    # without RC patronal the per-victim sublimit is dropped
    assert risk_validate(line_code="rc", raw={**RISK, "patronal": False})["victim_sublimit"] == ""


def test_choices_and_amounts_refused():
    errors = errors_for(activity="fabrica_cohetes", limit="450000", deductible="50")
    assert list(errors) == ["activity", "limit", "deductible"]
    assert errors_for(annual_turnover="-1") == {"annual_turnover": ["La facturación no puede ser negativa."]}
    assert errors_for(employees=-2) == {"employees": ["El número de empleados no puede ser negativo."]}


def test_patronal_needs_employees_and_a_sublimit_within_the_limit():
    assert errors_for(employees=0) == {"patronal": [
        "La RC patronal cubre los accidentes de trabajo de los empleados: indique cuántos empleados hay o "
        "desmarque la RC patronal."]}
    assert errors_for(victim_sublimit="") == {"victim_sublimit": ["Elija el sublímite por víctima de la RC patronal."]}
    assert errors_for(limit="300000", victim_sublimit="600000") == {"victim_sublimit": [
        "El sublímite por víctima (600.000,00 €) no puede superar el límite por siniestro (300.000,00 €)."]}


def test_extensions_only_where_they_apply():
    assert errors_for(activity="asesoria") == {"products": [
        "La RC de productos no aplica a «Asesoría y gestoría»: la actividad no fabrica, vende ni sirve productos."]}
    assert errors_for(post_works=True) == {"post_works": [
        "La RC post-trabajos solo aplica a actividades que ejecutan obras, instalaciones o reparaciones."]}
    assert risk_validate(line_code="rc", raw={**RISK, "activity": "construccion", "post_works": True})["post_works"]


@pytest.fixture
def product(tenant_a):
    return make_product("rc")


def rate(product, on_date=EFFECTIVE, **changes):
    return rate_product(product=product, risk=risk_validate(line_code="rc", raw={**RISK, **changes}), on_date=on_date)


def test_rating_worked_numbers(product):
    rating = rate(product)
    assert rating.eligible, rating.decline_reason
    assert rating.net_premium == D("605.04")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("48.40"), D("0.00"), D("0.91"))
    assert rating.total_premium == D("654.35")
    assert ("Límite por siniestro 600.000,00 €", "× 1,35") in rating.breakdown
    assert ("Facturación 420.000,00 €", "× 1,30") in rating.breakdown
    assert ("Franquicia: 300 €", "× 0,90") in rating.breakdown
    assert ("RC patronal: 8 empleados × 18,00 € × 1,25 (sublímite 150.000,00 € por víctima)",
            "+ 180,00 €") in rating.breakdown


def test_rating_construction_all_extensions(product):
    # construcción, 2.000.000 € facturación, 25 empleados, límite 3.000.000, franquicia 1.500, patronal 600.000:
    # 180 × 3,00 = 540,00 × 2,60 = 1.404,00 × 2,40 = 3.369,60 × 0,75 = 2.527,20 × 1,15 (productos) = 2.906,28
    # × 1,20 (post-trabajos) = 3.487,536 + 25 × 18,00 × 2,10 = 945,00 → 4.432,536 → 4.432,54
    # IPS 354,6032 → 354,60 · CLEA 6,64881 → 6,65 · total 4.793,79
    rating = rate(product, activity="construccion", annual_turnover="2000000", employees=25, limit="3000000",
                  deductible="1500", victim_sublimit="600000", post_works=True)
    assert rating.net_premium == D("4432.54")
    assert (rating.taxes.ips, rating.taxes.clea, rating.total_premium) == (D("354.60"), D("6.65"), D("4793.79"))


def test_minimum_premium(product):
    # asesoría sin empleados, 90.000 € facturación, límite 300.000, sin franquicia: 180 × 0,80 = 144,00 < 150,00
    rating = rate(product, activity="asesoria", annual_turnover="90000", employees=0, limit="300000", deductible="0",
                  patronal=False, products=False)
    assert rating.net_premium == D("150.00")
    assert rating.breakdown[-1][0] == "Prima mínima del producto"


def test_declined_size_and_activity(product):
    assert rate(product, annual_turnover="7000000").decline_reason == (
        "La facturación (7.000.000,00 €) supera el máximo que acepta el producto (6.000.000,00 €).")
    assert rate(product, employees=150).decline_reason == (
        "La plantilla (150 empleados) supera el máximo que acepta el producto (100).")
    template = get_line("rc").tariff_template()
    no_builders = make_product("rc", template=replace(template, factors=[
        row for row in template.factors if (row[0], row[1]) != ("activity", "construccion")]))
    assert rate(no_builders, activity="construccion").decline_reason == (
        "El producto no asegura la actividad «Construcción y reformas».")


def test_spec_registered_and_line_row(tenant_a):
    spec = get_line("rc")
    assert spec.dgsfp_class == "13"
    assert risk_validate(line_code="rc", raw=spec.sample_risk()) == spec.sample_risk()
    lines_sync()
    line = Line.objects.get(code="rc")
    assert line.consorcio_basis == ConsorcioBasis.NONE
    assert line.ips_applies and line.clea_applies and not line.is_life


def test_demo_risks_are_valid_and_taken_by_the_template_product(tenant_a):
    import random

    from apps.lines.common import today

    spec = get_line("rc")
    product = make_product("rc")
    rng = random.Random(3)
    for _ in range(50):
        risk = risk_validate(line_code="rc", raw=spec.demo_risk(rng))
        rating = rate_product(product=product, risk=risk, on_date=today())
        assert rating.eligible, (rating.decline_reason, risk)
        assert rating.net_premium >= product.tariffs.get().minimum_premium
