"""Returned SEPA debits by hand (issue 7 item 4): the receipt, its commission and its part of the
remittance entry are undone, the bank's fee is posted and the account manager is told.

Fixtures (imported by test_pain002 too): rt_remittance is a charged remittance REM-T3-0001
(message MSG-T3-0001) of two receipts, 1.000,00 € (E2E-A) and 500,00 € (E2E-B), posted in one
combined entry Dr 572 1.500,00 / Cr the insurer's account, on 05/01/2026.
"""
import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from apps.accounting.models import Entry, EntryLine
from apps.accounting.services import entry_post, mapped_account
from apps.audit.models import AuditEvent
from apps.collections.choices import CollectionChannel, ReceiptState
from apps.collections.models import CommissionMovement, Receipt, ReceiptMovement
from apps.collections.selectors_receipts import receipts_for_policy
from apps.collections.services.accounts import insurer_account
from apps.collections.services.receipts import receipt_collect
from apps.core.errors import DomainError
from apps.notifications.models import Notification
from apps.treasury.choices import RemittanceItemState, RemittanceState, SequenceType
from apps.treasury.models import BankAccount, Mandate, Remittance, RemittanceItem
from apps.treasury.services.returns import REASON_LABELS, may_retry, return_record
from tests.accounting.conftest import balance_of
from tests.collections.conftest import coll_books, coll_catalog, coll_holder, coll_line, issued_policy  # noqa: F401

D = Decimal
d = datetime.date
CHARGE = d(2026, 1, 5)


@pytest.fixture
def rt_bank(coll_books):
    return BankAccount.objects.create(name="Banco de cobros", iban="ES9121000418450200051332",
                                      bic="CAIXESBBXXX", creditor_id="ES12000B12345678",
                                      account=mapped_account("bank"), is_default=True)


def make_remittance(*, actor, bank, receipts, number="REM-T3-0001", message_id="MSG-T3-0001", ids=("A", "B")):
    """A remittance charged on 05/01/2026 whose receipts are collected in one combined entry."""
    holder = receipts[0].policyholder
    mandate = Mandate.objects.filter(party=holder).first() or Mandate.objects.create(
        reference=f"MND-{holder.pk}", party=holder, iban="ES7620770024003102575766", signature_date=d(2025, 12, 1))
    total = sum((r.total_premium for r in receipts), D("0.00"))
    insurer = insurer_account(receipts[0].insurer, actor=actor)
    lines = [{"account": bank.account, "debit": total}]
    lines += [{"account": insurer, "credit": r.total_premium, "insurer": r.insurer.party} for r in receipts]
    entry = entry_post(actor=actor, date=CHARGE, journal="COB", lines=lines, source=f"remittance:{number}",
                       description=f"Cargo de la remesa {number}")
    remittance = Remittance.objects.create(number=number, bank_account=bank, collection_date=CHARGE,
                                           state=RemittanceState.CHARGED, total=total, count=len(receipts),
                                           message_id=message_id, entry=entry)
    for suffix, receipt in zip(ids, receipts, strict=True):
        receipt_collect(actor=actor, receipt=receipt, date=CHARGE, channel=CollectionChannel.SEPA, entry=entry)
        RemittanceItem.objects.create(remittance=remittance, receipt=receipt, mandate=mandate,
                                      sequence_type=SequenceType.FIRST, amount=receipt.total_premium,
                                      end_to_end_id=f"E2E-{suffix}")
    return remittance


@pytest.fixture
def rt_remittance(issued_policy, rt_bank, admin_a):
    first = receipts_for_policy(issued_policy(net=D("12000.00"))).first()   # 1.000 € a month, 20 %
    second = receipts_for_policy(issued_policy(net=D("6000.00"))).first()   # 500 € a month
    return make_remittance(actor=admin_a, bank=rt_bank, receipts=[first, second])


def _commission(receipt) -> Decimal:
    return CommissionMovement.objects.filter(receipt=receipt, collaborator__isnull=True).aggregate(
        s=Sum("amount"))["s"] or D("0.00")


def _written():
    return (Entry.objects.count(), ReceiptMovement.objects.count(), CommissionMovement.objects.count(),
            Notification.objects.count(), AuditEvent.objects.count(),
            list(RemittanceItem.objects.order_by("pk").values_list("state", "return_code")),
            list(Receipt.objects.order_by("pk").values_list("state", "collected_amount")))


def test_a_return_undoes_the_receipt_its_commission_and_its_part_of_the_entry(rt_remittance, admin_a, users_a):
    item = rt_remittance.items.get(end_to_end_id="E2E-A")
    insurer = insurer_account(item.receipt.insurer).code
    assert (balance_of("572"), balance_of(insurer)) == (D("1500.00"), D("-1500.00"))
    assert _commission(item.receipt) == D("200.00")

    result = return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="AM04")

    item.refresh_from_db()
    assert (item.state, item.return_code, item.returned_on) == (RemittanceItemState.RETURNED, "AM04", d(2026, 1, 12))
    receipt = Receipt.objects.get(pk=item.receipt_id)
    assert (receipt.state, receipt.collected_amount, receipt.return_reason) == (
        ReceiptState.RETURNED, D("0.00"), "AM04 · Saldo insuficiente")
    # Only the 500,00 € receipt that was not returned stays in the bank and owed to the insurer.
    assert (balance_of("572"), balance_of(insurer)) == (D("500.00"), D("-500.00"))
    assert _commission(receipt) == D("0.00")
    assert rt_remittance.items.get(end_to_end_id="E2E-B").state == RemittanceItemState.INCLUDED
    assert result.may_retry is True and result.fee_entry is None
    notice = Notification.objects.get(recipient=users_a["comercial"])
    assert receipt.number in notice.title and "próxima remesa" in notice.body and "1.000,00" in notice.body
    assert AuditEvent.objects.filter(verb="remittance_item_return").exists()


def test_the_bank_fee_is_posted_against_the_remittance_bank_account(rt_remittance, admin_a):
    item = rt_remittance.items.get(end_to_end_id="E2E-B")
    result = return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="MD06", fee=D("3.50"))
    lines = list(EntryLine.objects.filter(entry=result.fee_entry).order_by("line_no")
                 .values_list("account__code", "debit", "credit"))
    assert lines == [("626", D("3.50"), D("0.00")), ("572", D("0.00"), D("3.50"))]
    assert balance_of("572") == D("1000.00") - D("3.50")
    assert balance_of("626") == D("3.50")
    assert result.may_retry is False and "revise el mandato" in result.notification.body


@pytest.mark.parametrize(("code", "retry"), [("AM04", True), ("MS02", True), ("MS03", True), ("AC04", False),
                                             ("MD01", False), ("MD06", False)])
def test_which_codes_may_go_in_the_next_remittance(code, retry):
    assert may_retry(code) is retry


def test_reason_labels_cover_the_sepa_codes():
    assert {"AC01", "AC04", "AC06", "AG01", "AM04", "AM05", "MD01", "MD06", "MD07", "MS02", "MS03", "RC01", "RR01",
            "RR02", "RR03", "RR04", "SL01", "FF01", "BE05"} <= set(REASON_LABELS)
    assert str(REASON_LABELS["MD06"]) == "Devolución solicitada por el deudor"


@pytest.mark.parametrize(("code", "fee", "error_code"), [("XX99", "0", "treasury_return_code"),
                                                         ("AM04", "-1.00", "treasury_return_fee"),
                                                         ("AM04", "1.005", "treasury_return_fee")])
def test_refusals_write_nothing(rt_remittance, admin_a, code, fee, error_code):
    item = rt_remittance.items.get(end_to_end_id="E2E-A")
    before = _written()
    with pytest.raises(DomainError) as refused:
        return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code=code, fee=D(fee))
    assert refused.value.code == error_code
    assert _written() == before


def test_an_item_is_returned_once(rt_remittance, admin_a):
    item = rt_remittance.items.get(end_to_end_id="E2E-A")
    return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="AM04")
    before = _written()
    with pytest.raises(DomainError) as refused:
        return_record(actor=admin_a, item=item, date=d(2026, 1, 13), code="AM04", fee=D("2.00"))
    assert (refused.value.code, refused.value.status) == ("treasury_item_returned", 409)
    assert _written() == before


def test_a_return_before_the_charge_is_refused(rt_remittance, admin_a):
    item = rt_remittance.items.get(end_to_end_id="E2E-A")
    before = _written()
    with pytest.raises(DomainError):
        return_record(actor=admin_a, item=item, date=d(2026, 1, 2), code="AM04", fee=D("2.00"))
    assert _written() == before


# ---- API and pages ---------------------------------------------------------------------------

API = "/api/v1/treasury/returns/"


def _api(tenants, api_token_a):
    from django.test import Client

    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")


def test_api_records_a_return_and_lists_it(rt_remittance, tenants, api_token_a):
    api = _api(tenants, api_token_a)
    item = rt_remittance.items.get(end_to_end_id="E2E-A")
    response = api.post(API, {"item": item.pk, "date": "2026-01-12", "code": "MD06", "fee": "2.50"},
                        content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["item"]["state"], data["item"]["return_code"], data["item"]["return_label"], data["may_retry"]) == (
        "returned", "MD06", "Devolución solicitada por el deudor", False)
    assert data["fee_entry"] is not None and balance_of("626") == D("2.50")
    listed = api.get(API).json()
    assert [row["end_to_end_id"] for row in listed["results"]] == ["E2E-A"]
    again = api.post(API, {"item": item.pk, "date": "2026-01-12", "code": "MD06"}, content_type="application/json")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert again.json()["code"] == "treasury_item_returned"
    bad = api.post(API, {"item": rt_remittance.items.get(end_to_end_id="E2E-B").pk, "date": "2026-01-12",
                         "code": "ZZ01"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "treasury_return_code"


def test_return_page_records_the_return(rt_remittance, tenants, users_a):
    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    item = rt_remittance.items.get(end_to_end_id="E2E-A")
    url = reverse("treasury:return-record", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200 and "E2E-A" in page.content.decode() and "1.000,00" in page.content.decode()
    refused = client.post(url, {"date": "2026-01-02", "code": "AM04", "fee": "0"})
    assert refused.status_code == 200 and "anterior al cobro" in refused.content.decode()
    done = client.post(url, {"date": "2026-01-12", "code": "AM04", "fee": "1.20"})
    assert done.status_code == 302 and done["Location"] == reverse("treasury:return-list")
    item.refresh_from_db()
    assert item.return_code == "AM04"
    listing = client.get(reverse("treasury:return-list"))
    body = listing.content.decode()
    assert "E2E-A" in body and "AM04 · Saldo insuficiente" in body and "1.000,00" in body
    export = client.get(reverse("treasury:return-list") + "?export=csv")
    assert "E2E-A" in b"".join(export.streaming_content).decode()
    assert host_client(tenants.alfa_host, users_a["comercial"]).get(url).status_code == 403


def test_return_list_queries_are_pinned(rt_remittance, tenants, users_a, admin_a, issued_policy, rt_bank):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    for item in rt_remittance.items.all():
        return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="AM04")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("treasury:return-list")).status_code == 200
    receipts = [receipts_for_policy(issued_policy(net=D("1200.00"))).first() for _ in range(2)]
    more = make_remittance(actor=admin_a, bank=rt_bank, receipts=receipts, number="REM-T3-0002",
                           message_id="MSG-T3-0002", ids=("C", "D"))
    for item in more.items.all():
        return_record(actor=admin_a, item=item, date=d(2026, 1, 12), code="MS02")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("treasury:return-list"))
    assert "E2E-D" in response.content.decode() and "1.700,00" in response.content.decode()
    assert len(many) == len(few)
