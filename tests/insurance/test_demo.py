"""The insurance demo seeder at a small volume: catalog, policies in every line, consistent versions,
idempotent."""
import datetime

import pytest
from django.db.models import Count, F

from apps.insurance.choices import PolicyState, QuoteState
from apps.insurance.demo import insurance_demo_seed
from apps.insurance.models import (
    CommissionAgreement, Insurer, Policy, PolicyStateChange, PolicyVersion, Product, Quote, Tariff,
)

TODAY = datetime.date(2026, 12, 4)


@pytest.fixture
def clients(tenant_a):
    from apps.crm.models import Party

    return [Party.objects.create(display_name=f"Cliente Demo {i}", kind="person", tax_id=f"{10000000 + i}",
                                 first_name="Cliente", last_name=f"Demo {i}", status="client") for i in range(12)]


@pytest.fixture
def seeded(admin_a, clients):
    insurance_demo_seed(admin=admin_a, policies=240, quotes=12, today=TODAY)


def test_catalog(seeded):
    assert Insurer.objects.count() == 9
    assert Insurer.objects.filter(party__isnull=False).count() == 9
    assert Insurer.objects.filter(eiac_supported=True).exists()
    per_line = Product.objects.values("line__code").annotate(n=Count("insurer", distinct=True))
    assert {row["line__code"] for row in per_line} == {"autos", "hogar", "vida", "salud", "decesos", "accidentes",
                                                       "rc", "empresas"}
    assert all(row["n"] >= 3 for row in per_line)
    assert 30 <= Product.objects.count() <= 40
    assert not Product.objects.filter(coverages__isnull=True).exists()
    assert not Product.objects.filter(tariffs__isnull=True).exists()
    assert Tariff.objects.filter(valid_from=datetime.date(2026, 1, 1)).exists()
    assert CommissionAgreement.objects.filter(valid_from=datetime.date(2026, 1, 1)).exists()
    # prices differ between insurers of a line
    autos = Tariff.objects.filter(product__line__code="autos", valid_from=datetime.date(2023, 1, 1))
    assert len(set(autos.values_list("base_premium", flat=True))) >= 3


def test_policies_and_versions(seeded):
    policies = Policy.objects.all()
    assert 200 <= policies.count() <= 280
    assert set(policies.values_list("line__code", flat=True)) == {"autos", "hogar", "vida", "salud", "decesos",
                                                                   "accidentes", "rc", "empresas"}
    states = set(policies.values_list("state", flat=True))
    assert {PolicyState.IN_FORCE, PolicyState.CANCELLED, PolicyState.EXPIRED, PolicyState.RENEWED} <= states
    assert policies.filter(state=PolicyState.IN_FORCE).count() > policies.count() / 2
    assert not policies.filter(current_version__isnull=True).exists()
    assert not policies.exclude(current_version__policy=F("pk")).exists()
    assert not policies.exclude(net_premium=F("current_version__net_premium")).exists()
    assert not policies.exclude(total_premium=F("current_version__total_premium")).exists()
    assert not policies.filter(net_premium__lte=0).exists()
    # the current version is the last one
    for policy in policies.annotate(n=Count("versions")):
        assert policy.current_version.number == policy.n
    assert policies.annotate(n=Count("versions")).filter(n__gte=2).exists()
    for version in PolicyVersion.objects.all():
        assert version.total_premium == version.net_premium + version.ips + version.consorcio + version.clea
    assert policies.filter(renewal_of__isnull=False, renewal_of__state=PolicyState.RENEWED).exists()
    assert not policies.filter(renewal_of__isnull=False).exclude(renewal_of__number=F("number")).exists()
    assert not policies.filter(state=PolicyState.CANCELLED, cancellation_date__isnull=True).exists()
    assert not policies.filter(expiry_date__lt=F("start_date")).exists()
    assert PolicyStateChange.objects.filter(to_state=PolicyState.IN_FORCE).exists()
    assert policies.filter(start_date__lt=TODAY - datetime.timedelta(days=2 * 365)).exists()
    assert len(set(policies.values_list("payment_frequency", flat=True))) >= 3


def test_quotes(seeded):
    states = set(Quote.objects.values_list("state", flat=True))
    assert Quote.objects.count() >= 10
    assert {QuoteState.DRAFT, QuoteState.SENT, QuoteState.ACCEPTED, QuoteState.REJECTED, QuoteState.EXPIRED} <= states
    assert Policy.objects.filter(quote__isnull=False).exists()


def test_second_run_adds_nothing(seeded, admin_a):
    counts = (Insurer.objects.count(), Product.objects.count(), Policy.objects.count(), Quote.objects.count())
    insurance_demo_seed(admin=admin_a, policies=240, quotes=12, today=TODAY)
    assert (Insurer.objects.count(), Product.objects.count(), Policy.objects.count(), Quote.objects.count()) == counts


def test_insurers_reuse_the_accounting_demo_parties(admin_a, clients):
    """The accounting demo's insurer parties (same CIF) become the insurers' CRM parties."""
    from apps.accounting.demo import INSURERS, _company
    from apps.crm.models import Party

    name, body, _lines, _span = INSURERS[0]
    party = _company(admin=admin_a, name=name, body=body)
    before = Party.objects.count()
    insurance_demo_seed(admin=admin_a, policies=60, quotes=0, today=TODAY)
    assert Insurer.objects.get(name=name).party == party
    assert Party.objects.count() == before + 8  # the other eight insurers get a party each
    # insurers' parties are not used as policyholders
    assert not Policy.objects.filter(policyholder__insurer_profiles__isnull=False).exists()
