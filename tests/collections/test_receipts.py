"""Receipts generated from the payment frequency when a policy is issued."""
import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.collections.choices import ReceiptCollector, ReceiptKind, ReceiptState
from apps.collections.models import Receipt
from apps.collections.selectors_receipts import period_receipts, receipts_for_policy
from apps.collections.services.receipts_generate import period_plan, receipts_for_policy_issue
from apps.insurance.choices import PaymentFrequency, PaymentMethod
from apps.insurance.services.policies import policy_renew

D = Decimal
d = datetime.date


def test_twelve_monthly_receipts_add_up_to_the_annual_premium_with_odd_cents(issued_policy):
    policy = issued_policy(net=D("1000.01"))
    receipts = list(receipts_for_policy(policy))
    assert len(receipts) == 12
    assert [r.total_premium for r in receipts[:11]] == [D("83.33")] * 11
    assert receipts[-1].total_premium == D("83.38")
    assert sum(r.net_premium for r in receipts) == D("1000.01")
    assert sum(r.total_premium for r in receipts) == policy.current_version.total_premium
    assert [r.number for r in receipts[:2]] == [f"{policy.number}/001", f"{policy.number}/002"]
    assert receipts[0].period_start == d(2026, 1, 1) and receipts[0].period_end == d(2026, 1, 31)
    assert receipts[-1].period_start == d(2026, 12, 1) and receipts[-1].period_end == d(2026, 12, 31)
    assert all(r.due_date == r.period_start for r in receipts)
    assert [r.is_first_premium for r in receipts] == [True] + [False] * 11
    assert {r.kind for r in receipts} == {ReceiptKind.NEW_BUSINESS}
    assert {r.state for r in receipts} == {ReceiptState.ISSUED}


def test_taxes_are_split_per_receipt_and_the_last_takes_the_remainder(issued_policy, coll_catalog, coll_holder,
                                                                      admin_a):
    from apps.insurance.services.policies import policy_create

    policy = policy_create(
        actor=admin_a, insurer=coll_catalog.insurer, number="TAX-1", product=coll_catalog.product,
        policyholder=coll_holder, start_date=d(2026, 1, 1), payment_frequency=PaymentFrequency.QUARTERLY,
        payment_method=PaymentMethod.BROKER_SEPA, risk={"capital": "100000"},
        rating={"net_premium": "1000.00", "ips": "80.00", "consorcio": "1.01", "clea": "1.50"})
    receipts = list(receipts_for_policy(policy))
    assert [r.consorcio for r in receipts] == [D("0.25"), D("0.25"), D("0.25"), D("0.26")]
    assert [r.clea for r in receipts] == [D("0.38"), D("0.38"), D("0.38"), D("0.36")]
    assert [r.total_premium for r in receipts] == [D("270.63")] * 3 + [D("270.62")]
    assert sum(r.total_premium for r in receipts) == D("1082.51")


def test_quarterly_dates_across_month_ends_follow_add_months(issued_policy):
    policy = issued_policy(frequency=PaymentFrequency.QUARTERLY, start=d(2026, 1, 31))
    assert policy.expiry_date == d(2027, 1, 30)
    periods = [(r.period_start, r.period_end) for r in receipts_for_policy(policy)]
    assert periods == [(d(2026, 1, 31), d(2026, 4, 30)), (d(2026, 5, 1), d(2026, 7, 30)),
                       (d(2026, 7, 31), d(2026, 10, 30)), (d(2026, 10, 31), d(2027, 1, 30))]
    assert [r.total_premium for r in receipts_for_policy(policy)] == [D("300.00")] * 4


def test_monthly_from_the_31st_and_a_six_month_term(issued_policy):
    policy = issued_policy(start=d(2026, 1, 31), term_months=6)
    receipts = list(receipts_for_policy(policy))
    assert len(receipts) == 6
    assert [r.period_start for r in receipts[:3]] == [d(2026, 1, 31), d(2026, 3, 1), d(2026, 3, 31)]
    assert receipts[0].period_end == d(2026, 2, 28)
    assert receipts[-1].period_end == policy.expiry_date == d(2026, 7, 30)
    assert sum(r.total_premium for r in receipts) == D("600.00")


@pytest.mark.parametrize(("method", "collector"), [
    (PaymentMethod.BROKER_SEPA, ReceiptCollector.BROKER), (PaymentMethod.BROKER_OTHER, ReceiptCollector.BROKER),
    (PaymentMethod.INSURER, ReceiptCollector.INSURER)])
def test_collector_follows_the_payment_method(issued_policy, method, collector):
    policy = issued_policy(method=method, frequency=PaymentFrequency.ANNUAL)
    assert [r.collector for r in receipts_for_policy(policy)] == [collector]


def test_commission_terms_come_from_the_agreement_in_force_on_the_period_start(issued_policy, coll_catalog):
    from tests.collections.conftest import set_agreement

    set_agreement(coll_catalog, new_business_pct=D("15.00"))
    set_agreement(coll_catalog, valid_from=d(2026, 7, 1), new_business_pct=D("25.00"))
    policy = issued_policy(frequency=PaymentFrequency.QUARTERLY)
    receipts = list(receipts_for_policy(policy))
    assert [r.commission_rate for r in receipts] == [D("15.00"), D("15.00"), D("25.00"), D("25.00")]
    assert [r.commission_amount for r in receipts] == [D("45.00"), D("45.00"), D("75.00"), D("75.00")]


def test_no_agreement_means_no_commission(issued_policy, coll_catalog):
    coll_catalog.agreement.delete()
    policy = issued_policy(frequency=PaymentFrequency.ANNUAL)
    receipt = receipts_for_policy(policy).get()
    assert (receipt.agreement, receipt.commission_rate, receipt.commission_amount) == (None, 0, 0)


def test_generation_is_idempotent_and_receipts_are_unique_per_period(issued_policy, admin_a):
    policy = issued_policy()
    assert receipts_for_policy_issue(actor=admin_a, policy=policy) == []
    assert Receipt.objects.filter(policy=policy).count() == 12
    first = receipts_for_policy(policy).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.create(**{f.attname: getattr(first, f.attname) for f in Receipt._meta.concrete_fields
                                  if f.attname not in ("id", "sequence")}, sequence=99)


def test_a_renewal_gets_renewal_receipts_at_the_renewal_rate(issued_policy, admin_a):
    policy = issued_policy(frequency=PaymentFrequency.SEMIANNUAL)
    renewal = policy_renew(actor=admin_a, policy=policy, rerate=False)
    receipts = list(receipts_for_policy(renewal))
    assert [(r.kind, r.period_start, r.is_first_premium) for r in receipts] == [
        (ReceiptKind.RENEWAL, d(2027, 1, 1), False), (ReceiptKind.RENEWAL, d(2027, 7, 1), False)]
    assert [(r.commission_rate, r.commission_amount) for r in receipts] == [(D("10.00"), D("60.00"))] * 2


def test_period_plan_matches_the_receipts(issued_policy):
    policy = issued_policy(net=D("999.99"), frequency=PaymentFrequency.QUARTERLY)
    plan = period_plan(policy)
    assert [(p.start, p.total_premium) for p in plan] == [
        (r.period_start, r.total_premium) for r in period_receipts(policy)]
