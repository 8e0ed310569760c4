"""Quote API: POST creates and rates (201 with ranked options), 400 problems for a bad risk and for
objective analysis with two insurers, GET list (pinned queries, own clients for a Comercial),
send/reject/accept actions, the line registry endpoint; and the admin."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.insurance.choices import AdviceKind, QuoteState
from apps.insurance.models import Quote
from apps.insurance.services.quotes import QuoteError, quote_accept, quote_create, quote_send
from tests.conftest import host_client
from tests.insurance.test_quote_support import (  # noqa: F401  (fixtures)
    EFFECTIVE, LINE, RISK, catalog, client_party, other_party, qline,
)

URL = "/api/v1/insurance/quotes/"


@pytest.fixture
def api(tenants, api_token_a):
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")


def body(client_party, **overrides):
    data = {"client": client_party.pk, "line": LINE, "risk": RISK, "effective_date": "2026-03-01",
            "demands_and_needs": {"cover_wanted": "Daños"}, "advice_kind": "objective"}
    data.update(overrides)
    return data


def create(actor, client, **kwargs):
    return quote_create(actor=actor, client=client, line_code=LINE, risk=RISK, effective_date=EFFECTIVE,
                        demands_and_needs={}, needs_statement="", advice_kind=AdviceKind.OBJECTIVE_ANALYSIS, **kwargs)


def test_post_creates_and_returns_ranked_options(api, catalog, client_party):
    response = api.post(URL, body(client_party), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"].startswith("P-") and data["state"] == "draft" and data["line"] == LINE
    assert [(o["rank"], o["insurer"]["name"], o["total_premium"]) for o in data["options"]] == [
        (1, "Gamma Vida", "130.78"), (2, "Alfa Seguros", "141.60"), (3, "Beta Mutua", "163.23")]
    first = data["options"][0]
    assert (first["net_premium"], first["ips"], first["consorcio"], first["clea"]) == ("120.00", "9.60", "1.00", "0.18")
    assert first["coverages"][1]["deductible"] == "150.00"
    assert data["declined"][0]["insurer"]["name"] == "Delta Seguros"
    assert data["declined"][0]["decline_reason"] == "Edad máxima de contratación 25 años"
    assert "Opción recomendada: Gamma Vida" in data["objective_analysis_statement"]


def test_post_bad_risk_is_a_400_problem_by_field(api, catalog, client_party):
    response = api.post(URL, body(client_party, risk={**RISK, "capital": "10", "items": [{"name": "", "value": "5"}]}),
                        content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert "capital" in errors and "items-0-name" in errors
    unknown = api.post(URL, body(client_party, line="barcos"), content_type="application/json")
    assert unknown.status_code == 400 and "line" in unknown.json()["errors"]
    assert not Quote.objects.exists()


def test_post_objective_analysis_with_two_insurers_is_a_400(api, catalog, client_party):
    products = [catalog["alfa"].pk, catalog["beta"].pk]
    response = api.post(URL, body(client_party, products=products), content_type="application/json")
    problem = response.json()
    assert response.status_code == 400 and problem["code"] == "quote_objective_needs_three_insurers"
    assert "solo se han encontrado 2" in problem["detail"] and "advice_kind" in problem["errors"]
    limited = api.post(URL, body(client_party, products=products, advice_kind="limited"),
                       content_type="application/json")
    assert limited.status_code == 201 and len(limited.json()["options"]) == 2


def test_list_is_pinned_and_filtered(api, catalog, client_party, other_party, admin_a):
    create(admin_a, client_party)
    api.get(URL)
    with CaptureQueriesContext(connection) as few:
        response = api.get(f"{URL}?state=draft&line__code={LINE}")
    assert response.status_code == 200 and response.json()["count"] == 1
    for _n in range(3):
        create(admin_a, other_party)
    with CaptureQueriesContext(connection) as many:
        assert api.get(f"{URL}?state=draft&line__code={LINE}").json()["count"] == 4
    assert len(many) == len(few)


def test_comercial_sees_and_quotes_only_its_clients(tenants, users_a, catalog, client_party, other_party, admin_a):
    own, other = create(admin_a, client_party), create(admin_a, other_party)
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    numbers = [row["number"] for row in comercial.get(URL).json()["results"]]
    assert numbers == [own.number]
    assert comercial.get(f"{URL}{other.pk}/").status_code == 404
    refused = comercial.post(URL, body(other_party), content_type="application/json")
    assert refused.status_code == 400 and "client" in refused.json()["errors"]
    assert comercial.post(URL, body(client_party), content_type="application/json").status_code == 201


def test_read_only_roles_cannot_create_or_send(tenants, users_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    accountant = host_client(tenants.alfa_host, users_a["contabilidad"])
    assert accountant.get(f"{URL}{quote.pk}/").status_code == 200
    assert accountant.post(URL, body(client_party), content_type="application/json").status_code == 403
    assert accountant.post(f"{URL}{quote.pk}/send/").status_code == 403


def test_send_and_reject_actions_and_illegal_transition(api, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    sent = api.post(f"{URL}{quote.pk}/send/")
    assert sent.status_code == 200 and sent.json()["state"] == "sent" and sent.json()["sent_at"]
    again = api.post(f"{URL}{quote.pk}/send/")
    assert again.status_code == 409 and again.json()["code"] == "quote_invalid_transition"
    rejected = api.post(f"{URL}{quote.pk}/reject/", {"reason": "Caro"}, content_type="application/json")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"


def test_rerate_action(api, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    response = api.post(f"{URL}{quote.pk}/rerate/", {"risk": {**RISK, "holder_age": 22}},
                        content_type="application/json")
    assert response.status_code == 200 and response.json()["options"][0]["net_premium"] == "180.00"


def test_accept_refuses_a_declined_or_foreign_option(catalog, client_party, other_party, admin_a):
    quote = create(admin_a, client_party)
    declined = quote.options.get(eligible=False)
    with pytest.raises(QuoteError, match="no es tarificable"):
        quote_accept(actor=admin_a, quote=quote, option=declined, policy_number="X1", start_date=EFFECTIVE,
                     payment_frequency="annual", payment_method="insurer")
    foreign = create(admin_a, other_party).options.get(rank=1)
    with pytest.raises(QuoteError, match="no pertenece al proyecto"):
        quote_accept(actor=admin_a, quote=quote, option=foreign, policy_number="X1", start_date=EFFECTIVE,
                     payment_frequency="annual", payment_method="insurer")
    quote.refresh_from_db()
    assert quote.state == QuoteState.DRAFT


def test_accept_creates_the_policy(api, catalog, client_party, admin_a):
    quote = quote_send(actor=admin_a, quote=create(admin_a, client_party))
    option = quote.options.get(rank=1)
    response = api.post(f"{URL}{quote.pk}/accept/", {
        "option": option.pk, "policy_number": "GV-2026-0001", "start_date": "2026-03-01",
        "payment_frequency": "annual", "payment_method": "broker_sepa"}, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "accepted" and data["accepted_option"] == option.pk
    from apps.insurance.models import Policy

    policy = Policy.objects.get(pk=data["policy"]["id"])
    assert policy.number == "GV-2026-0001" and policy.product == catalog["gamma"] and policy.quote_id == quote.pk
    assert policy.policyholder == client_party


def test_lines_registry_lists_risk_fields(api, qline):
    response = api.get("/api/v1/insurance/lines-registry/")
    assert response.status_code == 200
    line = next(item for item in response.json() if item["code"] == LINE)
    fields = {field["name"]: field for field in line["fields"]}
    assert fields["capital"]["type"] == "decimal" and fields["capital"]["required"] is True
    assert fields["capital"]["label"] == "Capital asegurado" and fields["capital"]["min_value"] == "1000"
    assert fields["use"]["choices"] == [{"value": "private", "label": "Particular"},
                                        {"value": "professional", "label": "Profesional"}]
    assert line["rows"][0]["name"] == "items" and line["rows"][0]["fields"][0]["name"] == "name"
    assert line["sample_risk"]["capital"] == "20000"
    assert api.get(f"/api/v1/insurance/lines-registry/{LINE}/").json()["code"] == LINE
    assert api.get("/api/v1/insurance/lines-registry/barcos/").status_code == 404


def test_admin_lists_quotes_and_sends_through_the_service(client_a, catalog, client_party, admin_a):
    quote = create(admin_a, client_party)
    assert client_a.get("/admin/insurance/quote/").status_code == 200
    page = client_a.get(f"/admin/insurance/quote/{quote.pk}/change/")
    assert page.status_code == 200 and "Gamma Vida" in page.content.decode()
    client_a.post("/admin/insurance/quote/", {"action": "send_quotes", "_selected_action": [quote.pk]})
    quote.refresh_from_db()
    assert quote.state == QuoteState.SENT


def test_accept_hands_the_option_to_the_policies_service_and_marks_the_quote(monkeypatch, catalog, client_party,
                                                                              admin_a):
    """The quote side of accept, with the policies service replaced by a recorder."""
    import sys
    import types

    calls = []

    def policy_create_from_quote(**kwargs):
        calls.append(kwargs)
        return types.SimpleNamespace(pk=99, number=kwargs["number"], __str__=lambda self: kwargs["number"])

    fake = types.ModuleType("apps.insurance.services.policies")
    fake.policy_create_from_quote = policy_create_from_quote
    monkeypatch.setitem(sys.modules, "apps.insurance.services.policies", fake)
    quote = quote_send(actor=admin_a, quote=create(admin_a, client_party))
    option = quote.options.get(rank=1)
    policy = quote_accept(actor=admin_a, quote=quote, option=option.pk, policy_number=" GV-1 ", start_date=EFFECTIVE,
                          payment_frequency="monthly", payment_method="insurer")
    assert policy.number == "GV-1"
    (call,) = calls
    assert call["quote"].pk == quote.pk and call["option"] == option and call["number"] == "GV-1"
    assert (call["start_date"], call["payment_frequency"], call["payment_method"]) == (EFFECTIVE, "monthly", "insurer")
    quote.refresh_from_db()
    assert quote.state == QuoteState.ACCEPTED and quote.accepted_option == option and quote.decided_at
    with pytest.raises(QuoteError, match="no puede pasar a «Aceptado»"):
        quote_accept(actor=admin_a, quote=quote, option=option, policy_number="GV-2", start_date=EFFECTIVE,
                     payment_frequency="annual", payment_method="insurer")
