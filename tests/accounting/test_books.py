"""Libro diario, Libro mayor and Balance de sumas y saldos: selectors with known numbers, pages
(permissions, exports, constant query counts) and API."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounting.errors import AccountingError
from apps.accounting.selectors_books import journal_book, ledger, trial_balance
from apps.accounting.services import LineSpec, entry_post, fiscal_year_for_calendar_year, party_subaccount
from apps.crm.services.parties import party_create
from tests.conftest import host_client

D = Decimal
d = datetime.date


@pytest.fixture
def accountant(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["contabilidad"])


@pytest.fixture
def salesperson(tenants, users_a):
    return host_client(tenants.alfa_host, users_a["comercial"])


def post(actor, day, description, *lines, **kwargs):
    return entry_post(actor=actor, date=day, description=description,
                      lines=[LineSpec(code, debit=debit, credit=credit, **extra) for code, debit, credit, *rest
                             in lines for extra in [rest[0] if rest else {}]], **kwargs)


@pytest.fixture
def books(year_2026, admin_a):
    """Capital paid in 2025, then three bank movements in 2026 (known running balance)."""
    fiscal_year_for_calendar_year(actor=admin_a, year=2025)
    post(admin_a, d(2025, 12, 10), "Aportación de capital", ("572", "1000.00", "0"), ("100", "0", "1000.00"))
    post(admin_a, d(2026, 1, 5), "Honorarios cobrados", ("572", "500.00", "0"), ("705", "0", "500.00"))
    post(admin_a, d(2026, 2, 1), "Servicios pagados", ("629", "200.00", "0"), ("572", "0", "200.00"))
    post(admin_a, d(2026, 3, 1), "Cobro de cliente", ("572", "300.00", "0"), ("4300", "0", "300.00"))


# --- Libro mayor ---------------------------------------------------------------------------------

def test_ledger_opening_and_running_balance_with_known_numbers(books):
    book = ledger(account="572", date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))
    assert book["account"] == {"code": "572", "name": book["account"]["name"]}
    assert book["opening"] == D("1000.00")
    assert [(r["date"], r["debit"], r["credit"], r["balance"]) for r in book["rows"]] == [
        (d(2026, 1, 5), D("500.00"), D("0.00"), D("1500.00")),
        (d(2026, 2, 1), D("0.00"), D("200.00"), D("1300.00")),
        (d(2026, 3, 1), D("300.00"), D("0.00"), D("1600.00")),
    ]
    assert book["totals"] == {"debit": D("800.00"), "credit": D("200.00"), "count": 3}
    assert book["closing"] == D("1600.00")


def test_ledger_opening_counts_every_posted_line_before_the_period(books):
    book = ledger(account="572", date_from=d(2026, 2, 1), date_to=d(2026, 2, 28))
    assert book["opening"] == D("1500.00")
    assert [r["balance"] for r in book["rows"]] == [D("1300.00")]
    assert book["closing"] == D("1300.00")


def test_ledger_pages_carry_the_running_balance(books):
    first = ledger(account="572", date_from=d(2026, 1, 1), date_to=d(2026, 12, 31), page_size=2)
    second = ledger(account="572", date_from=d(2026, 1, 1), date_to=d(2026, 12, 31), page=2, page_size=2)
    assert first["has_next"] and not second["has_next"] and second["has_previous"]
    assert [r["balance"] for r in first["rows"]] == [D("1500.00"), D("1300.00")]
    assert second["page_opening"] == D("1300.00")
    assert [r["balance"] for r in second["rows"]] == [D("1600.00")]


def test_ledger_orders_lines_of_one_day_by_entry_number(books, admin_a):
    late = post(admin_a, d(2026, 4, 1), "Segundo", ("572", "10.00", "0"), ("705", "0", "10.00"))
    early = post(admin_a, d(2026, 4, 1), "Tercero", ("629", "4.00", "0"), ("572", "0", "4.00"))
    rows = ledger(account="572", date_from=d(2026, 4, 1), date_to=d(2026, 4, 1))["rows"]
    assert [r["entry_number"] for r in rows] == [late.number, early.number]
    assert [r["balance"] for r in rows] == [D("1610.00"), D("1606.00")]


def test_ledger_of_a_prefix_takes_every_subaccount(books, admin_a):
    rows = ledger(account="57", date_from=d(2025, 1, 1), date_to=d(2026, 12, 31))["rows"]
    assert {r["account_code"] for r in rows} == {"572"} and len(rows) == 4
    several = ledger(accounts=["629", "705"], date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))
    assert several["account"] is None and several["closing"] == D("-300.00")


def test_ledger_per_party_across_accounts_and_per_party_subaccount(year_2026, admin_a):
    client = party_create(actor=admin_a, data={"kind": "company", "company_name": "Talleres Norte SL",
                                               "tax_id": "B12345674"})
    other = party_create(actor=admin_a, data={"kind": "person", "first_name": "Ana", "last_name": "Ruiz",
                                              "tax_id": "12345678Z"})
    sub = party_subaccount(actor=admin_a, party=client, base_code="4300")
    other_sub = party_subaccount(actor=admin_a, party=other, base_code="4300")
    post(admin_a, d(2026, 5, 1), "Factura 1", (sub.code, "121.00", "0"), ("705", "0", "100.00", {"party": client}),
         ("477", "0", "21.00"))
    post(admin_a, d(2026, 5, 2), "Factura otra", (other_sub.code, "50.00", "0"), ("705", "0", "50.00"))
    post(admin_a, d(2026, 5, 20), "Cobro", ("572", "121.00", "0"), (sub.code, "0", "121.00"))
    by_party = ledger(party=client, date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))
    assert by_party["party"]["name"] == "Talleres Norte SL"
    assert [(r["account_code"], r["balance"]) for r in by_party["rows"]] == [
        (sub.code, D("121.00")), ("705", D("21.00")), (sub.code, D("-100.00"))]
    by_subaccount = ledger(account=sub.code, date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))
    assert [r["balance"] for r in by_subaccount["rows"]] == [D("121.00"), D("0.00")]
    assert by_subaccount["account"]["code"] == sub.code
    assert ledger(party=client.pk, account="4300", date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))["closing"] == 0


def test_ledger_refuses_unknown_accounts_and_reversed_periods(books):
    with pytest.raises(AccountingError, match="No existe ninguna cuenta con el código 999"):
        ledger(account="999", date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))
    with pytest.raises(AccountingError, match="no puede ser posterior"):
        ledger(account="572", date_from=d(2026, 2, 1), date_to=d(2026, 1, 1))


def test_ledger_runs_three_queries_whatever_the_number_of_lines(books, admin_a, django_assert_num_queries):
    with django_assert_num_queries(3):
        ledger(account="572", date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))
    for day in range(1, 28):
        post(admin_a, d(2026, 6, day), "Cobro", ("572", "1.00", "0"), ("705", "0", "1.00"))
    with django_assert_num_queries(3):
        book = ledger(account="572", date_from=d(2026, 1, 1), date_to=d(2026, 12, 31), page_size=10)
    assert book["has_next"] and book["totals"]["count"] == 30


# --- Libro diario --------------------------------------------------------------------------------

def test_journal_book_lists_entries_in_number_order_with_lines_and_totals(books, django_assert_num_queries):
    with django_assert_num_queries(4):
        book = journal_book(date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))
    assert [e["description"] for e in book["rows"]] == ["Honorarios cobrados", "Servicios pagados", "Cobro de cliente"]
    numbers = [e["number"] for e in book["rows"]]
    assert numbers == sorted(numbers) and book["rows"][0]["reference"].endswith(f"/{numbers[0]}")
    assert [(line["account_code"], line["debit"], line["credit"]) for line in book["rows"][1]["lines"]] == [
        ("629", D("200.00"), D("0.00")), ("572", D("0.00"), D("200.00"))]
    assert book["totals"] == {"debit": D("1000.00"), "credit": D("1000.00"), "entries": 3}
    page = journal_book(date_from=d(2025, 1, 1), date_to=d(2026, 12, 31), page=2, page_size=3)
    assert [e["description"] for e in page["rows"]] == ["Cobro de cliente"]
    assert page["totals"]["entries"] == 4 and not page["has_next"]


# --- Balance de sumas y saldos ------------------------------------------------------------------

def test_trial_balance_opening_movements_and_closing_per_account(books):
    tb = trial_balance(date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))
    rows = {r["code"]: r for r in tb["rows"]}
    assert set(rows) == {"100", "4300", "572", "629", "705"}
    assert (rows["572"]["opening"], rows["572"]["debit"], rows["572"]["credit"], rows["572"]["closing_debit"]) == (
        D("1000.00"), D("800.00"), D("200.00"), D("1600.00"))
    assert rows["100"]["opening"] == D("-1000.00") and rows["100"]["closing_credit"] == D("1000.00")
    assert tb["totals"]["debit"] == tb["totals"]["credit"] == D("1000.00")
    assert tb["totals"]["opening"] == 0 and tb["balanced"]
    assert tb["totals"]["closing_debit"] == tb["totals"]["closing_credit"] == D("1800.00")


def test_trial_balance_rolls_up_by_code_prefix_at_any_level(books):
    level3 = {r["code"]: r for r in trial_balance(date_from=d(2026, 1, 1), date_to=d(2026, 12, 31), level=3)["rows"]}
    assert set(level3) == {"100", "430", "572", "629", "705"}
    assert level3["430"]["credit"] == D("300.00") and level3["430"]["name"] == "Clientes"
    groups = trial_balance(date_from=d(2026, 1, 1), date_to=d(2026, 12, 31), level=1)
    assert [(r["code"], r["closing"]) for r in groups["rows"]] == [
        ("1", D("-1000.00")), ("4", D("-300.00")), ("5", D("1600.00")), ("6", D("200.00")), ("7", D("-500.00"))]
    tree = trial_balance(date_from=d(2026, 1, 1), date_to=d(2026, 12, 31), with_parents=True)
    codes = [r["code"] for r in tree["rows"]]
    assert codes.index("5") < codes.index("57") < codes.index("572")
    parent = next(r for r in tree["rows"] if r["code"] == "43")
    assert parent["is_parent"] and parent["credit"] == D("300.00")
    assert tree["totals"]["debit"] == D("1000.00")  # parents are not counted twice


def test_trial_balance_runs_two_queries(books, django_assert_num_queries):
    with django_assert_num_queries(2):
        trial_balance(date_from=d(2026, 1, 1), date_to=d(2026, 12, 31), level=3)


# --- Pages ---------------------------------------------------------------------------------------

PAGES = ["/contabilidad/diario/", "/contabilidad/mayor/?account=572", "/contabilidad/sumas-y-saldos/",
         "/contabilidad/balance/", "/contabilidad/perdidas-y-ganancias/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_the_accounting_permission(books, accountant, salesperson, url):
    assert accountant.get(url).status_code == 200
    assert salesperson.get(url).status_code == 403


def test_menu_lists_the_books_for_the_accountant(books, accountant):
    html = accountant.get("/contabilidad/diario/").content.decode()
    for label in ("Libro diario", "Libro mayor", "Sumas y saldos", "Pérdidas y ganancias"):
        assert label in html


def test_journal_page_shows_entries_amounts_in_spanish_format(books, accountant):
    html = accountant.get("/contabilidad/diario/?date_from=2026-01-01&date_to=2026-12-31").content.decode()
    assert "Servicios pagados" in html and 'id="journal-total-debit">1.000,00<' in html


def test_ledger_page_validates_the_account_code(books, accountant):
    response = accountant.get("/contabilidad/mayor/?account=57x")
    assert response.status_code == 400 and "solo cifras" in response.content.decode()
    response = accountant.get("/contabilidad/mayor/?account=999")
    assert response.status_code == 400 and "No existe ninguna cuenta con el código 999" in response.content.decode()
    assert "Elija una cuenta o un tercero" in accountant.get("/contabilidad/mayor/").content.decode()


def test_ledger_page_by_party_tax_id(year_2026, admin_a, accountant):
    client = party_create(actor=admin_a, data={"kind": "company", "company_name": "Talleres Norte SL",
                                               "tax_id": "B12345674"})
    sub = party_subaccount(actor=admin_a, party=client, base_code="4300")
    post(admin_a, d(2026, 5, 1), "Factura 1", (sub.code, "121.00", "0"), ("705", "0", "121.00"))
    url = "/contabilidad/mayor/?party=b12345674&date_from=2026-01-01&date_to=2026-12-31"
    html = accountant.get(url).content.decode()
    assert "Talleres Norte SL" in html and 'id="ledger-closing">121,00<' in html
    assert accountant.get("/contabilidad/mayor/?party=B00000000").status_code == 400


def test_trial_balance_rows_link_to_the_ledger(books, accountant):
    url = "/contabilidad/sumas-y-saldos/?date_from=2026-01-01&date_to=2026-12-31&level=3"
    html = accountant.get(url).content.decode()
    assert 'href="/contabilidad/mayor/?account=572&amp;date_from=2026-01-01&amp;date_to=2026-12-31"' in html


def test_bad_period_is_refused_with_a_message(books, accountant):
    response = accountant.get("/contabilidad/diario/?date_from=2026-05-01&date_to=2026-01-01")
    assert response.status_code == 400 and "no puede ser anterior" in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(("fmt", "content_type", "magic"), [
    ("csv", "text/csv", b"\xef\xbb\xbf"), ("xlsx", "application/vnd.openxmlformats", b"PK"),
    ("pdf", "application/pdf", b"%PDF"),
])
def test_exports_return_the_right_content(books, accountant, url, fmt, content_type, magic):
    response = accountant.get(url + ("&" if "?" in url else "?") + f"format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(magic)
    if fmt == "csv":
        assert any(amount in body.decode("utf-8") for amount in ("1000,00", "1600,00", "500,00"))


def test_ledger_csv_has_opening_rows_and_running_balance(books, accountant):
    response = accountant.get("/contabilidad/mayor/?account=572&date_from=2026-01-01&date_to=2026-12-31&format=csv")
    lines = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Fecha;Asiento;Cuenta")
    assert lines[1].endswith("Saldo anterior;;;1000,00")
    assert lines[2].startswith("05/01/2026;") and lines[2].endswith(";500,00;0,00;1500,00")
    assert lines[-1].endswith(";800,00;200,00;1600,00")


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("url", "queries"), [
    ("/contabilidad/diario/?date_from=2026-01-01&date_to=2026-12-31", 12),
    ("/contabilidad/mayor/?account=572&date_from=2026-01-01&date_to=2026-12-31", 12),
    ("/contabilidad/sumas-y-saldos/?date_from=2026-01-01&date_to=2026-12-31", 9),
    ("/contabilidad/balance/?date=2026-12-31&compare=1", 13),
    ("/contabilidad/perdidas-y-ganancias/?date_from=2026-01-01&date_to=2026-12-31&compare=1", 11),
])
def test_page_query_counts_are_pinned_and_do_not_grow_with_the_rows(books, admin_a, accountant, url, queries):
    accountant.get(url)  # warm session and caches
    assert _count(accountant, url) == queries
    for day in range(1, 25):
        post(admin_a, d(2026, 7, day), "Cobro", ("572", "1.00", "0"), ("705", "0", "1.00"))
        post(admin_a, d(2026, 7, day), "Gasto", ("629", "1.00", "0"), ("4100", "0", "1.00"))
    assert _count(accountant, url) == queries


# --- API -----------------------------------------------------------------------------------------

def test_api_trial_balance_and_ledger(books, tenants, api_token_a):
    client = host_client(tenants.alfa_host)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_a}"}
    tb = client.get("/api/v1/accounting/trial-balance/?date_from=2026-01-01&date_to=2026-12-31&level=3", **auth)
    assert tb.status_code == 200
    assert tb.json()["totals"]["debit"] == "1000.00" and tb.json()["balanced"] is True
    book = client.get("/api/v1/accounting/ledger/?account=572&date_from=2026-01-01&date_to=2026-12-31", **auth).json()
    assert book["opening"] == "1000.00" and [r["balance"] for r in book["rows"]] == ["1500.00", "1300.00", "1600.00"]
    assert book["rows"][0]["date"] == "2026-01-05"
    journal = client.get("/api/v1/accounting/journal-book/?date_from=2026-01-01&date_to=2026-12-31&page_size=2", **auth)
    assert journal.json()["has_next"] is True and len(journal.json()["rows"]) == 2


def test_api_refuses_bad_parameters_as_problem_json(books, tenants, api_token_a):
    client = host_client(tenants.alfa_host)
    response = client.get("/api/v1/accounting/ledger/?account=abc", HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_api_needs_the_accounting_permission(books, tenants, users_a):
    client = host_client(tenants.alfa_host, users_a["comercial"])
    assert client.get("/api/v1/accounting/trial-balance/").status_code == 403
    accountant = host_client(tenants.alfa_host, users_a["contabilidad"])
    assert accountant.get("/api/v1/accounting/trial-balance/").status_code == 200


def test_a_bad_page_number_is_a_message_not_an_error(books, accountant):
    assert accountant.get("/contabilidad/diario/?page=abc").status_code == 400
    assert accountant.get("/contabilidad/mayor/?account=572&page=abc").status_code == 400
    assert accountant.get("/contabilidad/diario/?page=99").status_code == 200
