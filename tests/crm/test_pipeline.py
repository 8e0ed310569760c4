"""Leads and the opportunity pipeline: kanban moves, permission rules, closing, conversion,
funnel numbers, lists and the board's pinned query count."""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEvent
from apps.core.errors import DomainError
from apps.crm.models import ContactPoint, Lead, Opportunity, Party
from apps.crm.selectors_pipeline import funnel
from apps.crm.services.pipeline import (
    lead_convert, lead_create, normalize_phone, opportunity_close, opportunity_create, opportunity_move,
)
from tests.conftest import host_client


def _party(name, manager, **extra):
    first, last = name.split(" ", 1)
    return Party.objects.create(display_name=name, first_name=first, last_name=last, kind="person",
                                account_manager=manager, **extra)


def _opp(party, owner, title, stage="new", position=0, premium="100.00", probability=20, **extra):
    return Opportunity.objects.create(party=party, owner=owner, title=title, line_of_business="hogar", stage=stage,
                                      position=position, expected_premium=Decimal(premium), probability=probability,
                                      **extra)


def _column(stage):
    return list(Opportunity.objects.filter(stage=stage).order_by("position", "-created_at", "-pk")
                .values_list("title", "position"))


def _board_column_html(page: str, stage: str) -> str:
    start = page.index(f'data-stage="{stage}" data-label=')
    ends = [page.find(marker, start) for marker in ("js-column-wrap", "</section>")]
    return page[start:min(end for end in ends if end != -1)]


@pytest.fixture
def comercial(users_a):
    return users_a["comercial"]


@pytest.fixture
def comercial_client(tenants, comercial):
    return host_client(tenants.alfa_host, comercial)


@pytest.fixture
def board(comercial):
    """Three cards in "Nueva" (A, B, C) and two in "Propuesta enviada" (D, E), all the Comercial's."""
    party = _party("Ana Ruiz", comercial)
    cards = {}
    for i, title in enumerate("ABC"):
        cards[title] = _opp(party, comercial, f"Hogar {title}", "new", i)
    for i, title in enumerate("DE"):
        cards[title] = _opp(party, comercial, f"Hogar {title}", "proposal", i)
    return cards


# --- Kanban move ----------------------------------------------------------------------------

def test_kanban_move_persists(comercial_client, board, comercial):
    b = board["B"]
    response = comercial_client.post(f"/crm/oportunidades/{b.pk}/mover/",
                                     {"stage": "proposal", "position": 0, "version": b.version},
                                     content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] and body["stage"] == "proposal" and body["position"] == 0 and body["version"] == b.version + 1
    assert body["columns"]["new"] == {"count": 2, "total": "200,00 €"}
    assert body["columns"]["proposal"] == {"count": 3, "total": "300,00 €"}

    b.refresh_from_db()
    assert (b.stage, b.position) == ("proposal", 0)
    assert _column("new") == [("Hogar A", 0), ("Hogar C", 1)]  # compacted: no gap where B was
    assert _column("proposal") == [("Hogar B", 0), ("Hogar D", 1), ("Hogar E", 2)]

    page = comercial_client.get("/crm/oportunidades/").content.decode()
    proposal = _board_column_html(page, "proposal")
    assert f'data-id="{b.pk}"' in proposal
    assert proposal.index(f'data-id="{b.pk}"') < proposal.index(f'data-id="{board["D"].pk}"')
    assert f'data-id="{b.pk}"' not in _board_column_html(page, "new")

    event = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Opportunity),
                                      object_id=str(b.pk), action="update").first()
    assert event is not None and event.actor_id == comercial.pk
    assert event.changes["stage"] == ["new", "proposal"]


def test_kanban_reorders_within_a_column(comercial_client, board):
    c = board["C"]
    response = comercial_client.post(f"/crm/oportunidades/{c.pk}/mover/", {"stage": "new", "position": 0},
                                     content_type="application/json")
    assert response.status_code == 200, response.content
    assert _column("new") == [("Hogar C", 0), ("Hogar A", 1), ("Hogar B", 2)]
    assert _column("proposal") == [("Hogar D", 0), ("Hogar E", 1)]


def test_position_counts_only_the_cards_the_comercial_sees(comercial, users_a):
    """Other owners' cards are hidden from a Comercial; the drop lands between the cards it sees."""
    boss = users_a["direccion"]
    party = _party("Luis Gil", comercial)
    x = _opp(party, boss, "X", "new", 0)
    a = _opp(party, comercial, "A", "new", 1)
    y = _opp(party, boss, "Y", "new", 2)
    b = _opp(party, comercial, "B", "new", 3)
    c = _opp(party, comercial, "C", "proposal", 0)
    opportunity_move(actor=comercial, opportunity=c, stage="new", position=1)  # between A and B as it sees them
    assert [t for t, _p in _column("new")] == ["X", "A", "Y", "C", "B"]
    assert [p for _t, p in _column("new")] == [0, 1, 2, 3, 4]
    assert {x.pk, y.pk, a.pk, b.pk} <= set(Opportunity.objects.values_list("pk", flat=True))


def test_moving_another_owners_opportunity_is_404(comercial_client, users_a):
    theirs = _opp(_party("Jorge Vidal", users_a["direccion"]), users_a["direccion"], "Ajena")
    response = comercial_client.post(f"/crm/oportunidades/{theirs.pk}/mover/", {"stage": "proposal", "position": 0},
                                     content_type="application/json")
    assert response.status_code == 404
    assert comercial_client.post(f"/crm/oportunidades/{theirs.pk}/mover/", {"stage": "proposal"}).status_code == 404
    assert comercial_client.post(f"/crm/oportunidades/{theirs.pk}/cerrar/", {"outcome": "won"},
                                 content_type="application/json").status_code == 404
    assert comercial_client.get(f"/crm/oportunidades/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.stage == "new"


def test_direccion_sees_and_moves_everyones(tenants, users_a, comercial):
    mine = _opp(_party("Pilar Mora", comercial), comercial, "De la comercial")
    boss = host_client(tenants.alfa_host, users_a["direccion"])
    assert "De la comercial" in boss.get("/crm/oportunidades/").content.decode()
    response = boss.post(f"/crm/oportunidades/{mine.pk}/mover/", {"stage": "qualified", "position": 0},
                         content_type="application/json")
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.stage == "qualified"


def test_comercial_sees_only_its_own_on_board_list_and_leads(comercial_client, comercial, users_a):
    boss = users_a["direccion"]
    _opp(_party("Pilar Mora", comercial), comercial, "Mía")
    _opp(_party("Jorge Vidal", boss), boss, "Ajena")
    Lead.objects.create(name="Contacto mío", email="m@example.es", owner=comercial)
    Lead.objects.create(name="Contacto ajeno", email="a@example.es", owner=boss)
    board_page = comercial_client.get("/crm/oportunidades/").content.decode()
    list_page = comercial_client.get("/crm/oportunidades/lista/").content.decode()
    leads_page = comercial_client.get("/crm/contactos-comerciales/").content.decode()
    assert "Mía" in board_page and "Ajena" not in board_page
    assert "Mía" in list_page and "Ajena" not in list_page
    assert "Contacto mío" in leads_page and "Contacto ajeno" not in leads_page


def test_read_only_role_cannot_move(tenants, users_a, board):
    reader = host_client(tenants.alfa_host, users_a["contabilidad"])  # crm: view
    page = reader.get("/crm/oportunidades/")
    assert page.status_code == 200 and 'draggable="true"' not in page.content.decode()
    response = reader.post(f"/crm/oportunidades/{board['A'].pk}/mover/", {"stage": "proposal", "position": 0},
                           content_type="application/json")
    assert response.status_code == 403
    assert host_client(tenants.alfa_host, users_a["rrhh"]).get("/crm/oportunidades/").status_code == 403


def test_move_to_won_or_lost_needs_the_close_dialog(comercial_client, board):
    a = board["A"]
    response = comercial_client.post(f"/crm/oportunidades/{a.pk}/mover/", {"stage": "won", "position": 0},
                                     content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "close_required" and "Cerrar" in response.json()["error"]
    # Without JavaScript the stage select posts a form: it is sent to the won/lost page instead.
    response = comercial_client.post(f"/crm/oportunidades/{a.pk}/mover/", {"stage": "lost"})
    assert response.status_code == 302 and response["Location"].endswith(f"/crm/oportunidades/{a.pk}/cerrar/?outcome=lost")
    a.refresh_from_db()
    assert a.stage == "new"


def test_move_with_stale_version_is_refused(comercial_client, board):
    a = board["A"]
    response = comercial_client.post(f"/crm/oportunidades/{a.pk}/mover/",
                                     {"stage": "qualified", "position": 0, "version": a.version + 5},
                                     content_type="application/json")
    assert response.status_code == 409 and "modificó" in response.json()["error"]


def test_stage_select_fallback_moves_to_the_end(comercial_client, board):
    a = board["A"]
    response = comercial_client.post(f"/crm/oportunidades/{a.pk}/mover/", {"stage": "proposal", "version": a.version})
    assert response.status_code == 302
    assert _column("proposal") == [("Hogar D", 0), ("Hogar E", 1), ("Hogar A", 2)]
    assert _column("new") == [("Hogar B", 0), ("Hogar C", 1)]


# --- Won / lost ------------------------------------------------------------------------------

def test_closing_lost_without_reason_is_400_with_a_clear_message(comercial_client, board):
    a = board["A"]
    response = comercial_client.post(f"/crm/oportunidades/{a.pk}/cerrar/", {"outcome": "lost", "reason": " "},
                                     content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["lost_reason"] == ["Indique el motivo por el que se perdió la oportunidad."]
    page = comercial_client.post(f"/crm/oportunidades/{a.pk}/cerrar/", {"outcome": "lost", "reason": ""})
    assert page.status_code == 400
    assert "Indique el motivo por el que se perdió la oportunidad." in page.content.decode()
    a.refresh_from_db()
    assert a.stage == "new" and a.closed_at is None


def test_closing_lost_and_won(comercial_client, board):
    a, b = board["A"], board["B"]
    response = comercial_client.post(f"/crm/oportunidades/{a.pk}/cerrar/",
                                     {"outcome": "lost", "reason": "Precio: se queda con su compañía"},
                                     content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["columns"]["lost"]["count"] == 1
    a.refresh_from_db()
    assert (a.stage, a.probability, a.lost_reason) == ("lost", 0, "Precio: se queda con su compañía")
    assert a.closed_at is not None
    assert _column("new") == [("Hogar B", 0), ("Hogar C", 1)]

    response = comercial_client.post(f"/crm/oportunidades/{b.pk}/cerrar/", {"outcome": "won", "reason": ""})
    assert response.status_code == 302
    b.refresh_from_db()
    assert (b.stage, b.probability, b.lost_reason) == ("won", 100, "")
    # Closing twice is refused; dragging back to an open stage reopens it.
    with pytest.raises(DomainError):
        opportunity_close(actor=None, opportunity=b, won=False, reason="x")
    page = comercial_client.get("/crm/oportunidades/").content.decode()
    assert f'data-id="{a.pk}"' in _board_column_html(page, "lost")
    assert f'data-id="{b.pk}"' in _board_column_html(page, "won")
    response = comercial_client.post(f"/crm/oportunidades/{a.pk}/mover/", {"stage": "negotiation", "position": 0},
                                     content_type="application/json")
    assert response.status_code == 200
    a.refresh_from_db()
    assert (a.stage, a.closed_at, a.lost_reason, a.probability) == ("negotiation", None, "", 75)


# --- Leads -----------------------------------------------------------------------------------

def test_lead_conversion_creates_party_and_opportunity_once(comercial):
    lead = lead_create(actor=comercial, data={"name": "Ana Ruiz García", "email": " Ana.Ruiz@Example.ES ",
                                              "phone": "612 34 56 78", "source": "web"})
    assert lead.owner == comercial and lead.status == "new"
    result = lead_convert(actor=comercial, lead=lead, opportunity_data={
        "line_of_business": "autos", "expected_premium": Decimal("450.00"), "probability": 40,
        "close_date": date(2026, 12, 31),
    })
    party, opportunity = result.party, result.opportunity
    assert result.party_created
    assert (party.display_name, party.first_name, party.last_name, party.second_last_name) == (
        "Ana Ruiz García", "Ana", "Ruiz", "García")
    assert party.kind == "person" and party.status == "prospect" and party.account_manager == comercial
    assert sorted(ContactPoint.objects.filter(party=party).values_list("kind", "normalized")) == [
        ("email", "ana.ruiz@example.es"), ("phone", "34612345678")]
    assert (opportunity.party, opportunity.lead, opportunity.stage, opportunity.owner) == (party, lead, "new", comercial)
    assert opportunity.expected_premium == Decimal("450.00") and opportunity.title == "Ana Ruiz García"
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.converted_party == party
    with pytest.raises(DomainError) as exc:
        lead_convert(actor=comercial, lead=lead, opportunity_data={"line_of_business": "autos"})
    assert "no se puede convertir dos veces" in exc.value.message
    assert Party.objects.filter(display_name="Ana Ruiz García").count() == 1
    assert Opportunity.objects.filter(lead=lead).count() == 1


def test_lead_convert_page_links_an_existing_party_and_refuses_twice(comercial_client, comercial):
    existing = _party("Marta Soler", comercial)
    ContactPoint.objects.create(party=existing, kind="email", value="marta@example.es", normalized="marta@example.es")
    lead = Lead.objects.create(name="Marta Soler", email="MARTA@example.es", owner=comercial)
    page = comercial_client.get(f"/crm/contactos-comerciales/{lead.pk}/convertir/").content.decode()
    assert "Ya hay clientes con el mismo correo" in page and "Marta Soler" in page
    data = {"mode": "existing", "party": existing.pk, "title": "Salud familiar", "line_of_business": "salud",
            "expected_premium": "1.234,56", "probability": 60, "close_date": ""}
    response = comercial_client.post(f"/crm/contactos-comerciales/{lead.pk}/convertir/", data)
    assert response.status_code == 302, response.content.decode()
    opportunity = Opportunity.objects.get(lead=lead)
    assert opportunity.party == existing and opportunity.expected_premium == Decimal("1234.56")
    assert Party.objects.filter(display_name="Marta Soler").count() == 1
    again = comercial_client.post(f"/crm/contactos-comerciales/{lead.pk}/convertir/", data)
    assert again.status_code == 409 and "no se puede convertir dos veces" in again.content.decode()


def test_lead_rules_and_pages(comercial_client, comercial, users_a):
    with pytest.raises(ValidationError) as exc:
        lead_create(actor=comercial, data={"name": "Sin datos", "source": "web"})
    assert "email" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        lead_create(actor=comercial, data={"name": "X", "email": "x@example.es", "source": "campaign"})
    assert "campaign" in exc.value.message_dict
    assert normalize_phone("+34 612 34 56 78") == normalize_phone("0034612345678") == "34612345678"

    response = comercial_client.post("/crm/contactos-comerciales/nuevo/", {
        "name": "Pedro Gómez", "phone": "699 000 111", "source": "referral", "status": "new",
        "owner": users_a["direccion"].pk,  # a Comercial can only assign to itself
    })
    assert response.status_code == 400
    response = comercial_client.post("/crm/contactos-comerciales/nuevo/", {
        "name": "Pedro Gómez", "phone": "699 000 111", "source": "referral", "status": "new", "owner": comercial.pk,
    })
    assert response.status_code == 302
    lead = Lead.objects.get(name="Pedro Gómez")
    assert lead.owner == comercial
    listing = comercial_client.get("/crm/contactos-comerciales/?source=referral&q=pedro").content.decode()
    assert "Pedro Gómez" in listing
    assert "Pedro Gómez" not in comercial_client.get("/crm/contactos-comerciales/?source=web").content.decode()
    csv = comercial_client.get("/crm/contactos-comerciales/?export=csv")
    assert "Pedro Gómez" in b"".join(csv.streaming_content).decode("utf-8-sig")


# --- Opportunities: creation, list, funnel ----------------------------------------------------

def test_opportunity_create_appends_to_new_and_validates_money(comercial_client, comercial, board):
    party = Party.objects.get(display_name="Ana Ruiz")
    response = comercial_client.post("/crm/oportunidades/nueva/", {
        "party": party.pk, "title": "Vida riesgo", "line_of_business": "vida", "expected_premium": "1.234,56",
        "probability": 30, "close_date": "2026-06-30", "owner": comercial.pk,
    })
    assert response.status_code == 302, response.content.decode()
    created = Opportunity.objects.get(title="Vida riesgo")
    assert (created.stage, created.position, created.expected_premium) == ("new", 3, Decimal("1234.56"))
    with pytest.raises(ValidationError) as exc:
        opportunity_create(actor=comercial, data={"party": party, "title": "Mal", "line_of_business": "vida",
                                                  "expected_premium": Decimal("-1")})
    assert exc.value.message_dict["expected_premium"] == ["La prima prevista no puede ser negativa."]


def test_funnel_numbers(comercial_client, comercial):
    party = _party("Ana Ruiz", comercial)
    _opp(party, comercial, "P1", "proposal", 0, premium="1000.00", probability=50)
    _opp(party, comercial, "P2", "proposal", 1, premium="2000.00", probability=25)
    _opp(party, comercial, "N1", "new", 0, premium="333.33", probability=10)
    _opp(party, comercial, "W1", "won", 0, premium="9999.00", probability=100)
    rows = {row.stage: row for row in funnel(comercial)}
    assert list(rows) == ["new", "qualified", "proposal", "negotiation"]
    assert (rows["proposal"].count, rows["proposal"].total, rows["proposal"].weighted) == (
        2, Decimal("3000.00"), Decimal("1000.00"))
    assert (rows["new"].count, rows["new"].weighted) == (1, Decimal("33.33"))
    assert rows["qualified"].count == 0 and rows["qualified"].total == Decimal("0.00")
    page = comercial_client.get("/crm/oportunidades/embudo/").content.decode()
    row = re.search(r'<tr data-stage="proposal">.*?</tr>', page, re.S).group(0)
    assert ">2<" in row and "3.000,00 €" in row and "1.000,00 €" in row
    assert 'id="funnel-data"' in page and '"weighted": ["33.33", "0.00", "1000.00", "0.00"]' in page


def test_opportunity_list_filters_sorts_and_exports(comercial_client, comercial):
    party = _party("Ana Ruiz", comercial)
    _opp(party, comercial, "Barato", "new", 0, premium="100.00")
    _opp(party, comercial, "Caro", "proposal", 0, premium="5000.00")
    page = comercial_client.get("/crm/oportunidades/lista/?stage=proposal").content.decode()
    assert "Caro" in page and "Barato" not in page and "5.000,00 €" in page
    page = comercial_client.get("/crm/oportunidades/lista/?o=-expected_premium").content.decode()
    assert page.index("Caro") < page.index("Barato")
    csv = b"".join(comercial_client.get("/crm/oportunidades/lista/?export=csv").streaming_content).decode("utf-8-sig")
    assert "Caro" in csv and "5000,00" in csv
    xlsx = comercial_client.get("/crm/oportunidades/lista/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_board_query_count_is_pinned(comercial_client, comercial, users_a):
    party = _party("Ana Ruiz", comercial)
    stages = ["new", "qualified", "proposal", "negotiation", "won"]

    def add(n, offset):
        for i in range(n):
            stage = stages[i % len(stages)]
            _opp(party, comercial, f"Op {offset + i}", stage, i,
                 **({"closed_at": "2099-01-01T00:00:00Z"} if stage == "won" else {}))

    add(5, 0)
    comercial_client.get("/crm/oportunidades/")
    with CaptureQueriesContext(connection) as few:
        page = comercial_client.get("/crm/oportunidades/")
    assert page.content.decode().count('app-board-card js-card"') == 5
    add(20, 5)
    with CaptureQueriesContext(connection) as many:
        page = comercial_client.get("/crm/oportunidades/")
    assert page.content.decode().count('app-board-card js-card"') == 25
    assert len(few) == len(many), [q["sql"][:100] for q in many.captured_queries]
    assert len(many) == 10, [q["sql"][:150] for q in many.captured_queries]


def test_pages_render_for_a_comercial(comercial_client, comercial, board):
    party = Party.objects.get(display_name="Ana Ruiz")
    lead = Lead.objects.create(name="Luis Gil", phone="600111222", owner=comercial)
    a = board["A"]
    for url in ["/crm/contactos-comerciales/", "/crm/contactos-comerciales/nuevo/",
                f"/crm/contactos-comerciales/{lead.pk}/", f"/crm/contactos-comerciales/{lead.pk}/convertir/",
                "/crm/oportunidades/lista/", "/crm/oportunidades/embudo/", f"/crm/oportunidades/nueva/?party={party.pk}",
                f"/crm/oportunidades/{a.pk}/", f"/crm/oportunidades/{a.pk}/cerrar/?outcome=lost", "/crm/mi-dia/"]:
        response = comercial_client.get(url)
        assert response.status_code == 200, url
    options = comercial_client.get("/crm/oportunidades/clientes/?q=ruiz").content.decode()
    assert f'<option value="{party.pk}">Ana Ruiz</option>' in options
    create = comercial_client.get(f"/crm/oportunidades/nueva/?party={party.pk}").content.decode()
    assert f'<option value="{party.pk}" selected>Ana Ruiz</option>' in create


def test_move_endpoint_rejects_bad_input_with_json(comercial_client, board):
    url = f"/crm/oportunidades/{board['A'].pk}/mover/"
    bad_json = comercial_client.post(url, "{no es json", content_type="application/json")
    assert bad_json.status_code == 400 and bad_json.json()["ok"] is False
    unknown = comercial_client.post(url, {"stage": "archivada", "position": 0, "version": "x"},
                                    content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "invalid_stage"
    assert comercial_client.get(url).status_code == 405
