"""Claims API: create (201; 400 problem for a loss the policy did not cover; 409 for a likely
duplicate unless allow_duplicate), list with filters and pinned queries, detail with reserve changes,
payments, tasks and third parties, the actions (transition 409 when illegal, reserve, payment over
the reserve 409 without approval, task, task-done, documents multipart), and a Comercial sees only
its clients' claims (404 on another's)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.claims.models import Claim
from tests.claims.test_claim_lifecycle import PDF
from tests.claims.test_claim_support import (  # noqa: F401  (fixtures)
    date, holder, media, open_claim, other_holder, other_policy, pcatalog, pline, policy,
)
from tests.fixtures.tenants import PASSWORD

URL = "/api/v1/claims/claims/"


def token_client(tenants, email) -> Client:
    client = Client(HTTP_HOST=tenants.alfa_host)
    response = client.post("/api/v1/auth/token/", {"email": email, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")


@pytest.fixture
def api(tenants, tenant_a):
    return token_client(tenants, tenants.emails["admin"])


def post(api, url, data=None):
    return api.post(url, data or {}, content_type="application/json")


def body(policy, **overrides):
    data = {"policy": policy.pk, "loss_date": "2026-06-10", "reported_date": "2026-06-11", "cause": "collision",
            "coverage_code": "liability", "description": "Golpe por alcance", "reserve": "1000.00",
            "third_parties": [{"name": "Pedro Ruiz", "role": "driver", "vehicle_plate": "1234 BCD"}]}
    data.update(overrides)
    return data


def test_create_and_problems(api, policy):
    response = post(api, URL, body(policy))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["state"], data["coverage_name"], data["reserve"], data["paid_total"], data["reserve_left"]) == (
        "reported", "Responsabilidad civil", "1000.00", "0.00", "1000.00")
    assert data["third_parties"][0]["name"] == "Pedro Ruiz" and data["reserve_changes"][0]["amount"] == "1000.00"
    duplicate = post(api, URL, body(policy))
    assert duplicate.status_code == 409 and duplicate["Content-Type"] == "application/problem+json"
    assert duplicate.json()["code"] == "claim_duplicate" and data["number"] in duplicate.json()["detail"]
    assert post(api, URL, body(policy, allow_duplicate=True)).json()["duplicate_of"] == data["id"]
    late = post(api, URL, body(policy, loss_date="2027-03-15", reported_date="2026-06-11"))
    assert late.status_code == 400 and late.json()["code"] == "claim_dates"
    uncovered = post(api, URL, body(policy, loss_date="2026-03-01", reported_date="2026-03-02"))
    assert uncovered.status_code == 400 and uncovered.json()["errors"] == {
        "loss_date": ["La fecha de ocurrencia (01/03/2026) es anterior al efecto de la póliza (15/03/2026)."]}
    assert post(api, URL, {"policy": policy.pk}).status_code == 400
    assert Claim.objects.count() == 2


def test_actions(api, policy, media, users_a):
    claim_id = post(api, URL, body(policy)).json()["id"]
    detail = f"{URL}{claim_id}/"
    illegal = post(api, detail + "transition/", {"to_state": "paid"})
    assert illegal.status_code == 409 and illegal.json()["code"] == "claim_invalid_transition"
    no_reason = post(api, detail + "transition/", {"to_state": "rejected"})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "claim_reason_required"
    assert post(api, detail + "transition/", {"to_state": "in_review"}).json()["state"] == "in_review"
    assert post(api, detail + "transition/", {"to_state": "accepted"}).json()["state"] == "accepted"
    over = post(api, detail + "payment/", {"amount": "1200.00", "date": "2026-07-01", "payee": "third_party"})
    assert over.status_code == 409 and over.json()["code"] == "claim_over_reserve"
    paid = post(api, detail + "payment/", {"amount": "1200.00", "date": "2026-07-01", "payee": "third_party",
                                           "approve_over_reserve": True})
    assert paid.status_code == 201
    assert (paid.json()["paid_total"], paid.json()["reserve_left"]) == ("1200.00", "-200.00")
    assert paid.json()["payments"][0]["over_reserve_approved_by"] is not None
    assert post(api, detail + "reserve/", {"amount": "1500.00", "reason": "Informe"}).json()["reserve"] == "1500.00"
    task = post(api, detail + "task/", {"title": "Pedir atestado", "due_date": "2026-12-15",
                                        "assignee": users_a["siniestros"].pk})
    assert task.status_code == 201 and task.json()["tasks"][0]["assignee"] == users_a["siniestros"].pk
    done = post(api, detail + "task-done/", {"task": task.json()["tasks"][0]["id"]})
    assert done.json()["tasks"][0]["done_at"] is not None
    upload = api.post(detail + "documents/", {"file": SimpleUploadedFile("atestado.pdf", PDF), "description": "Atestado"})
    assert upload.status_code == 201 and upload.json()["documents"][0]["content_type"] == "application/pdf"
    bad = api.post(detail + "documents/", {"file": SimpleUploadedFile("x.pdf", b"nada")})
    assert bad.status_code == 400 and bad.json()["code"] == "claim_document_type"
    added = post(api, detail + "third-party/", {"name": "Ana Gil", "role": "witness"})
    assert [p["name"] for p in added.json()["third_parties"]] == ["Pedro Ruiz", "Ana Gil"]
    removed = post(api, detail + "third-party-remove/", {"third_party": added.json()["third_parties"][1]["id"]})
    assert [p["name"] for p in removed.json()["third_parties"]] == ["Pedro Ruiz"]
    assert post(api, detail + "transition/", {"to_state": "paid"}).json()["state"] == "paid"
    assert [c["to_state"] for c in api.get(detail).json()["state_changes"]] == [
        "reported", "in_review", "accepted", "paid"]


def test_list_filters_and_pinned_queries(api, policy, other_policy, admin_a):
    open_claim(admin_a, policy)
    open_claim(admin_a, other_policy, cause="theft", loss_date=date(2026, 9, 3), reported_date=date(2026, 9, 4))

    def numbers(query=""):
        response = api.get(URL + query)
        assert response.status_code == 200, response.content
        return sorted(row["policy_number"] for row in response.json()["results"])

    assert numbers() == ["OTRA-1", "POL-1"]
    assert numbers("?cause=theft") == ["OTRA-1"]
    assert numbers("?state=reported&loss_from=2026-06-01&loss_to=2026-06-30") == ["POL-1"]
    assert numbers("?search=Sanz") == ["OTRA-1"]
    with CaptureQueriesContext(connection) as few:
        api.get(URL)
    for day in range(1, 5):
        open_claim(admin_a, policy, loss_date=date(2026, 7, day), reported_date=date(2026, 7, day))
    with CaptureQueriesContext(connection) as more:
        assert len(api.get(URL).json()["results"]) == 6
    assert len(more) == len(few)


def test_comercial_sees_only_its_clients_claims(tenants, policy, other_policy, admin_a):
    own = open_claim(admin_a, policy)
    other = open_claim(admin_a, other_policy)
    comercial = token_client(tenants, tenants.emails["comercial"])
    assert [row["id"] for row in comercial.get(URL).json()["results"]] == [own.pk]
    assert comercial.get(f"{URL}{other.pk}/").status_code == 404
    assert post(comercial, f"{URL}{other.pk}/transition/", {"to_state": "in_review"}).status_code == 404
    assert post(comercial, URL, body(other_policy, cause="fire")).status_code == 400  # not its client's policy
    assert post(comercial, URL, body(policy, cause="fire")).status_code == 201
