"""On the demo data (the insurance demo at ~150 policies, the collections demo and this app's seeder,
run here): the DEC of each year with books equals the books (commissions = 705, receipts collected by
the broker = the insurers' current accounts, clients' funds = their balance on 31/12) and the
receipts register (premiums); the compliance dashboard lists exactly the live policies missing each
duty; the seeder left some missing and runs once."""
import datetime

import pytest
from django.db.models import Sum

from apps.accounting.models import Account
from apps.accounting.selectors_books import account_balances
from apps.collections.choices import ReceiptState
from apps.collections.demo import collections_demo_seed
from apps.collections.models import Receipt
from apps.insurance.demo import insurance_demo_seed
from apps.insurance.models import Policy
from apps.regulatory.choices import EvidenceKind
from apps.regulatory.demo import regulatory_demo_seed
from apps.regulatory.models import DgsfpLineMapping, DistributionEvidence
from apps.regulatory.selectors_dec import dec_return, insurer_accounts
from apps.regulatory.selectors_lds import LIVE_STATES, ComplianceFilters, compliance_counts, missing_policies

TODAY = datetime.date(2026, 12, 4)


@pytest.fixture
def clients(tenant_a, users_a):
    from apps.crm.models import Party

    managers = [users_a["comercial"], users_a["admin"]]
    return [Party.objects.create(display_name=f"Cliente Demo {i}", kind="person", tax_id=f"{10000000 + i}",
                                 first_name="Cliente", last_name=f"Demo {i}", status="client",
                                 account_manager=managers[i % 2]) for i in range(12)]


@pytest.fixture
def seeded(admin_a, clients):
    insurance_demo_seed(admin=admin_a, policies=150, quotes=0, today=TODAY)
    collections_demo_seed(admin=admin_a, today=TODAY, renewals=False)
    return regulatory_demo_seed(admin=admin_a, today=TODAY)


def _books_balance(accounts, date) -> object:
    return -sum(account_balances(accounts=list(accounts), date=date).values())


def test_dec_equals_the_books_and_the_dashboard_lists_the_missing_duties(seeded, admin_a):
    assert seeded["evidence"] > 0 and seeded["missing"] > 0 and seeded["mappings"] > 0
    income = Account.objects.get(code="705")
    for year in (TODAY.year - 1, TODAY.year):
        dec = dec_return(year=year)
        end = datetime.date(year, 12, 31)
        register = (Receipt.objects.filter(period_start__year=year).exclude(state=ReceiptState.CANCELLED)
                    .aggregate(net=Sum("net_premium"))["net"])
        assert dec.premiums_net == register
        opening = -account_balances(accounts=[income], date=datetime.date(year - 1, 12, 31))[income.pk]
        assert dec.commissions_total == -account_balances(accounts=[income], date=end)[income.pk] - opening
        assert dec.funds_total == _books_balance(insurer_accounts(), end)
        checks = {check.key: check for check in dec.checks}
        assert all(check.ok for check in dec.checks if not check.informative), [
            (c.key, c.dec, c.books) for c in dec.checks]
        assert checks["collected"].dec == dec.collected_broker
    current = dec_return(year=TODAY.year)
    assert current.premiums_net > 0 and current.commissions_total > 0 and current.collected_broker > 0
    assert {row.ramo for row in current.premiums} <= set(DgsfpLineMapping.objects.values_list("ramo", flat=True))
    # the dashboard: exactly the live policies missing each duty
    live = Policy.objects.filter(state__in=LIVE_STATES)
    have = {}
    for policy_id, kind in DistributionEvidence.objects.values_list("policy_id", "kind"):
        have.setdefault(policy_id, set()).add(kind)
    for kind in EvidenceKind:
        expected = {p.pk for p in live if kind.value not in have.get(p.pk, set())}
        listed = {p.pk for p in missing_policies(admin_a, ComplianceFilters(missing=kind.value))}
        assert listed == expected, kind
    any_missing = {p.pk for p in live if len(have.get(p.pk, set())) < len(EvidenceKind)}
    assert {p.pk for p in missing_policies(admin_a)} == any_missing and any_missing
    counts = compliance_counts(admin_a)
    assert counts["total"] == live.count() and counts["missing_any"] == len(any_missing)
    # most policies are complete, and a second run adds nothing
    assert counts["compliant"] > counts["missing_any"]
    before = DistributionEvidence.objects.count()
    assert regulatory_demo_seed(admin=admin_a, today=TODAY) == {"mappings": 0}
    assert DistributionEvidence.objects.count() == before
