"""Policy API: POST create (201; 400 problem bodies for a bad risk, a duplicate number, a product of
another insurer), list with the page's filters (pinned queries), detail with versions, every
action, versions and diff, and a Comercial sees only its clients' policies."""
import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.insurance.models import Policy
from tests.fixtures.tenants import PASSWORD
from tests.insurance.test_policy_support import (  # noqa: F401  (fixtures)
    LINE, RISK, holder, other_holder, pcatalog, place, pline,
)

URL = "/api/v1/insurance/policies/"
date = datetime.date


@pytest.fixture
def api(tenants, api_token_a):
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")


def body(holder, product, **overrides):
    data = {"number": "API-1", "product": product.pk, "policyholder": holder.pk, "start_date": "2026-03-15",
            "payment_frequency": "annual", "payment_method": "insurer", "risk": RISK}
    data.update(overrides)
    return data


def post(api, url, data=None):
    return api.post(url, data or {}, content_type="application/json")


def test_post_creates_a_policy_in_force_with_version_one(api, pcatalog, holder):
    response = post(api, URL, body(holder, pcatalog["alfa"]))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["number"], data["state"], data["line"], data["expiry_date"]) == (
        "API-1", "in_force", LINE, "2027-03-14")
    assert (data["net_premium"], data["total_premium"], data["insurer_name"]) == ("130.00", "141.60", "Alfa Seguros")
    assert [v["number"] for v in data["versions"]] == [1] and data["versions"][0]["kind"] == "issue"
    assert [c["to_state"] for c in data["state_changes"]] == ["draft", "in_force"]
    assert post(api, URL, body(holder, pcatalog["alfa"], number="API-2", issue=False)).json()["state"] == "draft"


def test_post_problems_and_nothing_saved(api, pcatalog, holder):
    bad = post(api, URL, body(holder, pcatalog["alfa"], risk={**RISK, "capital": "5", "use": "boat"}))
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert {"capital", "use"} <= set(bad.json()["errors"])
    missing = post(api, URL, {"number": "X"})
    assert missing.status_code == 400 and "product" in missing.json()["errors"]
    assert not Policy.objects.exists()
    assert post(api, URL, body(holder, pcatalog["alfa"])).status_code == 201
    duplicate = post(api, URL, body(holder, pcatalog["alfa"], start_date="2026-09-01"))
    assert duplicate.status_code == 400
    problem = duplicate.json()
    assert problem["code"] == "policy_number_taken" and problem["errors"] == {
        "number": ["Ya existe una póliza con el número API-1 en Alfa Seguros."]}
    assert Policy.objects.count() == 1
    assert post(api, URL, body(holder, pcatalog["beta"])).status_code == 201  # same number, other insurer


def test_list_filters_and_pinned_queries(api, pcatalog, holder, other_holder, admin_a):
    place(admin_a, holder, pcatalog["alfa"], number="L-1")
    place(admin_a, other_holder, pcatalog["beta"], number="L-2", start_date=date(2026, 6, 1))

    def numbers(query=""):
        response = api.get(URL + query)
        assert response.status_code == 200, response.content
        return sorted(row["number"] for row in response.json()["results"])

    assert numbers() == ["L-1", "L-2"]
    assert numbers(f"?insurer={pcatalog['alfa'].insurer_id}") == ["L-1"]
    assert numbers(f"?line={LINE}&state=in_force&expiry_month=2027-05") == ["L-2"]
    assert numbers("?policyholder=Sanz") == ["L-2"]
    assert numbers("?number=L-1") == ["L-1"]
    assert numbers("?search=Prieto") == ["L-1"]
    assert api.get(URL + "?expiry_month=2027").status_code == 400
    with CaptureQueriesContext(connection) as few:
        api.get(URL + f"?line={LINE}")
    for n in range(3, 8):
        place(admin_a, holder, pcatalog["alfa"], number=f"L-{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(URL + f"?line={LINE}").json()["results"]) == 7
    assert len(many) == len(few), [q["sql"][:100] for q in many.captured_queries]


def test_actions_and_problems(api, pcatalog, holder):
    policy_id = post(api, URL, body(holder, pcatalog["alfa"], issue=False)).json()["id"]
    detail = f"{URL}{policy_id}/"
    assert post(api, detail + "issue/").json()["state"] == "in_force"
    again = post(api, detail + "issue/")
    assert again.status_code == 409 and again.json()["code"] == "policy_invalid_transition"
    endorsed = post(api, detail + "endorse/", {"effective_date": "2026-06-01", "reason": "Más capital",
                                               "risk": {**RISK, "capital": "30000"}})
    assert endorsed.status_code == 200 and endorsed.json()["total_premium"] == "158.32"
    assert [v["number"] for v in endorsed.json()["versions"]] == [1, 2]
    early = post(api, detail + "endorse/", {"effective_date": "2026-01-01", "reason": "x"})
    assert early.status_code == 400 and "effective_date" in early.json()["errors"]
    assert post(api, detail + "endorse/", {"reason": "x"}).status_code == 400
    versions = api.get(detail + "versions/").json()
    assert [v["total_premium"] for v in versions] == ["141.60", "158.32"]
    diff = api.get(detail + "diff/?a=1&b=2").json()
    assert {"label": "Capital asegurado", "before": "20.000,00", "after": "30.000,00", "changed": True} in diff["risk"]
    assert api.get(detail + "diff/").json()["after"]["number"] == 2
    assert api.get(detail + "diff/?a=1&b=7").status_code == 400
    assert post(api, detail + "suspend/", {"effective_date": "2026-07-01"}).json()["state"] == "suspended"
    assert post(api, detail + "resume/", {"effective_date": "2026-07-10"}).json()["state"] == "in_force"
    cancel = post(api, detail + "cancel/", {"effective_date": "2026-09-01", "reason": "non_payment"})
    assert cancel.json()["state"] == "cancelled" and cancel.json()["cancellation_date"] == "2026-09-01"
    assert post(api, detail + "cancel/", {"effective_date": "2026-09-01", "reason": "nope"}).status_code == 400
    assert post(api, detail + "reactivate/", {"effective_date": "2026-09-20"}).json()["state"] == "in_force"
    renewal = post(api, detail + "renew/", {})
    assert renewal.status_code == 201
    assert (renewal.json()["number"], renewal.json()["start_date"], renewal.json()["renewal_of"]) == (
        "API-1", "2027-03-15", policy_id)
    assert api.get(detail).json()["state"] == "renewed"


def test_comercial_sees_only_its_clients_policies(tenants, users_a, pcatalog, holder, other_holder, admin_a):
    own = place(admin_a, holder, pcatalog["alfa"], number="OWN-1")
    other = place(admin_a, other_holder, pcatalog["alfa"], number="OTHER-1")
    login = Client(HTTP_HOST=tenants.alfa_host).post(
        "/api/v1/auth/token/", {"email": tenants.emails["comercial"], "password": PASSWORD},
        content_type="application/json")
    token = login.json()["access"]
    comercial = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [row["number"] for row in comercial.get(URL).json()["results"]] == ["OWN-1"]
    assert comercial.get(f"{URL}{own.pk}/").status_code == 200
    assert comercial.get(f"{URL}{other.pk}/").status_code == 404
    assert post(comercial, f"{URL}{other.pk}/cancel/", {"effective_date": "2026-09-01",
                                                        "reason": "client"}).status_code == 404
    refused = post(comercial, URL, body(other_holder, pcatalog["alfa"], number="NOPE"))
    assert refused.status_code == 400 and "policyholder" in refused.json()["errors"]
