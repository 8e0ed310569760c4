"""Receipt API: list with the page's filters (pinned queries), totals, detail with movements and
commission rows, collect/return/cancel (problem bodies for the refusals, nothing written),
Idempotency-Key on a collection, the read-only commission ledger, a Comercial sees its clients' only."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.collections.models import CommissionMovement, Receipt, ReceiptMovement
from apps.insurance.choices import PaymentFrequency
from tests.fixtures.tenants import PASSWORD

D = Decimal
URL = "/api/v1/collections/receipts/"
LEDGER = "/api/v1/collections/commission-movements/"


@pytest.fixture
def api(tenants, api_token_a):
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")


def post(api, url, data=None, **headers):
    return api.post(url, data or {}, content_type="application/json", **headers)


def receipt(policy, sequence=1) -> Receipt:
    return Receipt.objects.get(policy=policy, sequence=sequence)


def test_list_filters_totals_and_pinned_queries(api, issued_policy):
    policy = issued_policy()

    def numbers(query=""):
        response = api.get(URL + query)
        assert response.status_code == 200, response.content
        return sorted(row["number"] for row in response.json()["results"])

    assert len(numbers()) == 12
    assert numbers("?due_from=2026-11-01") == ["CV-0001/011", "CV-0001/012"]
    assert numbers("?state=issued&policy=CV-0001&due_to=2026-01-31") == ["CV-0001/001"]
    assert numbers("?policyholder=11111111H&collector=insurer") == []
    assert numbers("?search=Ortega&ordering=due_date")[:1] == ["CV-0001/001"]
    assert api.get(URL + "?due_from=ayer").status_code == 400
    row = api.get(URL + "?due_to=2026-01-31").json()["results"][0]
    assert (row["total_premium"], row["outstanding"], row["commission_amount"], row["state"], row["insurer_name"]) == (
        "100.00", "100.00", "20.00", "issued", "Vida Colectiva Seguros")
    totals = api.get(URL + "totals/?due_to=2026-06-30").json()
    assert totals == {"total_premium": "600.00", "outstanding": "600.00", "collected": "0.00", "commission": "120.00"}
    with CaptureQueriesContext(connection) as few:
        api.get(URL + "?state=issued")
    issued_policy(frequency=PaymentFrequency.QUARTERLY)
    with CaptureQueriesContext(connection) as many:
        assert api.get(URL + "?state=issued").json()["count"] == 16
    assert len(many) == len(few), [q["sql"][:100] for q in many.captured_queries]
    assert receipt(policy).pk


def test_collect_return_cancel_and_detail(api, issued_policy):
    policy = issued_policy(net=D("1000.00"), frequency=PaymentFrequency.ANNUAL)
    detail = f"{URL}{receipt(policy).pk}/"
    partial = post(api, detail + "collect/", {"date": "2026-01-10", "amount": "500.00", "channel": "transfer"})
    assert partial.status_code == 200, partial.content
    body = partial.json()
    assert (body["state"], body["collected_amount"], body["outstanding"]) == ("partial", "500.00", "500.00")
    assert [(m["kind"], m["amount"]) for m in body["movements"]] == [("collection", "500.00")]
    assert [(c["kind"], c["amount"], c["collaborator"]) for c in body["commission_movements"]] == [
        ("earned", "100.00", None)]
    returned = post(api, detail + "return/", {"date": "2026-01-20", "reason": "MD06"})
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert sum(D(c["amount"]) for c in returned.json()["commission_movements"]) == D("0.00")
    cancelled = post(api, detail + "cancel/", {"date": "2026-01-25", "reason": "Baja del cliente"})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert api.get(detail).json()["cancelled_on"] == "2026-01-25"


def test_refusals_are_problem_bodies_and_write_nothing(api, issued_policy, admin_a):
    policy = issued_policy()
    first, second = receipt(policy, 1), receipt(policy, 2)
    assert post(api, f"{URL}{second.pk}/cancel/", {"date": "2026-02-02"}).status_code == 200
    counts = (ReceiptMovement.objects.count(), CommissionMovement.objects.count())
    refused = post(api, f"{URL}{second.pk}/collect/", {"date": "2026-02-03", "channel": "cash"})
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    problem = refused.json()
    assert problem["code"] == "receipt_cancelled" and problem["status"] == 409
    assert problem["detail"] == "El recibo CV-0001/002 está anulado: no se puede cobrar ni devolver."
    too_much = post(api, f"{URL}{first.pk}/collect/", {"date": "2026-01-05", "amount": "100.01", "channel": "sepa"})
    assert too_much.status_code == 400 and "amount" in too_much.json()["errors"]
    not_collected = post(api, f"{URL}{first.pk}/return/", {"date": "2026-01-05", "reason": "AC04"})
    assert not_collected.status_code == 409
    bad = post(api, f"{URL}{first.pk}/collect/", {"date": "mañana", "channel": "pigeon"})
    assert bad.status_code == 400 and {"date", "channel"} <= set(bad.json()["errors"])
    assert (ReceiptMovement.objects.count(), CommissionMovement.objects.count()) == counts
    assert Receipt.objects.get(pk=first.pk).state == "issued"


def test_a_retried_collection_with_its_idempotency_key_collects_once(api, issued_policy):
    target = receipt(issued_policy())
    url = f"{URL}{target.pk}/collect/"
    data = {"date": "2026-01-05", "channel": "sepa"}
    first = post(api, url, data, HTTP_IDEMPOTENCY_KEY="cobro-1")
    again = post(api, url, data, HTTP_IDEMPOTENCY_KEY="cobro-1")
    assert first.status_code == again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert ReceiptMovement.objects.filter(receipt=target).count() == 1
    without_key = post(api, url, data)
    assert without_key.status_code == 409 and without_key.json()["code"] != "receipt_cancelled"


def test_commission_ledger_is_read_only_and_filtered(api, issued_policy):
    policy = issued_policy()
    post(api, f"{URL}{receipt(policy).pk}/collect/", {"date": "2026-01-05", "channel": "sepa"})
    rows = api.get(LEDGER + f"?policy={policy.pk}&broker=true").json()["results"]
    assert [(row["kind"], row["amount"], row["receipt_number"]) for row in rows] == [
        ("earned", "20.00", "CV-0001/001")]
    assert api.get(LEDGER + "?kind=reversed").json()["results"] == []
    assert post(api, LEDGER, {"amount": "1"}).status_code in (403, 405)
    row_id = rows[0]["id"]
    assert api.delete(f"{LEDGER}{row_id}/").status_code in (403, 405)


def test_comercial_sees_only_its_clients_receipts(tenants, issued_policy, admin_a):
    from apps.crm.services.parties import party_create

    stranger = party_create(actor=None, data={"kind": "company", "company_name": "Talleres Sur SL",
                                              "tax_id": "B12345674"})
    own = receipt(issued_policy(frequency=PaymentFrequency.ANNUAL))
    other = receipt(issued_policy(frequency=PaymentFrequency.ANNUAL, holder=stranger))
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails["comercial"], "password": PASSWORD},
        content_type="application/json")
    comercial = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    assert [row["number"] for row in comercial.get(URL).json()["results"]] == [own.number]
    assert comercial.get(f"{URL}{other.pk}/").status_code == 404
    assert comercial.get(URL + "totals/").json()["total_premium"] == "1200.00"
    assert post(comercial, f"{URL}{own.pk}/collect/", {"date": "2026-01-05", "channel": "sepa"}).status_code == 403
