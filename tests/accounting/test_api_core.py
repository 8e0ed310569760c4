"""/api/v1/accounting/: accounts, account roles, fiscal years, periods, journals and entries."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounting.choices import EntryKind, EntryState, PeriodState
from apps.accounting.models import Account, AccountMapping, Entry, EntryLine, FiscalYear
from apps.accounting.services import LineSpec, entry_post
from tests.accounting.conftest import balance_of

D = Decimal
JSON = "application/json"
ENTRIES = "/api/v1/accounting/entries/"

FEE = {
    "date": "2026-03-15", "description": "Honorarios de asesoramiento", "journal": "VEN",
    "lines": [{"account": "4300", "debit": "1210.00"}, {"account": "705", "credit": "1000.00"},
              {"account": "477", "credit": "210.00", "tax": "IVA21", "tax_base": "1000.00"}],
}


def api_post(client, url, data, **extra):
    return client.post(url, data, content_type=JSON, **extra)


def post_fee(actor, day, description="Honorarios"):
    return entry_post(actor=actor, date=day, description=description, lines=[
        LineSpec("4300", debit="1210.00"), LineSpec("705", credit="1000.00"), LineSpec("477", credit="210.00")])


# --- Entries -------------------------------------------------------------------------------------

def test_create_entry_with_nested_lines_posts_it_with_a_number(client_a, year_2026, admin_a, day):
    first = post_fee(admin_a, day)
    response = api_post(client_a, ENTRIES, FEE, HTTP_IDEMPOTENCY_KEY="honorarios-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == EntryState.POSTED and body["number"] == first.number + 1
    assert body["journal"] == "VEN" and body["fiscal_year"] == "2026" and body["total"] == "1210.00"
    assert [(line["account"], line["debit"], line["credit"]) for line in body["lines"]] == [
        ("4300", "1210.00", "0.00"), ("705", "0.00", "1000.00"), ("477", "0.00", "210.00")]
    assert body["lines"][2]["tax"] == "IVA21" and body["lines"][2]["tax_base"] == "1000.00"
    replay = api_post(client_a, ENTRIES, FEE, HTTP_IDEMPOTENCY_KEY="honorarios-1")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Entry.objects.filter(description=FEE["description"]).count() == 1


def test_unbalanced_entry_is_a_400_problem_with_the_message(client_a, year_2026):
    before = Entry.objects.count()
    data = {**FEE, "lines": [{"account": "572", "debit": "100.01"}, {"account": "705", "credit": "100.00"}]}
    response = api_post(client_a, ENTRIES, data)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "unbalanced_entry"
    assert body["detail"] == "El asiento no cuadra: debe 100,01 €, haber 100,00 € (diferencia 0,01 €)."
    assert Entry.objects.count() == before


@pytest.mark.parametrize(("lines", "field", "message"), [
    ([{"account": "572", "debit": "10"}, {"account": "9999", "credit": "10"}], "lines.2.account", "9999 no existe"),
    ([{"account": "572", "debit": "10"}, {"account": "57", "credit": "10"}], "lines.2.account", "tiene subcuentas"),
    ([{"account": "572", "debit": "10"}, {"account": "705", "credit": "10", "party": 999999}], "lines.2.party",
     "tercero 999999 no existe"),
])
def test_bad_lines_name_the_line(client_a, year_2026, lines, field, message):
    response = api_post(client_a, ENTRIES, {**FEE, "lines": lines})
    assert response.status_code == 400
    body = response.json()
    assert message in body["detail"] and field in body["errors"]


def test_entry_into_a_closed_period_is_refused(client_a, year_2026):
    march = year_2026.periods.get(number=3)
    response = api_post(client_a, f"/api/v1/accounting/periods/{march.pk}/state/", {"state": "closed"})
    assert response.status_code == 200 and response.json()["state"] == PeriodState.CLOSED
    refused = api_post(client_a, ENTRIES, FEE)
    assert refused.status_code == 400 and refused.json()["code"] == "closed_period"
    assert "periodo 03/2026 está cerrado" in refused.json()["detail"]


def test_posted_entry_cannot_be_changed_or_deleted(client_a, year_2026, admin_a, day):
    entry = post_fee(admin_a, day)
    url = f"{ENTRIES}{entry.pk}/"
    for response in (client_a.put(url, FEE, content_type=JSON), client_a.patch(url, {"description": "x"},
                                                                              content_type=JSON),
                     client_a.delete(url)):
        assert response.status_code == 409
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "posted_entry_immutable"
        assert "no se modifica ni se borra, se anula" in response.json()["detail"]
    entry.refresh_from_db()
    assert entry.description == "Honorarios" and entry.lines.count() == 3


def test_draft_lifecycle_update_post_and_delete(client_a, year_2026):
    created = api_post(client_a, ENTRIES, {**FEE, "draft": True})
    assert created.status_code == 201 and created.json()["state"] == "draft" and created.json()["number"] is None
    url = f"{ENTRIES}{created.json()['id']}/"
    patched = client_a.patch(url, {"description": "Honorarios corregidos"}, content_type=JSON)
    assert patched.status_code == 200 and patched.json()["description"] == "Honorarios corregidos"
    assert len(patched.json()["lines"]) == 3
    put = client_a.put(url, {**FEE, "lines": [{"account": "572", "debit": "5"}, {"account": "705", "credit": "5"}]},
                       content_type=JSON)
    assert put.status_code == 200 and put.json()["total"] == "5.00"
    posted = api_post(client_a, f"{url}post/", {})
    assert posted.status_code == 200 and posted.json()["state"] == "posted" and posted.json()["number"]
    assert api_post(client_a, f"{url}post/", {}).status_code == 409
    other = api_post(client_a, ENTRIES, {**FEE, "draft": True}).json()
    assert client_a.delete(f"{ENTRIES}{other['id']}/").status_code == 204
    assert not Entry.objects.filter(pk=other["id"]).exists()


def test_reverse_action_posts_the_mirror(client_a, year_2026, admin_a, day):
    entry = post_fee(admin_a, day)
    response = api_post(client_a, f"{ENTRIES}{entry.pk}/reverse/", {"date": "2026-03-31"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == EntryKind.REVERSAL and body["reversal_of"] == entry.pk and body["date"] == "2026-03-31"
    assert balance_of("4300") == D("0.00")
    assert client_a.get(f"{ENTRIES}{entry.pk}/").json()["reversed_by"] == body["id"]
    again = api_post(client_a, f"{ENTRIES}{entry.pk}/reverse/", {})
    assert again.status_code == 400 and "ya está anulado" in again.json()["detail"]


def test_entry_list_filters_and_pinned_query_count(client_a, year_2026, admin_a, day):
    entry_post(actor=admin_a, date=datetime.date(2026, 4, 2), description="Alquiler oficina", journal="COM",
               lines=[LineSpec("621", debit="800"), LineSpec("572", credit="800")])
    post_fee(admin_a, day)
    url = f"{ENTRIES}?account=4300&state=posted"
    client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        client_a.get(url)
    for _i in range(10):
        post_fee(admin_a, day)
    with CaptureQueriesContext(connection) as many:
        body = client_a.get(url).json()
    assert body["count"] == 11 and {row["description"] for row in body["results"]} == {"Honorarios"}
    assert len(few) == len(many) == 7, [q["sql"][:80] for q in many.captured_queries]
    rows = client_a.get(ENTRIES, {"journal": "COM"}).json()["results"]
    assert [row["description"] for row in rows] == ["Alquiler oficina"]
    assert client_a.get(ENTRIES, {"amount": "800"}).json()["count"] == 1
    assert client_a.get(ENTRIES, {"date_from": "2026-04-01"}).json()["count"] == 1
    assert client_a.get(ENTRIES, {"search": "alquiler"}).json()["count"] == 1


# --- Chart, roles, periods -------------------------------------------------------------------------

def test_accounts_filtered_by_code_prefix_and_pinned(client_a, tenant_a):
    url = "/api/v1/accounting/accounts/?code=57"
    client_a.get(url)
    with CaptureQueriesContext(connection) as queries:
        body = client_a.get(url).json()
    codes = [row["code"] for row in body["results"]]
    assert codes[0] == "57" and "572" in codes and all(code.startswith("57") for code in codes)
    assert next(row for row in body["results"] if row["code"] == "572")["parent"] == "57"
    assert len(queries) == 7, [q["sql"][:80] for q in queries.captured_queries]
    postable = client_a.get("/api/v1/accounting/accounts/", {"code": "57", "is_postable": "true"}).json()
    assert "57" not in [row["code"] for row in postable["results"]]
    assert client_a.get("/api/v1/accounting/accounts/", {"search": "caja"}).json()["count"] >= 1


def test_create_account_through_the_api(client_a, tenant_a):
    response = api_post(client_a, "/api/v1/accounting/accounts/", {"code": "5720001", "name": "Banco Sabadell"})
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == "572" and response.json()["is_postable"] is True
    duplicate = api_post(client_a, "/api/v1/accounting/accounts/", {"code": "5720001", "name": "Otro"})
    assert duplicate.status_code == 400 and duplicate.json()["detail"] == "Ya existe la cuenta 5720001."
    orphan = api_post(client_a, "/api/v1/accounting/accounts/", {"code": "999", "name": "Nada"})
    assert orphan.status_code == 400 and "pueda depender" in orphan.json()["detail"]


def test_account_mappings_list_and_update(client_a, tenant_a):
    rows = client_a.get("/api/v1/accounting/account-mappings/").json()["results"]
    bank = next(row for row in rows if row["role"] == "bank")
    assert bank["account"] == "572" and bank["label"] == "Bancos"
    Account.objects.create(code="5720009", name="Banco nuevo", parent=Account.objects.get(code="572"))
    response = client_a.patch("/api/v1/accounting/account-mappings/bank/", {"account": "5720009"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["account"] == "5720009"
    assert AccountMapping.objects.get(role="bank").account.code == "5720009"
    missing = client_a.patch("/api/v1/accounting/account-mappings/bank/", {"account": "0000"}, content_type=JSON)
    assert missing.status_code == 400 and missing["Content-Type"] == "application/problem+json"


def test_fiscal_years_create_close_and_reopen(client_a, year_2026):
    listed = client_a.get("/api/v1/accounting/fiscal-years/").json()["results"]
    assert any(row["name"] == "2026" and len(row["periods"]) == 12 for row in listed)
    last = FiscalYear.objects.order_by("-end_date").first()
    start = last.end_date + datetime.timedelta(days=1)
    created = api_post(client_a, "/api/v1/accounting/fiscal-years/", {
        "name": f"E{start.year}", "start_date": start.isoformat(), "end_date": start.replace(month=12, day=31).isoformat()})
    assert created.status_code == 201, created.content
    assert len(created.json()["periods"]) == 12 - start.month + 1
    url = f"/api/v1/accounting/fiscal-years/{created.json()['id']}/"
    assert api_post(client_a, f"{url}close/", {}).json()["state"] == "closed"
    assert api_post(client_a, f"{url}lock/", {}).json()["state"] == "locked"
    assert api_post(client_a, f"{url}reopen/", {}).json()["state"] == "open"
    overlap = api_post(client_a, "/api/v1/accounting/fiscal-years/", {
        "name": "Otro", "start_date": start.isoformat(), "end_date": start.replace(month=12, day=31).isoformat()})
    assert overlap.status_code == 400 and "Se solapa" in overlap.json()["detail"]


def test_periods_list_filtered_by_year(client_a, year_2026):
    body = client_a.get("/api/v1/accounting/periods/", {"fiscal_year": year_2026.pk}).json()
    assert body["count"] == 12 and body["results"][0]["number"] == 12


def test_journals_are_read_only(client_a, tenant_a):
    body = client_a.get("/api/v1/accounting/journals/").json()
    assert [row["code"] for row in body["results"]][:3] == ["BAN", "CIE", "COB"]
    assert api_post(client_a, "/api/v1/accounting/journals/", {"code": "X", "name": "X"}).status_code == 405


def test_jwt_token_creates_entries(tenants, api_token_a, year_2026):
    from tests.conftest import host_client

    client = host_client(tenants.alfa_host)
    response = client.post(ENTRIES, FEE, content_type=JSON, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    assert response.status_code == 201 and response.json()["number"]
    assert EntryLine.objects.filter(entry_id=response.json()["id"]).count() == 3


def test_reversal_entries_only_through_the_reverse_action(client_a, year_2026):
    response = api_post(client_a, ENTRIES, {**FEE, "kind": "reversal"})
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    assert not Entry.objects.filter(description=FEE["description"]).exists()
