import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from apps.accounting.choices import EntryKind, FiscalYearState, PeriodState
from apps.accounting.errors import AccountingError, ClosedPeriodError
from apps.accounting.models import EntryLine, FiscalYear
from apps.accounting.services import LineSpec, entry_post, party_subaccount, period_set_state
from apps.accounting.services.year_end import year_end_close, year_end_preview, year_end_reopen
from apps.crm.services.parties import party_create

D = Decimal
DEC31 = datetime.date(2026, 12, 31)
JAN1 = datetime.date(2027, 1, 1)


def year_balance(code: str, year: FiscalYear, *, party=None) -> Decimal:
    lines = EntryLine.objects.filter(account__code__startswith=code, is_posted=True,
                                     date__gte=year.start_date, date__lte=year.end_date)
    if party is not None:
        lines = lines.filter(party=party)
    totals = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (totals["d"] or D(0)) - (totals["c"] or D(0))


def all_balances(year: FiscalYear) -> dict:
    rows = (EntryLine.objects.filter(is_posted=True, date__gte=year.start_date, date__lte=year.end_date)
            .values_list("account__code", "party_id").annotate(d=Sum("debit"), c=Sum("credit")))
    return {(code, party): d - c for code, party, d, c in rows if d != c}


@pytest.fixture
def parties(admin_a):
    client = party_create(actor=admin_a, data={"kind": "company", "company_name": "Talleres Norte SL"})
    insurer = party_create(actor=admin_a, data={"kind": "company", "company_name": "Aseguradora Sur SA"})
    return client, insurer


@pytest.fixture
def books_2026(year_2026, admin_a, parties):
    """Income 705 10.000, expenses 640 6.000 and 626 500; a client and an insurer subaccount."""
    client, insurer = parties
    client_account = party_subaccount(actor=admin_a, party=client, base_code="4300")
    insurer_account = party_subaccount(actor=admin_a, party=insurer, base_code="4400")
    day = datetime.date(2026, 3, 15)
    entry_post(actor=admin_a, date=day, description="Comisiones", lines=[
        LineSpec(insurer_account, debit="8000.00"), LineSpec(client_account, debit="2000.00"),
        LineSpec("705", credit="10000.00")])
    entry_post(actor=admin_a, date=day, description="Cobro aseguradora", lines=[
        LineSpec("572", debit="5000.00"), LineSpec(insurer_account, credit="5000.00")])
    entry_post(actor=admin_a, date=datetime.date(2026, 6, 30), description="Nóminas", lines=[
        LineSpec("640", debit="6000.00"), LineSpec("572", credit="6000.00")])
    entry_post(actor=admin_a, date=datetime.date(2026, 7, 1), description="Comisiones bancarias", lines=[
        LineSpec("626", debit="500.00"), LineSpec("572", credit="500.00")])
    return {"year": year_2026, "client": client, "insurer": insurer, "client_account": client_account,
            "insurer_account": insurer_account}


def test_regularisation_moves_groups_6_and_7_to_129(books_2026, admin_a):
    year = books_2026["year"]
    preview = year_end_preview(fiscal_year=year)
    assert (preview["income"], preview["expenses"], preview["result"]) == (D("10000.00"), D("6500.00"),
                                                                          D("3500.00"))
    assert preview["result_accounts"] == 3 and preview["can_close"] and not preview["can_reopen"]

    done = year_end_close(actor=admin_a, fiscal_year=year)

    assert done["result"] == D("3500.00")
    regularisation = done["regularisation"]
    assert regularisation.kind == EntryKind.REGULARISATION and regularisation.journal.code == "CIE"
    assert regularisation.date == DEC31
    assert sorted(regularisation.lines.values_list("account__code", "debit", "credit")) == [
        ("129", D("0.00"), D("3500.00")), ("626", D("0.00"), D("500.00")), ("640", D("0.00"), D("6000.00")),
        ("705", D("10000.00"), D("0.00"))]
    for group in ("6", "7"):
        assert year_balance(group, year) == 0
    # Before the closing entry 129 held the credit result: closing then cancels it.
    closing_129 = done["closing"].lines.get(account__code="129")
    assert (closing_129.debit, closing_129.credit) == (D("3500.00"), D("0.00"))


def test_closing_leaves_every_account_of_the_year_at_zero(books_2026, admin_a):
    year = books_2026["year"]
    done = year_end_close(actor=admin_a, fiscal_year=year)
    assert done["closing"].kind == EntryKind.CLOSING and done["closing"].date == DEC31
    assert all_balances(year) == {}
    year.refresh_from_db()
    assert year.state == FiscalYearState.CLOSED


def test_opening_restores_balances_per_account_and_party(books_2026, admin_a):
    year = books_2026["year"]
    before = all_balances(year)
    assert before[(books_2026["insurer_account"].code, books_2026["insurer"].pk)] == D("3000.00")
    done = year_end_close(actor=admin_a, fiscal_year=year)
    next_year = done["next_year"]
    assert next_year.name == "2027" and next_year.start_date == JAN1
    opening = done["opening"]
    assert opening.kind == EntryKind.OPENING and opening.date == JAN1 and opening.fiscal_year == next_year
    expected = {key: value for key, value in before.items() if key[0][:1] in "12345"}
    expected[("129", None)] = D("-3500.00")
    assert all_balances(next_year) == expected
    assert year_balance("4400", next_year, party=books_2026["insurer"]) == D("3000.00")
    assert year_balance("4300", next_year, party=books_2026["client"]) == D("2000.00")
    assert year_balance("572", next_year) == D("-1500.00")


def test_posting_into_the_closed_year_is_refused(books_2026, admin_a):
    year_end_close(actor=admin_a, fiscal_year=books_2026["year"])
    with pytest.raises(ClosedPeriodError, match="2026 está cerrado"):
        entry_post(actor=admin_a, date=datetime.date(2026, 12, 20), description="Tarde", lines=[
            LineSpec("626", debit="1.00"), LineSpec("572", credit="1.00")])
    with pytest.raises(AccountingError, match="ya está cerrado"):
        year_end_close(actor=admin_a, fiscal_year=books_2026["year"])


def test_reopen_is_refused_once_the_new_year_has_entries(books_2026, admin_a):
    year = books_2026["year"]
    year_end_close(actor=admin_a, fiscal_year=year)
    entry_post(actor=admin_a, date=datetime.date(2027, 1, 10), description="Enero", lines=[
        LineSpec("626", debit="10.00"), LineSpec("572", credit="10.00")])
    assert not year_end_preview(fiscal_year=year)["can_reopen"]
    with pytest.raises(AccountingError, match="2027 ya tiene 1 asientos"):
        year_end_reopen(actor=admin_a, fiscal_year=year)
    year.refresh_from_db()
    assert year.state == FiscalYearState.CLOSED


def test_reopen_reverses_the_three_entries_and_restores_balances(books_2026, admin_a):
    year = books_2026["year"]
    before = all_balances(year)
    done = year_end_close(actor=admin_a, fiscal_year=year)
    assert year_end_preview(fiscal_year=year)["can_reopen"]

    reversals = year_end_reopen(actor=admin_a, fiscal_year=year)

    assert [r.reversal_of for r in reversals] == [done["opening"], done["closing"], done["regularisation"]]
    year.refresh_from_db()
    assert year.state == FiscalYearState.OPEN
    assert all_balances(year) == before
    assert all_balances(done["next_year"]) == {}
    # The year can be closed again, and undone again.
    again = year_end_close(actor=admin_a, fiscal_year=year)
    assert again["result"] == D("3500.00") and all_balances(year) == {}
    year_end_reopen(actor=admin_a, fiscal_year=year)
    assert all_balances(year) == before


def test_close_posts_even_if_december_is_closed_and_restores_its_state(books_2026, admin_a):
    year = books_2026["year"]
    december = year.periods.get(number=12)
    period_set_state(actor=admin_a, period=december, state=PeriodState.CLOSED)
    done = year_end_close(actor=admin_a, fiscal_year=year)
    assert done["closing"].date == DEC31
    december.refresh_from_db()
    assert december.state == PeriodState.CLOSED


def test_close_refused_with_drafts_and_nothing_written(books_2026, admin_a):
    year = books_2026["year"]
    entry_post(actor=admin_a, date=datetime.date(2026, 5, 5), description="Pendiente", draft=True, lines=[
        LineSpec("626", debit="10.00"), LineSpec("572", credit="10.00")])
    entries = year.entries.count()
    with pytest.raises(AccountingError, match="borrador"):
        year_end_close(actor=admin_a, fiscal_year=year)
    assert year.entries.count() == entries
    assert not FiscalYear.objects.filter(name="2027").exists()


def test_loss_goes_to_the_debit_of_129(year_2026, admin_a):
    entry_post(actor=admin_a, date=datetime.date(2026, 2, 1), description="Gasto", lines=[
        LineSpec("629", debit="800.00"), LineSpec("572", credit="800.00")])
    entry_post(actor=admin_a, date=datetime.date(2026, 2, 1), description="Ingreso", lines=[
        LineSpec("572", debit="300.00"), LineSpec("705", credit="300.00")])
    done = year_end_close(actor=admin_a, fiscal_year=year_2026)
    assert done["result"] == D("-500.00")
    line = done["regularisation"].lines.get(account__code="129")
    assert (line.debit, line.credit) == (D("500.00"), D("0.00"))
    assert year_balance("129", done["next_year"]) == D("500.00")


# --- page and API -------------------------------------------------------------------------------

def _client(tenants, users_a, role="contabilidad"):
    from tests.conftest import host_client

    return host_client(tenants.alfa_host, users_a[role])


def test_closing_page_previews_closes_and_undoes(books_2026, tenants, users_a):
    client = _client(tenants, users_a)
    year = books_2026["year"]
    page = client.get(f"/contabilidad/cierre/?year={year.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cierre del ejercicio" in html and "3.500,00 €" in html and "Cerrar el ejercicio" in html
    confirm = client.get(f"/contabilidad/cierre/{year.pk}/cerrar/")
    assert confirm.status_code == 200 and "beneficio de 3.500,00 €" in confirm.content.decode()
    done = client.post(f"/contabilidad/cierre/{year.pk}/cerrar/", follow=True)
    assert "Ejercicio cerrado con un beneficio de 3.500,00 €" in done.content.decode()
    year.refresh_from_db()
    assert year.state == FiscalYearState.CLOSED
    assert "Deshacer cierre" in done.content.decode()
    undone = client.post(f"/contabilidad/cierre/{year.pk}/deshacer/", follow=True)
    assert "deshecho: 3 asientos anulados" in undone.content.decode()
    year.refresh_from_db()
    assert year.state == FiscalYearState.OPEN


def test_closing_page_query_count_does_not_grow_with_years(year_2026, tenants, users_a, admin_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.accounting.services import fiscal_year_create

    client = _client(tenants, users_a)
    url = f"/contabilidad/cierre/?year={year_2026.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for year in (2030, 2031, 2032):
        fiscal_year_create(actor=admin_a, name=str(year), start_date=datetime.date(year, 1, 1),
                           end_date=datetime.date(year, 12, 31))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_comercial_gets_403_on_closing_pages_and_api(year_2026, tenants, users_a):
    client = _client(tenants, users_a, "comercial")
    assert client.get("/contabilidad/cierre/").status_code == 403
    assert client.post(f"/contabilidad/cierre/{year_2026.pk}/cerrar/").status_code == 403
    assert client.get("/api/v1/accounting/year-end/").status_code == 403
    assert client.post(f"/api/v1/accounting/year-end/{year_2026.pk}/close/").status_code == 403
    year_2026.refresh_from_db()
    assert year_2026.state == FiscalYearState.OPEN


def test_api_lists_previews_closes_and_reopens(books_2026, tenants, api_token_a):
    from django.test import Client

    client = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    year = books_2026["year"]
    listing = client.get("/api/v1/accounting/year-end/")
    assert listing.status_code == 200
    row = next(r for r in listing.json()["results"] if r["id"] == year.pk)
    assert row["is_closed"] is False and row["state"] == "open"
    detail = client.get(f"/api/v1/accounting/year-end/{year.pk}/").json()
    assert detail["preview"]["result"] == "3500.00" and detail["preview"]["can_close"] is True
    closed = client.post(f"/api/v1/accounting/year-end/{year.pk}/close/")
    assert closed.status_code == 201, closed.content
    body = closed.json()
    assert body["result"] == "3500.00" and body["next_year"] == "2027"
    assert [e["kind"] for e in body["entries"]] == ["regularisation", "closing", "opening"]
    again = client.post(f"/api/v1/accounting/year-end/{year.pk}/close/")
    assert again.status_code == 400 and "ya está cerrado" in again.json()["detail"]
    row = next(r for r in client.get("/api/v1/accounting/year-end/").json()["results"] if r["id"] == year.pk)
    assert row["is_closed"] is True and row["state"] == "closed"
    reopened = client.post(f"/api/v1/accounting/year-end/{year.pk}/reopen/")
    assert reopened.status_code == 201
    assert [e["kind"] for e in reopened.json()["entries"]] == ["reversal"] * 3
