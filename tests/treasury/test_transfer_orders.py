"""Stored pain.001 transfer orders (issue 7 item 7): an order paying an insurer settlement, a claim
payment and a supplier invoice; its refusals; cancel and settle with one payment entry per item.

Numbers: settlement L-2026-000101 owes the insurer 1.200,00 €; claim payment of 450,00 € to the
policyholder; lawyer's invoice 2026/017 of 500 € + 21 % VAT - 15 % IRPF = 530,00 € payable.
Order total 2.180,00 €.
"""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from apps.accounting.models import EntryLine
from apps.accounting.services.invoices import invoice_issue
from apps.audit.models import AuditEvent
from apps.claims.services.claims import claim_transition
from apps.claims.services.payments import claim_payment_add
from apps.collections.choices import SettlementState
from apps.collections.models import Settlement
from apps.collections.services.accounts import insurer_party
from apps.core.errors import DomainError
from apps.crm.models import BankAccount as PartyBankAccount
from apps.crm.services.parties import party_create
from apps.treasury.choices import TransferItemKind as K
from apps.treasury.choices import TransferOrderState
from apps.treasury.models import TransferItem, TransferOrder
from apps.treasury.services.sepa_xml import CT_SCHEMA, xml_validate
from apps.treasury.services.transfer_orders import (transfer_order_cancel, transfer_order_create,
                                                    transfer_order_settle)
from apps.treasury.services.transfer_sources import PaymentRequest, transfer_candidates, transfer_target_paid
from tests.claims.test_claim_support import holder, open_claim, pcatalog, pline, policy  # noqa: F401

D = Decimal
d = datetime.date
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
INSURER_IBAN = "ES6621000418401234567891"
HOLDER_IBAN = "ES4721000418400200051399"
LAWYER_IBAN = "ES9221000813620123456700"
REPAIRER_IBAN = "ES0321001234561234567890"
API = "/api/v1/treasury/transfer-orders/"


@pytest.fixture
def payables(coll_catalog, policy, admin_a):  # noqa: F811
    insurer = coll_catalog["product"].insurer
    PartyBankAccount.objects.create(party=insurer_party(insurer), iban=INSURER_IBAN, is_primary=True)
    settlement = Settlement.objects.create(number="L-2026-000101", insurer=insurer, period_start=d(2026, 1, 1),
                                           period_end=d(2026, 1, 31), date=d(2026, 2, 5), amount_due=D("1200.00"))
    claim = open_claim(admin_a, policy, reserve=D("1000"))
    claim_transition(actor=admin_a, claim=claim, to_state="in_review")
    claim_transition(actor=admin_a, claim=claim, to_state="accepted")
    PartyBankAccount.objects.create(party=policy.policyholder, iban=HOLDER_IBAN, is_primary=True)
    claim_payment = claim_payment_add(actor=admin_a, claim=claim, amount=D("450.00"), date=d(2026, 7, 1),
                                      payee="policyholder", concept="Indemnización daños agua")
    lawyer = party_create(actor=None, data={"kind": "person", "first_name": "Marta", "last_name": "Abogada Ruiz",
                                            "tax_id": "87654321X"})
    PartyBankAccount.objects.create(party=lawyer, iban=LAWYER_IBAN, is_primary=True)
    invoice = invoice_issue(actor=admin_a, kind="received", party=lawyer, issue_date=d(2026, 3, 15),
                            full_number="2026/017", lines=[{"description": "Minuta reclamación", "unit_price": "500",
                                                            "vat": "IVAS21", "withholding": "IRPF15"}])
    return {"settlement": settlement, "claim_payment": claim_payment, "invoice": invoice, "claim": claim,
            "lawyer": lawyer}


def _requests(p) -> list[PaymentRequest]:
    return [PaymentRequest(K.SETTLEMENT, p["settlement"].pk), PaymentRequest(K.CLAIM_PAYMENT, p["claim_payment"].pk),
            PaymentRequest(K.SUPPLIER_INVOICE, p["invoice"].pk)]


def _order(p, bank_account, admin_a, requests=None) -> TransferOrder:
    return transfer_order_create(actor=admin_a, bank_account=bank_account, execution_date=d(2026, 7, 10),
                                 items=_requests(p) if requests is None else requests)


def _nothing_written():
    assert (TransferOrder.objects.count(), TransferItem.objects.count()) == (0, 0)


def test_order_of_three_payments_is_a_valid_pain001_and_settles_in_three_entries(payables, bank_account, admin_a):
    order = _order(payables, bank_account, admin_a)
    assert (order.state, order.total, order.count) == (TransferOrderState.GENERATED, D("2180.00"), 3)
    assert order.number.startswith("TRF-2026-") and order.message_id
    xml_validate(order.xml, CT_SCHEMA)
    tree = etree.fromstring(order.xml.encode("utf-8"))
    transactions = tree.findall(".//p:CdtTrfTxInf", namespaces=NS)
    assert len(transactions) == 3
    assert tree.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "2180.00"
    assert tree.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == order.message_id
    assert [(t.findtext("p:PmtId/p:EndToEndId", namespaces=NS), t.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
             t.findtext("p:Amt/p:InstdAmt", namespaces=NS)) for t in transactions] == [
        (f"{order.number}-0001", INSURER_IBAN, "1200.00"), (f"{order.number}-0002", HOLDER_IBAN, "450.00"),
        (f"{order.number}-0003", LAWYER_IBAN, "530.00")]
    items = list(order.items.order_by("pk"))
    assert [(i.kind, i.target, i.amount) for i in items] == [
        (K.SETTLEMENT, payables["settlement"], D("1200.00")), (K.CLAIM_PAYMENT, payables["claim_payment"], D("450.00")),
        (K.SUPPLIER_INVOICE, payables["invoice"], D("530.00"))]
    assert all(transfer_target_paid(payables[k]) for k in ("settlement", "claim_payment", "invoice"))
    assert AuditEvent.objects.filter(object_id=str(order.pk), action="create").exists()

    entries = transfer_order_settle(actor=admin_a, order=order, date=d(2026, 7, 11))
    assert len(entries) == 3
    lines = EntryLine.objects.filter(entry__in=entries)
    for entry in entries:
        totals = entry.lines.aggregate(dr=Sum("debit"), cr=Sum("credit"))
        assert totals["dr"] == totals["cr"] and entry.journal.code == "BAN" and entry.date == d(2026, 7, 11)
    assert lines.filter(account=bank_account.account).aggregate(cr=Sum("credit"))["cr"] == D("2180.00")
    assert lines.filter(account__code=f"4100{payables['lawyer'].pk:06d}").get().debit == D("530.00")
    insurer_lines = lines.filter(account__code__startswith="400", debit__gt=0)
    assert sorted(line.debit for line in insurer_lines) == [D("450.00"), D("1200.00")]
    order.refresh_from_db()
    assert (order.state, order.settled_on) == (TransferOrderState.SETTLED, d(2026, 7, 11))
    assert [i.entry for i in order.items.order_by("pk")] == entries
    settlement = Settlement.objects.get(pk=payables["settlement"].pk)
    assert (settlement.state, settlement.paid_on, settlement.payment_entry) == (SettlementState.PAID, d(2026, 7, 11),
                                                                               entries[0])
    with pytest.raises(DomainError) as exc:
        transfer_order_settle(actor=admin_a, order=order, date=d(2026, 7, 12))
    assert (exc.value.code, exc.value.status) == ("treasury_transfer_state", 409)
    assert EntryLine.objects.filter(entry__journal__code="BAN").count() == lines.count()
    assert [transfer_candidates(kind=kind) for kind in (K.SETTLEMENT, K.CLAIM_PAYMENT, K.SUPPLIER_INVOICE)] == [
        [], [], []]   # paid: no longer offered


def test_settlement_paid_by_hand_keeps_its_entry(payables, bank_account, admin_a):
    from apps.collections.services.settlements import settlement_mark_paid

    order = _order(payables, bank_account, admin_a, [PaymentRequest(K.SETTLEMENT, payables["settlement"].pk)])
    paid = settlement_mark_paid(actor=admin_a, settlement=payables["settlement"], date=d(2026, 7, 9))
    assert transfer_order_settle(actor=admin_a, order=order, date=d(2026, 7, 11)) == [paid.payment_entry]


def test_refusals_write_nothing(payables, bank_account, admin_a):
    with pytest.raises(DomainError) as exc:
        _order(payables, bank_account, admin_a, [])
    assert (exc.value.code, exc.value.status) == ("treasury_transfer_empty", 409)
    _nothing_written()

    PartyBankAccount.objects.filter(party=payables["lawyer"]).delete()
    with pytest.raises(DomainError) as exc:
        _order(payables, bank_account, admin_a)
    assert (exc.value.code, exc.value.status) == ("treasury_transfer_no_iban", 409)
    assert "2026/017: Marta Abogada Ruiz no tiene cuenta bancaria (IBAN)." in exc.value.message
    _nothing_written()

    first = _order(payables, bank_account, admin_a, _requests(payables)[:2])
    with pytest.raises(DomainError) as exc:
        _order(payables, bank_account, admin_a, _requests(payables)[1:2])
    assert (exc.value.code, exc.value.status) == ("treasury_transfer_busy", 409)
    assert f"Ya está en la orden {first.number}." in exc.value.message
    assert (TransferOrder.objects.count(), TransferItem.objects.count()) == (1, 2)


def test_candidates_give_every_reason_and_cancel_frees_the_target(payables, bank_account, admin_a, coll_catalog):
    Settlement.objects.create(number="L-2026-000102", insurer=coll_catalog["product"].insurer,
                              period_start=d(2026, 2, 1), period_end=d(2026, 2, 28), date=d(2026, 3, 5),
                              amount_due=D("0.00"))
    rows = {row.label: row for row in transfer_candidates(kind=K.SETTLEMENT)}
    assert rows["L-2026-000101"].ok and rows["L-2026-000101"].amount == D("1200.00")
    assert rows["L-2026-000102"].reason == "El importe a pagar es cero o negativo."

    PartyBankAccount.objects.filter(party=payables["lawyer"]).update(iban="ES0000000000000000000000")
    invoice_row = transfer_candidates(kind=K.SUPPLIER_INVOICE)[0]
    assert invoice_row.reason == "El IBAN ES0000000000000000000000 no es válido."

    order = _order(payables, bank_account, admin_a, _requests(payables)[:1])
    rows = {row.label: row for row in transfer_candidates(kind=K.SETTLEMENT)}
    assert rows["L-2026-000101"].reason == f"Ya está en la orden {order.number}."
    with pytest.raises(DomainError) as exc:
        transfer_order_cancel(actor=admin_a, order=order, reason="")
    assert exc.value.code == "treasury_reason_required"
    transfer_order_cancel(actor=admin_a, order=order, reason="El banco rechazó el fichero")
    assert not transfer_target_paid(payables["settlement"])
    assert transfer_candidates(kind=K.SETTLEMENT)[0].ok
    with pytest.raises(DomainError) as exc:
        transfer_order_settle(actor=admin_a, order=order, date=d(2026, 7, 11))
    assert exc.value.status == 409
    again = _order(payables, bank_account, admin_a, _requests(payables)[:1])
    assert again.state == TransferOrderState.GENERATED


def test_claim_payment_to_a_repairer_needs_the_iban_given(payables, bank_account, admin_a, tenants, users_a):
    from tests.conftest import host_client

    repair = claim_payment_add(actor=admin_a, claim=payables["claim"], amount=D("300.00"), date=d(2026, 7, 2),
                               payee="repairer", payee_name="Talleres Gil SL")
    rows = {row.target.pk: row for row in transfer_candidates(kind=K.CLAIM_PAYMENT)}
    assert rows[repair.pk].reason == "Talleres Gil SL no tiene cuenta bancaria (IBAN)."
    client = host_client(tenants.alfa_host, users_a["cobros"])
    params = {"bank_account": bank_account.pk, "execution_date": "2026-07-10", "source": K.CLAIM_PAYMENT}
    page = client.get(reverse("treasury:transfer-new"), params).content.decode()
    assert f'name="iban_{repair.pk}"' in page and "Talleres Gil SL no tiene cuenta bancaria" in page
    done = client.post(reverse("treasury:transfer-new"), {**params, "targets": [repair.pk],
                                                          f"iban_{repair.pk}": "ES03 2100 1234 5612 3456 7890"})
    assert done.status_code == 302
    item = TransferOrder.objects.get().items.get()
    assert (item.payee_name, item.iban, item.amount) == ("Talleres Gil SL", REPAIRER_IBAN, D("300.00"))


def test_pages_create_detail_download_and_settle(payables, bank_account, tenants, users_a):
    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    params = {"bank_account": bank_account.pk, "execution_date": "2026-07-10", "source": K.SUPPLIER_INVOICE}
    PartyBankAccount.objects.filter(party=payables["lawyer"]).delete()
    page = client.get(reverse("treasury:transfer-new"), params).content.decode()
    assert "2026/017" in page and "Marta Abogada Ruiz no tiene cuenta bancaria (IBAN)." in page
    refused = client.post(reverse("treasury:transfer-new"), {**params, "targets": [payables["invoice"].pk]})
    assert refused.status_code == 409 and "no tiene cuenta bancaria" in refused.content.decode()
    _nothing_written()
    empty = client.post(reverse("treasury:transfer-new"), params)
    assert empty.status_code == 409 and "Elija al menos un pago" in empty.content.decode()

    PartyBankAccount.objects.create(party=payables["lawyer"], iban=LAWYER_IBAN, is_primary=True)
    assert "530,00" in client.get(reverse("treasury:transfer-new"), params).content.decode()
    done = client.post(reverse("treasury:transfer-new"), {**params, "targets": [payables["invoice"].pk]})
    order = TransferOrder.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("treasury:transfer-detail", args=[order.pk])

    detail = client.get(reverse("treasury:transfer-detail", args=[order.pk])).content.decode()
    assert order.number in detail and "530,00" in detail and LAWYER_IBAN in detail
    assert reverse("accounting:invoice-detail", args=[payables["invoice"].pk]) in detail and 'id="activity"' in detail
    xml = client.get(reverse("treasury:transfer-xml", args=[order.pk]))
    assert xml["Content-Type"] == "application/xml" and f'filename="{order.number}.xml"' in xml["Content-Disposition"]
    assert xml.content.decode() == order.xml

    client.post(reverse("treasury:transfer-settle", args=[order.pk]), {"date": "2026-07-11"})
    order.refresh_from_db()
    assert order.state == TransferOrderState.GENERATED   # not confirmed: nothing happens
    client.post(reverse("treasury:transfer-settle", args=[order.pk]), {"date": "2026-07-11", "confirm": "on"})
    order.refresh_from_db()
    assert (order.state, order.settled_on) == (TransferOrderState.SETTLED, d(2026, 7, 11))
    assert order.items.get().entry.lines.get(account=bank_account.account).credit == D("530.00")

    listing = client.get(reverse("treasury:transfer-list"), {"estado": "settled"}).content.decode()
    assert order.number in listing and "530,00" in listing
    assert order.number not in client.get(reverse("treasury:transfer-list"), {"estado": "generated"}).content.decode()
    export = client.get(reverse("treasury:transfer-list") + "?export=csv")
    assert order.number in b"".join(export.streaming_content).decode()
    assert host_client(tenants.alfa_host, users_a["comercial"]).get(
        reverse("treasury:transfer-new")).status_code == 403


def test_cancel_page_needs_a_reason_and_confirmation(payables, bank_account, admin_a, tenants, users_a):
    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    order = _order(payables, bank_account, admin_a, _requests(payables)[:1])
    client.post(reverse("treasury:transfer-cancel", args=[order.pk]), {"reason": "Rechazado", "confirm": "on"})
    order.refresh_from_db()
    assert order.state == TransferOrderState.CANCELLED
    assert "Rechazado" in client.get(reverse("treasury:transfer-detail", args=[order.pk])).content.decode()


def test_list_queries_are_pinned(payables, bank_account, admin_a, tenants, users_a):
    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    _order(payables, bank_account, admin_a, _requests(payables)[:1])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("treasury:transfer-list")).status_code == 200
    _order(payables, bank_account, admin_a, _requests(payables)[1:])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("treasury:transfer-list"))
    assert "2.180,00" in response.content.decode()
    assert len(many) == len(few)


def test_api_candidates_create_settle_and_xml(payables, bank_account, tenants, api_token_a):
    api = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    rows = api.get(f"{API}candidates/", {"source": "claim_payment"}).json()
    assert [(row["target_id"], row["ok"], row["amount"]) for row in rows] == [
        (payables["claim_payment"].pk, True, "450.00")]
    items = [{"kind": "settlement", "target_id": payables["settlement"].pk},
             {"kind": "claim_payment", "target_id": payables["claim_payment"].pk},
             {"kind": "supplier_invoice", "target_id": payables["invoice"].pk}]
    body = {"bank_account": bank_account.pk, "execution_date": "2026-07-10", "items": items}
    empty = api.post(API, {**body, "items": []}, content_type="application/json")
    assert empty.status_code == 409 and empty.json()["code"] == "treasury_transfer_empty"
    created = api.post(API, body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["total"] == "2180.00" and len(created.json()["items"]) == 3
    busy = api.post(API, {**body, "items": items[:1]}, content_type="application/json")
    assert busy.status_code == 409 and busy.json()["code"] == "treasury_transfer_busy"
    assert b"<CtrlSum>2180.00</CtrlSum>" in api.get(f"{API}{pk}/xml/").content
    settled = api.post(f"{API}{pk}/settle/", {"date": "2026-07-11"}, content_type="application/json")
    assert settled.status_code == 200 and settled.json()["state"] == "settled"
    assert all(item["entry"] for item in settled.json()["items"])
    again = api.post(f"{API}{pk}/settle/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "treasury_transfer_state"
    assert api.get(API, {"state": "settled"}).json()["results"][0]["number"] == created.json()["number"]


def test_admin_pages_load_and_the_settle_action_calls_the_service(payables, bank_account, admin_a, client_a):
    order = _order(payables, bank_account, admin_a, _requests(payables)[2:])
    admin = "/admin/treasury/"
    assert client_a.get(f"{admin}transferorder/").status_code == 200
    assert order.number in client_a.get(f"{admin}transferorder/{order.pk}/change/").content.decode()
    assert client_a.get(f"{admin}transferitem/").status_code == 200
    assert client_a.get(f"{admin}transferorder/add/").status_code == 403
    client_a.post(f"{admin}transferorder/", {"action": "settle", "_selected_action": [order.pk]})
    order.refresh_from_db()
    assert (order.state, order.settled_on) == (TransferOrderState.SETTLED, d(2026, 7, 10))
