"""Claims pages: the board (columns, counts, cards; pinned queries), the list (filters, search,
export, totals, pinned queries, capped count), the new claim page (policy picker, coverages as
choices, duplicate confirmation), the claim page (sections, pinned queries, overdue tasks, actions by
allowed transition only) and its commands, a Comercial sees only its clients' claims, the panels
on the policy and client pages, the admin."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.claims.models import Claim, ClaimDocument, ClaimPayment
from apps.claims.services.claims import claim_transition
from apps.claims.services.payments import claim_payment_add
from apps.claims.services.work import claim_task_add
from tests.claims.test_claim_support import (  # noqa: F401  (fixtures)
    D, comercial, date, holder, media, open_claim, other_holder, other_policy, pcatalog, pline, policy,
)
from tests.claims.test_claim_lifecycle import PDF, accepted_claim

BOARD, LIST = "/siniestros/", "/siniestros/lista/"
CAUSES = ["water", "fire", "theft", "glass", "weather", "other", "legal", "assistance"]


def many(admin, policy, n, start=0):
    return [open_claim(admin, policy, cause=CAUSES[i % len(CAUSES)], loss_date=date(2026, 4, 1 + i),
                       reported_date=date(2026, 5, 1 + i), description=f"Siniestro {i}") for i in range(start, start + n)]


def test_board_shows_open_columns_with_counts_and_cards(client_a, policy, admin_a):
    claims = many(admin_a, policy, 3)
    claim_transition(actor=admin_a, claim=claims[0], to_state="in_review")
    claim_transition(actor=admin_a, claim=claims[1], to_state="closed")
    html = client_a.get(BOARD).content.decode()
    for text in ('id="column-reported"', 'id="column-in_review"', 'id="column-accepted"', 'id="column-reopened"',
                 claims[0].number, claims[2].number, "Lucía Prieto Gómez", "POL-1", "?state=closed", 'id="new-claim"'):
        assert text in html, text
    assert claims[1].number not in html  # closed: counted, not on the board
    reported = html.split('id="column-reported"')[1].split("</section>")[0]
    assert '<span class="badge text-bg-light border js-count">1</span>' in reported and claims[2].number in reported


def test_board_queries_do_not_grow_with_claims(client_a, policy, admin_a, monkeypatch):
    from apps.claims import selectors

    monkeypatch.setattr(selectors, "BOARD_CARDS", 3)
    claim_transition(actor=admin_a, claim=many(admin_a, policy, 2)[0], to_state="in_review")
    client_a.get(BOARD)
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(BOARD).status_code == 200
    for claim in many(admin_a, policy, 8, start=2)[:3]:
        claim_transition(actor=admin_a, claim=claim, to_state="in_review")
    with CaptureQueriesContext(connection) as more:
        html = client_a.get(BOARD).content.decode()
    assert html.count("app-claim-card") == 6 and "Ver los 6" in html and "Ver los 4" in html
    assert len(more) == len(few) <= 14, [q["sql"][:120] for q in more.captured_queries]


def test_list_filters_search_export_and_totals(client_a, policy, other_policy, admin_a, users_a):
    own = accepted_claim(admin_a, policy, reserve="1000")
    claim_payment_add(actor=admin_a, claim=own, amount=D("250.50"), date=date(2026, 7, 1), payee="policyholder")
    other = open_claim(admin_a, other_policy, cause="theft", loss_date=date(2026, 9, 3), reported_date=date(2026, 9, 4),
                       reserve=D("300"), handler=users_a["siniestros"])
    html = client_a.get(LIST).content.decode()
    assert own.number in html and other.number in html and "1.300,00 €" in html and "250,50 €" in html
    assert "1.049,50 €" in html  # reserve left over the list

    def numbers(query):
        page = client_a.get(LIST + query)
        assert page.status_code == 200
        text = page.content.decode()
        return {n for n in (own.number, other.number) if f">{n}<" in text}

    assert numbers("?state=accepted") == {own.number}
    assert numbers(f"?insurer={other.insurer_id}") == {other.number}
    assert numbers(f"?line={policy.line.code}") == {own.number, other.number}
    assert numbers(f"?handler={users_a['siniestros'].pk}") == {other.number}
    assert numbers("?cause=theft") == {other.number}
    assert numbers("?loss_from=2026-09-01&loss_to=2026-09-30") == {other.number}
    assert numbers("?q=OTRA") == {other.number}
    assert numbers("?q=Prieto") == {own.number}
    assert numbers(f"?q={own.number}") == {own.number}
    assert numbers(f"?policy={policy.pk}") == {own.number}
    assert numbers("?o=-reserve") == {own.number, other.number}
    filtered = client_a.get(LIST + "?cause=theft").content.decode()
    assert "300,00 €" in filtered and "1.300,00 €" not in filtered
    export = client_a.get(LIST + "?export=csv&state=accepted")
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert own.number in content and other.number not in content and "250,50" in content
    assert client_a.get(LIST + "?export=xlsx").status_code == 200


def test_list_queries_are_pinned_and_count_capped(client_a, policy, admin_a, monkeypatch):
    from apps.claims.views import _common

    many(admin_a, policy, 2)
    url = LIST + f"?state=reported&insurer={policy.insurer_id}&o=-loss_date"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        client_a.get(url)
    many(admin_a, policy, 6, start=2)
    with CaptureQueriesContext(connection) as more:
        assert client_a.get(url).status_code == 200
    assert len(more) == len(few) <= 16, [q["sql"][:120] for q in more.captured_queries]
    monkeypatch.setattr(_common, "COUNT_CAP", 5)
    assert "Más de 5 registros" in client_a.get(LIST).content.decode()


def test_new_claim_picks_a_policy_then_its_coverages(client_a, policy, admin_a):
    page = client_a.get("/siniestros/nuevo/?q=POL").content.decode()
    assert f'href="?policy={policy.pk}"' in page
    form = client_a.get(f"/siniestros/nuevo/?policy={policy.pk}").content.decode()
    assert '<option value="damage">Daños</option>' in form and "Responsabilidad civil" in form
    data = {"loss_date": "2026-06-10", "reported_date": "2026-06-11", "cause": "water", "coverage_code": "damage",
            "description": "Fuga de agua", "reserve": "800", "tp_name": "Vecino del 3º", "tp_role": "injured"}
    response = client_a.post(f"/siniestros/nuevo/?policy={policy.pk}", data)
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/siniestros/{claim.pk}/"
    assert (claim.reserve, claim.third_parties.get().name) == (D("800.00"), "Vecino del 3º")
    again = client_a.post(f"/siniestros/nuevo/?policy={policy.pk}", data)
    html = again.content.decode()
    assert again.status_code == 400 and f"Posible duplicado: el siniestro {claim.number}" in html
    assert 'id="duplicate-confirm"' in html and Claim.objects.count() == 1
    confirmed = client_a.post(f"/siniestros/nuevo/?policy={policy.pk}", {**data, "allow_duplicate": "on"})
    assert confirmed.status_code == 302
    second = Claim.objects.exclude(pk=claim.pk).get()
    assert second.duplicate_of == claim
    assert 'id="duplicate-warning"' in client_a.get(f"/siniestros/{second.pk}/").content.decode()
    late = client_a.post(f"/siniestros/nuevo/?policy={policy.pk}", {**data, "loss_date": "2026-03-01",
                                                                    "reported_date": "2026-03-02"})
    assert "es anterior al efecto de la póliza (15/03/2026)" in late.content.decode()


def test_claim_page_sections_and_pinned_queries(client_a, policy, admin_a, users_a, media):
    from apps.claims.services.work import claim_document_add

    claim = accepted_claim(admin_a, policy, reserve="1000")
    url = f"/siniestros/{claim.pk}/"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        client_a.get(url)
    for n in range(3):
        claim_payment_add(actor=admin_a, claim=claim, amount=D("100"), date=date(2026, 7, 1 + n), payee="repairer")
        claim_task_add(actor=admin_a, claim=claim, title=f"Tarea {n}", due_date=date(2026, 1, 10 + n))
        claim_document_add(actor=admin_a, claim=claim, file=SimpleUploadedFile(f"p{n}.pdf", PDF))
    with CaptureQueriesContext(connection) as more:
        response = client_a.get(url)
    assert len(more) == len(few) <= 30, [q["sql"][:120] for q in more.captured_queries]
    html = response.content.decode()
    for text in (claim.number, "Aceptado", "POL-1", "Daños", "Fuga de agua en la cocina", "Historial de la reserva",
                 "1.000,00 €", "300,00 €", 'id="claim-left"', "700,00 €", "Tarea 0", "app-task-overdue", "vencida",
                 "p0.pdf", "Historial de estados", "Actividad", 'id="to-paid"', 'id="to-closed"', 'id="payment-form"'):
        assert text in html, text
    assert 'id="to-rejected"' not in html and 'id="to-reopened"' not in html  # not allowed from «accepted»


def test_commands_call_their_services(client_a, policy, admin_a, media):
    claim = open_claim(admin_a, policy, reserve=D("500"))
    url = f"/siniestros/{claim.pk}/"
    client_a.post(url + "estado/", {"to_state": "in_review"})
    assert Claim.objects.get(pk=claim.pk).state == "in_review"
    refused = client_a.post(url + "estado/", {"to_state": "closed"}, follow=True).content.decode()
    assert "no puede pasar a «Cerrado»" in refused
    client_a.post(url + "estado/", {"to_state": "accepted"})
    over = client_a.post(url + "pagos/", {"amount": "600", "date": "2026-07-01", "payee": "policyholder"}, follow=True)
    assert "supera la reserva" in over.content.decode() and not ClaimPayment.objects.exists()
    client_a.post(url + "pagos/", {"amount": "600", "date": "2026-07-01", "payee": "policyholder",
                                   "approve_over_reserve": "on"})
    assert Claim.objects.get(pk=claim.pk).paid_total == D("600.00")
    client_a.post(url + "reserva/", {"amount": "650", "reason": "Informe pericial"})
    assert Claim.objects.get(pk=claim.pk).reserve == D("650.00")
    client_a.post(url + "tareas/", {"title": "Pedir fotos", "due_date": "2026-12-20"})
    task = claim.tasks.get()
    client_a.post(url + f"tareas/{task.pk}/hecha/")
    assert claim.tasks.get().done_at is not None
    client_a.post(url + "terceros/", {"role": "witness", "name": "Ana Gil"})
    party = claim.third_parties.get()
    client_a.post(url + f"terceros/{party.pk}/quitar/")
    assert not claim.third_parties.exists()
    client_a.post(url + "documentos/", {"file": SimpleUploadedFile("parte.pdf", PDF), "description": "Parte"})
    document = ClaimDocument.objects.get()
    download = client_a.get(url + f"documentos/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    bad = client_a.post(url + "documentos/", {"file": SimpleUploadedFile("x.pdf", b"hola")}, follow=True)
    assert "Tipo de archivo no admitido" in bad.content.decode() and ClaimDocument.objects.count() == 1
    client_a.post(url + "modificar/", {"description": "Fuga en la cocina y el salón", "adjuster_name": "Luis Perito",
                                       "version": Claim.objects.get(pk=claim.pk).version})
    assert Claim.objects.get(pk=claim.pk).adjuster_name == "Luis Perito"


def test_comercial_sees_only_its_clients_claims(comercial, policy, other_policy, admin_a):
    own = open_claim(admin_a, policy)  # Lucía's manager is the Comercial
    other = open_claim(admin_a, other_policy, description="Robo")
    board = comercial.get(BOARD).content.decode()
    assert own.number in board and other.number not in board
    listing = comercial.get(LIST).content.decode()
    assert own.number in listing and other.number not in listing
    assert comercial.get(f"/siniestros/{own.pk}/").status_code == 200
    assert comercial.get(f"/siniestros/{other.pk}/").status_code == 404
    assert comercial.post(f"/siniestros/{other.pk}/estado/", {"to_state": "in_review"}).status_code == 404
    assert comercial.get(f"/siniestros/nuevo/?policy={other_policy.pk}").status_code == 404
    export = b"".join(comercial.get(LIST + "?export=csv").streaming_content).decode("utf-8-sig")
    assert own.number in export and other.number not in export
    assert Claim.objects.get(pk=other.pk).state == "reported"


def test_roles_without_claim_permissions(tenants, users_a, policy, admin_a):
    from tests.conftest import host_client

    claim = open_claim(admin_a, policy)
    assert host_client(tenants.alfa_host, users_a["rrhh"]).get(BOARD).status_code == 403
    viewer = host_client(tenants.alfa_host, users_a["contabilidad"])
    assert viewer.get(f"/siniestros/{claim.pk}/").status_code == 403


def test_policy_and_client_pages_show_their_claims(client_a, comercial, policy, other_policy, admin_a, holder):
    claim = open_claim(admin_a, policy)
    page = client_a.get(f"/seguros/polizas/{policy.pk}/").content.decode()
    assert 'id="record-claims"' in page and f'hx-get="/siniestros/poliza/{policy.pk}/"' in page
    assert f'href="/siniestros/nuevo/?policy={policy.pk}"' in page
    assert claim.number in client_a.get(f"/siniestros/poliza/{policy.pk}/").content.decode()
    party_page = client_a.get(f"/r/crm/party/{holder.pk}/").content.decode()
    assert f'hx-get="/siniestros/cliente/{holder.pk}/"' in party_page
    assert claim.number in client_a.get(f"/siniestros/cliente/{holder.pk}/").content.decode()
    assert comercial.get(f"/siniestros/cliente/{other_policy.policyholder_id}/").status_code == 404
    assert comercial.get(f"/siniestros/poliza/{other_policy.pk}/").status_code == 404


def test_admin_lists_claims_and_runs_actions(client_a, policy, admin_a):
    claim = open_claim(admin_a, policy)
    task = claim_task_add(actor=admin_a, claim=claim, title="Pedir parte", due_date=date(2026, 6, 20))
    assert client_a.get("/admin/claims/claim/").status_code == 200
    assert client_a.get(f"/admin/claims/claim/{claim.pk}/change/").status_code == 200
    assert client_a.get("/admin/claims/claimtask/").status_code == 200
    client_a.post("/admin/claims/claim/", {"action": "to_in_review", "_selected_action": [claim.pk]})
    assert Claim.objects.get(pk=claim.pk).state == "in_review"
    client_a.post("/admin/claims/claimtask/", {"action": "mark_done", "_selected_action": [task.pk]})
    assert claim.tasks.get().done_at is not None
