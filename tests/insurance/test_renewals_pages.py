"""Renewal portfolio pages, API, admin and the beat task: the month's totals per state (current vs
proposed, % change, progress) with a pinned query count, filters and export, every decision by
POST, settings, the policy page's panel, Comercial isolation, API actions with problem bodies.

March 2027 (numbers from test_renewals): A = POL-1 (Lucía, Alfa) 141,60 → insurer's 150 net = 163,23,
renewed; B = B-1 (Mario, Beta ×1,2: net 150) 163,23 → 163,23, not renewed; C = C-1 (Lucía, Alfa)
141,60 → 141,60, pending. Totals 446,43 → 468,06 (+4,8 %); renewed +15,3 %; progress 2 of 3 = 67 %."""
import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.insurance.choices import RenewalState
from apps.insurance.models import Policy, RenewalProposal
from apps.insurance.services.renewals import renewal_confirm, renewal_decline, renewal_set_premium, renewals_build
from tests.conftest import host_client
from tests.fixtures.tenants import PASSWORD
from tests.insurance.test_policy_support import (  # noqa: F401  (fixtures)
    holder, other_holder, pcatalog, place, pline,
)

date = datetime.date
PAGE = "/seguros/renovaciones/"
API = "/api/v1/insurance/renewals/"
BUILD_DAY = date(2027, 2, 20)  # + 60 days: every policy expiring up to 21/04/2027


@pytest.fixture
def march(pcatalog, holder, other_holder, admin_a):
    policies = {"A": place(admin_a, holder, pcatalog["alfa"]),
                "B": place(admin_a, other_holder, pcatalog["beta"], number="B-1"),
                "C": place(admin_a, holder, pcatalog["alfa"], number="C-1"),
                "APR": place(admin_a, holder, pcatalog["alfa"], number="APR-1", start_date=date(2026, 4, 10))}
    renewals_build(today=BUILD_DAY)
    return {key: RenewalProposal.objects.get(policy=policy) for key, policy in policies.items()}


def decide(march, admin_a):
    renewal_set_premium(actor=admin_a, proposal=march["A"], net_premium="150")
    renewal_confirm(actor=admin_a, proposal=march["A"])
    renewal_decline(actor=admin_a, proposal=march["B"], reason="price")


@pytest.fixture
def comercial(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["comercial"])


def test_portfolio_month_totals_progress_and_table(client_a, march, admin_a):
    decide(march, admin_a)
    html = client_a.get(PAGE + "?mes=2027-03").content.decode()
    assert "Cartera con vencimiento en 2027-03" in html and "2 de 3 decididas" in html
    assert 'data-progress="67"' in html
    renewed = html.split('id="totals-renewed"')[1].split("</tr>")[0]
    assert "141,60 €" in renewed and "163,23 €" in renewed and "15,3 %" in renewed
    total = html.split('id="totals-all"')[1].split("</tr>")[0]
    assert ">3<" in total and "446,43 €" in total and "468,06 €" in total and "4,8 %" in total
    assert "POL-1" in html and "B-1" in html and "C-1" in html and "APR-1" not in html
    assert "Precio" in html and 'action="/seguros/renovaciones/%d/confirmar/"' % march["C"].pk in html
    assert 'action="/seguros/renovaciones/%d/confirmar/"' % march["A"].pk not in html  # decided
    april = client_a.get(PAGE + "?mes=2027-04").content.decode()
    assert "APR-1" in april and "POL-1" not in april and "0 de 1 decididas" in april
    bad = client_a.get(PAGE + "?mes=marzo")
    assert bad.status_code == 200 and "AAAA-MM" in bad.content.decode()


def test_filters_and_export(client_a, march, admin_a, users_a):
    decide(march, admin_a)

    def numbers(query):
        text = client_a.get(PAGE + "?mes=2027-03&" + query).content.decode()
        return {n for n in ("POL-1", "B-1", "C-1") if f">{n}<" in text}

    assert numbers("state=pending") == {"C-1"}
    assert numbers(f"owner={users_a['comercial'].pk}") == {"POL-1", "C-1"}
    assert numbers(f"insurer={march['B'].policy.insurer_id}") == {"B-1"}
    assert numbers("line=ptest") == {"POL-1", "B-1", "C-1"}
    pending = client_a.get(PAGE + "?mes=2027-03&state=pending").content.decode()
    assert "3 de 3" not in pending and "2 de 3 decididas" in pending  # totals ignore the state filter
    export = client_a.get(PAGE + "?mes=2027-03&state=not_renewed&export=csv")
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert export["Content-Disposition"].endswith('renovaciones-2027-03.csv"')
    assert "B-1;Mario Sanz" in content and "Precio" in content and "163,23" in content and "POL-1" not in content
    assert client_a.get(PAGE + "?mes=2027-03&export=xlsx").status_code == 200


def test_portfolio_queries_are_pinned(client_a, march, pcatalog, holder, admin_a):
    url = PAGE + "?mes=2027-03&line=ptest&o=-proposed_total_premium"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(url).status_code == 200
    for n in range(4):
        place(admin_a, holder, pcatalog["alfa"], number=f"MORE-{n}", start_date=date(2026, 3, 1 + n))
    renewals_build(today=BUILD_DAY)
    decide(march, admin_a)
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(url)
    assert "MORE-3" in response.content.decode()
    assert len(many) == len(few) <= 15, [q["sql"][:120] for q in many.captured_queries]


def test_decisions_by_post(client_a, march):
    here = PAGE + "?mes=2027-03&state=pending"
    response = client_a.post(f"{PAGE}{march['A'].pk}/prima/", {"net_premium": "150,00", "next": here})
    assert response.status_code == 302 and response["Location"] == here
    march["A"].refresh_from_db()
    assert str(march["A"].proposed_total_premium) == "163.23"
    bad = client_a.post(f"{PAGE}{march['A'].pk}/prima/", {"net_premium": "0"}, follow=True)
    assert "Prima neta de la compañía" in bad.content.decode()
    response = client_a.post(f"{PAGE}{march['A'].pk}/confirmar/", {"number": ""})
    assert response["Location"] == PAGE + "?mes=2027-03"
    assert Policy.objects.filter(renewal_of=march["A"].policy, number="POL-1").exists()
    again = client_a.post(f"{PAGE}{march['A'].pk}/confirmar/", {}, follow=True).content.decode()
    assert "ya está decidida" in again
    client_a.post(f"{PAGE}{march['B'].pk}/no-renovar/", {"reason": "competitor", "notes": "Se va a otra"})
    march["B"].refresh_from_db()
    assert (march["B"].state, march["B"].non_renewal_reason) == (RenewalState.NOT_RENEWED, "competitor")
    assert client_a.get(f"{PAGE}{march['A'].pk}/confirmar/").status_code == 405


def test_build_now_and_settings(client_a, pcatalog, holder, admin_a):
    place(admin_a, holder, pcatalog["alfa"], number="JAN-1", start_date=date(2026, 2, 1))  # expires 31/01/2027
    page = client_a.get(PAGE).content.decode()
    assert 'id="settings-form"' in page and 'id="build-button"' in page
    response = client_a.post(f"{PAGE}preparar/", {}, follow=True)
    assert "Cartera preparada: 1 propuestas nuevas." in response.content.decode()
    client_a.post(f"{PAGE}configuracion/", {"days_before": "30"})
    from apps.insurance.services.renewals import renewal_settings

    assert renewal_settings().days_before == 30
    refused = client_a.post(f"{PAGE}configuracion/", {"days_before": "0"}, follow=True).content.decode()
    assert "Días de antelación" in refused and renewal_settings().days_before == 30


def test_policy_page_panel(client_a, march, admin_a):
    policy = march["A"].policy
    html = client_a.get(f"/seguros/polizas/{policy.pk}/").content.decode()
    assert 'id="policy-renewal"' in html and f"/seguros/renovaciones/poliza/{policy.pk}/" in html
    panel = client_a.get(f"{PAGE}poliza/{policy.pk}/").content.decode()
    assert "Pendiente" in panel and "141,60 € → 141,60 €" in panel
    decide(march, admin_a)
    panel = client_a.get(f"{PAGE}poliza/{policy.pk}/").content.decode()
    assert "Renovada" in panel and "15/03/2027" in panel
    renewal = Policy.objects.get(renewal_of=policy)
    panel = client_a.get(f"{PAGE}poliza/{renewal.pk}/").content.decode()
    assert "Sin propuesta de renovación: se prepara 60 días" in panel


def test_comercial_sees_only_its_clients_proposals(comercial, march, tenants, users_a):
    html = comercial.get(PAGE + "?mes=2027-03").content.decode()
    assert "POL-1" in html and "C-1" in html and "B-1" not in html
    assert "0 de 2 decididas" in html
    assert comercial.post(f"{PAGE}{march['B'].pk}/no-renovar/", {"reason": "price"}).status_code == 404
    assert comercial.get(f"{PAGE}poliza/{march['B'].policy_id}/").content.decode().count("Sin propuesta") == 1
    export = b"".join(comercial.get(PAGE + "?mes=2027-03&export=csv").streaming_content).decode("utf-8-sig")
    assert "POL-1" in export and "B-1" not in export
    viewer = host_client(tenants.alfa_host, users_a["contabilidad"])  # insurance: view only
    page = viewer.get(PAGE + "?mes=2027-03").content.decode()
    assert "B-1" in page and "/confirmar/" not in page and 'id="settings-form"' not in page
    assert viewer.post(f"{PAGE}{march['B'].pk}/confirmar/", {}).status_code == 403
    assert host_client(tenants.alfa_host, users_a["rrhh"]).get(PAGE).status_code == 403


# --- API --------------------------------------------------------------------------------------------

def token_client(tenants, email):
    client = Client(HTTP_HOST=tenants.alfa_host)
    token = client.post("/api/v1/auth/token/", {"email": email, "password": PASSWORD},
                        content_type="application/json").json()["access"]
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def api(tenants, api_token_a):
    return Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_api_list_detail_and_pinned_queries(api, march, pcatalog, holder, admin_a):
    data = api.get(API + "?month=2027-03").json()
    assert [row["policy_number"] for row in data["results"]] == ["POL-1", "B-1", "C-1"]
    first = data["results"][0]
    assert (first["state"], first["current_total_premium"], first["proposed_total_premium"], first["line"]) == (
        "pending", "141.60", "141.60", "ptest")
    assert api.get(API + "?month=marzo").status_code == 400
    assert api.get(f"{API}{march['B'].pk}/").json()["insurer_name"] == "Beta Mutua"
    with CaptureQueriesContext(connection) as few:
        api.get(API + "?month=2027-03&state=pending")
    for n in range(3):
        place(admin_a, holder, pcatalog["alfa"], number=f"API-{n}", start_date=date(2026, 3, 1 + n))
    renewals_build(today=BUILD_DAY)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(API + "?month=2027-03&state=pending").json()["results"]) == 5
    assert len(many) == len(few)


def test_api_actions(api, march):
    response = post(api, f"{API}{march['A'].pk}/set-premium/", {"net_premium": "150.00"})
    assert response.status_code == 200 and response.json()["proposed_total_premium"] == "163.23"
    assert response.json()["premium_source"] == "insurer"
    bad = post(api, f"{API}{march['A'].pk}/set-premium/", {"net_premium": "0"})
    assert bad.status_code == 400 and "net_premium" in bad.json()["errors"]
    confirmed = post(api, f"{API}{march['A'].pk}/confirm/", {"number": "POL-1-R"})
    assert confirmed.status_code == 201, confirmed.content
    assert (confirmed.json()["state"], confirmed.json()["renewed_policy_number"]) == ("renewed", "POL-1-R")
    again = post(api, f"{API}{march['A'].pk}/confirm/")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert again.json()["code"] == "renewal_already_decided"
    assert post(api, f"{API}{march['B'].pk}/decline/", {"reason": "nope"}).status_code == 400
    declined = post(api, f"{API}{march['B'].pk}/decline/", {"reason": "insurer", "notes": "La compañía no renueva"})
    assert declined.status_code == 200 and declined.json()["non_renewal_reason"] == "insurer"
    assert post(api, f"{API}build/").json() == {"created": 0}


def test_api_comercial_isolation_and_read_only_roles(tenants, march):
    comercial = token_client(tenants, tenants.emails["comercial"])
    numbers = [row["policy_number"] for row in comercial.get(API).json()["results"]]
    assert "B-1" not in numbers and {"POL-1", "C-1"} <= set(numbers)
    assert comercial.get(f"{API}{march['B'].pk}/").status_code == 404
    assert post(comercial, f"{API}{march['B'].pk}/decline/", {"reason": "price"}).status_code == 404
    viewer = token_client(tenants, tenants.emails["contabilidad"])
    assert viewer.get(API).status_code == 200
    assert post(viewer, f"{API}{march['C'].pk}/confirm/").status_code == 403
    assert RenewalProposal.objects.get(pk=march["C"].pk).state == RenewalState.PENDING


# --- Admin and the beat task ---------------------------------------------------------------------

def test_admin_list_and_actions(client_a, march):
    assert client_a.get("/admin/insurance/renewalproposal/?state__exact=pending").status_code == 200
    assert client_a.get(f"/admin/insurance/renewalproposal/{march['A'].pk}/change/").status_code == 200
    client_a.post("/admin/insurance/renewalproposal/", {"action": "confirm_proposals",
                                                         "_selected_action": [march["A"].pk]})
    client_a.post("/admin/insurance/renewalproposal/", {"action": "decline_proposals",
                                                         "_selected_action": [march["B"].pk]})
    states = dict(RenewalProposal.objects.values_list("policy__number", "state"))
    assert (states["POL-1"], states["B-1"], states["C-1"]) == ("renewed", "not_renewed", "pending")
    assert client_a.get("/admin/insurance/renewalsettings/").status_code == 200


def test_beat_task_builds_the_portfolio_in_the_tenant(pcatalog, holder, admin_a, tenant_a):
    from django.conf import settings

    from aitcore.celery import app
    from apps.insurance.tasks import renewals_build as task

    entry = settings.CELERY_BEAT_SCHEDULE["insurance-renewals-build"]
    assert entry["args"] == ["apps.insurance.tasks.renewals_build"] and task.name in app.tasks
    place(admin_a, holder, pcatalog["alfa"], number="JAN-1", start_date=date(2026, 2, 1))  # expires 31/01/2027
    assert task.apply().get() == {"schema": tenant_a.schema_name, "created": 1}
    assert task.apply().get()["created"] == 0
