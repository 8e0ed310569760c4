"""Invoices (issue 4, item 5): amounts, entries, numbering, rectifying invoices, refusals."""
import datetime
from decimal import Decimal

import pytest

from apps.accounting.choices import InvoiceKind, InvoiceState, PeriodState
from apps.accounting.errors import AccountingError, ClosedPeriodError
from apps.accounting.models import Entry, Invoice, InvoiceCounter, InvoiceLine
from apps.accounting.services import period_set_state
from apps.accounting.services.invoices import (
    invoice_create, invoice_draft_delete, invoice_issue, invoice_rectify, invoice_update, invoice_validate,
)
from apps.crm.services.parties import party_create
from tests.accounting.conftest import committed, balance_of

D = Decimal


def company(name, tax_id):
    return party_create(actor=None, data={"kind": "company", "company_name": name, "tax_id": tax_id})


def person(first, last, tax_id=None):
    return party_create(actor=None, data={"kind": "person", "first_name": first, "last_name": last, "tax_id": tax_id})


@pytest.fixture
def insurer(tenant_a):
    return company("Aseguradora Mediterránea SA", "A28141935")


@pytest.fixture
def client_co(tenant_a):
    return company("Talleres Gil SL", "B12345674")


@pytest.fixture
def lawyer(tenant_a):
    return person("Marta", "Abogada Ruiz", "12345678Z")


def lines_of(entry):
    return sorted((line.account.code, line.debit, line.credit, line.tax.code if line.tax else None, line.tax_base)
                  for line in entry.lines.select_related("account", "tax"))


def test_commission_invoice_to_an_insurer_is_exempt_e1(year_2026, admin_a, day, insurer):
    invoice = invoice_issue(actor=admin_a, kind="issued", party=insurer, issue_date=day, lines=[
        {"description": "Comisiones de mediación marzo", "unit_price": "1000.00", "vat": "EXENTO20",
         "line_of_business": "autos", "insurer": insurer}])
    assert invoice.state == InvoiceState.VALIDATED
    assert (invoice.base_total, invoice.vat_total, invoice.total) == (D("1000.00"), D("0.00"), D("1000.00"))
    entry = invoice.entry
    assert entry.journal.code == "VEN" and entry.date == day and entry.source == f"accounting.invoice:{invoice.pk}"
    assert entry.description == f"Factura {invoice.full_number} Aseguradora Mediterránea SA"
    client_account = f"4300{insurer.pk:06d}"
    assert lines_of(entry) == [(client_account, D("1000.00"), D("0.00"), None, None),
                               ("705", D("0.00"), D("1000.00"), "EXENTO20", D("1000.00"))]
    income = entry.lines.get(account__code="705")
    assert income.line_of_business == "autos" and income.insurer == insurer and income.party == insurer


def test_fee_invoice_with_vat_21_and_irpf_15(year_2026, admin_a, day, client_co):
    invoice = invoice_issue(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=[
        {"description": "Honorarios de asesoramiento", "quantity": "2", "unit_price": "500", "vat": "IVA21",
         "withholding": "IRPF15"}])
    assert (invoice.base_total, invoice.vat_total, invoice.withholding_total, invoice.total) == (
        D("1000.00"), D("210.00"), D("150.00"), D("1060.00"))
    assert lines_of(invoice.entry) == [
        (f"4300{client_co.pk:06d}", D("1060.00"), D("0.00"), None, None),
        ("473", D("150.00"), D("0.00"), "IRPF15", D("1000.00")),
        ("477", D("0.00"), D("210.00"), "IVA21", D("1000.00")),
        ("705", D("0.00"), D("1000.00"), None, None),
    ]
    assert invoice.entry.total == D("1210.00")


def test_received_invoice_from_a_lawyer_with_input_vat_and_withholding(year_2026, admin_a, day, lawyer):
    invoice = invoice_issue(actor=admin_a, kind="received", party=lawyer, issue_date=day, full_number="2026/017",
                            accounting_date=datetime.date(2026, 3, 20), lines=[
                                {"description": "Minuta reclamación", "unit_price": "500", "vat": "IVAS21",
                                 "withholding": "IRPF15"}])
    assert invoice.full_number == "2026/017" and invoice.number == 1 and invoice.year == 2026
    assert invoice.total == D("530.00")
    entry = invoice.entry
    assert entry.journal.code == "COM" and entry.date == datetime.date(2026, 3, 20)
    assert lines_of(entry) == [
        (f"4100{lawyer.pk:06d}", D("0.00"), D("530.00"), None, None),
        ("472", D("105.00"), D("0.00"), "IVAS21", D("500.00")),
        ("4751", D("0.00"), D("75.00"), "IRPF15", D("500.00")),
        ("629", D("500.00"), D("0.00"), None, None),
    ]


def test_recargo_de_equivalencia_is_credited_with_the_vat(year_2026, admin_a, day, client_co):
    invoice = invoice_issue(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=[
        {"description": "Servicio", "unit_price": "200", "vat": "IVA21", "surcharge": "RE52"},
        {"description": "Otro servicio", "unit_price": "100", "discount": "10", "vat": "IVA21", "surcharge": "RE52"}])
    assert (invoice.base_total, invoice.vat_total, invoice.surcharge_total, invoice.total) == (
        D("290.00"), D("60.90"), D("15.08"), D("365.98"))
    assert lines_of(invoice.entry) == [
        (f"4300{client_co.pk:06d}", D("365.98"), D("0.00"), None, None),
        ("477", D("0.00"), D("15.08"), "RE52", D("290.00")),
        ("477", D("0.00"), D("60.90"), "IVA21", D("290.00")),
        ("705", D("0.00"), D("290.00"), None, None),
    ]


def test_each_line_is_rounded_half_up_on_its_own(year_2026, admin_a, day, client_co):
    invoice = invoice_create(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=[
        {"description": "A", "quantity": "3", "unit_price": "0.335", "vat": "IVA21"},  # 1.005 -> 1.01; IVA 0.2121 -> 0.21
        {"description": "B", "quantity": "1", "unit_price": "0.05", "vat": "IVA10"}])  # IVA 0.005 -> 0.01
    line_a, line_b = invoice.lines.order_by("line_no")
    assert (line_a.base, line_a.vat_amount, line_b.vat_amount) == (D("1.01"), D("0.21"), D("0.01"))
    assert (invoice.base_total, invoice.vat_total, invoice.total) == (D("1.06"), D("0.22"), D("1.28"))


def test_numbers_are_correlative_without_gaps(year_2026, admin_a, day, client_co):
    def fee():
        return invoice_create(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=[
            {"description": "Honorarios", "unit_price": "100", "vat": "IVA21"}])

    first = invoice_validate(actor=admin_a, invoice=fee())
    late = invoice_create(actor=admin_a, kind="issued", party=client_co, issue_date=datetime.date(2026, 4, 2),
                          lines=[{"description": "Honorarios", "unit_price": "100", "vat": "IVA21"}])
    period_set_state(actor=admin_a, period=year_2026.periods.get(number=4), state=PeriodState.CLOSED)
    with pytest.raises(ClosedPeriodError, match="04/2026 está cerrado"):
        invoice_validate(actor=admin_a, invoice=late)
    late.refresh_from_db()
    assert late.state == InvoiceState.DRAFT and late.number is None and late.entry is None
    second = invoice_validate(actor=admin_a, invoice=fee())
    assert (first.full_number, second.full_number) == ("F-2026-00001", "F-2026-00002")
    assert InvoiceCounter.objects.get(series__code="F", year=2026).last_number == 2
    with pytest.raises(AccountingError, match="está validada"):
        invoice_validate(actor=admin_a, invoice=second)


def test_duplicate_received_number_is_refused(year_2026, admin_a, day, lawyer):
    kwargs = {"kind": "received", "party": lawyer, "issue_date": day, "full_number": "A-15",
              "lines": [{"description": "Minuta", "unit_price": "100", "vat": "IVAS21"}]}
    invoice_issue(actor=admin_a, **kwargs)
    with pytest.raises(AccountingError, match="Ya está registrada la factura a-15 de Marta Abogada Ruiz de 2026"):
        invoice_issue(actor=admin_a, **{**kwargs, "full_number": "a-15"})
    draft = invoice_create(actor=admin_a, **{**kwargs, "full_number": "A-16"})
    with pytest.raises(AccountingError, match="Ya está registrada"):
        invoice_update(actor=admin_a, invoice=draft, full_number=" A-15 ")
    assert Invoice.objects.filter(kind=InvoiceKind.RECEIVED).count() == 2


@pytest.mark.parametrize(("kind", "who", "amount"), [
    ("issued", "company", "10"), ("issued", "person", "3000.01"), ("received", "person", "10")])
def test_missing_tax_id_is_refused_when_the_law_requires_it(year_2026, admin_a, day, kind, who, amount):
    party = company("Sin NIF SL", None) if who == "company" else person("Juan", "Sin Nif")
    before = Invoice.objects.count(), InvoiceLine.objects.count()
    with pytest.raises(AccountingError, match="NIF"):
        invoice_create(actor=admin_a, kind=kind, party=party, issue_date=day, full_number="X1",
                       lines=[{"description": "Servicio", "unit_price": amount}])
    assert (Invoice.objects.count(), InvoiceLine.objects.count()) == before


def test_a_person_without_tax_id_can_get_a_small_invoice_with_irpf(year_2026, admin_a, day):
    party = person("Ana", "Particular")
    invoice = invoice_issue(actor=admin_a, kind="issued", party=party, issue_date=day, lines=[
        {"description": "Honorarios", "unit_price": "2000", "withholding": "IRPF15", "vat": "IVA21"}])
    assert invoice.total == D("2120.00") and invoice.party_tax_id == ""


@pytest.mark.parametrize(("kind", "lines", "message"), [
    ("issued", [], "al menos una línea"),
    ("issued", [{"description": "Nada", "unit_price": "0"}], "total es cero"),
    ("issued", [{"description": "X", "unit_price": "10", "vat": "IVA99"}], "IVA99.*no existe"),
    ("issued", [{"description": "X", "unit_price": "10", "vat": "IRPF15"}], "no puede ir como IVA"),
    ("issued", [{"description": "X", "unit_price": "10", "vat": "IVAS21"}], "no puede ir como IVA"),
    ("received", [{"description": "X", "unit_price": "10", "vat": "IVA21"}], "no puede ir como IVA"),
    ("issued", [{"description": "X", "unit_price": "10", "withholding": "IVA21"}], "no puede ir como retención"),
    ("issued", [{"description": "X", "unit_price": "10", "surcharge": "RE52"}], "acompaña a un tipo de IVA"),
    ("issued", [{"description": "X", "unit_price": "-10"}], "negativos solo en facturas rectificativas"),
    ("issued", [{"description": "", "unit_price": "10"}], "indique el concepto"),
    ("issued", [{"description": "X", "unit_price": 10.5}], "no flotante"),
    ("issued", [{"description": "X", "unit_price": "10", "account": "430"}], "430 no admite apuntes"),
    ("received", [{"description": "X", "unit_price": "10"}], None),
])
def test_bad_input_is_refused_and_nothing_is_saved(year_2026, admin_a, day, client_co, kind, lines, message):
    before = Invoice.objects.count()
    with pytest.raises(AccountingError, match=message or "número de factura del proveedor"):
        invoice_create(actor=admin_a, kind=kind, party=client_co, issue_date=day, lines=lines,
                       full_number="N-1" if message else "")
    assert Invoice.objects.count() == before


def test_full_cancellation_negates_everything(year_2026, admin_a, day, client_co):
    original = invoice_issue(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=[
        {"description": "Honorarios", "unit_price": "1000", "vat": "IVA21", "withholding": "IRPF15"},
        {"description": "Comisión", "unit_price": "333.33", "vat": "EXENTO20"}])
    subaccount = f"4300{client_co.pk:06d}"
    assert balance_of(subaccount) == D("1393.33")
    credit = invoice_rectify(actor=admin_a, invoice=original, issue_date=datetime.date(2026, 3, 31),
                             reason="Servicio no prestado", code="R4")
    assert credit.full_number == "R-2026-00001" and credit.rectifies == original and credit.rectification_code == "R4"
    assert (credit.base_total, credit.vat_total, credit.withholding_total, credit.total) == (
        D("-1333.33"), D("-210.00"), D("-150.00"), D("-1393.33"))
    assert balance_of(subaccount) == 0 and balance_of("705") == 0 and balance_of("477") == 0 and balance_of("473") == 0
    assert lines_of(credit.entry) == [
        (subaccount, D("0.00"), D("1393.33"), None, None),
        ("473", D("0.00"), D("150.00"), "IRPF15", D("-1000.00")),
        ("477", D("210.00"), D("0.00"), "IVA21", D("-1000.00")),
        ("705", D("333.33"), D("0.00"), "EXENTO20", D("-333.33")),
        ("705", D("1000.00"), D("0.00"), None, None),
    ]
    original.refresh_from_db()
    assert original.state == InvoiceState.VALIDATED
    with pytest.raises(AccountingError, match="ya tiene rectificativas"):
        invoice_rectify(actor=admin_a, invoice=original, issue_date=day, reason="Otra vez")
    with pytest.raises(AccountingError, match="ya es rectificativa"):
        invoice_rectify(actor=admin_a, invoice=credit, issue_date=day, reason="Otra vez")


def test_partial_rectification_by_differences(year_2026, admin_a, day, client_co):
    original = invoice_issue(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=[
        {"description": "Honorarios", "unit_price": "1000", "vat": "IVA21"}])
    credit = invoice_rectify(actor=admin_a, invoice=original, issue_date=day, reason="Descuento pactado", code="R1",
                             lines=[{"description": "Descuento", "quantity": "-1", "unit_price": "100", "vat": "IVA21"}])
    assert credit.total == D("-121.00")
    assert balance_of(f"4300{client_co.pk:06d}") == D("1089.00")
    with pytest.raises(AccountingError, match="causa de la rectificación"):
        invoice_rectify(actor=admin_a, invoice=original, issue_date=day, reason="x", code="R9",
                        lines=[{"description": "D", "quantity": "-1", "unit_price": "1"}])


def test_received_rectification_keeps_the_supplier_number(year_2026, admin_a, day, lawyer):
    original = invoice_issue(actor=admin_a, kind="received", party=lawyer, issue_date=day, full_number="M-1",
                             lines=[{"description": "Minuta", "unit_price": "500", "vat": "IVAS21",
                                     "withholding": "IRPF15"}])
    credit = invoice_rectify(actor=admin_a, invoice=original, issue_date=day, reason="Abono", full_number="M-1R")
    assert credit.full_number == "M-1R" and credit.series.code == "P" and credit.total == D("-530.00")
    assert balance_of(f"4100{lawyer.pk:06d}") == 0 and balance_of("472") == 0 and balance_of("4751") == 0


def test_drafts_are_edited_and_deleted_validated_ones_are_not(year_2026, admin_a, day, client_co, insurer):
    draft = invoice_create(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=[
        {"description": "Honorarios", "unit_price": "100", "vat": "IVA21"}])
    assert draft.full_number == "" and str(draft) == f"Borrador #{draft.pk}"
    draft = invoice_update(actor=admin_a, invoice=draft, party=insurer, notes="Cambio de destinatario",
                           lines=[{"description": "Comisiones", "unit_price": "250", "vat": "EXENTO20"}])
    assert (draft.party, draft.total, draft.lines.count(), draft.version) == (insurer, D("250.00"), 1, 2)
    invoice_draft_delete(actor=admin_a, invoice=draft)
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    validated = invoice_issue(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=[
        {"description": "Honorarios", "unit_price": "100"}])
    with pytest.raises(AccountingError, match="emita una rectificativa"):
        invoice_update(actor=admin_a, invoice=validated, notes="x")
    with pytest.raises(AccountingError, match="emita una rectificativa"):
        invoice_draft_delete(actor=admin_a, invoice=validated)
    assert Entry.objects.filter(source=f"accounting.invoice:{validated.pk}").count() == 1


def test_series_must_match_the_kind_of_invoice(year_2026, admin_a, day, client_co):
    line = [{"description": "Honorarios", "unit_price": "100"}]
    with pytest.raises(AccountingError, match="serie P es de facturas recibidas"):
        invoice_create(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=line, series="P")
    with pytest.raises(AccountingError, match="es de rectificativas"):
        invoice_create(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=line, series="R")
    with pytest.raises(AccountingError, match="«Z» no existe"):
        invoice_create(actor=admin_a, kind="issued", party=client_co, issue_date=day, lines=line, series="Z")


@pytest.mark.django_db  # creates the test database even alone; the writes below go through their own connections
def test_concurrent_validations_get_gapless_numbers(tenants):
    """Four threads validate five invoices each, committed for real; numbers are exactly 1..21
    (one made beforehand), and a failed validation in the middle gives its number back."""
    import threading

    from apps.accounting.models import Account, EntryLine, FiscalYear
    from apps.accounting.services import fiscal_year_create
    from apps.crm.models import Party

    workers, per_worker, day = 4, 5, datetime.date(2032, 6, 1)

    def setup():
        year = fiscal_year_create(actor=None, name="C2032", start_date=datetime.date(2032, 1, 1),
                                  end_date=datetime.date(2032, 12, 31))
        party = company("Concurrente SA", "A58818501")
        invoice_issue(actor=None, kind="issued", party=party, issue_date=day,  # creates the client subaccount
                      lines=[{"description": "Primera", "unit_price": "1"}])
        return year, party

    year, party = committed(tenants, setup)
    barrier = threading.Barrier(workers)
    errors = []

    def work(index):
        barrier.wait()
        for n in range(per_worker):
            if n == 2:
                with pytest.raises(ClosedPeriodError):
                    invoice_issue(actor=None, kind="issued", party=party, issue_date=datetime.date(2033, 1, 1),
                                  lines=[{"description": "Fuera de ejercicio", "unit_price": "5"}])
            invoice_issue(actor=None, kind="issued", party=party, issue_date=day,
                          lines=[{"description": f"Hilo {index}", "unit_price": f"{index + 1}{n}"}])

    def worker(index):
        try:
            committed(tenants, lambda: work(index))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def check_and_clean():
        try:
            numbers = sorted(Invoice.objects.filter(year=2032).values_list("number", flat=True))
            counter = InvoiceCounter.objects.get(series__code="F", year=2032).last_number
            return numbers, counter, InvoiceCounter.objects.filter(year=2033, last_number__gt=0).exists()
        finally:
            Invoice.objects.filter(party=party).delete()
            InvoiceCounter.objects.filter(year__in=(2032, 2033)).delete()
            EntryLine.objects.filter(entry__fiscal_year=year).delete()
            Entry.objects.filter(fiscal_year=year).delete()
            FiscalYear.objects.filter(pk=year.pk).delete()
            Account.objects.filter(party=party).delete()
            if not Account.objects.filter(parent__code="4300").exists():
                Account.objects.filter(code="4300").update(is_postable=True)
            Party.objects.filter(pk=party.pk).delete()

    numbers, counter, burnt = committed(tenants, check_and_clean)
    assert not errors, errors
    assert numbers == list(range(1, workers * per_worker + 2)) and counter == workers * per_worker + 1
    assert not burnt
