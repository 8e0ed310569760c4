"""Remittance cancel and retries of returned debits (issue 7 items 3-4, task K3).

Numbers: coll_holder's monthly policy of 12.000 € a year -> receipts of 1.000,00 € due the 1st of each
month from 01/01/2026; mandate AIT-… signed 01/01/2026 on ES79 2100 0813 6101 2345 6789. The first
remittance is charged on 05/01/2026 and its debit comes back on 12/01/2026.
"""
import datetime
from decimal import Decimal

import pytest

from apps.accounting.models import Entry
from apps.audit.models import AuditEvent
from apps.collections.choices import ReceiptState
from apps.collections.models import Receipt
from apps.collections.selectors_receipts import receipts_for_policy
from apps.core.errors import DomainError
from apps.treasury.choices import RemittanceState, SequenceType
from apps.treasury.models import Mandate, Remittance, RemittanceItem
from apps.treasury.services.mandates import mandate_amend, mandate_revoke
from apps.treasury.services.remittances import (remittance_cancel, remittance_candidates, remittance_charge,
                                                remittance_create, remittance_generate)
from apps.treasury.services.returns import return_record

D = Decimal
d = datetime.date
FEB = (d(2026, 2, 1), d(2026, 2, 28))
NEW_IBAN = "ES6621000418401234567891"
AC04_REASON = "Devuelto por AC04 (Cuenta cancelada): revise el mandato antes de volver a remesarlo"


@pytest.fixture
def policy_receipts(issued_policy, coll_holder, mandate_for):
    mandate_for(coll_holder)
    return list(receipts_for_policy(issued_policy(net=D("12000.00"))).order_by("due_date"))


def _remit(actor, bank_account, receipts, collection_date):
    remittance = remittance_create(actor=actor, bank_account=bank_account, collection_date=collection_date,
                                   receipts=receipts)
    remittance_generate(actor=actor, remittance=remittance)
    return Remittance.objects.get(pk=remittance.pk)


def _charged_and_returned(admin_a, bank_account, receipt, code):
    remittance = _remit(admin_a, bank_account, [receipt], d(2026, 1, 5))
    remittance_charge(actor=admin_a, remittance=remittance)
    return return_record(actor=admin_a, item=remittance.items.get(), date=d(2026, 1, 12), code=code)


def _row(rows, receipt):
    return next(row for row in rows if row.receipt.pk == receipt.pk)


def test_cancel_frees_the_receipts_and_the_mandate_stays_first(policy_receipts, coll_holder, bank_account, admin_a):
    january = policy_receipts[0]
    remittance = _remit(admin_a, bank_account, [january], d(2026, 1, 5))
    assert "<SeqTp>FRST</SeqTp>" in remittance.xml

    cancelled = remittance_cancel(actor=admin_a, remittance=remittance, reason="Fichero con la fecha equivocada")

    assert cancelled.state == RemittanceState.CANCELLED
    mandate = coll_holder.mandates.get()
    assert (mandate.uses, mandate.last_used_on) == (0, None)
    event = AuditEvent.objects.get(verb="remittance_cancel")
    assert event.changes["motivo"] == [None, "Fichero con la fecha equivocada"]
    assert Receipt.objects.get(pk=january.pk).state == ReceiptState.ISSUED
    row = _row(remittance_candidates(bank_account=bank_account, due_from=d(2026, 1, 1), due_to=d(2026, 1, 31)),
               january)
    assert row.ok and row.amount == D("1000.00")

    again = _remit(admin_a, bank_account, [january], d(2026, 1, 8))
    assert again.items.get().sequence_type == SequenceType.FIRST
    assert "<SeqTp>FRST</SeqTp>" in again.xml and again.total == D("1000.00")


def test_cancel_needs_a_reason_and_a_live_remittance(policy_receipts, bank_account, admin_a):
    remittance = remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 1, 5),
                                   receipts=[policy_receipts[0]])
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        remittance_cancel(actor=admin_a, remittance=remittance, reason="   ")
    assert (refused.value.code, refused.value.field) == ("treasury_reason_required", "reason")
    assert Remittance.objects.get(pk=remittance.pk).state == RemittanceState.DRAFT   # a draft can be cancelled
    assert AuditEvent.objects.count() == events
    remittance_cancel(actor=admin_a, remittance=remittance, reason="Duplicada")
    with pytest.raises(DomainError) as twice:
        remittance_cancel(actor=admin_a, remittance=remittance, reason="Otra vez")
    assert (twice.value.code, twice.value.status) == ("treasury_remittance_state", 409)


def test_cancel_of_a_charged_remittance_is_refused_and_changes_nothing(policy_receipts, coll_holder, bank_account,
                                                                     admin_a):
    remittance = _remit(admin_a, bank_account, [policy_receipts[0]], d(2026, 1, 5))
    remittance_charge(actor=admin_a, remittance=remittance)
    before = (Entry.objects.count(), AuditEvent.objects.count(), coll_holder.mandates.get().uses,
              Receipt.objects.get(pk=policy_receipts[0].pk).state)

    with pytest.raises(DomainError) as refused:
        remittance_cancel(actor=admin_a, remittance=remittance, reason="Error")

    assert (refused.value.code, refused.value.status) == ("treasury_remittance_charged", 409)
    assert "registre la devolución de sus adeudos" in refused.value.message
    assert Remittance.objects.get(pk=remittance.pk).state == RemittanceState.CHARGED
    assert before == (Entry.objects.count(), AuditEvent.objects.count(), 1, ReceiptState.COLLECTED)


def test_am04_return_is_retried_in_the_next_remittance_as_rcur(policy_receipts, bank_account, admin_a):
    january, february = policy_receipts[0], policy_receipts[1]
    result = _charged_and_returned(admin_a, bank_account, january, "AM04")
    assert result.may_retry is True and RemittanceItem.objects.get(pk=result.item.pk).may_retry is True

    rows = remittance_candidates(bank_account=bank_account, due_from=FEB[0], due_to=FEB[1])
    # January's receipt fell due before the range: listed anyway, as a retry.
    assert [(row.receipt.pk, row.is_retry, row.reason) for row in rows] == [
        (january.pk, True, ""), (february.pk, False, "")]
    retry = _remit(admin_a, bank_account, [january, february], d(2026, 2, 5))
    assert sorted(retry.items.values_list("sequence_type", flat=True)) == [SequenceType.RECURRENT] * 2
    assert "<SeqTp>RCUR</SeqTp>" in retry.xml and "FRST" not in retry.xml
    assert retry.total == D("2000.00")


def test_returned_receipt_due_after_the_range_is_not_listed(policy_receipts, bank_account, admin_a):
    _charged_and_returned(admin_a, bank_account, policy_receipts[0], "AM04")
    rows = remittance_candidates(bank_account=bank_account, due_from=d(2025, 12, 1), due_to=d(2025, 12, 31))
    assert rows == []


def test_ac04_return_is_refused_until_the_mandate_is_amended(policy_receipts, coll_holder, bank_account, admin_a):
    january = policy_receipts[0]
    result = _charged_and_returned(admin_a, bank_account, january, "AC04")
    assert result.may_retry is False and RemittanceItem.objects.get(pk=result.item.pk).may_retry is False

    row = _row(remittance_candidates(bank_account=bank_account, due_from=FEB[0], due_to=FEB[1]), january)
    assert (row.is_retry, row.reason) == (True, AC04_REASON)
    before = (Remittance.objects.count(), RemittanceItem.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 2, 5), receipts=[january])
    assert refused.value.status == 409 and AC04_REASON in refused.value.message
    assert (Remittance.objects.count(), RemittanceItem.objects.count(), AuditEvent.objects.count()) == before

    mandate_amend(actor=admin_a, mandate=coll_holder.mandates.get(), iban=NEW_IBAN, on_date=d(2026, 1, 20))

    row = _row(remittance_candidates(bank_account=bank_account, due_from=FEB[0], due_to=FEB[1]), january)
    assert row.ok
    retry = _remit(admin_a, bank_account, [january], d(2026, 2, 5))
    assert retry.items.get().sequence_type == SequenceType.FIRST   # new account: FRST again
    assert NEW_IBAN in retry.xml and "<SeqTp>FRST</SeqTp>" in retry.xml


def test_ac04_return_is_accepted_with_a_mandate_signed_after_it(policy_receipts, coll_holder, bank_account, admin_a,
                                                                mandate_for):
    january = policy_receipts[0]
    _charged_and_returned(admin_a, bank_account, january, "MD01")
    old = coll_holder.mandates.get()
    mandate_for(coll_holder, iban=NEW_IBAN, signature_date=d(2026, 1, 10))   # signed before the return
    mandate_revoke(actor=admin_a, mandate=old, on_date=d(2026, 1, 10))
    reason = _row(remittance_candidates(bank_account=bank_account, due_from=FEB[0], due_to=FEB[1]), january).reason
    assert reason.startswith("Devuelto por MD01 (Sin mandato)")

    new = mandate_for(coll_holder, iban=NEW_IBAN, signature_date=d(2026, 1, 15))
    row = _row(remittance_candidates(bank_account=bank_account, due_from=FEB[0], due_to=FEB[1],
                                     collection_date=d(2026, 2, 5)), january)
    assert row.ok and row.mandate == new
    retry = _remit(admin_a, bank_account, [january], d(2026, 2, 5))
    assert (retry.items.get().mandate, retry.items.get().sequence_type) == (new, SequenceType.FIRST)
    assert Mandate.objects.get(pk=new.pk).uses == 0
