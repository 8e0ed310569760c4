"""An endorsement re-issues the unpaid receipts from its date and bills (or refunds) the
difference of the periods already under way or paid, pro rata of the days."""
import datetime
from decimal import Decimal

from apps.collections.choices import CollectionChannel, ReceiptKind, ReceiptState
from apps.collections.selectors_receipts import commission_balance, period_receipts, receipts_for_policy
from apps.collections.services.receipts import receipt_collect
from apps.insurance.services.policies import policy_endorse

D = Decimal
d = datetime.date


def _collect(policy, admin, months: int) -> None:
    for receipt in list(period_receipts(policy))[:months]:
        receipt_collect(actor=admin, receipt=receipt, date=receipt.due_date, channel=CollectionChannel.SEPA)


def test_a_rise_bills_the_difference_and_reissues_the_unpaid_months(issued_policy, admin_a):
    policy = issued_policy(net=D("1200.00"))
    _collect(policy, admin_a, 8)
    policy_endorse(actor=admin_a, policy=policy, effective_date=d(2026, 7, 16), reason="Más capital",
                   risk={"capital": "180000"})  # 1.800 € a year: 150 € a month from 16/07
    extras = list(receipts_for_policy(policy).filter(kind=ReceiptKind.ENDORSEMENT).order_by("period_start"))
    # July: 50 € × 16 of 31 days = 25,81; August (paid): the whole 50 €
    assert [(r.period_start, r.period_end, r.total_premium, r.commission_amount) for r in extras] == [
        (d(2026, 7, 16), d(2026, 7, 31), D("25.81"), D("5.16")),
        (d(2026, 8, 1), d(2026, 8, 31), D("50.00"), D("10.00"))]
    policy.refresh_from_db()
    assert all(r.policy_version == policy.current_version for r in extras)
    live = list(period_receipts(policy))
    assert [r.total_premium for r in live] == [D("100.00")] * 8 + [D("150.00")] * 4
    assert [r.commission_amount for r in live[8:]] == [D("30.00")] * 4
    replaced = receipts_for_policy(policy).filter(state=ReceiptState.CANCELLED)
    assert [r.period_start for r in replaced] == [d(2026, m, 1) for m in range(9, 13)]
    assert len({r.period_start for r in live}) == 12


def test_a_reduction_refunds_the_difference(issued_policy, admin_a):
    policy = issued_policy(net=D("1200.00"))
    _collect(policy, admin_a, 7)
    policy_endorse(actor=admin_a, policy=policy, effective_date=d(2026, 7, 16), reason="Menos capital",
                   risk={"capital": "60000"})  # 600 € a year
    refund = receipts_for_policy(policy).get(kind=ReceiptKind.REFUND)
    assert (refund.total_premium, refund.commission_amount, refund.due_date) == (D("-25.81"), D("-5.16"),
                                                                                 d(2026, 7, 16))
    assert [r.total_premium for r in period_receipts(policy)][7:] == [D("50.00")] * 5
    receipt_collect(actor=admin_a, receipt=refund, date=d(2026, 7, 20), channel=CollectionChannel.TRANSFER)
    assert commission_balance(receipt=refund) == D("-5.16")


def test_no_premium_change_writes_no_receipt(issued_policy, admin_a):
    policy = issued_policy()
    before = list(receipts_for_policy(policy).values_list("pk", "state"))
    policy_endorse(actor=admin_a, policy=policy, effective_date=d(2026, 5, 10), reason="Cambio de beneficiario",
                   rerate=False)
    assert list(receipts_for_policy(policy).values_list("pk", "state")) == before


def test_endorsement_on_a_period_start_replaces_from_that_period(issued_policy, admin_a):
    policy = issued_policy(net=D("1200.00"), frequency="quarterly")
    _collect(policy, admin_a, 1)
    policy_endorse(actor=admin_a, policy=policy, effective_date=d(2026, 4, 1), reason="Más capital",
                   risk={"capital": "240000"})
    assert [r.total_premium for r in period_receipts(policy)] == [D("300.00"), D("600.00"), D("600.00"),
                                                                   D("600.00")]
    assert not receipts_for_policy(policy).filter(kind__in=[ReceiptKind.ENDORSEMENT, ReceiptKind.REFUND]).exists()
