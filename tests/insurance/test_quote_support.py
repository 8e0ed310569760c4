"""A throwaway line («qtest») the quote tests register themselves, so they do not depend on the
real line apps, plus the catalog the quote tests compare: three insurers and a fourth product
that declines. Imported by the other test_quote*.py modules; its own tests pin the worked numbers.

Worked numbers (risk: capital 20.000 €, holder aged 30, private use; effective 01/03/2026):
net = (base + capital × 1,5 ‰) × age factor 1,00 × use factor 1,00
  Gamma (base  90): 120,00 → IPS 9,60 · Consorcio 1,00 (0,05 ‰ of 20.000) · CLEA 0,18 → 130,78
  Alfa  (base 100): 130,00 → IPS 10,40 · Consorcio 1,00 · CLEA 0,195 → 0,20 → 141,60
  Beta  (base 120): 150,00 → IPS 12,00 · Consorcio 1,00 · CLEA 0,225 → 0,23 → 163,23
  Delta (max age 25): declined.
"""
import datetime
from decimal import Decimal

import pytest
from django import forms

from apps.crm.services.parties import party_create
from apps.insurance.choices import ConsorcioBasis
from apps.insurance.lines import LineSpec, TariffTemplate, register_line, unregister_line
from apps.insurance.models import CommissionAgreement
from apps.insurance.rating import Declined, LineRating, money
from apps.insurance.services.lines import lines_sync
from apps.insurance.services.risks import risk_validate
from tests.fixtures.insurance import make_insurer, make_product

D = Decimal
LINE = "qtest"
EFFECTIVE = datetime.date(2026, 3, 1)
RISK = {"capital": "20000", "holder_age": 30, "use": "private",
        "items": [{"name": "Bicicleta", "value": "900"}]}


class QtestRiskForm(forms.Form):
    capital = forms.DecimalField(label="Capital asegurado", min_value=1000, max_digits=12, decimal_places=2,
                                 help_text="Valor de lo asegurado en euros.")
    holder_age = forms.IntegerField(label="Edad del tomador", min_value=18, max_value=99)
    use = forms.ChoiceField(label="Uso", choices=[("private", "Particular"), ("professional", "Profesional")])


class QtestItemForm(forms.Form):
    name = forms.CharField(label="Objeto", max_length=60)
    value = forms.DecimalField(label="Valor", min_value=0, max_digits=10, decimal_places=2)


def qtest_rate(inp):
    table, risk = inp.tariff, inp.risk
    age = int(risk["holder_age"])
    if age > table.param("max_age", "99"):
        raise Declined(f"Edad máxima de contratación {table.param('max_age')} años")
    capital = D(risk["capital"])
    base = table.base_premium + capital * table.param("per_mille") / 1000
    age_factor = table.factor("age", age)
    use_factor = table.factor("use", risk["use"])
    return LineRating(net_premium=money(base * age_factor * use_factor),
                      breakdown=[("Base y capital", f"{base}"), ("Edad", f"× {age_factor}"),
                                 ("Uso", f"× {use_factor}")])


def qtest_template() -> TariffTemplate:
    return TariffTemplate(
        base_premium=D("100.00"), minimum_premium=D("50.00"), parameters={"per_mille": "1.5"},
        factors=[("age", "", D("18"), D("25"), D("1.5")), ("age", "", D("25"), D("100"), D("1.0")),
                 ("use", "private", None, None, D("1.0")), ("use", "professional", None, None, D("1.2"))],
        coverages=[("damage", "Daños", "included", None, "100 % del capital", D("0")),
                   ("liability", "Responsabilidad civil", "included", D("300000"), "", D("150")),
                   ("legal", "Defensa jurídica", "optional", D("3000"), "", D("0"))],
    )


SPEC = LineSpec(
    code=LINE, name="Ramo de prueba", dgsfp_class="09", risk_form=QtestRiskForm, rate=qtest_rate,
    summary=lambda data: f"Capital {data['capital']} €, tomador de {data['holder_age']} años",
    tariff_template=qtest_template, sample_risk=lambda: dict(RISK), row_forms={"items": QtestItemForm},
    row_labels={"items": "Objetos"}, sum_insured=lambda data: D(data["capital"]),
    consorcio_basis=ConsorcioBasis.PER_MILLE_CAPITAL, consorcio_rate=D("0.05"), order=999,
)


@pytest.fixture
def qline(tenant_a):
    register_line(SPEC)
    lines_sync()
    yield SPEC
    unregister_line(LINE)


@pytest.fixture
def client_party(tenant_a, users_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Lucía", "last_name": "Prieto Gómez",
                                          "tax_id": "12345678Z", "account_manager": users_a["comercial"]})


@pytest.fixture
def other_party(tenant_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Mario", "last_name": "Sanz",
                                          "tax_id": "87654321X"})


@pytest.fixture
def catalog(qline):
    """Three insurers that take the risk and a fourth whose product declines it."""
    alfa, beta, gamma, delta = (make_insurer(name) for name in ("Alfa Seguros", "Beta Mutua", "Gamma Vida",
                                                                 "Delta Seguros"))
    products = {
        "alfa": make_product(LINE, alfa, code="QA"),
        "beta": make_product(LINE, beta, code="QB", scale=D("1.2")),
        "gamma": make_product(LINE, gamma, code="QG", scale=D("0.9")),
    }
    young_only = qtest_template()
    young_only = TariffTemplate(base_premium=young_only.base_premium, parameters={"per_mille": "1.5", "max_age": "25"},
                                factors=young_only.factors, coverages=young_only.coverages[:1])
    products["delta"] = make_product(LINE, delta, code="QD", template=young_only)
    CommissionAgreement.objects.create(insurer=alfa, valid_from=datetime.date(2025, 1, 1), new_business_pct=D("12"),
                                       renewal_pct=D("10"))
    CommissionAgreement.objects.create(insurer=beta, valid_from=datetime.date(2025, 1, 1), new_business_pct=D("10"),
                                       renewal_pct=D("8"))
    CommissionAgreement.objects.create(insurer=beta, product=products["beta"], valid_from=datetime.date(2026, 1, 1),
                                       new_business_pct=D("15"), renewal_pct=D("9"))
    return products


def test_the_test_line_validates_and_rates_with_worked_numbers(catalog):
    from apps.insurance.services.rating import rate_product

    risk = risk_validate(line_code=LINE, raw=RISK)
    assert risk["capital"] == "20000" and risk["items"] == [{"name": "Bicicleta", "value": "900"}]
    rating = rate_product(product=catalog["alfa"], risk=risk, on_date=EFFECTIVE)
    assert rating.eligible and rating.net_premium == D("130.00")
    assert (rating.taxes.ips, rating.taxes.consorcio, rating.taxes.clea) == (D("10.40"), D("1.00"), D("0.20"))
    assert rating.total_premium == D("141.60")
