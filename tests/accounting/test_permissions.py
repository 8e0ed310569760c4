"""Who reaches the books: Contabilidad manages them, Dirección sees and does everything, Comercial
and Cobros get 403 on pages and API. The admin never deletes a posted entry."""
import pytest

from apps.accounting.choices import EntryKind, EntryState
from apps.accounting.models import Entry
from apps.accounting.services import LineSpec, entry_post
from tests.conftest import host_client

PAGES = [
    "/contabilidad/plan-de-cuentas/", "/contabilidad/plan-de-cuentas/?q=572&saldos=1",
    "/contabilidad/plan-de-cuentas/572/", "/contabilidad/plan-de-cuentas/nueva/",
    "/contabilidad/plan-de-cuentas/572/baja/", "/contabilidad/cuentas-por-funcion/", "/contabilidad/ejercicios/",
    "/contabilidad/ejercicios/nuevo/", "/contabilidad/asientos/", "/contabilidad/asientos/nuevo/",
    "/contabilidad/asientos/{entry}/", "/contabilidad/asientos/{entry}/anular/",
    "/contabilidad/asientos/{draft}/editar/", "/contabilidad/asientos/{draft}/contabilizar/",
    "/contabilidad/asientos/{draft}/borrar/", "/r/accounting/journal/",
]
API = [
    "/api/v1/accounting/accounts/", "/api/v1/accounting/account-mappings/", "/api/v1/accounting/fiscal-years/",
    "/api/v1/accounting/periods/", "/api/v1/accounting/journals/", "/api/v1/accounting/entries/",
    "/api/v1/accounting/entries/{entry}/",
]
MENU_LABELS = ["Plan de cuentas", "Asientos", "Ejercicios y periodos", "Cuentas por función"]


@pytest.fixture
def entries(year_2026, admin_a, day):
    lines = [LineSpec("572", debit="100"), LineSpec("705", credit="100")]
    posted = entry_post(actor=admin_a, date=day, description="Cobro", lines=lines)
    draft = entry_post(actor=admin_a, date=day, description="Pendiente", lines=lines, draft=True)
    return {"entry": posted.pk, "draft": draft.pk}


def _client(tenants, users_a, role):
    return host_client(tenants.alfa_host, users_a[role])


@pytest.mark.parametrize("role", ["contabilidad", "direccion"])
def test_accounting_roles_reach_every_page_and_endpoint(tenants, users_a, entries, role):
    client = _client(tenants, users_a, role)
    for url in PAGES + API:
        assert client.get(url.format(**entries)).status_code == 200, url
    page = client.get("/contabilidad/asientos/").content.decode()
    for label in MENU_LABELS:
        assert label in page


@pytest.mark.parametrize("role", ["comercial", "cobros"])
def test_other_roles_get_403_on_pages_and_api(tenants, users_a, entries, role):
    client = _client(tenants, users_a, role)
    for url in PAGES + API:
        assert client.get(url.format(**entries)).status_code == 403, url
    assert client.post(f"/contabilidad/asientos/{entries['entry']}/anular/", {"date": "2026-03-20"}).status_code == 403
    assert client.post(f"/contabilidad/asientos/{entries['draft']}/borrar/").status_code == 403
    api = client.post("/api/v1/accounting/entries/", {"date": "2026-03-15", "description": "x", "lines": [
        {"account": "572", "debit": "1"}, {"account": "705", "credit": "1"}]}, content_type="application/json")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    assert client.delete(f"/api/v1/accounting/entries/{entries['draft']}/").status_code == 403
    assert Entry.objects.filter(pk=entries["draft"]).exists()
    assert not Entry.objects.filter(reversal_of_id=entries["entry"]).exists()
    dashboard = client.get("/").content.decode()
    for label in MENU_LABELS:
        assert label not in dashboard


def test_comercial_cannot_change_periods_or_roles(tenants, users_a, year_2026):
    client = _client(tenants, users_a, "comercial")
    march = year_2026.periods.get(number=3)
    assert client.post(f"/contabilidad/periodos/{march.pk}/closed/").status_code == 403
    assert client.post(f"/api/v1/accounting/periods/{march.pk}/state/", {"state": "closed"},
                       content_type="application/json").status_code == 403
    assert client.post("/contabilidad/cuentas-por-funcion/", {"role-bank": "570"}).status_code == 403
    march.refresh_from_db()
    assert march.state == "open"


def test_admin_never_deletes_a_posted_entry(client_a, entries, admin_a):
    assert admin_a.is_staff
    posted_url = f"/admin/accounting/entry/{entries['entry']}/change/"
    assert client_a.get(posted_url).status_code == 200
    assert client_a.get(posted_url.replace("change/", "delete/")).status_code == 403
    assert client_a.post(posted_url.replace("change/", "delete/"), {"post": "yes"}).status_code == 403
    assert Entry.objects.filter(pk=entries["entry"]).exists()
    changelist = client_a.get("/admin/accounting/entry/").content.decode()
    assert 'value="delete_selected"' not in changelist and 'value="reverse_entries"' in changelist
    client_a.post("/admin/accounting/entry/", {"action": "delete_drafts",
                                               "_selected_action": [entries["entry"], entries["draft"]]})
    assert Entry.objects.filter(pk=entries["entry"]).exists()
    assert not Entry.objects.filter(pk=entries["draft"]).exists()
    # a draft's own delete page works (through entry_draft_delete)
    other = entry_post(actor=admin_a, date=Entry.objects.get(pk=entries["entry"]).date, description="Otro",
                       draft=True, lines=[LineSpec("572", debit="1"), LineSpec("705", credit="1")])
    assert client_a.post(f"/admin/accounting/entry/{other.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Entry.objects.filter(pk=other.pk).exists()


def test_admin_action_reverses_posted_entries(client_a, entries):
    response = client_a.post("/admin/accounting/entry/", {"action": "reverse_entries",
                                                          "_selected_action": [entries["entry"]]}, follow=True)
    assert response.status_code == 200
    mirror = Entry.objects.get(reversal_of_id=entries["entry"])
    assert mirror.kind == EntryKind.REVERSAL and mirror.state == EntryState.POSTED
    again = client_a.post("/admin/accounting/entry/", {"action": "reverse_entries",
                                                       "_selected_action": [entries["entry"]]}, follow=True)
    assert "ya está anulado" in again.content.decode()
    assert Entry.objects.filter(reversal_of_id=entries["entry"]).count() == 1


@pytest.mark.parametrize("url", ["/admin/accounting/account/?q=572", "/admin/accounting/fiscalyear/",
                                 "/admin/accounting/journal/", "/admin/accounting/tax/",
                                 "/admin/accounting/accountmapping/", "/admin/accounting/period/"])
def test_admin_pages_render(client_a, year_2026, url):
    assert client_a.get(url).status_code == 200


def test_admin_fiscal_year_shows_its_periods(client_a, year_2026):
    html = client_a.get(f"/admin/accounting/fiscalyear/{year_2026.pk}/change/").content.decode()
    assert "2026-12-01" in html or "01/12/2026" in html or "1 de diciembre de 2026" in html
