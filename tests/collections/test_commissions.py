"""The commission ledger with the issue's numbers: up-front, partial collection, return and
re-collection, earned on issue, collaborators' shares. Every operation and its reversal net to 0,00."""
import datetime
from decimal import Decimal

import pytest

from apps.collections.choices import CollectionChannel
from apps.collections.choices import CommissionMovementKind as Kind
from apps.collections.models import CommissionMovement, CommissionShare
from apps.collections.selectors_receipts import commission_balance, receipts_for_policy
from apps.collections.services.receipts import receipt_cancel, receipt_collect, receipt_return
from apps.insurance.choices import CommissionEarnedOn, PaymentFrequency

D = Decimal
d = datetime.date
SEPA = CollectionChannel.SEPA
UPFRONT = {"new_business_pct": D("60.00"), "upfront": True}


def _kinds(**filters):
    return list(CommissionMovement.objects.filter(collaborator__isnull=True, **filters).order_by("pk")
                .values_list("kind", "amount"))


def test_upfront_commission_720_at_issue_and_receipts_offset_60(issued_policy):
    policy = issued_policy(net=D("1200.00"), agreement=UPFRONT)
    receipts = list(receipts_for_policy(policy))
    assert len(receipts) == 12
    assert {(r.total_premium, r.commission_amount, r.advance_offset, r.commission_rate) for r in receipts} == {
        (D("100.00"), D("0.00"), D("60.00"), D("60.00"))}
    advance = CommissionMovement.objects.get(policy=policy, kind=Kind.ADVANCE)
    assert (advance.amount, advance.date, advance.receipt, advance.base) == (D("720.00"), d(2026, 1, 1), None,
                                                                            D("1200.00"))
    assert commission_balance(policy=policy) == D("720.00")


def test_upfront_receipts_earn_nothing_more_when_collected(issued_policy, admin_a):
    policy = issued_policy(agreement=UPFRONT)
    for receipt in receipts_for_policy(policy)[:3]:
        receipt_collect(actor=admin_a, receipt=receipt, date=receipt.due_date, channel=SEPA)
    assert commission_balance(policy=policy) == D("720.00")


def test_upfront_returned_receipt_gives_back_its_60_and_recollection_takes_it_again(issued_policy, admin_a):
    policy = issued_policy(agreement=UPFRONT)
    receipt = receipts_for_policy(policy)[1]
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 2, 1), channel=SEPA)
    receipt_return(actor=admin_a, receipt=receipt, date=d(2026, 2, 10), reason="AM04")
    assert _kinds(receipt=receipt) == [(Kind.CLAWBACK, D("-60.00"))]
    assert commission_balance(policy=policy) == D("660.00")
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 2, 20), channel=SEPA)
    assert _kinds(receipt=receipt) == [(Kind.CLAWBACK, D("-60.00")), (Kind.CLAWBACK_UNDONE, D("60.00"))]
    assert commission_balance(receipt=receipt) == D("0.00")
    assert commission_balance(policy=policy) == D("720.00")


@pytest.fixture
def receipt_1000(issued_policy):
    """A 1.000 € receipt at 20 % (annual premium 12.000 € paid monthly)."""
    receipt = receipts_for_policy(issued_policy(net=D("12000.00"))).first()
    assert (receipt.total_premium, receipt.commission_rate, receipt.commission_amount) == (
        D("1000.00"), D("20.00"), D("200.00"))
    return receipt


def test_partial_collection_earns_the_proportional_part(receipt_1000, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt_1000, date=d(2026, 1, 5), amount=D("500.00"), channel=SEPA)
    assert _kinds(receipt=receipt_1000) == [(Kind.EARNED, D("100.00"))]
    receipt_collect(actor=admin_a, receipt=receipt_1000, date=d(2026, 1, 9), channel=SEPA)
    assert _kinds(receipt=receipt_1000) == [(Kind.EARNED, D("100.00")), (Kind.EARNED, D("100.00"))]
    assert commission_balance(receipt=receipt_1000) == D("200.00")


def test_partial_collections_with_odd_cents_end_exactly_at_the_commission(issued_policy, admin_a):
    receipt = receipts_for_policy(issued_policy(net=D("1000.01"), frequency=PaymentFrequency.ANNUAL)).get()
    assert receipt.commission_amount == D("200.00")
    for amount in (D("333.33"), D("333.33"), D("333.35")):
        receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), amount=amount, channel=SEPA)
    assert [a for _k, a in _kinds(receipt=receipt)] == [D("66.67"), D("66.66"), D("66.67")]
    assert commission_balance(receipt=receipt) == D("200.00")


def test_return_alone_nets_the_receipt_commission_to_zero(receipt_1000, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt_1000, date=d(2026, 1, 5), channel=SEPA)
    receipt_return(actor=admin_a, receipt=receipt_1000, date=d(2026, 1, 20), reason="AM04")
    rows = list(CommissionMovement.objects.filter(receipt=receipt_1000).order_by("pk"))
    assert [(r.kind, r.amount) for r in rows] == [(Kind.EARNED, D("200.00")), (Kind.REVERSED, D("-200.00"))]
    assert rows[1].reverses == rows[0] and rows[1].date == d(2026, 1, 20)
    assert commission_balance(receipt=receipt_1000) == D("0.00")


def test_return_then_recollection_equals_a_single_collection(receipt_1000, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt_1000, date=d(2026, 1, 5), channel=SEPA)
    receipt_return(actor=admin_a, receipt=receipt_1000, date=d(2026, 1, 20), reason="AM04")
    receipt_collect(actor=admin_a, receipt=receipt_1000, date=d(2026, 2, 3), channel=SEPA)
    rows = list(CommissionMovement.objects.filter(receipt=receipt_1000).order_by("pk"))
    assert [(r.kind, r.amount) for r in rows] == [
        (Kind.EARNED, D("200.00")), (Kind.REVERSED, D("-200.00")), (Kind.RESTORED, D("200.00"))]
    assert rows[2].reverses == rows[1]
    assert commission_balance(receipt=receipt_1000) == D("200.00")
    # and a second return reverses the restoration, not the original again
    receipt_return(actor=admin_a, receipt=receipt_1000, date=d(2026, 2, 20), reason="MD06")
    last = CommissionMovement.objects.filter(receipt=receipt_1000).order_by("-pk").first()
    assert (last.kind, last.amount, last.reverses) == (Kind.REVERSED, D("-200.00"), rows[2])
    assert commission_balance(receipt=receipt_1000) == D("0.00")


def test_partial_return_and_partial_recollection(receipt_1000, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt_1000, date=d(2026, 1, 5), amount=D("500.00"), channel=SEPA)
    receipt_return(actor=admin_a, receipt=receipt_1000, date=d(2026, 1, 20), reason="AM04")
    assert commission_balance(receipt=receipt_1000) == D("0.00")
    receipt_collect(actor=admin_a, receipt=receipt_1000, date=d(2026, 2, 1), amount=D("500.00"), channel=SEPA)
    assert _kinds(receipt=receipt_1000)[-1] == (Kind.RESTORED, D("100.00"))
    receipt_collect(actor=admin_a, receipt=receipt_1000, date=d(2026, 2, 5), channel=SEPA)
    assert commission_balance(receipt=receipt_1000) == D("200.00")


def test_earned_on_issue_return_reverses_and_recollection_restores(issued_policy, admin_a):
    policy = issued_policy(frequency=PaymentFrequency.QUARTERLY, agreement={"earned_on": CommissionEarnedOn.ISSUE})
    receipts = list(receipts_for_policy(policy))
    assert commission_balance(policy=policy) == D("240.00")  # 4 × 300 € × 20 % at issue
    first = receipts[0]
    assert _kinds(receipt=first) == [(Kind.EARNED, D("60.00"))]
    receipt_collect(actor=admin_a, receipt=first, date=d(2026, 1, 3), channel=SEPA)
    assert _kinds(receipt=first) == [(Kind.EARNED, D("60.00"))]  # nothing more on collection
    receipt_return(actor=admin_a, receipt=first, date=d(2026, 1, 20), reason="AM04")
    receipt_collect(actor=admin_a, receipt=first, date=d(2026, 2, 1), channel=SEPA)
    assert _kinds(receipt=first) == [(Kind.EARNED, D("60.00")), (Kind.REVERSED, D("-60.00")),
                                     (Kind.RESTORED, D("60.00"))]
    receipt_cancel(actor=admin_a, receipt=receipts[3], date=d(2026, 9, 1))
    assert commission_balance(receipt=receipts[3]) == D("0.00")
    assert commission_balance(policy=policy) == D("180.00")


@pytest.fixture
def collaborator(coll_collaborator):
    return coll_collaborator


def test_collaborator_share_follows_every_movement_and_nets_to_zero(issued_policy, collaborator, admin_a):
    policy = issued_policy(net=D("12000.00"), issue=False)
    CommissionShare.objects.create(policy=policy, collaborator=collaborator, share_pct=D("25.00"))
    from apps.insurance.services.policies import policy_issue

    policy_issue(actor=admin_a, policy=policy)
    receipt = receipts_for_policy(policy).first()
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), amount=D("500.00"), channel=SEPA)
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 6), channel=SEPA)
    receipt_return(actor=admin_a, receipt=receipt, date=d(2026, 1, 20), reason="AM04")
    shares = list(CommissionMovement.objects.filter(collaborator=collaborator).order_by("pk"))
    assert [(r.kind, r.amount) for r in shares] == [
        (Kind.EARNED, D("25.00")), (Kind.EARNED, D("25.00")), (Kind.REVERSED, D("-25.00")),
        (Kind.REVERSED, D("-25.00"))]
    assert all(r.source.collaborator_id is None and r.source.kind == r.kind for r in shares)
    assert shares[2].reverses == shares[0] and shares[3].reverses == shares[1]
    assert commission_balance(collaborator=collaborator) == D("0.00")
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 2, 1), channel=SEPA)
    assert commission_balance(collaborator=collaborator) == D("50.00")
    assert commission_balance(receipt=receipt) == D("200.00")


def test_collaborator_share_of_an_upfront_advance(issued_policy, collaborator, admin_a):
    policy = issued_policy(agreement=UPFRONT, issue=False)
    CommissionShare.objects.create(policy=policy, collaborator=collaborator, share_pct=D("25.00"))
    from apps.insurance.services.policies import policy_issue

    policy_issue(actor=admin_a, policy=policy)
    assert commission_balance(collaborator=collaborator) == D("180.00")
