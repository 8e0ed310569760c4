"""Insurer settlements (issue 6, item 3) with the issue's numbers: preview, close, posting,
returns after closing landing in the next settlement, refusals with nothing written, PDF."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounting.models import Entry, Invoice
from apps.audit.models import AuditEvent
from apps.collections.choices import SettlementState
from apps.collections.models import CommissionMovement, ReceiptMovement, Settlement
from apps.collections.selectors_settlements import settlement_lines, settlement_pdf, statement_context
from apps.collections.services.receipts import receipt_collect, receipt_return
from apps.collections.services.receipts_generate import receipts_for_policy_issue
from apps.collections.services.settlements import (
    SettlementError, settlement_close, settlement_mark_paid, settlement_preview,
)
from apps.insurance.choices import PaymentFrequency, PaymentMethod
from tests.collections.test_settlements_support import (  # noqa: F401 (fixtures)
    FEB_1, FEB_28, MAR_1, MAR_31, account_balance, collect_both, collected_case, settle_case, the_receipt,
)

D = Decimal


def _figures(obj) -> tuple:
    return (obj.premiums_collected, obj.commission_on_collected, obj.commission_insurer_collected,
            obj.other_commission, obj.commission_total, obj.amount_due)


def _counts() -> dict:
    return {"settlements": Settlement.objects.count(), "entries": Entry.objects.count(),
            "invoices": Invoice.objects.count(),
            "open_rows": ReceiptMovement.objects.filter(settlement__isnull=True).count()
            + CommissionMovement.objects.filter(settlement__isnull=True, collaborator__isnull=True).count()}


def test_preview_gives_the_issue_numbers_and_writes_nothing(collected_case):
    before = _counts()
    draft = settlement_preview(insurer=collected_case["insurer"], period_start=FEB_1, period_end=FEB_28)
    assert _figures(draft) == (D("1000.00"), D("200.00"), D("50.00"), D("0.00"), D("250.00"), D("750.00"))
    assert draft.broker_pays
    by_number = {line.receipt_number: line for line in draft.lines}
    a, b = by_number[collected_case["receipt_a"].number], by_number[collected_case["receipt_b"].number]
    assert (a.premium, a.commission, a.collector, a.policy_number) == (D("1000.00"), D("200.00"), "broker", "CV-A")
    assert (b.premium, b.commission, b.collector) == (D("500.00"), D("50.00"), "insurer")
    assert a.holder == "Marta Ortega Ruiz" and a.due_date == datetime.date(2026, 1, 1)
    assert _counts() == before


def test_preview_takes_earlier_unsettled_rows_and_not_later_ones(collected_case):
    """Nothing is ever lost: a period starting after the collections still takes them; a period
    ending before them does not."""
    later = settlement_preview(insurer=collected_case["insurer"], period_start=MAR_1, period_end=MAR_31)
    assert later.amount_due == D("750.00")
    earlier = settlement_preview(insurer=collected_case["insurer"], period_start=datetime.date(2026, 1, 1),
                                 period_end=datetime.date(2026, 1, 31))
    assert earlier.is_empty and earlier.amount_due == D("0.00")


def test_close_keeps_the_figures_attaches_the_rows_and_numbers_it(collected_case, admin_a):
    settlement = settlement_close(actor=admin_a, insurer=collected_case["insurer"], period_start=FEB_1,
                                  period_end=FEB_28, date=datetime.date(2026, 3, 5))
    assert _figures(settlement) == (D("1000.00"), D("200.00"), D("50.00"), D("0.00"), D("250.00"), D("750.00"))
    assert settlement.number == "L-2026-000001" and settlement.state == SettlementState.CLOSED
    assert not ReceiptMovement.objects.filter(insurer=collected_case["insurer"], settlement__isnull=True).exists()
    assert not CommissionMovement.objects.filter(insurer=collected_case["insurer"], collaborator__isnull=True,
                                                 settlement__isnull=True).exists()
    assert len(settlement_lines(settlement)) == 2
    assert AuditEvent.objects.filter(verb="settlement_close", object_id=str(settlement.pk)).exists()
    # What was taken is never taken again.
    assert settlement_preview(insurer=collected_case["insurer"], period_start=MAR_1, period_end=MAR_31).is_empty


def test_posting_exempt_invoice_and_insurer_account_balance_is_amount_due(collected_case, admin_a):
    settlement = settlement_close(actor=admin_a, insurer=collected_case["insurer"], period_start=FEB_1,
                                  period_end=FEB_28, date=datetime.date(2026, 3, 5))
    invoice = settlement.invoice
    assert invoice.kind == "issued" and invoice.total == D("250.00") and invoice.vat_total == D("0.00")
    line = invoice.lines.get()
    assert line.vat.code == "EXENTO20" and line.account.code.startswith("705") and line.base == D("250.00")
    assert invoice.party == collected_case["insurer"].party
    entry = settlement.entry
    lines = list(entry.lines.all())
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines) == D("250.00")
    debit = next(x for x in lines if x.debit)
    credit = next(x for x in lines if x.credit)
    assert debit.account == collected_case["account"] and debit.account.code.startswith("4000")
    assert credit.account.code.startswith("4300")
    # 1.000 € collected for the insurer, 250 € of commission offset: 750 € owed to it.
    assert account_balance(collected_case["account"]) == D("750.00") == settlement.amount_due
    # The commission invoice's receivable is settled by the offset.
    assert account_balance(credit.account) == D("0.00")


def test_a_receipt_returned_after_its_settlement_is_a_negative_line_in_the_next(collected_case, admin_a):
    first = settlement_close(actor=admin_a, insurer=collected_case["insurer"], period_start=FEB_1,
                             period_end=FEB_28, date=datetime.date(2026, 3, 5))
    settlement_mark_paid(actor=admin_a, settlement=first, date=datetime.date(2026, 3, 6))
    assert account_balance(collected_case["account"]) == D("0.00")
    receipt_return(actor=admin_a, receipt=collected_case["receipt_a"], date=datetime.date(2026, 3, 10),
                   reason="AM04")
    first.refresh_from_db()
    assert _figures(first)[-1] == D("750.00")  # the closed settlement is never rewritten
    second = settlement_close(actor=admin_a, insurer=collected_case["insurer"], period_start=MAR_1,
                              period_end=MAR_31, date=datetime.date(2026, 4, 2))
    assert (second.premiums_collected, second.commission_total, second.amount_due) == (
        D("-1000.00"), D("-200.00"), D("-800.00"))
    [line] = settlement_lines(second)
    assert (line.receipt_number, line.premium, line.commission, line.is_negative) == (
        collected_case["receipt_a"].number, D("-1000.00"), D("-200.00"), True)
    # The commission comes back by a rectifying invoice of the first one; the insurer owes 800 €.
    assert second.invoice.rectifies == first.invoice and second.invoice.total == D("-200.00")
    assert account_balance(collected_case["account"]) == D("-800.00") == second.amount_due
    settlement_mark_paid(actor=admin_a, settlement=second, date=datetime.date(2026, 4, 3))
    assert account_balance(collected_case["account"]) == D("0.00")


def test_settling_the_same_period_twice_is_refused_and_nothing_written(collected_case, admin_a):
    settlement_close(actor=admin_a, insurer=collected_case["insurer"], period_start=FEB_1, period_end=FEB_28,
                     date=datetime.date(2026, 3, 5))
    collected_case["receipt_a"].refresh_from_db()
    receipt_return(actor=admin_a, receipt=collected_case["receipt_a"], date=datetime.date(2026, 3, 10),
                   reason="AM04")  # something to settle, so only the period rule refuses
    before = _counts()
    for start, end in ((FEB_1, FEB_28), (datetime.date(2026, 2, 15), MAR_31)):
        with pytest.raises(SettlementError) as refused:
            settlement_close(actor=admin_a, insurer=collected_case["insurer"], period_start=start, period_end=end,
                             date=datetime.date(2026, 4, 1))
        assert refused.value.status == 409 and refused.value.code == "settlement_period_taken"
        assert "L-2026-000001" in refused.value.message
    assert _counts() == before


def test_an_empty_settlement_is_refused(settle_case, admin_a):
    before = _counts()
    with pytest.raises(SettlementError) as refused:
        settlement_close(actor=admin_a, insurer=settle_case["insurer"], period_start=FEB_1, period_end=FEB_28,
                         date=FEB_28)
    assert refused.value.code == "settlement_empty" and "Vida Colectiva Seguros" in refused.value.message
    assert _counts() == before


def test_bad_periods_are_refused(settle_case, admin_a):
    with pytest.raises(SettlementError) as refused:
        settlement_preview(insurer=settle_case["insurer"], period_start=FEB_28, period_end=FEB_1)
    assert refused.value.field == "period_end"


def test_mark_paid_posts_the_payment_and_refuses_twice(collected_case, admin_a):
    settlement = settlement_close(actor=admin_a, insurer=collected_case["insurer"], period_start=FEB_1,
                                  period_end=FEB_28, date=datetime.date(2026, 3, 5))
    paid = settlement_mark_paid(actor=admin_a, settlement=settlement, date=datetime.date(2026, 3, 6))
    assert paid.state == SettlementState.PAID and paid.paid_on == datetime.date(2026, 3, 6)
    lines = list(paid.payment_entry.lines.select_related("account"))
    assert {(x.account.code[:3], x.debit, x.credit) for x in lines} == {
        ("400", D("750.00"), D("0.00")), ("572", D("0.00"), D("750.00"))}
    entries = Entry.objects.count()
    with pytest.raises(SettlementError) as refused:
        settlement_mark_paid(actor=admin_a, settlement=settlement, date=datetime.date(2026, 3, 7))
    assert refused.value.status == 409 and refused.value.code == "settlement_already_paid"
    assert Entry.objects.count() == entries


def test_the_preview_costs_a_fixed_number_of_queries(settle_case, issued_policy, admin_a):
    collect_both(settle_case, admin_a)
    insurer = settle_case["insurer"]
    with CaptureQueriesContext(connection) as few:
        settlement_preview(insurer=insurer, period_start=FEB_1, period_end=FEB_28)
    for n in range(3):
        policy = issued_policy(net=D("300.00"), frequency=PaymentFrequency.ANNUAL, method=PaymentMethod.BROKER_SEPA,
                               number=f"CV-N{n}")
        receipt_collect(actor=admin_a, receipt=the_receipt(admin_a, policy), date=FEB_28, channel="sepa")
    with CaptureQueriesContext(connection) as many:
        draft = settlement_preview(insurer=insurer, period_start=FEB_1, period_end=FEB_28)
    assert len(draft.lines) == 5 and draft.premiums_collected == D("1900.00")
    assert len(few.captured_queries) == len(many.captured_queries) == 2


def test_the_statement_pdf(collected_case, admin_a):
    settlement = settlement_close(actor=admin_a, insurer=collected_case["insurer"], period_start=FEB_1,
                                  period_end=FEB_28, date=datetime.date(2026, 3, 5))
    pdf = settlement_pdf(settlement)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_an_upfront_advance_is_other_commission_the_insurer_pays(coll_catalog, issued_policy, admin_a):
    """60 % of a 1.200 € first-year premium paid up front: 720 € the insurer owes the broker."""
    coll_catalog.insurer.tax_id = "A10000008"
    coll_catalog.insurer.save(update_fields=["tax_id"])
    policy = issued_policy(net=D("1200.00"), frequency=PaymentFrequency.MONTHLY, number="CV-UP",
                           agreement={"upfront": True, "new_business_pct": D("60.00")})
    receipts_for_policy_issue(actor=admin_a, policy=policy)
    draft = settlement_preview(insurer=coll_catalog.insurer, period_start=datetime.date(2026, 1, 1),
                               period_end=datetime.date(2026, 1, 31))
    assert (draft.premiums_collected, draft.other_commission, draft.commission_total, draft.amount_due) == (
        D("0.00"), D("720.00"), D("720.00"), D("-720.00"))
    assert not draft.broker_pays
    settlement = settlement_close(actor=admin_a, insurer=coll_catalog.insurer, period_start=datetime.date(2026, 1, 1),
                                  period_end=datetime.date(2026, 1, 31), date=datetime.date(2026, 2, 2))
    assert settlement.invoice.total == D("720.00") and settlement.amount_due == D("-720.00")
    context = statement_context(settlement)
    assert context["who_pays"].startswith("Vida Colectiva Seguros paga a") and context["amount_due"] == "720,00 €"
