from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.crm.models import Address, ContactPoint, Party
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
