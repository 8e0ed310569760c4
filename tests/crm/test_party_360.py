"""The client 360° page and the client list: content, permissions and pinned query counts."""
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.crm.models import Activity, Address, Consent, ContactPoint, Opportunity, Party, PartyRelation, Tag
from tests.conftest import host_client


def _party(name, manager, **extra):
    first, last = name.split(" ", 1)
    return Party.objects.create(display_name=name, first_name=first, last_name=last, account_manager=manager, **extra)


def _fill(party, owner, n):
    for i in range(n):
        ContactPoint.objects.create(party=party, kind="email", value=f"c{i}@example.es", normalized=f"c{i}@example.es")
        Address.objects.create(party=party, street=f"Calle Mayor {i}", postal_code="46001", city="Valencia", province="46")
        other = _party(f"Pariente {i}", owner)
        PartyRelation.objects.create(from_party=other, to_party=party, kind="child")
        Opportunity.objects.create(party=party, title=f"Hogar {i}", line_of_business="hogar",
                                   expected_premium=Decimal("350.00"), owner=owner)
        Activity.objects.create(party=party, subject=f"Llamar {i}", owner=owner,
                                due_at=timezone.now() + timedelta(days=i))
        party.tags.add(Tag.objects.get_or_create(name=f"etiqueta {i}")[0])
    Consent.objects.create(party=party, purpose="marketing", granted_at=timezone.now(), channel="email",
                           evidence="Casilla web")


def test_360_page_shows_everything_about_the_party(client_a, users_a):
    party = _party("Lucía Navarro", users_a["comercial"], tax_id="12345678Z")
    _fill(party, users_a["comercial"], 2)
    page = client_a.get(f"/r/crm/party/{party.pk}/").content.decode()
    for text in ("Lucía Navarro", "12345678Z", "c1@example.es", "Calle Mayor 1", "Pariente 0", "Hogar 1",
                 "Llamar 0", "Comunicaciones comerciales", "etiqueta 1", "Historial"):
        assert text in page, text


def test_360_query_count_does_not_grow_with_related_rows(client_a, users_a):
    small = _party("Ana Ruiz", users_a["comercial"])
    big = _party("Luis Gil", users_a["comercial"])
    _fill(small, users_a["comercial"], 1)
    _fill(big, users_a["comercial"], 12)
    client_a.get(f"/r/crm/party/{small.pk}/")
    with CaptureQueriesContext(connection) as few:
        client_a.get(f"/r/crm/party/{small.pk}/")
    with CaptureQueriesContext(connection) as many:
        client_a.get(f"/r/crm/party/{big.pk}/")
    assert len(few) == len(many) == 19, [q["sql"][:80] for q in many.captured_queries]


def test_comercial_sees_only_its_own_clients(tenants, users_a):
    mine = _party("Pilar Mora", users_a["comercial"])
    other = _party("Jorge Vidal", users_a["direccion"])
    client = host_client(tenants.alfa_host, users_a["comercial"])
    listing = client.get("/r/crm/party/").content.decode()
    assert "Pilar Mora" in listing and "Jorge Vidal" not in listing
    assert client.get(f"/r/crm/party/{other.pk}/").status_code == 404
    assert client.get(f"/r/crm/party/{mine.pk}/").status_code == 200
    boss = host_client(tenants.alfa_host, users_a["direccion"])
    assert "Jorge Vidal" in boss.get("/r/crm/party/").content.decode()


def test_client_list_query_count_is_pinned(client_a, users_a):
    for i in range(3):
        _party(f"Cliente {i}", users_a["comercial"])
    client_a.get("/r/crm/party/")
    with CaptureQueriesContext(connection) as few:
        client_a.get("/r/crm/party/")
    for i in range(30):
        _party(f"Otro {i}", users_a["comercial"])
    with CaptureQueriesContext(connection) as many:
        client_a.get("/r/crm/party/")
    assert len(few) == len(many) == 10, [q["sql"][:80] for q in many.captured_queries]


def test_search_through_contacts_shows_each_party_once(client_a, users_a):
    party = _party("Gema Moreno", users_a["comercial"])
    for i in range(3):
        ContactPoint.objects.create(party=party, kind="email", value=f"gema{i}@moreno.es", normalized=f"gema{i}@moreno.es")
    page = client_a.get("/r/crm/party/", {"q": "moreno"}).content.decode()
    table = page[page.index('id="record-table"'):]
    assert table.count("Gema Moreno") == 1 and "1 registro" in table
