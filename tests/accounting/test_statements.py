"""Balance de situación and Cuenta de pérdidas y ganancias in the PGC models: layouts as data,
known figures, prior-year column, drill-down, exports, and the property that balanced books
always give Activo = Patrimonio neto + Pasivo."""
import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounting.choices import ChartKind, EntryKind
from apps.accounting.data.layouts import BALANCE_SHEETS, MODELS_BY_CHART, PROFIT_AND_LOSS
from apps.accounting.models import Account
from apps.accounting.selectors_books import balance_sheet, profit_and_loss, trial_balance
from apps.accounting.selectors_statements import balance_contributions, line_values
from apps.accounting.services import LineSpec, entry_post, fiscal_year_for_calendar_year, party_subaccount
from apps.crm.services.parties import party_create
from tests.conftest import host_client

D = Decimal
d = datetime.date
DATA = Path(__file__).resolve().parents[2] / "apps" / "accounting" / "data"
CHART_FILES = {ChartKind.PGC_PYMES: DATA / "pgc_pymes.csv", ChartKind.PGC_NORMAL: DATA / "pgc_normal.csv"}


def leaves(chart) -> list[str]:
    with open(CHART_FILES[chart], encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle) if row["leaf"] == "1"]


def line(statement, key):
    for section in statement["sections"]:
        for row in section["rows"]:
            if row["key"] == key:
                return row
    raise KeyError(key)


def post(actor, day, description, *lines, **kwargs):
    return entry_post(actor=actor, date=day, description=description,
                      lines=[LineSpec(code, debit=debit, credit=credit) for code, debit, credit in lines], **kwargs)


# --- Layouts as data (no database) ---------------------------------------------------------------

@pytest.mark.parametrize("chart", [ChartKind.PGC_PYMES, ChartKind.PGC_NORMAL])
def test_every_official_account_has_a_line_of_its_own_in_every_model_of_its_chart(chart):
    for model in MODELS_BY_CHART[chart]:
        balance, pyg = BALANCE_SHEETS[model], PROFIT_AND_LOSS[model]
        for code in leaves(chart):
            layout = pyg if code[0] in "67" else balance
            for amount in (D(1), D(-1)):
                line_code, _sign, prefix = layout.assign(code, amount)
                # Only groups 3 (existencias), 8 and 9 (imputed to equity) are placed by their group digit.
                assert len(prefix) > 1 or code[0] in "389", (model, code, line_code)


def test_accounts_with_the_opposite_balance_change_side():
    pymes, normal = BALANCE_SHEETS["pymes"], BALANCE_SHEETS["normal"]
    assert pymes.assign("4300000123", D(100))[0] == pymes.by_key("clients").code
    assert pymes.assign("4300000123", D(-100))[0] == pymes.by_key("other_creditors").code
    assert pymes.assign("4000000007", D(-100))[0] == pymes.by_key("suppliers").code
    assert pymes.assign("4000000007", D(100))[0] == pymes.by_key("other_debtors").code
    assert pymes.assign("572", D(100))[0] == pymes.by_key("cash").code == "B.VI"
    assert pymes.assign("572", D(-100))[0] == "P.C.II.1"  # overdraft: deudas con entidades de crédito
    assert pymes.assign("472", D(100))[0] == pymes.assign("4700", D(1))[0] == pymes.by_key("other_debtors").code
    assert pymes.assign("477", D(-100))[0] == pymes.assign("4750", D(-1))[0] == pymes.by_key("other_creditors").code
    assert pymes.assign("129", D(100))[0] == pymes.assign("129", D(-100))[0] == pymes.by_key("year_result").code
    assert normal.assign("572", D(100))[0] == "B.VII.1" and normal.assign("572", D(-1))[0] == "P.C.III.2"
    assert normal.line(normal.assign("438", D(-5))[0]).label == "7. Anticipos de clientes."
    assert normal.assign("5523", D(1))[0] == "B.IV.5" and normal.assign("5523", D(-1))[0] == "P.C.IV"


def test_the_official_line_numbers_and_labels():
    assert BALANCE_SHEETS["normal"].line("B.VII").label == "VII. Efectivo y otros activos líquidos equivalentes."
    assert BALANCE_SHEETS["abreviado"].line("B.VII").label == "VII. Efectivo y otros activos líquidos equivalentes."
    assert BALANCE_SHEETS["pymes"].line("B.VI").label == "VI. Efectivo y otros activos líquidos equivalentes."
    assert BALANCE_SHEETS["pymes"].line("P.A1.VII").label == "VII. Resultado del ejercicio."
    revenue = PROFIT_AND_LOSS["pymes"].line("1")
    assert revenue.label == "1. Importe neto de la cifra de negocios."
    assert {item.prefix for item in revenue.accounts} >= {"700", "705", "706", "708", "709"}
    assert all(item.sign == -1 for item in revenue.accounts)


CODES = [code for code in leaves(ChartKind.PGC_NORMAL) if code[0] in "1234567"] + ["4300000123", "4000000007"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CODES), st.sampled_from(CODES), st.integers(1, 10**9),
                          st.booleans()), min_size=1, max_size=30),
       st.sampled_from(sorted(BALANCE_SHEETS)))
def test_any_balanced_set_of_balances_gives_a_squared_balance_sheet(movements, model):
    """Pure: balances from balanced movements (debit one code, credit another) always square,
    whatever side each account lands on."""
    totals, current = {}, {}
    for debit, credit, cents, this_year in movements:
        amount = D(cents) / 100
        for code, signed in ((debit, amount), (credit, -amount)):
            totals[code] = totals.get(code, D(0)) + signed
            if this_year:
                current[code] = current.get(code, D(0)) + signed
    layout = BALANCE_SHEETS[model]
    values = line_values(layout, balance_contributions(
        layout, [(code, total, current.get(code, D(0))) for code, total in totals.items()]))
    assert values["TA"] == values["TP"]


# --- Known figures -------------------------------------------------------------------------------

@pytest.fixture
def two_years(year_2026, admin_a):
    """2025: capital 3.000 and 800 of fees still owed; 2026: 1.000 of fees cashed, 300 of services paid."""
    fiscal_year_for_calendar_year(actor=admin_a, year=2025)
    post(admin_a, d(2025, 3, 1), "Capital", ("572", "3000.00", "0"), ("100", "0", "3000.00"))
    post(admin_a, d(2025, 6, 1), "Honorarios 2025", ("4300", "800.00", "0"), ("705", "0", "800.00"))
    post(admin_a, d(2026, 2, 1), "Honorarios 2026", ("572", "1000.00", "0"), ("705", "0", "1000.00"))
    post(admin_a, d(2026, 4, 1), "Servicios", ("629", "300.00", "0"), ("572", "0", "300.00"))


def test_profit_and_loss_revenue_from_705_with_prior_year(two_years, admin_a):
    post(admin_a, d(2026, 5, 1), "Más honorarios", ("572", "500.00", "0"), ("705", "0", "500.00"))
    post(admin_a, d(2026, 6, 1), "Rappel concedido", ("7090", "100.00", "0"), ("572", "0", "100.00"))
    pyg = profit_and_loss(date_from=d(2026, 1, 1), date_to=d(2026, 12, 31), model="pymes")
    revenue = line(pyg, "revenue")
    assert revenue["label"] == "1. Importe neto de la cifra de negocios."
    assert revenue["amount"] == D("1400.00") and revenue["prior"] == D("800.00")
    assert line(pyg, "other_expenses")["amount"] == D("-300.00")
    assert line(pyg, "operating_result")["amount"] == D("1100.00")
    assert pyg["result"] == line(pyg, "profit")["amount"] == D("1100.00") and pyg["prior_result"] == D("800.00")
    normal = profit_and_loss(date_from=d(2026, 1, 1), date_to=d(2026, 12, 31), model="normal", compare=False)
    assert line(normal, "revenue")["amount"] == D("1400.00") and normal["sections"][0]["rows"][0]["prior"] is None
    assert [r["amount"] for r in normal["sections"][0]["rows"] if r["code"] in ("1.a", "1.b")] == [D("-100.00"),
                                                                                                  D("1500.00")]


def test_balance_sheet_with_known_figures_and_prior_year(two_years):
    bs = balance_sheet(date=d(2026, 12, 31), model="pymes")
    assert bs["prior_date"] == d(2025, 12, 31) and bs["fiscal_year_start"] == d(2026, 1, 1)
    assert (line(bs, "cash")["amount"], line(bs, "cash")["prior"]) == (D("3700.00"), D("3000.00"))
    assert (line(bs, "clients")["amount"], line(bs, "clients")["prior"]) == (D("800.00"), D("800.00"))
    assert (line(bs, "year_result")["amount"], line(bs, "year_result")["prior"]) == (D("700.00"), D("800.00"))
    assert line(bs, "prior_results")["amount"] == D("800.00")  # 2025 not regularised yet
    assert bs["total_assets"] == bs["total_equity_liabilities"] == D("4500.00") and bs["balanced"]
    assert bs["sections"][0]["prior_total"] == bs["sections"][1]["prior_total"] == D("3800.00")
    for model in ("normal", "abreviado"):
        other = balance_sheet(date=d(2026, 12, 31), model=model)
        assert other["balanced"] and other["total_assets"] == D("4500.00")
        assert line(other, "cash")["amount"] == D("3700.00")


def test_year_end_entries_regularisation_excluded_from_pyg_closing_excluded_on_its_day(two_years, admin_a):
    post(admin_a, d(2025, 12, 31), "Regularización 2025", ("705", "800.00", "0"), ("129", "0", "800.00"),
         journal="CIE", kind=EntryKind.REGULARISATION)
    post(admin_a, d(2025, 12, 31), "Cierre 2025", ("100", "3000.00", "0"), ("129", "800.00", "0"),
         ("572", "0", "3000.00"), ("4300", "0", "800.00"), journal="CIE", kind=EntryKind.CLOSING)
    post(admin_a, d(2026, 1, 1), "Apertura 2026", ("572", "3000.00", "0"), ("4300", "800.00", "0"),
         ("100", "0", "3000.00"), ("129", "0", "800.00"), journal="CIE", kind=EntryKind.OPENING)
    assert profit_and_loss(date_from=d(2025, 1, 1), date_to=d(2025, 12, 31), compare=False)["result"] == D("800.00")
    at_close = balance_sheet(date=d(2025, 12, 31), compare=False)
    assert at_close["total_assets"] == D("3800.00") and line(at_close, "year_result")["amount"] == D("800.00")
    now = balance_sheet(date=d(2026, 12, 31))
    assert now["balanced"] and now["total_assets"] == D("4500.00")
    assert line(now, "prior_results")["amount"] == 0
    assert line(now, "year_result")["amount"] == D("1500.00")  # 129 pending distribution + 2026 result
    assert line(now, "year_result")["prior"] == D("800.00")


def test_client_with_credit_balance_and_bank_overdraft_go_to_liabilities(year_2026, admin_a):
    payer = party_create(actor=admin_a, data={"kind": "company", "company_name": "Anticipa SL", "tax_id": "B12345674"})
    debtor = party_create(actor=admin_a, data={"kind": "person", "first_name": "Ana", "last_name": "Ruiz",
                                               "tax_id": "12345678Z"})
    advance = party_subaccount(actor=admin_a, party=payer, base_code="4300")
    owes = party_subaccount(actor=admin_a, party=debtor, base_code="4300")
    post(admin_a, d(2026, 3, 1), "Anticipo", ("572", "200.00", "0"), (advance.code, "0", "200.00"))
    post(admin_a, d(2026, 3, 2), "Factura", (owes.code, "500.00", "0"), ("705", "0", "500.00"))
    post(admin_a, d(2026, 3, 3), "Pago", ("629", "900.00", "0"), ("572", "0", "900.00"))
    bs = balance_sheet(date=d(2026, 12, 31), model="pymes", compare=False)
    assert line(bs, "clients")["amount"] == D("500.00")
    assert line(bs, "other_creditors")["amount"] == D("200.00")
    assert line(bs, "cash")["amount"] == 0
    overdraft = next(r for s in bs["sections"] for r in s["rows"] if r["code"] == "P.C.II.1")
    assert overdraft["amount"] == D("700.00")
    assert line(bs, "year_result")["amount"] == D("-400.00")
    assert bs["balanced"] and bs["total_assets"] == D("500.00")
    assert line(bs, "clients")["accounts"] == [owes.code]


def test_every_figure_drills_down_to_the_ledger(two_years, tenants, users_a):
    client = host_client(tenants.alfa_host, users_a["contabilidad"])
    html = client.get("/contabilidad/balance/?date=2026-12-31&compare=1").content.decode()
    assert 'href="/contabilidad/mayor/?account=57&amp;date_from=2026-01-01&amp;date_to=2026-12-31"' in html
    assert "3.700,00" in html and "3.000,00" in html
    html = client.get("/contabilidad/perdidas-y-ganancias/?date_from=2026-01-01&date_to=2026-12-31").content.decode()
    assert 'href="/contabilidad/mayor/?account=70&amp;date_from=2026-01-01&amp;date_to=2026-12-31"' in html
    ledger = client.get("/contabilidad/mayor/?accounts=6,7,129&date_from=2026-01-01&date_to=2026-12-31")
    assert ledger.status_code == 200 and "Cuentas 6, 7, 129" in ledger.content.decode()


def test_model_choice_follows_the_chart(two_years, tenants, users_a):
    client = host_client(tenants.alfa_host, users_a["contabilidad"])
    assert "Balance PYMES" in client.get("/contabilidad/balance/").content.decode()
    assert "Balance abreviado" in client.get("/contabilidad/balance/?model=abreviado").content.decode()
    assert client.get("/contabilidad/balance/?model=normal").status_code == 400  # not offered to a PYMES chart


def test_statement_exports(two_years, tenants, users_a):
    client = host_client(tenants.alfa_host, users_a["contabilidad"])
    response = client.get("/contabilidad/balance/?date=2026-12-31&compare=1&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert "B.VI;  VI. Efectivo y otros activos líquidos equivalentes.;3700,00;3000,00" in text
    assert "TA;TOTAL ACTIVO (A + B);4500,00;3800,00" in text
    pdf = client.get("/contabilidad/perdidas-y-ganancias/?date_from=2026-01-01&date_to=2026-12-31&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/contabilidad/balance/?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_api_statements(two_years, tenants, api_token_a):
    client = host_client(tenants.alfa_host)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_a}"}
    bs = client.get("/api/v1/accounting/balance-sheet/?date=2026-12-31&model=abreviado", **auth).json()
    assert bs["total_assets"] == bs["total_equity_liabilities"] == "4500.00" and bs["model"] == "abreviado"
    pyg = client.get("/api/v1/accounting/profit-and-loss/?date_from=2026-01-01&date_to=2026-12-31", **auth).json()
    assert pyg["result"] == "700.00" and pyg["prior_result"] == "800.00"


# --- Property: balanced books always give a squared balance sheet --------------------------------

POOL = ["100", "112", "129", "170", "173", "216", "2816", "300", "4000", "4100", "4300", "438", "465", "472", "473",
        "477", "4700", "4750", "4751", "5200", "551", "555", "572", "570", "600", "621", "626", "629", "640", "642",
        "669", "678", "705", "7090", "752", "759", "769", "778"]


class Rollback(Exception):
    pass


@pytest.fixture
def pool(year_2026, admin_a):
    fiscal_year_for_calendar_year(actor=admin_a, year=2025)
    assert Account.objects.filter(code__in=POOL, is_postable=True).count() == len(POOL)
    return POOL


movement = st.tuples(st.sampled_from(POOL), st.sampled_from(POOL), st.integers(1, 10**8),
                     st.dates(d(2025, 1, 1), d(2026, 11, 20)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.lists(movement, min_size=1, max_size=3), min_size=1, max_size=5))
def test_balanced_entries_give_equal_sums_and_a_squared_balance(pool, admin_a, entries):
    try:
        with transaction.atomic():
            for movements in entries:
                day = movements[0][3]
                lines = []
                for debit, credit, cents, _day in movements:
                    amount = str(D(cents) / 100)
                    lines += [LineSpec(debit, debit=amount), LineSpec(credit, credit=amount)]
                entry_post(actor=admin_a, date=day, description="Propiedad", lines=lines)
            tb = trial_balance(date_from=d(2025, 6, 1), date_to=d(2026, 12, 31))
            assert tb["totals"]["debit"] == tb["totals"]["credit"] and tb["totals"]["opening"] == 0
            assert tb["totals"]["closing_debit"] == tb["totals"]["closing_credit"]
            for model in ("pymes", "abreviado", "normal"):
                for day in (d(2025, 12, 31), d(2026, 6, 30)):
                    bs = balance_sheet(date=day, model=model)
                    assert bs["total_assets"] == bs["total_equity_liabilities"], (model, day, bs["difference"])
                    assert bs["sections"][0]["prior_total"] == bs["sections"][1]["prior_total"]
            pyg = profit_and_loss(date_from=d(2026, 1, 1), date_to=d(2026, 12, 31))
            bs = balance_sheet(date=d(2026, 12, 31))
            # What the P&L shows as this year's result is what the balance adds to equity (no 129 postings
            # here other than the pool's, which sit in the same line).
            from_129 = sum((r["closing"] for r in tb["rows"] if r["code"] == "129"), D(0))
            assert line(bs, "year_result")["amount"] == pyg["result"] - from_129
            raise Rollback
    except Rollback:
        pass
