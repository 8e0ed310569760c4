"""Collaborator settlements: a 25 % share of the broker's commission with 15 % IRPF withheld.
Policy CV-A: 1.000 € at 20 % -> broker 200 €, collaborator 50 €, withholding 7,50 €, to pay 42,50 €;
returned after the settlement -> the next one is -50 / -7,50 / -42,50."""
import datetime
from decimal import Decimal

import pytest

from apps.accounting.models import Entry
from apps.accounting.services import mapped_account
from apps.collections.choices import CollaboratorKind, SettlementState
from apps.collections.models import CollaboratorSettlement, CommissionMovement
from apps.collections.selectors_settlements import collaborator_settlement_lines, settlement_pdf
from apps.collections.services.collaborator_settlements import (
    collaborator_settlement_close, collaborator_settlement_mark_paid, collaborator_settlement_preview,
)
from apps.collections.services.collaborators import collaborator_create, share_set
from apps.collections.services.receipts import receipt_return
from apps.collections.services.settlements import SettlementError
from apps.crm.services.parties import party_create
from tests.collections.test_settlements_support import (  # noqa: F401 (fixtures)
    FEB_1, FEB_28, MAR_1, MAR_31, collect_both, settle_case,
)

D = Decimal


@pytest.fixture
def collaborator(tenant_a):
    party = party_create(actor=None, data={"kind": "person", "first_name": "Pablo", "last_name": "Núñez Vidal",
                                           "tax_id": "12345678Z"})
    return collaborator_create(actor=None, data={
        "party": party, "kind": CollaboratorKind.EXTERNAL_AUXILIARY, "code": "AUX1", "default_share_pct": D("25"),
        "withholding_pct": D("15")})


@pytest.fixture
def shared_case(settle_case, collaborator, admin_a):
    share_set(actor=admin_a, policy=settle_case["policy_a"], collaborator=collaborator, pct=D("25"))
    collect_both(settle_case, admin_a)
    return {**settle_case, "collaborator": collaborator}


def _close(case, actor, start=FEB_1, end=FEB_28, date=datetime.date(2026, 3, 5)):
    return collaborator_settlement_close(actor=actor, collaborator=case["collaborator"], period_start=start,
                                         period_end=end, date=date)


def test_preview_share_withholding_and_amount_due(shared_case):
    draft = collaborator_settlement_preview(collaborator=shared_case["collaborator"], period_start=FEB_1,
                                            period_end=FEB_28)
    assert (draft.commission_total, draft.withholding, draft.amount_due) == (D("50.00"), D("7.50"), D("42.50"))
    [line] = draft.lines
    assert (line.policy_number, line.commission) == ("CV-A", D("50.00"))


def test_close_posts_expense_withholding_and_creditor(shared_case, admin_a):
    settlement = _close(shared_case, admin_a)
    assert (settlement.commission_total, settlement.withholding, settlement.amount_due) == (
        D("50.00"), D("7.50"), D("42.50"))
    assert settlement.number == "LC-2026-000001" and settlement.state == SettlementState.CLOSED
    assert not CommissionMovement.objects.filter(collaborator=shared_case["collaborator"],
                                                 collaborator_settlement__isnull=True).exists()
    expense, payable = mapped_account("commission_expense"), mapped_account("withholding_payable")
    lines = {(x.account_id, x.debit, x.credit) for x in settlement.entry.lines.all()}
    creditor = settlement.entry.lines.select_related("account").get(credit=D("42.50"))
    assert creditor.account.code.startswith("4100") and creditor.party == shared_case["collaborator"].party
    assert lines == {(expense.pk, D("50.00"), D("0.00")), (payable.pk, D("0.00"), D("7.50")),
                     (creditor.account_id, D("0.00"), D("42.50"))}
    withholding = settlement.entry.lines.get(credit=D("7.50"))
    assert withholding.tax.code == "IRPF15" and withholding.tax_base == D("50.00")


def test_a_return_after_the_settlement_lands_in_the_next_one(shared_case, admin_a):
    first = _close(shared_case, admin_a)
    receipt_return(actor=admin_a, receipt=shared_case["receipt_a"], date=datetime.date(2026, 3, 10), reason="AM04")
    second = _close(shared_case, admin_a, MAR_1, MAR_31, datetime.date(2026, 4, 2))
    assert (second.commission_total, second.withholding, second.amount_due) == (D("-50.00"), D("-7.50"),
                                                                                 D("-42.50"))
    first.refresh_from_db()
    assert first.amount_due == D("42.50")
    [line] = collaborator_settlement_lines(second)
    assert line.commission == D("-50.00") and line.is_negative
    entry_lines = {(x.debit, x.credit) for x in second.entry.lines.all()}
    assert entry_lines == {(D("0.00"), D("50.00")), (D("7.50"), D("0.00")), (D("42.50"), D("0.00"))}


def test_settling_twice_is_refused_and_nothing_written(shared_case, admin_a):
    _close(shared_case, admin_a)
    before = (CollaboratorSettlement.objects.count(), Entry.objects.count())
    with pytest.raises(SettlementError) as refused:
        _close(shared_case, admin_a)
    assert refused.value.status == 409 and "LC-2026-000001" in refused.value.message
    with pytest.raises(SettlementError) as empty:
        _close(shared_case, admin_a, MAR_1, MAR_31, datetime.date(2026, 4, 2))
    assert empty.value.code == "settlement_empty"
    assert (CollaboratorSettlement.objects.count(), Entry.objects.count()) == before


def test_mark_paid_and_pdf(shared_case, admin_a):
    settlement = _close(shared_case, admin_a)
    paid = collaborator_settlement_mark_paid(actor=admin_a, settlement=settlement, date=datetime.date(2026, 3, 20))
    assert paid.state == SettlementState.PAID
    assert {(x.account.code[:3], x.debit, x.credit) for x in paid.payment_entry.lines.select_related("account")} == {
        ("410", D("42.50"), D("0.00")), ("572", D("0.00"), D("42.50"))}
    with pytest.raises(SettlementError):
        collaborator_settlement_mark_paid(actor=admin_a, settlement=settlement, date=datetime.date(2026, 3, 21))
    assert settlement_pdf(paid).startswith(b"%PDF")
