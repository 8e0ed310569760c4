"""Cancellation claws back unearned commission by the agreement's rule; reactivation undoes it."""
import datetime
from decimal import Decimal

from apps.collections.choices import CollectionChannel
from apps.collections.choices import CommissionMovementKind as Kind
from apps.collections.choices import ReceiptKind, ReceiptState
from apps.collections.models import CommissionMovement
from apps.collections.selectors_receipts import commission_balance, period_receipts, receipts_for_policy
from apps.collections.services.receipts import receipt_collect
from apps.insurance.choices import CancellationReason, ClawbackRule, PaymentFrequency
from apps.insurance.services.policies import policy_cancel, policy_reactivate

D = Decimal
d = datetime.date
SEPA = CollectionChannel.SEPA
UPFRONT = {"new_business_pct": D("60.00"), "upfront": True}


def _collect_months(policy, admin, months: int) -> None:
    for receipt in list(period_receipts(policy))[:months]:
        receipt_collect(actor=admin, receipt=receipt, date=receipt.due_date, channel=SEPA)


def _cancel(policy, admin, day):
    return policy_cancel(actor=admin, policy=policy, effective_date=day, reason=CancellationReason.CLIENT_REQUEST)


def test_upfront_pro_rata_clawback_300_and_reactivation_gives_it_back(issued_policy, admin_a):
    policy = issued_policy(net=D("1200.00"), agreement=UPFRONT)
    _collect_months(policy, admin_a, 7)
    _cancel(policy, admin_a, d(2026, 8, 1))  # cancelled at the end of month 7
    clawbacks = CommissionMovement.objects.filter(policy=policy, kind=Kind.CLAWBACK, collaborator__isnull=True)
    assert sum(row.amount for row in clawbacks) == D("-300.00")  # 5 unearned months × 100 € × 60 %
    assert commission_balance(policy=policy) == D("420.00")
    states = [r.state for r in receipts_for_policy(policy)]
    assert states == [ReceiptState.COLLECTED] * 7 + [ReceiptState.CANCELLED] * 5

    policy_reactivate(actor=admin_a, policy=policy, effective_date=d(2026, 8, 20))
    undone = CommissionMovement.objects.filter(policy=policy, kind=Kind.CLAWBACK_UNDONE, collaborator__isnull=True)
    assert sum(row.amount for row in undone) == D("300.00")
    assert all(row.reverses.kind == Kind.CLAWBACK and row.amount == -row.reverses.amount for row in undone)
    assert commission_balance(policy=policy) == D("720.00")
    assert commission_balance(policy=policy, kinds=[Kind.CLAWBACK, Kind.CLAWBACK_UNDONE]) == D("0.00")
    live = list(period_receipts(policy))
    assert len(live) == 12 and [r.period_start for r in live[7:]] == [d(2026, m, 1) for m in range(8, 13)]
    assert {(r.state, r.total_premium, r.advance_offset) for r in live[7:]} == {
        (ReceiptState.ISSUED, D("100.00"), D("60.00"))}
    assert live[7].number == f"{policy.number}/013"


def test_upfront_cancellation_refunds_a_collected_month_after_the_date(issued_policy, admin_a):
    policy = issued_policy(agreement=UPFRONT)
    _collect_months(policy, admin_a, 8)
    _cancel(policy, admin_a, d(2026, 8, 1))
    refund = receipts_for_policy(policy).get(kind=ReceiptKind.REFUND)
    assert (refund.total_premium, refund.commission_amount, refund.due_date) == (D("-100.00"), D("0.00"),
                                                                                 d(2026, 8, 1))
    assert commission_balance(policy=policy, kinds=[Kind.CLAWBACK]) == D("-300.00")
    policy_reactivate(actor=admin_a, policy=policy, effective_date=d(2026, 8, 20))
    assert receipts_for_policy(policy).get(kind=ReceiptKind.REFUND).state == ReceiptState.CANCELLED
    assert commission_balance(policy=policy) == D("720.00")


def test_pro_rata_refund_of_a_collected_annual_receipt(issued_policy, admin_a):
    policy = issued_policy(frequency=PaymentFrequency.ANNUAL)
    _collect_months(policy, admin_a, 1)
    assert commission_balance(policy=policy) == D("240.00")
    _cancel(policy, admin_a, d(2026, 7, 2))
    refund = receipts_for_policy(policy).get(kind=ReceiptKind.REFUND)
    # 02/07 to 31/12 = 183 of 365 days
    assert (refund.net_premium, refund.commission_amount) == (D("-601.64"), D("-120.33"))
    assert (refund.period_start, refund.period_end) == (d(2026, 7, 2), d(2026, 12, 31))
    assert [(r.kind, r.amount) for r in CommissionMovement.objects.filter(receipt=refund, collaborator=None)] == [
        (Kind.CLAWBACK, D("-120.33"))]
    assert commission_balance(policy=policy) == D("119.67")
    policy_reactivate(actor=admin_a, policy=policy, effective_date=d(2026, 7, 10))
    assert commission_balance(policy=policy) == D("240.00")
    assert receipts_for_policy(policy).get(kind=ReceiptKind.REFUND).state == ReceiptState.CANCELLED


def test_full_within_claws_back_everything_earned(issued_policy, admin_a):
    policy = issued_policy(agreement={"clawback_rule": ClawbackRule.FULL_WITHIN, "clawback_months": 6})
    _collect_months(policy, admin_a, 3)
    assert commission_balance(policy=policy) == D("60.00")
    _cancel(policy, admin_a, d(2026, 4, 1))
    assert commission_balance(policy=policy) == D("0.00")
    row = CommissionMovement.objects.get(policy=policy, kind=Kind.CLAWBACK, collaborator=None)
    assert (row.amount, row.receipt) == (D("-60.00"), None)
    policy_reactivate(actor=admin_a, policy=policy, effective_date=d(2026, 4, 1))
    assert commission_balance(policy=policy) == D("60.00")


def test_full_within_after_the_period_claws_back_nothing(issued_policy, admin_a):
    policy = issued_policy(agreement={"clawback_rule": ClawbackRule.FULL_WITHIN, "clawback_months": 3})
    _collect_months(policy, admin_a, 4)
    _cancel(policy, admin_a, d(2026, 5, 1))
    assert commission_balance(policy=policy) == D("80.00")
    assert not CommissionMovement.objects.filter(policy=policy, kind=Kind.CLAWBACK).exists()


def test_no_clawback_rule_keeps_the_advance_but_cancels_the_receipts(issued_policy, admin_a):
    policy = issued_policy(agreement={**UPFRONT, "clawback_rule": ClawbackRule.NONE})
    _collect_months(policy, admin_a, 7)
    _cancel(policy, admin_a, d(2026, 8, 1))
    assert commission_balance(policy=policy) == D("720.00")
    assert receipts_for_policy(policy).filter(state=ReceiptState.CANCELLED).count() == 5


def test_cancellation_cancels_unpaid_receipts_from_the_date_and_keeps_earlier_ones(issued_policy, admin_a):
    policy = issued_policy(frequency=PaymentFrequency.QUARTERLY)
    _cancel(policy, admin_a, d(2026, 5, 15))
    assert [(r.period_start, r.state) for r in receipts_for_policy(policy)] == [
        (d(2026, 1, 1), ReceiptState.ISSUED), (d(2026, 4, 1), ReceiptState.ISSUED),
        (d(2026, 7, 1), ReceiptState.CANCELLED), (d(2026, 10, 1), ReceiptState.CANCELLED)]
    assert not receipts_for_policy(policy).filter(kind=ReceiptKind.REFUND).exists()


def test_full_within_claws_back_what_each_collaborator_holds(issued_policy, coll_collaborator, admin_a):
    from apps.collections.models import CommissionShare
    from apps.insurance.services.policies import policy_issue

    policy = issued_policy(net=D("1000.01"), issue=False, agreement={"clawback_rule": ClawbackRule.FULL_WITHIN})
    CommissionShare.objects.create(policy=policy, collaborator=coll_collaborator, share_pct=D("33.33"))
    policy_issue(actor=admin_a, policy=policy)
    _collect_months(policy, admin_a, 3)
    held = commission_balance(collaborator=coll_collaborator)
    assert held == D("16.68")  # 3 × money(16,67 × 33,33 %) = 3 × 5,56, not money(50,01 × 33,33 %) = 16,67
    _cancel(policy, admin_a, d(2026, 4, 1))
    assert commission_balance(policy=policy) == D("0.00")
    assert commission_balance(collaborator=coll_collaborator) == D("0.00")
    policy_reactivate(actor=admin_a, policy=policy, effective_date=d(2026, 4, 2))
    assert commission_balance(collaborator=coll_collaborator) == held
