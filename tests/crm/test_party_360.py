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
    # 19 for the party and its CRM sections + 1 for the SEPA mandates panel (treasury) + 1 for the shared note
    # of the collaboration panel (comments and presence load after the page, over htmx and the socket)
    assert len(few) == len(many) == 21, [q["sql"][:80] for q in many.captured_queries]


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


def test_related_party_is_a_link_only_for_users_who_can_open_it(tenants, users_a):
    comercial = users_a["comercial"]
    mine = _party("Pilar Mora", comercial)
    spouse = _party("Jorge Vidal", users_a["direccion"])  # someone else's client
    child = _party("Nora Mora", comercial)
    PartyRelation.objects.create(from_party=mine, to_party=spouse, kind="spouse")
    PartyRelation.objects.create(from_party=child, to_party=mine, kind="child")
    client = host_client(tenants.alfa_host, comercial)
    page = client.get(f"/r/crm/party/{mine.pk}/").content.decode()
    assert "Jorge Vidal" in page and f'href="/r/crm/party/{spouse.pk}/"' not in page
    assert f'href="/r/crm/party/{child.pk}/"' in page
    assert client.get(f"/r/crm/party/{spouse.pk}/").status_code == 404  # what the link would have led to
    boss = host_client(tenants.alfa_host, users_a["direccion"]).get(f"/r/crm/party/{mine.pk}/").content.decode()
    assert f'href="/r/crm/party/{spouse.pk}/"' in boss and f'href="/r/crm/party/{child.pk}/"' in boss


def test_360_query_count_for_a_comercial_does_not_grow_with_relations(tenants, users_a):
    comercial = users_a["comercial"]
    small, big = _party("Ana Ruiz", comercial), _party("Luis Gil", comercial)
    for i in range(6):
        other = _party(f"Otra Persona{i}", users_a["direccion"] if i % 2 else comercial)
        PartyRelation.objects.create(from_party=big, to_party=other, kind="sibling")
    PartyRelation.objects.create(from_party=small, to_party=_party("Eva Sanz", users_a["direccion"]), kind="sibling")
    client = host_client(tenants.alfa_host, comercial)
    client.get(f"/r/crm/party/{small.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/r/crm/party/{small.pk}/")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/r/crm/party/{big.pk}/")
    assert len(few) == len(many), [q["sql"][:80] for q in many.captured_queries]


def test_360_data_card_shows_the_fields_of_the_party_kind(client_a, users_a):
    from datetime import date

    person = _party("Lucía Navarro", users_a["comercial"], birth_date=date(1980, 5, 17), gender="female",
                    profession="Enfermera")
    company = Party.objects.create(kind="company", company_name="Talleres Muñoz S.L.", trade_name="Talleres Muñoz",
                                   display_name="Talleres Muñoz S.L.", cnae="4520", tax_id="B86561412")

    def data_card(party):
        page = client_a.get(f"/r/crm/party/{party.pk}/").content.decode()
        return page[page.index('id="sec-data"'):page.index('id="sec-contact"')]

    shown = data_card(person)
    assert "Fecha de nacimiento" in shown and "17/05/1980" in shown and "Sexo" in shown and "Enfermera" in shown
    assert "Nombre comercial" not in shown and "Razón social" not in shown and "CNAE" not in shown
    shown = data_card(company)
    assert "Nombre comercial" in shown and "Talleres Muñoz" in shown and "CNAE" in shown and "4520" in shown
    assert "Fecha de nacimiento" not in shown and "Sexo" not in shown and "Profesión" not in shown


def test_360_highlights_overdue_activities(client_a, users_a):
    party = _party("Ana Ruiz", users_a["comercial"])
    Activity.objects.create(party=party, subject="Llamar ayer", owner=users_a["comercial"],
                            due_at=timezone.now() - timedelta(days=1))
    Activity.objects.create(party=party, subject="Llamar mañana", owner=users_a["comercial"],
                            due_at=timezone.now() + timedelta(days=1))
    Activity.objects.create(party=party, subject="Hecha ayer", owner=users_a["comercial"],
                            due_at=timezone.now() - timedelta(days=1), done_at=timezone.now())
    page = client_a.get(f"/r/crm/party/{party.pk}/").content.decode()
    assert page.count("app-overdue") == 1
    overdue = page[page.index("Llamar ayer"):]
    assert overdue.index("Vencida") < overdue.index("Llamar mañana")


def test_search_by_name_tax_id_or_contact_uses_each_index_and_shows_each_party_once(client_a, users_a):
    gema = _party("Gema Moreno", users_a["comercial"])
    for i in range(3):
        ContactPoint.objects.create(party=gema, kind="email", value=f"gema{i}@moreno.es", normalized=f"gema{i}@moreno.es")
    luis = _party("Luis Gil", users_a["comercial"], tax_id="12345678Z")
    ContactPoint.objects.create(party=luis, kind="phone", value="600 112 233", normalized="34600112233")
    _party("Ana Ruiz", users_a["comercial"])

    def found(q):
        with CaptureQueriesContext(connection) as queries:
            page = client_a.get("/r/crm/party/", {"q": q}).content.decode()
        table = page[page.index('id="record-table"'):]
        rows = [q["sql"] for q in queries.captured_queries if 'FROM "crm_party"' in q["sql"]]
        assert rows and not any("DISTINCT" in sql or 'JOIN "crm_contactpoint"' in sql for sql in rows), rows
        return sorted(name for name in ("Gema Moreno", "Luis Gil", "Ana Ruiz") for _ in range(table.count(name)))

    assert found("moreno") == ["Gema Moreno"]  # name and three e-mails: once
    assert found("5678z") == ["Luis Gil"]  # part of the NIF
    assert found("112233") == ["Luis Gil"]  # part of the phone
    assert found("mo") == ["Gema Moreno"]  # too short for trigrams: the plain OR, still once
    assert found("zzz") == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN "
                       "('crm_contact_norm_upper_trgm', 'crm_party_taxid_upper_trgm', 'crm_party_name_upper_trgm')")
        assert len(cursor.fetchall()) == 3


def test_360_in_english_translates_the_relations_button_and_overdue(client_a, users_a):
    from django.conf import settings

    party = _party("Ana Ruiz", users_a["comercial"])
    Activity.objects.create(party=party, subject="Llamar", owner=users_a["comercial"],
                            due_at=timezone.now() - timedelta(days=2))
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client_a.get(f"/r/crm/party/{party.pk}/").content.decode()
    assert "Manage" in page and "Gestionar" not in page
    assert "Overdue" in page and "Vencida" not in page
    assert 'data-live-label="Live"' in page


def test_sidebar_highlights_segments_and_campaigns_on_segment_pages(client_a):
    from apps.crm.models import Segment

    segment = Segment.objects.create(name="Clientes de Valencia")
    active = 'class="nav-link active" href="/crm/campanas/"'
    for url in ("/crm/segmentos/", "/crm/segmentos/nuevo/", f"/crm/segmentos/{segment.pk}/", "/crm/campanas/"):
        page = client_a.get(url).content.decode()
        assert active in page, url
        assert page.count('class="nav-link active"') == 1, url  # only that sidebar entry
    assert active not in client_a.get("/r/crm/party/").content.decode()
