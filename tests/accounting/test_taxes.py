"""Taxes (issue 4, item 7): IVA books, modelos 303, 390, 111, 115 and 347, VAT settlement."""
import datetime
from decimal import Decimal

import pytest

from apps.accounting.choices import EntryKind, EntryState
from apps.accounting.errors import AccountingError
from apps.accounting.services import entry_reverse
from apps.accounting.services.invoices import invoice_issue, invoice_rectify
from apps.accounting.services.vat_settlement import (
    NothingToSettleError, VatAlreadySettledError, vat_settle, vat_settlement_preview,
)
from apps.accounting.tax_returns import (
    default_quarter, model_303, model_347, model_390, models_111_115, tax_period, vat_book,
)
from apps.crm.services.parties import party_create
from tests.accounting.conftest import balance_of

D = Decimal
Q1_FROM, Q1_TO = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)


def company(name, tax_id):
    return party_create(actor=None, data={"kind": "company", "company_name": name, "tax_id": tax_id})


def person(first, last, tax_id):
    return party_create(actor=None, data={"kind": "person", "first_name": first, "last_name": last, "tax_id": tax_id})


def issue(actor, party, date, *lines, kind="issued", number=""):
    return invoice_issue(actor=actor, kind=kind, party=party, issue_date=date, full_number=number, lines=[
        {"description": f"Concepto {i}", "unit_price": price, "vat": vat, **extra}
        for i, (price, vat, extra) in enumerate(lines, start=1)])


@pytest.fixture
def parties(tenant_a):
    return {
        "insurer": company("Aseguradora Mediterránea SA", "A28141935"),
        "client": company("Talleres Gil SL", "B12345674"),
        "supplier": company("Papelería Central SL", "B76543214"),
        "lawyer": person("Marta", "Abogada Ruiz", "12345678Z"),
        "landlord": company("Inmuebles Levante SL", "B11111119"),
    }


@pytest.fixture
def quarter_invoices(year_2026, admin_a, parties):
    """The issue's example: issued 1.000 at 21 %, 500 at 10 %, 3.000 exempt commissions; received 400 at 21 %."""
    day = datetime.date(2026, 2, 10)
    sale = issue(admin_a, parties["client"], day, ("1000.00", "IVA21", {}), ("500.00", "IVA10", {}))
    commissions = issue(admin_a, parties["insurer"], day, ("3000.00", "EXENTO20", {}))
    purchase = issue(admin_a, parties["supplier"], datetime.date(2026, 3, 5), ("400.00", "IVAS21", {}),
                     kind="received", number="PC-77")
    return {"sale": sale, "commissions": commissions, "purchase": purchase}


# --- Periods ---------------------------------------------------------------------------------------

def test_tax_periods():
    assert (tax_period(2026, "2T").date_from, tax_period(2026, "2T").date_to) == (
        datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert tax_period(2024, "02").date_to == datetime.date(2024, 2, 29)
    assert tax_period(2026, "0A").date_to == datetime.date(2026, 12, 31)
    assert default_quarter(datetime.date(2026, 4, 15)) == (2026, "1T")
    assert default_quarter(datetime.date(2026, 1, 5)) == (2025, "4T")
    assert default_quarter(datetime.date(2026, 5, 2)) == (2026, "2T")
    with pytest.raises(AccountingError, match="Periodo desconocido"):
        tax_period(2026, "5T")


# --- Modelo 303 ------------------------------------------------------------------------------------

def test_303_from_known_invoices(quarter_invoices):
    result = model_303(year=2026, period="1T")
    boxes = result["boxes"]
    assert (boxes["07"], boxes["08"], boxes["09"]) == (D("1000.00"), D("21"), D("210.00"))
    assert (boxes["04"], boxes["05"], boxes["06"]) == (D("500.00"), D("10"), D("50.00"))
    assert boxes["01"] == boxes["03"] == boxes["150"] == boxes["14"] == D("0")
    assert boxes["27"] == D("260.00")
    assert (boxes["28"], boxes["29"]) == (D("400.00"), D("84.00"))
    assert boxes["45"] == D("84.00")
    assert boxes["46"] == D("176.00")
    assert boxes["83"] == D("3000.00")  # mediation commissions: exempt without right to deduction
    assert boxes["80"] == D("1500.00") and boxes["88"] == D("4500.00")
    assert boxes["64"] == boxes["66"] == boxes["69"] == boxes["71"] == D("176.00")
    assert result["result"] == D("176.00") and result["result_label"] == "A ingresar"
    assert any("prorrata" in warning for warning in result["warnings"])
    # Another quarter is empty.
    assert model_303(year=2026, period="2T")["boxes"]["71"] == D("0")


def test_303_rectifying_invoices_go_to_modification_boxes(quarter_invoices, admin_a):
    invoice_rectify(actor=admin_a, invoice=quarter_invoices["sale"], issue_date=datetime.date(2026, 3, 20),
                    reason="Descuento", lines=[{"description": "Descuento", "unit_price": "-100.00", "vat": "IVA21"}])
    invoice_rectify(actor=admin_a, invoice=quarter_invoices["purchase"], issue_date=datetime.date(2026, 3, 25),
                    reason="Abono", full_number="PC-77R",
                    lines=[{"description": "Abono", "unit_price": "-50.00", "vat": "IVAS21"}])
    boxes = model_303(year=2026, period="1T")["boxes"]
    assert (boxes["07"], boxes["09"]) == (D("1000.00"), D("210.00"))
    assert (boxes["14"], boxes["15"]) == (D("-100.00"), D("-21.00"))
    assert boxes["27"] == D("239.00")
    assert (boxes["40"], boxes["41"]) == (D("-50.00"), D("-10.50"))
    assert boxes["45"] == D("73.50") and boxes["71"] == D("165.50")


def test_303_surcharge_boxes_and_month(year_2026, admin_a, parties):
    issue(admin_a, parties["client"], datetime.date(2026, 5, 4), ("200.00", "IVA21", {"surcharge": "RE52"}))
    boxes = model_303(year=2026, period="05")["boxes"]
    assert (boxes["07"], boxes["09"]) == (D("200.00"), D("42.00"))
    assert (boxes["22"], boxes["23"], boxes["24"]) == (D("200.00"), D("5.2"), D("10.40"))
    assert boxes["27"] == D("52.40")
    with pytest.raises(AccountingError, match="mensual o trimestral"):
        model_303(year=2026, period="0A")


def test_303_received_invoice_counts_in_its_registration_period(year_2026, admin_a, parties):
    invoice_issue(actor=admin_a, kind="received", party=parties["supplier"], issue_date=datetime.date(2026, 3, 30),
                  accounting_date=datetime.date(2026, 4, 2), full_number="T-1",
                  lines=[{"description": "Tóner", "unit_price": "100.00", "vat": "IVAS21"}])
    assert model_303(year=2026, period="1T")["boxes"]["29"] == D("0")
    assert model_303(year=2026, period="2T")["boxes"]["29"] == D("21.00")


# --- Libros registro de IVA -----------------------------------------------------------------------

def test_vat_books_rows(quarter_invoices, parties):
    book = vat_book(kind="issued", date_from=Q1_FROM, date_to=Q1_TO)
    sale, commissions = quarter_invoices["sale"], quarter_invoices["commissions"]
    rows = [(r["number"], r["party_name"], r["party_tax_id"], r["base"], r["rate"], r["vat_amount"], r["total"],
             r["exempt_cause"]) for r in book["rows"]]
    assert rows == [
        (sale.full_number, "Talleres Gil SL", "B12345674", D("1000.00"), D("21.00"), D("210.00"), D("1760.00"), ""),
        (sale.full_number, "Talleres Gil SL", "B12345674", D("500.00"), D("10.00"), D("50.00"), None, ""),
        (commissions.full_number, "Aseguradora Mediterránea SA", "A28141935", D("3000.00"), None, D("0.00"),
         D("3000.00"), "E1"),
    ]
    assert book["invoices"] == 2
    assert book["totals"] == {"base": D("4500.00"), "vat_amount": D("260.00"), "surcharge_amount": D("0.00"),
                              "withholding": D("0.00"), "total": D("4760.00")}
    received = vat_book(kind="received", date_from=Q1_FROM, date_to=Q1_TO)
    [row] = received["rows"]
    purchase = quarter_invoices["purchase"]
    assert (row["number"], row["registration"], row["party_tax_id"], row["base"], row["vat_amount"], row["total"]) == (
        "PC-77", f"P-2026-{purchase.number:05d}", "B76543214", D("400.00"), D("84.00"), D("484.00"))
    q2 = tax_period(2026, "2T")
    assert vat_book(kind="issued", date_from=q2.date_from, date_to=q2.date_to)["rows"] == []


def test_vat_book_query_count(quarter_invoices, django_assert_num_queries):
    with django_assert_num_queries(3):
        vat_book(kind="issued", date_from=Q1_FROM, date_to=Q1_TO)


# --- Modelo 390 ------------------------------------------------------------------------------------

def test_390_adds_up_the_year(quarter_invoices, admin_a, parties):
    issue(admin_a, parties["client"], datetime.date(2026, 8, 1), ("100.00", "IVA21", {}))
    result = model_390(year=2026)
    boxes = result["boxes"]
    assert (boxes["05"], boxes["06"]) == (D("1100.00"), D("231.00"))
    assert (boxes["03"], boxes["04"]) == (D("500.00"), D("50.00"))
    assert boxes["47"] == D("281.00")
    assert (boxes["605"], boxes["606"], boxes["48"], boxes["49"]) == (D("400.00"), D("84.00"), D("400.00"), D("84.00"))
    assert boxes["64"] == D("84.00") and boxes["65"] == boxes["86"] == D("197.00")
    assert boxes["105"] == D("3000.00") and boxes["99"] == D("1600.00") and boxes["108"] == D("4600.00")
    assert [q["result"] for q in result["quarters"]] == [D("176.00"), D("0"), D("21.00"), D("0")]


# --- Modelos 111 y 115 -------------------------------------------------------------------------------

def test_111_and_115_from_received_invoices(year_2026, admin_a, parties):
    other_lawyer = person("Luis", "Perito Gómez", "11111111H")
    issue(admin_a, parties["lawyer"], datetime.date(2026, 1, 20), ("1000.00", "IVAS21", {"withholding": "IRPF15"}),
          kind="received", number="M-1")
    issue(admin_a, parties["lawyer"], datetime.date(2026, 2, 20), ("500.00", "IVAS21", {"withholding": "IRPF15"}),
          kind="received", number="M-2")
    issue(admin_a, other_lawyer, datetime.date(2026, 3, 2), ("200.00", "IVAS21", {"withholding": "IRPF7"}),
          kind="received", number="L-9")
    for month in (1, 2, 3):
        issue(admin_a, parties["landlord"], datetime.date(2026, month, 1),
              ("800.00", "IVAS21", {"withholding": "IRPF19", "account": "621"}), kind="received", number=f"A-{month}")
    # Withholding we suffer on our own fees (473) is not ours to declare.
    issue(admin_a, parties["client"], datetime.date(2026, 2, 1), ("300.00", "IVA21", {"withholding": "IRPF15"}))

    result = models_111_115(year=2026, period="1T")
    m111, m115 = result["m111"]["boxes"], result["m115"]["boxes"]
    assert (m111["07"], m111["08"], m111["09"]) == (2, D("1700.00"), D("239.00"))
    assert (m111["01"], m111["02"], m111["03"]) == (0, D("0"), D("0"))
    assert m111["28"] == m111["30"] == D("239.00")
    assert (m115["01"], m115["02"], m115["03"], m115["05"]) == (1, D("2400.00"), D("456.00"), D("456.00"))
    detail = {(r["category"], r["party_tax_id"]): (r["base"], r["withheld"]) for r in result["detail"]}
    assert detail == {("professional", "12345678Z"): (D("1500.00"), D("225.00")),
                      ("professional", "11111111H"): (D("200.00"), D("14.00")),
                      ("rent", "B11111119"): (D("2400.00"), D("456.00"))}
    assert models_111_115(year=2026, period="2T")["m111"]["boxes"]["28"] == D("0")


def test_111_nets_a_reversed_invoice_entry(year_2026, admin_a, parties):
    invoice = issue(admin_a, parties["lawyer"], datetime.date(2026, 1, 20),
                    ("1000.00", "IVAS21", {"withholding": "IRPF15"}), kind="received", number="M-1")
    entry_reverse(actor=admin_a, entry=invoice.entry, date=datetime.date(2026, 1, 21))
    boxes = models_111_115(year=2026, period="01")["m111"]["boxes"]
    assert (boxes["07"], boxes["08"], boxes["09"]) == (0, D("0"), D("0"))


# --- Modelo 347 ------------------------------------------------------------------------------------

def test_347_threshold_and_quarters(year_2026, admin_a, parties):
    exact = company("Seguros Exactos SA", "A76543214")
    above = company("Seguros Encima SA", "A11111119")
    rectified = company("Seguros Rectificados SA", "A22222228")
    issue(admin_a, exact, datetime.date(2026, 2, 1), ("3005.06", "EXENTO20", {}))
    issue(admin_a, above, datetime.date(2026, 2, 1), ("1000.00", "EXENTO20", {}))
    issue(admin_a, above, datetime.date(2026, 8, 1), ("2005.07", "EXENTO20", {}))
    big = issue(admin_a, rectified, datetime.date(2026, 1, 15), ("4000.00", "EXENTO20", {}))
    invoice_rectify(actor=admin_a, invoice=big, issue_date=datetime.date(2026, 5, 1), reason="Extorno",
                    lines=[{"description": "Extorno", "unit_price": "-1000.00", "vat": "EXENTO20"}])
    issue(admin_a, parties["supplier"], datetime.date(2026, 11, 3), ("2500.00", "IVAS21", {}), kind="received",
          number="PC-1")  # 3.025,00 with VAT: key A
    issue(admin_a, parties["lawyer"], datetime.date(2026, 6, 1), ("9000.00", "IVAS21", {"withholding": "IRPF15"}),
          kind="received", number="M-5")  # with withholding: reported in the 190, not here
    issue(admin_a, parties["insurer"], datetime.date(2026, 12, 31),
          ("3005.07", "EXENTO20", {}))

    result = model_347(year=2026)
    rows = [(r["key"], r["party_tax_id"], r["total"], r["q1"], r["q2"], r["q3"], r["q4"]) for r in result["rows"]]
    assert rows == [
        ("A", "B76543214", D("3025.00"), D("0"), D("0"), D("0"), D("3025.00")),
        ("B", "A28141935", D("3005.07"), D("0"), D("0"), D("0"), D("3005.07")),
        ("B", "A11111119", D("3005.07"), D("1000.00"), D("0"), D("2005.07"), D("0")),
    ]
    assert result["totals"] == {"A": {"count": 1, "total": D("3025.00")}, "B": {"count": 2, "total": D("6010.14")}}
    assert result["below_threshold"] == 2  # Seguros Exactos (3.005,06) and Seguros Rectificados (3.000,00)


# --- Liquidación de IVA ----------------------------------------------------------------------------

def test_vat_settle_posts_the_entry_and_refuses_a_second_time(quarter_invoices, admin_a):
    entry = vat_settle(actor=admin_a, date_from=Q1_FROM, date_to=Q1_TO, date=Q1_TO)
    assert (entry.kind, entry.state, entry.journal.code, entry.date) == (
        EntryKind.VAT_SETTLEMENT, EntryState.POSTED, "GEN", Q1_TO)
    assert entry.source == "vat:2026-01-01:2026-03-31"
    lines = sorted((line.account.code, line.debit, line.credit) for line in entry.lines.select_related("account"))
    assert lines == [("472", D("0.00"), D("84.00")), ("4750", D("0.00"), D("176.00")), ("477", D("260.00"), D("0.00"))]
    assert balance_of("477") == balance_of("472") == D("0")
    assert balance_of("4750") == D("-176.00")
    with pytest.raises(VatAlreadySettledError, match="ya está liquidado"):
        vat_settle(actor=admin_a, date_from=Q1_FROM, date_to=Q1_TO, date=Q1_TO)
    with pytest.raises(VatAlreadySettledError):  # overlapping span
        vat_settle(actor=admin_a, date_from=datetime.date(2026, 3, 1), date_to=Q1_TO, date=Q1_TO)
    # Reversing the settlement allows settling again, with the same figures.
    entry_reverse(actor=admin_a, entry=entry, date=Q1_TO)
    again = vat_settle(actor=admin_a, date_from=Q1_FROM, date_to=Q1_TO, date=Q1_TO)
    assert again.total == D("260.00")


def test_vat_settle_receivable_and_nothing_to_settle(year_2026, admin_a, parties):
    with pytest.raises(NothingToSettleError, match="No hay IVA que liquidar"):
        vat_settle(actor=admin_a, date_from=Q1_FROM, date_to=Q1_TO, date=Q1_TO)
    issue(admin_a, parties["supplier"], datetime.date(2026, 2, 2), ("1000.00", "IVAS21", {}), kind="received",
          number="X-1")
    issue(admin_a, parties["client"], datetime.date(2026, 2, 3), ("100.00", "IVA21", {}))
    preview = vat_settlement_preview(date_from=Q1_FROM, date_to=Q1_TO)
    assert (preview["output"], preview["input"], preview["result"]) == (D("21.00"), D("210.00"), D("-189.00"))
    entry = vat_settle(actor=admin_a, date_from=Q1_FROM, date_to=Q1_TO, date=datetime.date(2026, 4, 1))
    lines = sorted((line.account.code, line.debit, line.credit) for line in entry.lines.select_related("account"))
    assert lines == [("4700", D("189.00"), D("0.00")), ("472", D("0.00"), D("210.00")), ("477", D("21.00"), D("0.00"))]


def test_vat_settle_refuses_bad_dates(year_2026, admin_a):
    with pytest.raises(AccountingError, match="no antes del 31/03/2026"):
        vat_settle(actor=admin_a, date_from=Q1_FROM, date_to=Q1_TO, date=datetime.date(2026, 3, 1))
    with pytest.raises(AccountingError, match="termina antes de empezar"):
        vat_settle(actor=admin_a, date_from=Q1_TO, date_to=Q1_FROM, date=Q1_TO)
