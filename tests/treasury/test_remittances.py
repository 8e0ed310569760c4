"""SEPA remittances (issue 7 item 3): candidates with their refusal reasons, creation, and the
charge that posts one combined entry and collects every receipt.

Numbers: two monthly policies of coll_holder, 12.000 € and 6.000 € a year -> first receipts of
1.000,00 € and 500,00 € due 01/01/2026, commission 20 %: 200,00 € and 100,00 €.
"""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounting.models import Entry, EntryLine
from apps.audit.models import AuditEvent
from apps.collections.choices import CommissionMovementKind, ReceiptCollector, ReceiptState
from apps.collections.models import CommissionMovement, Receipt
from apps.collections.selectors_receipts import receipts_for_policy
from apps.core.errors import DomainError
from apps.crm.services.parties import party_create
from apps.treasury.choices import RemittanceState
from apps.treasury.models import Mandate, Remittance, RemittanceItem
from apps.treasury.services.mandates import mandate_revoke
from apps.treasury.services.remittances import (remittance_candidates, remittance_charge, remittance_create,
                                                remittance_generate)

D = Decimal
d = datetime.date
JAN = (d(2026, 1, 1), d(2026, 1, 31))
API = "/api/v1/treasury/remittances/"


def first(policy) -> Receipt:
    return receipts_for_policy(policy).order_by("due_date").first()


@pytest.fixture
def other_holder(tenant_a):
    return party_create(actor=None, data={"kind": "person", "first_name": "Luis", "last_name": "Sanz Gil",
                                          "tax_id": "22222222J"})


@pytest.fixture
def two_receipts(issued_policy, coll_holder, mandate_for):
    mandate_for(coll_holder)
    return first(issued_policy(net=D("12000.00"))), first(issued_policy(net=D("6000.00")))


def _reasons(rows) -> dict:
    return {row.receipt.number: row.reason for row in rows}


def test_candidates_list_every_receipt_with_the_reason_it_cannot_go(two_receipts, issued_policy, other_holder,
                                                                     bank_account, mandate_for, admin_a):
    no_mandate = first(issued_policy(net=D("2400.00"), holder=other_holder))
    insurer_collects = first(issued_policy(net=D("3600.00")))
    Receipt.objects.filter(pk=insurer_collects.pk).update(collector=ReceiptCollector.INSURER)
    rows = remittance_candidates(bank_account=bank_account, due_from=JAN[0], due_to=JAN[1])
    reasons = _reasons(rows)
    assert reasons[two_receipts[0].number] == "" and reasons[two_receipts[1].number] == ""
    assert "no tiene un mandato SEPA activo" in reasons[no_mandate.number]
    assert "compañía" in reasons[insurer_collects.number]
    assert {row.amount for row in rows if row.receipt in two_receipts} == {D("1000.00"), D("500.00")}

    remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 1, 5),
                      receipts=[two_receipts[0]])
    reasons = _reasons(remittance_candidates(bank_account=bank_account, due_from=JAN[0], due_to=JAN[1]))
    assert "Ya está en una remesa" in reasons[two_receipts[0].number]


def test_revoked_expired_or_bad_iban_mandate_is_a_reason(two_receipts, coll_holder, bank_account, admin_a,
                                                         mandate_for):
    mandate = coll_holder.mandates.get()
    Mandate.objects.filter(pk=mandate.pk).update(iban="ES0000000000000000000000")
    reasons = _reasons(remittance_candidates(bank_account=bank_account, due_from=JAN[0], due_to=JAN[1]))
    assert "no es válido" in reasons[two_receipts[0].number]
    mandate_revoke(actor=admin_a, mandate=mandate)
    reasons = _reasons(remittance_candidates(bank_account=bank_account, due_from=JAN[0], due_to=JAN[1]))
    assert "no tiene un mandato SEPA activo" in reasons[two_receipts[0].number]
    mandate_for(coll_holder, signature_date=d(2022, 12, 1))   # never used: expired on 01/12/2025
    reasons = _reasons(remittance_candidates(bank_account=bank_account, due_from=JAN[0], due_to=JAN[1]))
    assert "caducó el 01/12/2025" in reasons[two_receipts[0].number]


def test_create_refuses_unusable_receipts_unless_confirmed(two_receipts, issued_policy, other_holder,
                                                          bank_account, admin_a):
    no_mandate = first(issued_policy(net=D("2400.00"), holder=other_holder))
    receipts = [*two_receipts, no_mandate]
    before = (Remittance.objects.count(), RemittanceItem.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 1, 5), receipts=receipts)
    assert exc.value.code == "treasury_remittance_invalid" and exc.value.status == 409
    assert no_mandate.number in exc.value.message
    assert (Remittance.objects.count(), RemittanceItem.objects.count(), AuditEvent.objects.count()) == before

    remittance = remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 1, 5),
                                   receipts=receipts, skip_invalid=True)
    assert remittance.state == RemittanceState.DRAFT
    assert (remittance.count, remittance.total) == (2, D("1500.00"))
    assert remittance.number.startswith("REM-2026-")
    assert sorted(remittance.items.values_list("amount", flat=True)) == [D("500.00"), D("1000.00")]


def test_charge_posts_one_balanced_entry_and_collects_every_receipt(two_receipts, coll_holder, bank_account, admin_a):
    remittance = remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 1, 5),
                                   receipts=two_receipts)
    with pytest.raises(DomainError) as exc:   # not generated yet
        remittance_charge(actor=admin_a, remittance=remittance)
    assert exc.value.status == 409
    remittance_generate(actor=admin_a, remittance=remittance)
    entries = Entry.objects.count()
    remittance = remittance_charge(actor=admin_a, remittance=remittance)

    assert remittance.state == RemittanceState.CHARGED
    assert Entry.objects.count() == entries + 1
    lines = EntryLine.objects.filter(entry=remittance.entry)
    totals = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"] == D("1500.00")
    assert lines.get(debit__gt=0).account == bank_account.account
    for receipt, commission in zip(two_receipts, (D("200.00"), D("100.00")), strict=True):
        receipt.refresh_from_db()
        assert (receipt.state, receipt.channel, receipt.collected_on) == (ReceiptState.COLLECTED, "sepa", d(2026, 1, 5))
        assert receipt.movements.get().entry == remittance.entry
        earned = CommissionMovement.objects.filter(receipt=receipt, kind=CommissionMovementKind.EARNED,
                                                   collaborator__isnull=True).aggregate(s=Sum("amount"))["s"]
        assert earned == commission
    mandate = coll_holder.mandates.get()
    assert (mandate.uses, mandate.last_used_on) == (2, d(2026, 1, 5))

    with pytest.raises(DomainError):
        remittance_charge(actor=admin_a, remittance=remittance)


def test_pages_list_candidates_create_generate_and_charge(two_receipts, issued_policy, other_holder, bank_account,
                                                         tenants, users_a):
    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    no_mandate = first(issued_policy(net=D("2400.00"), holder=other_holder))
    params = {"bank_account": bank_account.pk, "due_from": "2026-01-01", "due_to": "2026-01-31",
              "collection_date": "2026-01-05"}
    page = client.get(reverse("treasury:remittance-new"), params)
    body = page.content.decode()
    assert page.status_code == 200 and no_mandate.number in body and "no tiene un mandato SEPA activo" in body
    assert "1.500,00" in body   # what can go

    refused = client.post(reverse("treasury:remittance-new"),
                          {**params, "receipts": [two_receipts[0].pk, two_receipts[1].pk, no_mandate.pk]})
    assert refused.status_code == 409 and Remittance.objects.count() == 0
    done = client.post(reverse("treasury:remittance-new"),
                       {**params, "receipts": [two_receipts[0].pk, two_receipts[1].pk, no_mandate.pk],
                        "skip_invalid": "on"})
    remittance = Remittance.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("treasury:remittance-detail", args=[remittance.pk])

    client.post(reverse("treasury:remittance-generate", args=[remittance.pk]))
    xml = client.get(reverse("treasury:remittance-xml", args=[remittance.pk]))
    assert xml.status_code == 200 and b"pain.008.001.02" in xml.content
    client.post(reverse("treasury:remittance-charge", args=[remittance.pk]), {"date": "2026-01-05"})
    remittance.refresh_from_db()
    assert remittance.state == RemittanceState.CHARGED
    detail = client.get(reverse("treasury:remittance-detail", args=[remittance.pk])).content.decode()
    assert remittance.number in detail and "1.500,00" in detail and "FRST" in detail
    item = remittance.items.first()
    assert reverse("treasury:return-record", args=[item.pk]) in detail  # a charged debit can be returned

    listing = client.get(reverse("treasury:remittance-list")).content.decode()
    assert remittance.number in listing and "1.500,00" in listing
    export = client.get(reverse("treasury:remittance-list") + "?export=csv")
    assert remittance.number in b"".join(export.streaming_content).decode()
    assert host_client(tenants.alfa_host, users_a["comercial"]).get(
        reverse("treasury:remittance-new")).status_code == 403


def test_list_queries_are_pinned(two_receipts, issued_policy, bank_account, tenants, users_a, admin_a):
    from tests.conftest import host_client

    client = host_client(tenants.alfa_host, users_a["cobros"])
    remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 1, 5),
                      receipts=[two_receipts[0]])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("treasury:remittance-list")).status_code == 200
    remittance_create(actor=admin_a, bank_account=bank_account, collection_date=d(2026, 1, 6),
                      receipts=[two_receipts[1]])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("treasury:remittance-list"))
    assert "1.500,00" in response.content.decode()
    assert len(many) == len(few)


def test_api_candidates_create_generate_charge_and_xml(two_receipts, bank_account, tenants, api_token_a):
    api = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    rows = api.get(f"{API}candidates/", {"due_from": "2026-01-01", "due_to": "2026-01-31"}).json()
    assert {(row["receipt"], row["ok"]) for row in rows} == {(two_receipts[0].pk, True), (two_receipts[1].pk, True)}
    created = api.post(API, {"bank_account": bank_account.pk, "collection_date": "2026-01-05",
                             "receipts": [r.pk for r in two_receipts]}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["total"] == "1500.00" and len(created.json()["items"]) == 2
    early = api.post(f"{API}{pk}/charge/", {}, content_type="application/json")
    assert early.status_code == 409 and early.json()["code"] == "treasury_remittance_state"
    assert api.post(f"{API}{pk}/generate/").json()["state"] == "generated"
    assert b"<SeqTp>FRST</SeqTp>" in api.get(f"{API}{pk}/xml/").content
    charged = api.post(f"{API}{pk}/charge/", {"date": "2026-01-05"}, content_type="application/json")
    assert charged.status_code == 200 and charged.json()["state"] == "charged"
    assert api.get(f"{API}{pk}/").json()["items"][0]["sequence_type"] == "FRST"
