from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.crm.models import Address, BankAccount, ContactPoint, Party
from tests.conftest import host_client


def _party(name, manager):
    return Party.objects.create(display_name=name, first_name=name.split()[0], last_name=name.split()[-1],
                                account_manager=manager)


def test_party_api_list_is_light_and_pinned(client_a, users_a):
    for i in range(3):
        _party(f"Otro {i:02d}", users_a["comercial"])
    url = "/api/v1/crm/parties/?search=Otro&ordering=display_name"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        client_a.get(url)
    for i in range(3, 40):
        _party(f"Otro {i:02d}", users_a["comercial"])
    with CaptureQueriesContext(connection) as many:
        body = client_a.get(url).json()
    assert body["count"] == 40 and body["results"][0]["display_name"] == "Otro 00"
    assert len(few) == len(many) == 7, [q["sql"][:80] for q in many.captured_queries]


def test_party_detail_carries_contacts_and_addresses(client_a, users_a):
    party = _party("Rosa Blanco", users_a["comercial"])
    ContactPoint.objects.create(party=party, kind="phone", value="+34 600 111 222", normalized="34600111222")
    Address.objects.create(party=party, street="Calle Feria 3", postal_code="41003", city="Sevilla", province="41")
    body = client_a.get(f"/api/v1/crm/parties/{party.pk}/").json()
    assert body["contacts"][0]["value"] == "+34 600 111 222" and body["addresses"][0]["province"] == "41"


def test_comercial_api_sees_only_its_clients(tenants, users_a):
    _party("Propio Uno", users_a["comercial"])
    foreign = _party("Ajeno Dos", users_a["direccion"])
    client = host_client(tenants.alfa_host, users_a["comercial"])
    names = [row["display_name"] for row in client.get("/api/v1/crm/parties/").json()["results"]]
    assert names == ["Propio Uno"]
    assert client.get(f"/api/v1/crm/parties/{foreign.pk}/").status_code == 404
    assert client.get("/api/v1/crm/parties/", {"search": "34600"}).status_code == 200


NEW_PARTY = {
    "kind": "person", "tax_id": "12345678Z", "first_name": "Elena", "last_name": "Soler", "second_last_name": "Mas",
    "birth_date": "1980-05-17", "tags": ["VIP"],
    "contacts": [{"kind": "email", "value": "Elena.Soler@Correo.es", "is_primary": True}],
    "addresses": [{"kind": "fiscal", "street": "Calle Colón 5", "postal_code": "46004", "city": "Valencia",
                   "province": "46", "is_primary": True}],
    "bank_accounts": [{"iban": "ES91 2100 0418 4502 0005 1332", "is_primary": True}],
}


def test_create_party_through_the_api_runs_the_service(client_a, admin_a):
    response = client_a.post("/api/v1/crm/parties/", NEW_PARTY, content_type="application/json",
                             HTTP_IDEMPOTENCY_KEY="alta-elena-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["display_name"] == "Elena Soler Mas" and body["tags"] == ["VIP"]
    assert body["bank_accounts"][0]["iban"] == "ES** **** **** **** **** 1332"  # masked unless ?reveal=1
    revealed = client_a.get(f"/api/v1/crm/parties/{body['id']}/?reveal=1").json()
    assert revealed["bank_accounts"][0]["iban"] == "ES9121000418450200051332"
    assert BankAccount.objects.get().iban == "ES9121000418450200051332"
    assert body["contacts"][0]["value"].lower() == "elena.soler@correo.es"
    again = client_a.post("/api/v1/crm/parties/", NEW_PARTY, content_type="application/json",
                          HTTP_IDEMPOTENCY_KEY="alta-elena-1")
    assert again.status_code == 201 and again.json()["id"] == body["id"] and Party.objects.count() == 1


def test_bad_rows_are_reported_per_field_and_nothing_is_saved(client_a):
    bad = {**NEW_PARTY, "addresses": [{**NEW_PARTY["addresses"][0], "province": "28"}],
           "bank_accounts": [{"iban": "ES00 2100 0418 4502 0005 1332"}]}
    response = client_a.post("/api/v1/crm/parties/", bad, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert "addresses-0-postal_code" in errors and "bank_accounts-0-iban" in errors
    assert not Party.objects.exists()


def test_duplicate_tax_id_and_stale_update(client_a):
    first = client_a.post("/api/v1/crm/parties/", NEW_PARTY, content_type="application/json").json()
    duplicate = client_a.post("/api/v1/crm/parties/", {**NEW_PARTY, "first_name": "Otra"}, content_type="application/json")
    assert duplicate.status_code == 400 and "tax_id" in duplicate.json()["errors"]
    url = f"/api/v1/crm/parties/{first['id']}/"
    ok = client_a.patch(url, {"profession": "Enfermera"}, content_type="application/json", HTTP_IF_MATCH="1")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client_a.patch(url, {"profession": "Médica"}, content_type="application/json", HTTP_IF_MATCH="1")
    assert stale.status_code == 409
    assert Party.objects.get(pk=first["id"]).profession == "Enfermera"


def test_pipeline_over_the_api(client_a, users_a):
    party = _party("Marta Gil", users_a["comercial"])
    created = client_a.post("/api/v1/crm/opportunities/", {
        "party": party.pk, "title": "Hogar Marta", "line_of_business": "hogar", "expected_premium": "420.50",
        "probability": 40, "owner": users_a["comercial"].pk}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    moved = client_a.post(f"/api/v1/crm/opportunities/{pk}/move/", {"stage": "proposal", "position": 0},
                          content_type="application/json")
    assert moved.status_code == 200 and moved.json()["stage"] == "proposal"
    refused = client_a.post(f"/api/v1/crm/opportunities/{pk}/close/", {"won": False}, content_type="application/json")
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    lost = client_a.post(f"/api/v1/crm/opportunities/{pk}/close/", {"won": False, "reason": "Precio"},
                         content_type="application/json")
    assert lost.json()["stage"] == "lost" and lost.json()["probability"] == 0
    activity = client_a.post("/api/v1/crm/activities/", {
        "kind": "call", "subject": "Llamar a Marta", "due_at": "2026-11-23T10:00:00+01:00",
        "owner": users_a["comercial"].pk, "party": party.pk}, content_type="application/json")
    assert activity.status_code == 201, activity.content
    done = client_a.post(f"/api/v1/crm/activities/{activity.json()['id']}/complete/")
    assert done.json()["done_at"] is not None
    lead = client_a.post("/api/v1/crm/leads/", {"name": "Pablo Ruiz", "email": "pablo@ejemplo.es", "source": "web"},
                         content_type="application/json")
    assert lead.status_code == 201 and lead.json()["status"] == "new"
