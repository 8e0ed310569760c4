"""The search box on every page, the results page grouped by kind with counts and «ver más», the live
dropdown, the API, the admin; bad input (only symbols, 201 or 10,000 characters) answers 200 with nothing
and a gentle message. The results page's query count is pinned."""
import pytest
from django.core.management import call_command

from apps.crm.models import Party
from apps.search.models import SearchEntry
from apps.search.services.indexing import search_reindex
from tests.conftest import host_client


@pytest.fixture
def clients_named_ferrer(tenant_a):
    Party.objects.bulk_create([Party(kind="person", first_name="Joan", last_name=f"Ferrer {n}",
                                     display_name=f"Joan Ferrer {n}") for n in range(7)])
    Party.objects.create(kind="company", company_name="Ferretería Ferrer SL", display_name="Ferretería Ferrer SL")
    search_reindex(kinds=["party"])


def test_every_page_has_the_search_box_and_its_script(client_a):
    page = client_a.get("/").content.decode()
    assert 'id="app-search-input"' in page and 'hx-get="/buscar/sugerencias/"' in page
    assert "search/search.js" in page and "<script>" not in page  # CSP: no inline script
    assert 'aria-keyshortcuts="/ Control+K"' in page


def test_the_results_page_groups_by_kind_with_counts_and_more(client_a, clients_named_ferrer):
    page = client_a.get("/buscar/?q=ferrer").content.decode()
    assert "Clientes" in page and ">8</span>" in page
    assert page.count('class="list-group-item list-group-item-action') == 5
    assert "Ver más (8)" in page and "tipo=party" in page
    more = client_a.get("/buscar/?q=ferrer&tipo=party").content.decode()
    assert more.count('class="list-group-item list-group-item-action') == 8 and "Todos los tipos" in more


def test_the_dropdown_shows_a_few_hits_per_kind(client_a, clients_named_ferrer):
    response = client_a.get("/buscar/sugerencias/?q=ferrer", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.count('class="dropdown-item app-search-hit"') == 3
    assert 'href="/buscar/?q=ferrer"' in html and "Ver los 8 resultados" in html


@pytest.mark.parametrize("query, message", [
    ("!!! ¿? *** %%% @@@", "Escriba letras o números"),
    ("a" * 201, "demasiado larga"),
    ("Martínez " * 1112, "demasiado larga"),  # 10,008 characters
    ("'; DROP TABLE search_searchentry; --", "No hay resultados"),
])
def test_bad_input_answers_with_nothing_and_a_gentle_message(client_a, clients_named_ferrer, query, message):
    for url in ("/buscar/", "/buscar/sugerencias/"):
        response = client_a.get(url, {"q": query})
        assert response.status_code == 200 and message in response.content.decode()
        assert "Joan Ferrer" not in response.content.decode()
    api = client_a.get("/api/v1/search/", {"q": query})
    assert api.status_code == 200 and api.json()["groups"] == [] and message in api.json()["message"]
    assert SearchEntry.objects.filter(kind="party").count() == 8


def test_the_api_answers_grouped_hits(client_a, clients_named_ferrer):
    body = client_a.get("/api/v1/search/?q=ferreteria&kinds=party,unknown&per_kind=2").json()
    assert body["query"] == "ferreteria" and body["total"] == 1
    assert body["groups"][0]["kind"] == "party" and body["groups"][0]["label"] == "Clientes"
    hit = body["groups"][0]["hits"][0]
    assert hit["title"] == "Ferretería Ferrer SL" and hit["url"] == f"/r/crm/party/{hit['id']}/"
    assert client_a.post("/api/v1/search/?q=ferrer").status_code in (403, 405)


def test_the_results_page_runs_a_fixed_number_of_queries(client_a, tenants, users_a, clients_named_ferrer,
                                                         django_assert_num_queries):
    # tenant (search_path, domain, search_path), session, user, the search (every kind in one query), the bell
    with django_assert_num_queries(7):
        assert client_a.get("/buscar/?q=ferrer").status_code == 200
    with django_assert_num_queries(7):
        assert client_a.get("/buscar/?q=joan+ferrer&tipo=party&page=2").status_code == 200
    comercial = host_client(tenants.alfa_host, users_a["comercial"])
    # + the role's permissions (2), its own-only modules (apps.core.permissions.visible_to reads them once per
    # kind that has an owner rule: parties, policies, receipts, claims, and again for the documents on those
    # records and on quotes: apps.documents.access) and whether it is an employee (HR)
    with django_assert_num_queries(19):
        assert comercial.get("/buscar/?q=ferrer").status_code == 200


def test_the_admin_lists_the_index_read_only_and_reindexes(client_a, clients_named_ferrer):
    entry = SearchEntry.objects.filter(kind="party").first()
    SearchEntry.objects.filter(pk=entry.pk).update(title="Título viejo")
    assert client_a.get("/admin/search/searchentry/").status_code == 200
    assert client_a.get("/admin/search/searchentry/add/").status_code == 403
    response = client_a.post("/admin/search/searchentry/", {"action": "reindex", "_selected_action": [entry.pk]},
                             follow=True)
    assert "Índice reconstruido: party 8" in response.content.decode()
    assert SearchEntry.objects.filter(title="Título viejo").count() == 0


def test_the_reindex_command_rebuilds_each_brokerage(tenant_a, clients_named_ferrer, capsys):
    SearchEntry.objects.all().delete()
    call_command("reindex", "--schema", "alfa", "--kinds", "party")
    out = capsys.readouterr().out
    assert "alfa · party: 8/8" in out and "alfa: party 8" in out
    assert SearchEntry.objects.filter(kind="party").count() == 8


def test_the_reindex_command_refuses_an_unknown_kind_or_brokerage(tenant_a):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="desconocidos: naves"):
        call_command("reindex", "--schema", "alfa", "--kinds", "naves")
    with pytest.raises(CommandError, match="desconocida"):
        call_command("reindex", "--schema", "gamma")


def test_a_user_without_permissions_gets_an_empty_page(tenants, users_a, clients_named_ferrer):
    page = host_client(tenants.alfa_host, users_a["sistemas"]).get("/buscar/?q=ferrer")
    assert page.status_code == 200 and "Joan Ferrer" not in page.content.decode()
    assert "No hay resultados" in page.content.decode()
