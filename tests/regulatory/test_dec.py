"""The DEC of 2026 (issue 12, item 8) on a small book built through the services, with numbers:

  insurer «Vida Colectiva Seguros» (general agreement 20 %, earned on collection), test line ctest:
  A  annual 1.000 €, broker SEPA, collected 10/02                                   commission 200
  B  annual   500 €, collected by the insurer 15/02                                  commission 100
  C  monthly 1.200 € (12 × 100), broker SEPA: January and February collected (40 commission),
     March collected and returned (commission earned and reversed), April collected 05/04 after
     the settlement (20), December cancelled
  E  monthly 600 € from 01/12/2026: one 50 € receipt in 2026, eleven in 2027
  settlement of February (closed 05/03: commission 340, broker owes 860) paid 10/03.
So: premiums 1.000 + 500 + 11 × 100 + 50 = 2.650 €; commissions in the books (705) 340 €; receipts
collected by the broker 1.000 + 100 + 100 + 100 − 100 + 100 = 1.300 €, by the insurer 500 €;
clients' funds at 31/12 = 1.300 − 340 − 860 = 100 € (April's receipt, not yet settled)."""
import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from apps.accounting.models import Account
from apps.accounting.selectors_books import account_balances
from apps.collections.choices import CollectionChannel, ReceiptState
from apps.collections.models import Receipt
from apps.collections.services.accounts import insurer_account
from apps.collections.services.receipts import receipt_cancel, receipt_collect, receipt_return
from apps.collections.services.settlements import settlement_close, settlement_mark_paid
from apps.insurance.choices import PaymentFrequency, PaymentMethod
from apps.regulatory.choices import DecRamo
from apps.regulatory.models import DgsfpLineMapping
from apps.regulatory.selectors_dec import dec_return
from apps.regulatory.services.mapping import mapping_defaults_ensure, mapping_set

D = Decimal
YEAR = 2026
YEAR_END = datetime.date(2026, 12, 31)
VALID_CIF = "A10000008"


def _day(month, day):
    return datetime.date(YEAR, month, day)


def _receipts(policy):
    return list(Receipt.objects.filter(policy=policy).order_by("sequence"))


@pytest.fixture
def book(coll_catalog, issued_policy, admin_a):
    insurer = coll_catalog.insurer
    insurer.tax_id = VALID_CIF  # the settlement's commission invoice needs the insurer's CIF
    insurer.save(update_fields=["tax_id"])
    a = issued_policy(net=D("1000.00"), frequency=PaymentFrequency.ANNUAL, method=PaymentMethod.BROKER_SEPA,
                      number="DEC-A")
    b = issued_policy(net=D("500.00"), frequency=PaymentFrequency.ANNUAL, method=PaymentMethod.INSURER,
                      number="DEC-B")
    c = issued_policy(net=D("1200.00"), frequency=PaymentFrequency.MONTHLY, method=PaymentMethod.BROKER_SEPA,
                      number="DEC-C")
    issued_policy(net=D("600.00"), frequency=PaymentFrequency.MONTHLY, method=PaymentMethod.BROKER_SEPA,
                  number="DEC-E", start=_day(12, 1))
    sepa = CollectionChannel.SEPA
    receipt_collect(actor=admin_a, receipt=_receipts(a)[0], date=_day(2, 10), channel=sepa)
    receipt_collect(actor=admin_a, receipt=_receipts(b)[0], date=_day(2, 15), channel=CollectionChannel.INSURER)
    monthly = _receipts(c)
    receipt_collect(actor=admin_a, receipt=monthly[0], date=_day(1, 5), channel=sepa)
    receipt_collect(actor=admin_a, receipt=monthly[1], date=_day(2, 5), channel=sepa)
    settlement = settlement_close(actor=admin_a, insurer=insurer, period_start=_day(2, 1), period_end=_day(2, 28),
                                  date=_day(3, 5))
    settlement_mark_paid(actor=admin_a, settlement=settlement, date=_day(3, 10))
    receipt_collect(actor=admin_a, receipt=monthly[2], date=_day(3, 5), channel=sepa)
    receipt_return(actor=admin_a, receipt=monthly[2], date=_day(3, 20), reason="MD06 Devolución del deudor")
    receipt_collect(actor=admin_a, receipt=monthly[3], date=_day(4, 5), channel=sepa)
    receipt_cancel(actor=admin_a, receipt=monthly[11], date=_day(11, 15), reason="Baja del riesgo")
    return {"insurer": insurer, "settlement": settlement, "line": coll_catalog.line}


def test_the_case_has_the_numbers_of_the_docstring(book):
    settlement = book["settlement"]
    assert (settlement.commission_total, settlement.amount_due) == (D("340.00"), D("860.00"))


def test_dec_totals_equal_the_books_and_the_register(book):
    dec = dec_return(year=YEAR)
    # premiums intermediated = the year's issued (not cancelled) receipts
    register = (Receipt.objects.filter(period_start__year=YEAR).exclude(state=ReceiptState.CANCELLED)
                .aggregate(net=Sum("net_premium"), total=Sum("total_premium")))
    assert dec.premiums_net == register["net"] == D("2650.00")
    assert dec.premiums_total == register["total"] and dec.premiums_count == 1 + 1 + 11 + 1
    # commissions = the balance of the commission income account (705) for the year
    income = Account.objects.get(code="705")
    books = -account_balances(accounts=[income], date=YEAR_END)[income.pk]
    assert dec.commissions_total == books == D("340.00")
    # receipts collected (net of returns) by the broker = credits of the insurer's current account
    current = insurer_account(book["insurer"])
    assert (dec.collected_broker, dec.collected_insurer) == (D("1300.00"), D("500.00"))
    assert dec.collected_count == 6  # A, B, C1, C2, C3 (returned), C4
    # clients' funds held at year end = the insurer's current account balance on 31/12
    balance = -account_balances(accounts=[current], date=YEAR_END)[current.pk]
    assert dec.funds_total == balance == D("100.00")
    assert [(row.insurer, row.amount) for row in dec.funds] == [("Vida Colectiva Seguros", D("100.00"))]
    checks = {check.key: check for check in dec.checks}
    assert all(check.ok for check in checks.values() if not check.informative), [
        (c.key, c.dec, c.books) for c in dec.checks]
    assert checks["collected"].books == D("1300.00")
    # informative: the ledger also holds April's 20 € commission, earned but not settled yet
    assert (checks["commissions_ledger"].dec, checks["commissions_ledger"].difference) == (D("360.00"), D("20.00"))
    assert dec.checks_ok


def test_lines_are_reported_under_their_dgsfp_ramo(book, admin_a):
    dec = dec_return(year=YEAR)
    assert {row.ramo for row in dec.premiums} == {DecRamo.LIFE}  # ctest is a life line (class VI)
    assert {row.ramo for row in dec.commissions} == {DecRamo.LIFE}  # settlement invoice split by its rows
    mapping_set(actor=admin_a, line=book["line"], ramo=DecRamo.FUNERAL)
    dec = dec_return(year=YEAR)
    assert [(row.ramo, row.net) for row in dec.by_ramo("premiums")] == [(DecRamo.FUNERAL, D("2650.00"))]
    assert [(row.ramo, row.amount) for row in dec.by_ramo("commissions")] == [(DecRamo.FUNERAL, D("340.00"))]


def test_mapping_defaults_follow_our_lines(tenant_a, admin_a):
    from apps.insurance.models import Line
    from apps.insurance.services.lines import lines_sync

    lines_sync()
    mapping_defaults_ensure(actor=admin_a)
    mapped = dict(DgsfpLineMapping.objects.values_list("line__code", "ramo"))
    expected = {"autos": DecRamo.MOTOR_LIABILITY, "hogar": DecRamo.HOME, "salud": DecRamo.HEALTHCARE,
                "vida": DecRamo.LIFE, "decesos": DecRamo.FUNERAL, "accidentes": DecRamo.ACCIDENTS,
                "rc": DecRamo.GENERAL_LIABILITY, "empresas": DecRamo.INDUSTRIAL}
    assert {code: mapped[code] for code in expected if Line.objects.filter(code=code).exists()} == {
        code: ramo for code, ramo in expected.items() if Line.objects.filter(code=code).exists()}
    assert mapping_defaults_ensure(actor=admin_a) == 0


def test_page_exports_and_permissions(book, client_a, client_for, django_assert_max_num_queries):
    url = f"/regulatorio/dec/{YEAR}/"
    with django_assert_max_num_queries(40):
        response = client_a.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="dec-premiums">2.650,00' in html and 'id="dec-commissions">340,00' in html
    assert 'id="dec-funds">100,00' in html and 'data-ok="1"' in html
    csv_text = client_a.get(url + "?export=csv").content.decode("utf-8-sig")
    assert "Primas intermediadas" in csv_text and "Cuadre con la contabilidad" in csv_text
    assert ";14;2650,00;2650,00" in csv_text and "Vida;Vida Colectiva Seguros" in csv_text and ";340,00" in csv_text
    workbook = load_workbook(io.BytesIO(client_a.get(url + "?export=xlsx").content))
    assert workbook.sheetnames[:2] == ["Primas intermediadas", "Comisiones"]
    assert [row for row in workbook["Comisiones"].iter_rows(min_row=2, values_only=True)][0][3] == 340
    pdf = client_a.get(url + "?export=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_for("contabilidad").get(url).status_code == 200
    assert client_for("comercial").get(url).status_code == 403
    assert client_for("comercial").get("/regulatorio/lds/").status_code == 200


def test_mapping_page_edits_a_line(book, client_a, client_for):
    line = book["line"]
    assert client_a.get("/regulatorio/dec/ramos/").status_code == 200
    response = client_a.post(f"/regulatorio/dec/ramos/{line.pk}/", {f"l{line.pk}-ramo": DecRamo.ACCIDENTS})
    assert response.status_code == 302
    assert DgsfpLineMapping.objects.get(line=line).ramo == DecRamo.ACCIDENTS
    assert client_for("contabilidad").post(f"/regulatorio/dec/ramos/{line.pk}/",
                                           {f"l{line.pk}-ramo": DecRamo.LIFE}).status_code == 403


def test_api_dec_and_mappings(book, client_a, client_for):
    data = client_a.get(f"/api/v1/regulatory/dec/?year={YEAR}").json()
    assert data["premiums_net"] == "2650.00" and data["commissions_total"] == "340.00"
    assert data["funds_total"] == "100.00" and data["checks_ok"] is True
    assert client_for("comercial").get(f"/api/v1/regulatory/dec/?year={YEAR}").status_code == 403
    mapping_defaults_ensure(actor=None)
    mapping = DgsfpLineMapping.objects.get(line=book["line"])
    response = client_a.patch(f"/api/v1/regulatory/mappings/{mapping.pk}/", {"ramo": "decesos"},
                              content_type="application/json")
    assert response.status_code == 200 and response.json()["ramo"] == "decesos"
    response = client_a.patch(f"/api/v1/regulatory/mappings/{mapping.pk}/", {"ramo": "x"},
                              content_type="application/json")
    assert response.status_code == 400
