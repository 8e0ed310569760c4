"""Reconciliation posts or links its entry, protects a target from a second reconciliation and stays fast
(issue 7 item 6).

Numbers: an annual receipt of 321,09 € (policy CV-K2) paid by transfer on 20/01/2026; an issued invoice of
100 € + 21 % VAT = 121,00 € collected on 25/01; a lawyer's invoice 2026/017 of 500 € + 21 % VAT - 15 % IRPF
= 530,00 € paid on 26/01; a transfer order of that invoice (530,00 €) executed 10/02, charged 11/02.
"""
import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from apps.accounting.models import Entry, EntryLine
from apps.accounting.services.invoices import invoice_issue
from apps.audit.models import AuditEvent
from apps.audit.services import audit_chain_verify
from apps.collections.choices import ReceiptState
from apps.collections.selectors_receipts import receipts_for_policy
from apps.crm.models import BankAccount as PartyBankAccount
from apps.crm.services.parties import party_create
from apps.treasury.choices import RemittanceState, StatementLineState, TransferItemKind, TransferOrderState
from apps.treasury.models import Reconciliation, Remittance, Statement, StatementLine
from apps.treasury.services.reconciliation import (
    ReconciliationError, reconcile_auto, reconcile_confirm, reconcile_manual, reconcile_undo,
)
from apps.treasury.services.transfer_orders import transfer_order_create
from apps.treasury.services.transfer_sources import PaymentRequest

D = Decimal
d = datetime.date
_fingerprints = itertools.count(1)


@pytest.fixture
def statement(bank_account):
    return Statement.objects.create(bank_account=bank_account, start_date=d(2026, 1, 1), end_date=d(2026, 2, 28),
                                    opening_balance=D("0"), closing_balance=D("0"), file_hash="k2-statement")


def add_line(statement, amount, day, description="", reference1=""):
    return StatementLine.objects.create(
        statement=statement, bank_account=statement.bank_account, operation_date=day, value_date=day,
        amount=D(amount), description=description, reference1=reference1,
        fingerprint=f"k2-{next(_fingerprints)}")


def bank_total(entries, bank_account):
    lines = EntryLine.objects.filter(entry__in=entries, account=bank_account.account)
    totals = lines.aggregate(dr=Sum("debit"), cr=Sum("credit"))
    return (totals["dr"] or D("0")) - (totals["cr"] or D("0"))


@pytest.fixture
def receipt(issued_policy):
    return receipts_for_policy(issued_policy(net=D("321.09"), frequency="annual", number="CV-K2")).first()


@pytest.fixture
def client_party(coll_books):
    return party_create(actor=None, data={"kind": "person", "first_name": "Lucía", "last_name": "Cliente Gómez",
                                          "tax_id": "12345678Z"})


@pytest.fixture
def lawyer(coll_books):
    lawyer = party_create(actor=None, data={"kind": "person", "first_name": "Marta", "last_name": "Abogada Ruiz",
                                            "tax_id": "87654321X"})
    PartyBankAccount.objects.create(party=lawyer, iban="ES9221000813620123456700", is_primary=True)
    return lawyer


def received_invoice(admin_a, lawyer):
    return invoice_issue(actor=admin_a, kind="received", party=lawyer, issue_date=d(2026, 1, 15),
                         full_number="2026/017", lines=[{"description": "Minuta reclamación", "unit_price": "500",
                                                         "vat": "IVAS21", "withholding": "IRPF15"}])


def test_receipt_collected_by_its_transfer_and_undo_nets_to_zero(statement, receipt, bank_account, admin_a):
    line = add_line(statement, "321.09", d(2026, 1, 20), f"TRANSFERENCIA PAGO RECIBO {receipt.number}")

    summary = reconcile_auto(actor=admin_a)

    assert (summary.reconciled, summary.proposed, summary.pending) == (1, 0, 0)
    rec = line.reconciliations.get()
    receipt.refresh_from_db()
    assert (receipt.state, receipt.collected_amount, receipt.channel) == (ReceiptState.COLLECTED, D("321.09"),
                                                                         "transfer")
    assert rec.posted and rec.entry.lines.get(account=bank_account.account).debit == D("321.09")
    assert rec.entry.date == d(2026, 1, 20)

    reconcile_undo(actor=admin_a, reconciliation=rec)

    receipt.refresh_from_db()
    assert (receipt.state, receipt.collected_amount, receipt.returned_on) == (ReceiptState.ISSUED, D("0.00"), None)
    reversal = Entry.objects.get(reversal_of=rec.entry)
    assert reversal.lines.get(account=bank_account.account).credit == D("321.09")
    assert bank_total([rec.entry, reversal], bank_account) == D("0.00")
    assert StatementLine.objects.get(pk=line.pk).state == StatementLineState.PENDING
    # the line can be reconciled again: the receipt is free and outstanding again
    again = reconcile_manual(actor=admin_a, line=line, target=receipt)
    assert again.posted and state_of(receipt) == ReceiptState.COLLECTED


def state_of(receipt):
    receipt.refresh_from_db()
    return receipt.state


def test_receipt_paid_in_two_transfers_up_to_its_outstanding(statement, receipt, admin_a):
    first = add_line(statement, "200.00", d(2026, 1, 20), "TRANSFERENCIA")
    second = add_line(statement, "121.09", d(2026, 1, 22), "TRANSFERENCIA")
    third = add_line(statement, "0.01", d(2026, 1, 23), "TRANSFERENCIA")

    reconcile_manual(actor=admin_a, line=first, target=receipt)
    reconcile_manual(actor=admin_a, line=second, target=receipt)

    assert state_of(receipt) == ReceiptState.COLLECTED
    with pytest.raises(ReconciliationError) as refused:
        reconcile_manual(actor=admin_a, line=third, target=receipt)
    assert (refused.value.code, refused.value.status) == ("treasury_target_state", 409)
    with pytest.raises(ReconciliationError) as not_clean:  # two live collections: undo one is refused
        reconcile_undo(actor=admin_a, reconciliation=first.reconciliations.get())
    assert not_clean.value.code == "treasury_reconciliation_undo_receipt"


def test_issued_and_received_invoices_are_reconciled_with_their_entries(statement, client_party, lawyer,
                                                                         bank_account, admin_a):
    issued = invoice_issue(actor=admin_a, kind="issued", party=client_party, issue_date=d(2026, 1, 10),
                           lines=[{"description": "Asesoría", "unit_price": "100", "vat": "IVA21"}])
    received = received_invoice(admin_a, lawyer)
    assert (issued.total, received.total) == (D("121.00"), D("530.00"))
    collected = add_line(statement, "121.00", d(2026, 1, 25), f"TRANSFERENCIA FRA {issued.full_number}")
    paid = add_line(statement, "-530.00", d(2026, 1, 26), "TRANSFERENCIA EMITIDA FACTURA 2026/017")

    summary = reconcile_auto(actor=admin_a)

    assert (summary.reconciled, summary.proposed, summary.pending) == (2, 0, 0)
    by_issued, by_received = collected.reconciliations.get(), paid.reconciliations.get()
    assert (by_issued.target, by_issued.rule, by_received.target) == (issued, "invoice", received)
    client_account = issued.entry.lines.get(debit=D("121.00")).account
    assert by_issued.entry.journal.code == "BAN"
    assert by_issued.entry.lines.get(account=bank_account.account).debit == D("121.00")
    assert by_issued.entry.lines.get(account=client_account).credit == D("121.00")
    supplier_account = received.entry.lines.get(credit=D("530.00")).account
    assert supplier_account.code.startswith("410")
    assert by_received.entry.lines.get(account=supplier_account).debit == D("530.00")
    assert by_received.entry.lines.get(account=bank_account.account).credit == D("530.00")

    reconcile_undo(actor=admin_a, reconciliation=by_received)
    reversal = Entry.objects.get(reversal_of=by_received.entry)
    assert bank_total([by_received.entry, reversal], bank_account) == D("0.00")


def test_invoice_by_amount_only_is_proposed_and_posts_on_confirmation(statement, client_party, admin_a):
    issued = invoice_issue(actor=admin_a, kind="issued", party=client_party, issue_date=d(2026, 1, 10),
                           lines=[{"description": "Asesoría", "unit_price": "100", "vat": "IVA21"}])
    line = add_line(statement, "121.00", d(2026, 1, 25), "TRANSFERENCIA RECIBIDA")

    reconcile_auto(actor=admin_a)

    proposal = line.reconciliations.get()
    assert (proposal.target, proposal.rule, proposal.confirmed, proposal.entry) == (issued, "amount", False, None)
    confirmed = reconcile_confirm(actor=admin_a, reconciliation=proposal)
    assert confirmed.posted and confirmed.entry.lines.aggregate(dr=Sum("debit"))["dr"] == D("121.00")


def test_transfer_order_debit_settles_the_order(statement, lawyer, bank_account, admin_a):
    invoice = received_invoice(admin_a, lawyer)
    order = transfer_order_create(actor=admin_a, bank_account=bank_account, execution_date=d(2026, 2, 10),
                                  items=[PaymentRequest(TransferItemKind.SUPPLIER_INVOICE, invoice.pk)])
    line = add_line(statement, "-530.00", d(2026, 2, 11), "ORDEN DE TRANSFERENCIAS", reference1="")

    summary = reconcile_auto(actor=admin_a)

    assert summary.reconciled == 1
    rec = line.reconciliations.get()
    order.refresh_from_db()
    assert (rec.target, rec.rule, rec.posted) == (order, "transfer_order", True)
    assert (order.state, order.settled_on) == (TransferOrderState.SETTLED, d(2026, 2, 11))
    assert rec.entry == order.items.get().entry
    assert rec.entry.lines.get(account=bank_account.account).credit == D("530.00")
    with pytest.raises(ReconciliationError) as refused:
        reconcile_undo(actor=admin_a, reconciliation=rec)
    assert refused.value.code == "treasury_reconciliation_undo_transfer"
    assert Reconciliation.objects.get(pk=rec.pk).undone_at is None


def _remittances(bank_account, count, start=0):
    return Remittance.objects.bulk_create([
        Remittance(number=f"REM-K2-{n:04d}", bank_account=bank_account, collection_date=d(2026, 1, 5),
                   state=RemittanceState.CHARGED, total=D("1000.00") + n, count=1, message_id=f"MSG-K2-{n:04d}")
        for n in range(start, start + count)])


def test_a_target_is_not_reconciled_twice(statement, bank_account, admin_a):
    remittance, = _remittances(bank_account, 1)
    first = add_line(statement, "1000.00", d(2026, 1, 6), "ABONO REMESA MSG-K2-0000")
    twin = add_line(statement, "1000.00", d(2026, 1, 6), "ABONO REMESA MSG-K2-0000 (DUPLICADO)")

    summary = reconcile_auto(actor=admin_a)

    assert (summary.reconciled, summary.proposed, summary.pending) == (1, 0, 1)
    assert first.reconciliations.get().target == remittance and not twin.reconciliations.exists()
    with pytest.raises(ReconciliationError) as refused:
        reconcile_manual(actor=admin_a, line=twin, target=remittance)
    assert (refused.value.code, refused.value.status) == ("treasury_target_reconciled", 409)
    assert "06/01/2026" in refused.value.message
    assert reconcile_auto(actor=admin_a).pending == 1  # a second run matches nothing again


def test_chunks_commit_apart_and_still_protect_the_target(statement, bank_account, admin_a):
    _remittances(bank_account, 1)
    lines = [add_line(statement, "1000.00", d(2026, 1, 6), "ABONO REMESA MSG-K2-0000") for _ in range(3)]

    summary = reconcile_auto(actor=admin_a, chunk=1)

    assert (summary.reconciled, summary.proposed, summary.pending) == (1, 0, 2)
    assert [line.reconciliations.count() for line in lines] == [1, 0, 0]
    assert AuditEvent.objects.filter(verb="reconcile_auto").count() == 1 and audit_chain_verify().ok


def _queries_for(statement, bank_account, admin_a, count, start):
    for n, remittance in enumerate(_remittances(bank_account, count, start)):
        add_line(statement, str(remittance.total), d(2026, 1, 6), f"ABONO REMESA {remittance.message_id}")
        add_line(statement, str(D("7.00") + start + n), d(2026, 1, 7), "TRANSFERENCIA DESCONOCIDA")
    with CaptureQueriesContext(connection) as queries:
        summary = reconcile_auto(actor=admin_a)
    assert summary.reconciled == count
    return len(queries)


def test_reconcile_auto_queries_do_not_grow_with_the_lines(statement, bank_account, admin_a):
    _queries_for(statement, bank_account, admin_a, 1, 500)  # warms the content-type cache
    few = _queries_for(statement, bank_account, admin_a, 5, 0)
    many = _queries_for(statement, bank_account, admin_a, 25, 100)
    assert many == few <= 20, (few, many)


def test_manual_picker_finds_invoices_and_orders_by_number(statement, lawyer, bank_account, tenants, users_a,
                                                           admin_a):
    from django.urls import reverse

    from tests.conftest import host_client

    invoice = received_invoice(admin_a, lawyer)
    line = add_line(statement, "-530.00", d(2026, 1, 26), "CARGO VARIOS")
    client = host_client(tenants.alfa_host, users_a["cobros"])
    page = client.get(reverse("treasury:statement-unreconciled")).content.decode()
    assert 'value="invoice"' in page and 'value="transfer_order"' in page

    client.post(reverse("treasury:statement-line-reconcile", args=[line.pk]),
                {"target_type": "invoice", "number": "2026/017"})

    rec = line.reconciliations.get()
    assert (rec.target, rec.rule, rec.posted) == (invoice, "manual", True)
    detail = client.get(reverse("treasury:statement-detail", args=[statement.pk])).content.decode()
    assert reverse("accounting:entry-detail", args=[rec.entry_id]) in detail
