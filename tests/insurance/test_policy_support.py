"""A throwaway line («ptest») the policy tests register themselves, so they do not depend on the
real line apps, plus two insurers with a product each and a client. Imported by the other
test_polic*.py / test_endorse*.py modules; its own tests pin the worked numbers.

Worked numbers (risk: capital 20.000 €, holder aged 30, private use; tariff from 01/01/2026):
net = (base 100 + capital × 1,5 ‰) × age 1,00 × use 1,00 = 130,00
  IPS 8 % 10,40 · Consorcio 0,05 ‰ of 20.000 = 1,00 · CLEA 0,15 % = 0,195 → 0,20 → total 141,60
capital 30.000 → net 145,00 · IPS 11,60 · Consorcio 1,50 · CLEA 0,2175 → 0,22 → total 158,32
professional use (× 1,2) at 20.000 → net 156,00 · IPS 12,48 · Consorcio 1,00 · CLEA 0,234 → 0,23 → 169,71
"""
import datetime
from decimal import Decimal

import pytest
from django import forms

from apps.crm.services.parties import party_create
from apps.insurance.choices import ConsorcioBasis, PaymentFrequency, PaymentMethod
from apps.insurance.lines import LineSpec, TariffTemplate, register_line, unregister_line
from apps.insurance.rating import Declined, LineRating, money
from apps.insurance.services.lines import lines_sync
from apps.insurance.services.policies import policy_create
from tests.fixtures.insurance import make_insurer, make_product

D = Decimal
LINE = "ptest"
START = datetime.date(2026, 3, 15)
RISK = {"capital": "20000", "holder_age": 30, "use": "private",
        "persons": [{"name": "Lucía Prieto", "birth_date": "1996-05-01"}]}


class PtestRiskForm(forms.Form):
    capital = forms.DecimalField(label="Capital asegurado", min_value=1000, max_digits=12, decimal_places=2)
    holder_age = forms.IntegerField(label="Edad del tomador", min_value=18, max_value=99)
    use = forms.ChoiceField(label="Uso", choices=[("private", "Particular"), ("professional", "Profesional")])


class PtestPersonForm(forms.Form):
    name = forms.CharField(label="Nombre", max_length=60)
    birth_date = forms.DateField(label="Fecha de nacimiento")


def ptest_rate(inp):
    table, risk = inp.tariff, inp.risk
    if int(risk["holder_age"]) > table.param("max_age", "99"):
        raise Declined("Edad máxima superada")
    base = table.base_premium + D(risk["capital"]) * table.param("per_mille") / 1000
    age_factor = table.factor("age", int(risk["holder_age"]))
    use_factor = table.factor("use", risk["use"])
    return LineRating(net_premium=money(base * age_factor * use_factor), breakdown=[("Base y capital", f"{base}")])


def ptest_template() -> TariffTemplate:
    return TariffTemplate(
        base_premium=D("100.00"), minimum_premium=D("50.00"), parameters={"per_mille": "1.5"},
        factors=[("age", "", D("18"), D("25"), D("1.5")), ("age", "", D("25"), D("100"), D("1.0")),
                 ("use", "private", None, None, D("1.0")), ("use", "professional", None, None, D("1.2"))],
        coverages=[("damage", "Daños", "included", None, "100 % del capital", D("0")),
                   ("liability", "Responsabilidad civil", "included", D("300000"), "", D("150"))],
    )


SPEC = LineSpec(
    code=LINE, name="Ramo de prueba de pólizas", dgsfp_class="09", risk_form=PtestRiskForm, rate=ptest_rate,
    summary=lambda data: f"Capital {data['capital']} €, tomador de {data['holder_age']} años",
    tariff_template=ptest_template, sample_risk=lambda: dict(RISK), row_forms={"persons": PtestPersonForm},
    row_labels={"persons": "Personas aseguradas"}, sum_insured=lambda data: D(data["capital"]),
    insured=lambda data: [dict(row) for row in data.get("persons", [])],
    consorcio_basis=ConsorcioBasis.PER_MILLE_CAPITAL, consorcio_rate=D("0.05"), order=998,
)


@pytest.fixture
def pline(tenant_a):
    register_line(SPEC)
    lines_sync()
    yield SPEC
    unregister_line(LINE)


@pytest.fixture
def holder(tenant_a, users_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Lucía", "last_name": "Prieto Gómez",
                                          "tax_id": "12345678Z", "account_manager": users_a["comercial"]})


@pytest.fixture
def other_holder(tenant_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Mario", "last_name": "Sanz",
                                          "tax_id": "87654321X"})


@pytest.fixture
def pcatalog(pline):
    alfa, beta = make_insurer("Alfa Seguros"), make_insurer("Beta Mutua")
    return {"alfa": make_product(LINE, alfa, code="PA"), "beta": make_product(LINE, beta, code="PB", scale=D("1.2"))}


def place(actor, holder, product, number="POL-1", **kwargs):
    params = {"start_date": START, "payment_frequency": PaymentFrequency.ANNUAL,
              "payment_method": PaymentMethod.BROKER_SEPA, "risk": RISK}
    params.update(kwargs)
    return policy_create(actor=actor, insurer=product.insurer, number=number, product=product, policyholder=holder,
                         **params)


def test_the_test_line_places_a_policy_with_worked_numbers(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    version = policy.current_version
    assert (version.net_premium, version.ips, version.consorcio, version.clea, version.total_premium) == (
        D("130.00"), D("10.40"), D("1.00"), D("0.20"), D("141.60"))
    assert version.sum_insured == D("20000.00") and version.insured == [{"name": "Lucía Prieto",
                                                                          "birth_date": "1996-05-01"}]
