"""Collecting, returning and cancelling receipts: states, movements, the books, bad input."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.accounting.models import Entry, EntryLine
from apps.audit.models import AuditEvent
from apps.collections.choices import (
    CollectionChannel, CommissionMovementKind, ReceiptMovementKind, ReceiptState,
)
from apps.collections.models import CommissionMovement, Receipt, ReceiptMovement
from apps.collections.selectors_receipts import receipts_for_policy
from apps.collections.services.accounts import insurer_account
from apps.collections.services.receipts import receipt_cancel, receipt_collect, receipt_return
from apps.core.errors import DomainError
from apps.insurance.choices import PaymentFrequency, PaymentMethod
from tests.accounting.conftest import balance_of

D = Decimal
d = datetime.date
SEPA = CollectionChannel.SEPA


def _counts():
    return (ReceiptMovement.objects.count(), CommissionMovement.objects.count(), Entry.objects.count(),
            AuditEvent.objects.count(), list(Receipt.objects.order_by("pk").values_list("state", "collected_amount")))


@pytest.fixture
def receipt(issued_policy):
    return receipts_for_policy(issued_policy(net=D("12000.00"))).first()  # 1.000 € a month at 20 %


def test_collect_the_outstanding(receipt, admin_a):
    at = timezone.make_aware(datetime.datetime(2026, 1, 5, 10, 30))
    receipt = receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), channel=SEPA, at=at)
    assert (receipt.state, receipt.collected_amount, receipt.collected_on, receipt.collected_at, receipt.channel) == (
        ReceiptState.COLLECTED, D("1000.00"), d(2026, 1, 5), at, SEPA)
    movement = receipt.movements.get()
    assert (movement.kind, movement.amount, movement.collector) == (ReceiptMovementKind.COLLECTION, D("1000.00"),
                                                                   "broker")
    assert AuditEvent.objects.filter(verb="receipt_collect", object_id=str(receipt.pk)).exists()


def test_partial_collection_then_the_rest(receipt, admin_a):
    receipt = receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), amount=D("500.00"), channel=SEPA)
    assert (receipt.state, receipt.collected_amount, receipt.outstanding) == (ReceiptState.PARTIAL, D("500.00"),
                                                                              D("500.00"))
    receipt = receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 9), channel=CollectionChannel.TRANSFER)
    assert (receipt.state, receipt.collected_amount) == (ReceiptState.COLLECTED, D("1000.00"))
    assert [m.amount for m in receipt.movements.order_by("pk")] == [D("500.00"), D("500.00")]


def test_return_then_recollection(receipt, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), channel=SEPA)
    receipt = receipt_return(actor=admin_a, receipt=receipt, date=d(2026, 1, 20), reason="AM04")
    assert (receipt.state, receipt.collected_amount, receipt.returned_on, receipt.return_reason) == (
        ReceiptState.RETURNED, D("0.00"), d(2026, 1, 20), "AM04")
    back = receipt.movements.get(kind=ReceiptMovementKind.RETURN)
    assert back.amount == D("-1000.00") and back.reverses.kind == ReceiptMovementKind.COLLECTION
    receipt = receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 2, 2), channel=CollectionChannel.TRANSFER)
    assert receipt.state == ReceiptState.COLLECTED
    assert sum(m.amount for m in receipt.movements.all()) == D("1000.00")


def test_broker_collection_posts_bank_against_the_insurer_account_and_the_return_reverses_it(receipt, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), channel=SEPA)
    account = insurer_account(receipt.insurer)
    assert account.code.startswith("4000") and len(account.code) == 10
    entry = receipt.movements.get().entry
    assert entry.journal.code == "COB" and entry.total == D("1000.00")
    lines = list(EntryLine.objects.filter(entry=entry).order_by("line_no").values_list("account__code", "debit",
                                                                                        "credit"))
    assert lines == [("572", D("1000.00"), D("0.00")), (account.code, D("0.00"), D("1000.00"))]
    assert balance_of("572") == D("1000.00") and balance_of(account.code) == D("-1000.00")
    receipt_return(actor=admin_a, receipt=receipt, date=d(2026, 1, 20), reason="MD06")
    reversal = receipt.movements.get(kind=ReceiptMovementKind.RETURN).entry
    assert reversal.reversal_of == entry and reversal.date == d(2026, 1, 20)
    assert balance_of("572") == D("0.00") and balance_of(account.code) == D("0.00")


def test_insurer_collected_receipts_post_nothing(issued_policy, admin_a):
    receipt = receipts_for_policy(issued_policy(method=PaymentMethod.INSURER)).first()
    entries = Entry.objects.count()
    receipt = receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), channel=CollectionChannel.INSURER)
    assert receipt.movements.get().collector == "insurer" and receipt.movements.get().entry is None
    assert Entry.objects.count() == entries


def test_cancel_an_issued_receipt(receipt, admin_a):
    receipt = receipt_cancel(actor=admin_a, receipt=receipt, date=d(2026, 1, 10), reason="Error de emisión")
    assert (receipt.state, receipt.cancelled_on) == (ReceiptState.CANCELLED, d(2026, 1, 10))
    assert AuditEvent.objects.filter(verb="receipt_cancel", object_id=str(receipt.pk)).exists()


def test_a_returned_receipt_can_be_cancelled(receipt, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), channel=SEPA)
    receipt_return(actor=admin_a, receipt=receipt, date=d(2026, 1, 20), reason="AM04")
    assert receipt_cancel(actor=admin_a, receipt=receipt, date=d(2026, 2, 1)).state == ReceiptState.CANCELLED


# --- Bad input: a clear refusal and nothing written ----------------------------------------------

def _refused(call, code: str, status: int = 400, field=None):
    before = _counts()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code and caught.value.status == status and caught.value.field == field
    assert caught.value.message
    assert _counts() == before
    return caught.value


def test_collecting_a_cancelled_receipt_is_refused(receipt, admin_a):
    receipt_cancel(actor=admin_a, receipt=receipt, date=d(2026, 1, 10))
    error = _refused(lambda: receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 12), channel=SEPA),
                     "receipt_cancelled", 409)
    assert "anulado" in error.message


def test_collecting_more_than_the_outstanding_is_refused(receipt, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), amount=D("600.00"), channel=SEPA)
    error = _refused(lambda: receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 6), amount=D("400.01"),
                                             channel=SEPA), "receipt_overpaid", field="amount")
    assert "400,01 €" in error.message and "400,00 €" in error.message


def test_collecting_a_collected_receipt_is_refused(receipt, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), channel=SEPA)
    _refused(lambda: receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 6), channel=SEPA),
             "receipt_collected", 409)


def test_returning_an_issued_receipt_is_refused(receipt, admin_a):
    error = _refused(lambda: receipt_return(actor=admin_a, receipt=receipt, date=d(2026, 1, 6), reason="AM04"),
                     "receipt_not_collected", 409)
    assert "Emitido" in error.message


def test_cancelling_a_collected_receipt_is_refused(receipt, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), channel=SEPA)
    error = _refused(lambda: receipt_cancel(actor=admin_a, receipt=receipt, date=d(2026, 1, 6)),
                     "receipt_collected", 409)
    assert "devolución" in error.message


@pytest.mark.parametrize("amount", [D("0"), D("-5.00"), D("1.001"), 1.5, "abc"])
def test_bad_amounts_are_refused(receipt, admin_a, amount):
    _refused(lambda: receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), amount=amount,
                                     channel=SEPA), "receipt_amount", field="amount")


def test_a_return_before_the_collection_or_without_reason_is_refused(receipt, admin_a):
    receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), channel=SEPA)
    _refused(lambda: receipt_return(actor=admin_a, receipt=receipt, date=d(2026, 1, 4), reason="AM04"),
             "receipt_date", field="date")
    _refused(lambda: receipt_return(actor=admin_a, receipt=receipt, date=d(2026, 1, 6), reason=" "),
             "receipt_reason", field="reason")


def test_an_unknown_channel_is_refused(receipt, admin_a):
    _refused(lambda: receipt_collect(actor=admin_a, receipt=receipt, date=d(2026, 1, 5), channel="bizum"),
             "receipt_channel", field="channel")


def test_collecting_a_refund_pays_the_client_back(issued_policy, admin_a):
    from apps.insurance.choices import CancellationReason
    from apps.insurance.services.policies import policy_cancel

    policy = issued_policy(frequency=PaymentFrequency.ANNUAL)
    annual = receipts_for_policy(policy).get()
    receipt_collect(actor=admin_a, receipt=annual, date=d(2026, 1, 2), channel=SEPA)
    policy_cancel(actor=admin_a, policy=policy, effective_date=d(2026, 7, 2), reason=CancellationReason.CLIENT_REQUEST)
    refund = receipts_for_policy(policy).get(kind="refund")
    assert refund.total_premium == D("-601.64")  # 02/07-31/12 = 183 of 365 days: 1.200 × 183 / 365
    paid = receipt_collect(actor=admin_a, receipt=refund, date=d(2026, 7, 10), channel=CollectionChannel.TRANSFER)
    assert paid.state == ReceiptState.COLLECTED
    movement = paid.movements.get()
    assert (movement.kind, movement.amount) == (ReceiptMovementKind.REFUND_PAID, refund.total_premium)
    lines = list(movement.entry.lines.order_by("line_no").values_list("account__code", "debit", "credit"))
    assert lines[1] == ("572", D("0.00"), -refund.total_premium)
    assert CommissionMovement.objects.filter(receipt=refund, kind=CommissionMovementKind.EARNED).count() == 0
