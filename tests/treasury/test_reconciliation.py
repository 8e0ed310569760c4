"""Reconciliation (issue 7 item 6): the January statement (tests/treasury/files/n43_latin1.n43) has a
+1.500,00 credit on 06/01 referencing MSG-T4-0001, a −2.345,67 debit on 12/01 «... LIQUIDACIÓN LIQ-T4-0001»
and an unknown +321,09 transfer. The books expect remittance REM-T4-0001 (1.500,00 €, charged 05/01/2026)
and settlement LIQ-T4-0001 with Vida Colectiva Seguros (2.345,67 € due to the insurer, dated 10/01/2026).
"""
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from apps.accounting.services import entry_post, mapped_account
from apps.audit.models import AuditEvent
from apps.collections.models import Settlement
from apps.treasury.choices import RemittanceState, StatementLineState
from apps.treasury.models import Reconciliation, Remittance, StatementLine
from apps.treasury.services.norma43 import statement_import
from apps.treasury.services.reconciliation import (
    ReconciliationError,
    reconcile_auto,
    reconcile_confirm,
    reconcile_manual,
    reconcile_undo,
)
from apps.collections.selectors_receipts import receipts_for_policy
from tests.collections.conftest import coll_books, coll_catalog, coll_holder, coll_line, issued_policy  # noqa: F401

FILES = Path(__file__).parent / "files"
D = Decimal
d = datetime.date


@pytest.fixture
def statement(bank_account, admin_a):
    return statement_import(actor=admin_a, data=(FILES / "n43_latin1.n43").read_bytes()).statements[0]


@pytest.fixture
def remittance(bank_account, admin_a, coll_books):
    entry = entry_post(actor=admin_a, date=d(2026, 1, 5), journal="COB", description="Cargo de la remesa REM-T4-0001",
                       lines=[{"account": bank_account.account, "debit": D("1500.00")},
                              {"account": mapped_account("bank_fees"), "credit": D("1500.00")}])
    return Remittance.objects.create(number="REM-T4-0001", bank_account=bank_account, collection_date=d(2026, 1, 5),
                                     state=RemittanceState.CHARGED, total=D("1500.00"), count=2,
                                     message_id="MSG-T4-0001", entry=entry)


@pytest.fixture
def settlement(coll_catalog):
    return Settlement.objects.create(number="LIQ-T4-0001", insurer=coll_catalog.insurer,
                                     period_start=d(2025, 12, 1), period_end=d(2025, 12, 31), date=d(2026, 1, 10),
                                     amount_due=D("2345.67"))


def line_of(statement, amount):
    return statement.lines.get(amount=D(amount))


def test_remittance_and_settlement_reconciled_unknown_transfer_pending(statement, remittance, settlement, admin_a):
    summary = reconcile_auto(actor=admin_a)

    assert (summary.reconciled, summary.proposed, summary.pending) == (2, 0, 1)
    credit, debit, unknown = (line_of(statement, a) for a in ("1500.00", "-2345.67", "321.09"))
    assert (credit.state, debit.state, unknown.state) == (StatementLineState.RECONCILED,
                                                          StatementLineState.RECONCILED, StatementLineState.PENDING)
    by_remittance = credit.reconciliations.get()
    assert (by_remittance.target, by_remittance.rule, by_remittance.confirmed) == (remittance, "remittance", True)
    assert by_remittance.entry == remittance.entry
    by_settlement = debit.reconciliations.get()
    settlement.refresh_from_db()
    assert (by_settlement.target, by_settlement.amount, by_settlement.posted) == (settlement, D("-2345.67"), True)
    assert (settlement.state, settlement.paid_on) == ("paid", d(2026, 1, 12))
    assert by_settlement.entry == settlement.payment_entry and settlement.payment_entry.lines.get(
        account__code="572").credit == D("2345.67")
    assert not unknown.reconciliations.exists()
    assert AuditEvent.objects.filter(verb="reconcile_auto").count() == 2


def test_settlement_without_its_name_or_number_is_only_proposed(statement, settlement, admin_a):
    StatementLine.objects.filter(amount=D("-2345.67")).update(description="TRANSFERENCIA EMITIDA", reference1="")

    summary = reconcile_auto(actor=admin_a)

    assert (summary.reconciled, summary.proposed, summary.pending) == (0, 1, 2)
    proposal = line_of(statement, "-2345.67").reconciliations.get()
    assert (proposal.rule, proposal.confirmed, proposal.line.state) == ("settlement", False,
                                                                        StatementLineState.PROPOSED)


def test_remittance_charged_too_long_before_is_only_an_amount_proposal(statement, remittance, admin_a):
    Remittance.objects.filter(pk=remittance.pk).update(collection_date=d(2025, 12, 20))

    reconcile_auto(actor=admin_a, lines=[line_of(statement, "1500.00")])

    proposal = line_of(statement, "1500.00").reconciliations.get()
    assert (proposal.rule, proposal.confirmed, proposal.score) == ("amount", False, 40)


def test_confirm_then_undo_puts_the_line_back_to_pending(statement, settlement, admin_a):
    StatementLine.objects.filter(amount=D("-2345.67")).update(description="TRANSFERENCIA EMITIDA", reference1="")
    reconcile_auto(actor=admin_a)
    proposal = Reconciliation.objects.get()

    reconcile_confirm(actor=admin_a, reconciliation=proposal)
    assert line_of(statement, "-2345.67").state == StatementLineState.RECONCILED

    undone = reconcile_undo(actor=admin_a, reconciliation=proposal)
    assert undone.undone_at is not None and Reconciliation.objects.count() == 1
    assert line_of(statement, "-2345.67").state == StatementLineState.PENDING
    with pytest.raises(ReconciliationError) as refused:
        reconcile_undo(actor=admin_a, reconciliation=proposal)
    assert (refused.value.code, refused.value.status) == ("treasury_reconciliation_undone", 409)


def test_manual_reconciliation_of_the_unknown_transfer(statement, settlement, admin_a):
    unknown = line_of(statement, "321.09")

    manual = reconcile_manual(actor=admin_a, line=unknown, target=settlement)

    assert (manual.rule, manual.confirmed, manual.target) == ("manual", True, settlement)
    assert line_of(statement, "321.09").state == StatementLineState.RECONCILED
    with pytest.raises(ReconciliationError) as refused:
        reconcile_manual(actor=admin_a, line=unknown, target=settlement)
    assert refused.value.code == "treasury_line_reconciled"
    assert Reconciliation.objects.count() == 1


def test_transfer_naming_its_receipt_is_reconciled_with_it(statement, issued_policy, admin_a):
    """An annual 321,09 € receipt of policy CV-T4; the transfer of 321,09 names the receipt number."""
    receipt = receipts_for_policy(issued_policy(net=D("321.09"), frequency="annual", number="CV-T4")).first()
    StatementLine.objects.filter(amount=D("321.09")).update(description=f"PAGO RECIBO {receipt.number}")

    summary = reconcile_auto(actor=admin_a)

    match = line_of(statement, "321.09").reconciliations.get()
    assert (match.target, match.rule, match.confirmed, match.posted) == (receipt, "receipt", True, True)
    assert match.entry.lines.get(account__code="572").debit == D("321.09")
    assert summary.reconciled == 1


# --- Pages and API ------------------------------------------------------------------------------------

API = "/api/v1/treasury/"


def _api(tenants, token):
    from django.test import Client

    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_pages_import_reconcile_and_undo(bank_account, remittance, settlement, tenants, users_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    wrong = client.post(reverse("treasury:statement-import"), {"file": SimpleUploadedFile(
        "mal.n43", (FILES / "n43_wrong_balance.n43").read_bytes())}, follow=True)
    assert "diferencia 524,57" in wrong.content.decode()
    done = client.post(reverse("treasury:statement-import"), {"file": SimpleUploadedFile(
        "enero.n43", (FILES / "n43_latin1.n43").read_bytes())})
    statement = StatementLine.objects.get(amount=D("321.09")).statement
    assert done.status_code == 302 and done["Location"] == reverse("treasury:statement-detail", args=[statement.pk])
    assert "JOSÉ MUÑOZ PEÑA" in client.get(done["Location"]).content.decode()

    client.post(reverse("treasury:statement-reconcile"), {"statement": statement.pk})
    detail = client.get(reverse("treasury:statement-detail", args=[statement.pk])).content.decode()
    assert "Conciliado (2)" in detail and "Pendiente (1)" in detail and "REM-T4-0001" in detail
    settlement.refresh_from_db()
    for entry in (remittance.entry, settlement.payment_entry):  # the linked and the posted entry
        assert reverse("accounting:entry-detail", args=[entry.pk]) in detail

    pending = client.get(reverse("treasury:statement-unreconciled") + "?importe=321,09").content.decode()
    assert "JOSÉ MUÑOZ PEÑA" in pending and "321,09" in pending and "1.500,00" not in pending
    export = client.get(reverse("treasury:statement-unreconciled") + "?export=csv")
    assert "JOSÉ MUÑOZ PEÑA" in b"".join(export.streaming_content).decode()

    by_remittance = Reconciliation.objects.get(rule="remittance")
    client.post(reverse("treasury:reconciliation-undo", args=[by_remittance.pk]))
    assert line_of(statement, "1500.00").state == StatementLineState.PENDING
    assert host_client(tenants.alfa_host, users_a["comercial"]).get(
        reverse("treasury:statement-list")).status_code == 403


def test_unreconciled_page_queries_are_pinned(statement, tenants, users_a, admin_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("treasury:statement-unreconciled")).status_code == 200
    statement_import(actor=admin_a, data=(FILES / "n43_utf8.n43").read_bytes())
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("treasury:statement-unreconciled")).content.decode()
    assert "COMISIÓN MANTENIMIENTO" in body and len(many) == len(few)


def test_api_imports_reconciles_and_undoes(bank_account, remittance, settlement, tenants, api_token_a):
    api = _api(tenants, api_token_a)
    with (FILES / "n43_latin1.n43").open("rb") as handle:
        imported = api.post(API + "statements/import/", {"file": handle})
    assert imported.status_code == 201, imported.content
    assert (imported.json()["created"], imported.json()["duplicate"]) == (3, False)
    with (FILES / "n43_latin1.n43").open("rb") as handle:
        again = api.post(API + "statements/import/", {"file": handle})
    assert again.status_code == 200 and again.json()["duplicate"] is True
    with (FILES / "n43_wrong_balance.n43").open("rb") as handle:
        wrong = api.post(API + "statements/import/", {"file": handle})
    assert wrong.status_code == 400 and wrong.json()["code"] == "treasury_n43_balance"

    statement_id = imported.json()["statements"][0]["id"]
    summary = api.post(API + "statements/reconcile/", {"statement": statement_id}, content_type="application/json")
    assert summary.json() == {"reconciled": 2, "proposed": 0, "pending": 1}
    lines = api.get(API + f"statements/{statement_id}/lines/?state=pending").json()
    assert [line["amount"] for line in lines] == ["321.09"]
    taken = api.post(API + f"statement-lines/{lines[0]['id']}/reconcile/",
                     {"target_type": "settlement", "target_id": settlement.pk}, content_type="application/json")
    assert taken.status_code == 409 and taken.json()["code"] == "treasury_target_reconciled"
    by_settlement = Reconciliation.objects.get(rule="settlement")
    assert api.post(API + f"reconciliations/{by_settlement.pk}/undo/").status_code == 200
    manual = api.post(API + f"statement-lines/{lines[0]['id']}/reconcile/",
                      {"target_type": "settlement", "target_id": settlement.pk}, content_type="application/json")
    assert manual.status_code == 201 and manual.json()["rule"] == "manual"
    undone = api.post(API + f"reconciliations/{manual.json()['id']}/undo/")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    twice = api.post(API + f"reconciliations/{manual.json()['id']}/undo/")
    assert twice.status_code == 409 and twice.json()["code"] == "treasury_reconciliation_undone"
