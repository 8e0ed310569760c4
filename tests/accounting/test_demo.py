import datetime
from decimal import Decimal

from django.db.models import Count, Sum

from aitcore.registry import registry
from apps.accounting.demo import DEMO_SOURCE, accounting_demo_seed
from apps.accounting.models import Entry, EntryLine, FiscalYear, Invoice
from apps.accounting.services.year_end import year_end_close, year_end_preview
from tests.accounting.conftest import balance_of

D = Decimal
TODAY = datetime.date(2026, 3, 15)  # January 2025 to February 2026: 14 months


def test_demo_seeder_is_registered():
    assert accounting_demo_seed in registry.demo_seeders


def test_demo_books_are_a_brokerage_year_and_run_once(tenant_a, admin_a):
    accounting_demo_seed(admin=admin_a, today=TODAY)
    entries = Entry.objects.count()
    assert entries > 220
    totals = EntryLine.objects.filter(is_posted=True).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]
    issued = Invoice.objects.filter(kind="issued", state="validated")
    # commission invoices of 2025 only: from January 2026 the insurer settlements issue them
    assert issued.count() == 5 * 12
    assert set(issued.values_list("lines__vat__code", flat=True)) == {"EXENTO20"}
    received = Invoice.objects.filter(kind="received", state="validated")
    assert set(received.values_list("lines__withholding__code", flat=True)) == {"IRPF19", "IRPF15"}
    assert balance_of("705") < 0 and balance_of("640") > 0 and balance_of("642") > 0 and balance_of("626") > 0
    assert balance_of("621") == D("1450.00") * 14 and balance_of("623") == D("620.00") * 14
    assert balance_of("572") > 0  # never a negative bank balance at the end
    assert balance_of("465") == 0  # every payroll net paid
    journals = dict(Entry.objects.values_list("journal__code").annotate(n=Count("id")))
    assert {"VEN", "COM", "BAN", "COB", "NOM"} <= set(journals)
    # Idempotent.
    accounting_demo_seed(admin=admin_a, today=TODAY)
    assert Entry.objects.count() == entries
    assert Entry.objects.filter(source=DEMO_SOURCE).exists()


def test_demo_previous_year_can_be_closed(tenant_a, admin_a):
    accounting_demo_seed(admin=admin_a, today=TODAY)
    year_2025 = FiscalYear.objects.get(name="2025")
    preview = year_end_preview(fiscal_year=year_2025)
    assert preview["can_close"] and preview["income"] > 0 and preview["expenses"] > 0
    done = year_end_close(actor=admin_a, fiscal_year=year_2025)
    assert done["result"] == preview["result"]
    assert done["opening"].fiscal_year.name == "2026"
    assert not year_end_preview(fiscal_year=year_2025)["can_reopen"]  # 2026 already has entries


def test_accounting_setup_command_is_idempotent(tenant_a, admin_a):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("accounting_setup", schema=tenant_a.schema_name, year=2024, stdout=out)
    assert f"{tenant_a.schema_name}: PGC" in out.getvalue() and "0 cuentas nuevas" in out.getvalue()
    assert FiscalYear.objects.filter(name="2024").exists()
    with pytest.raises(CommandError, match="No existe la correduría"):
        call_command("accounting_setup", schema="no_existe", stdout=StringIO())


def test_year_end_command_previews_closes_and_reopens(tenant_a, admin_a):
    from io import StringIO

    from django.core.management import call_command

    from apps.accounting.services import LineSpec, entry_post, fiscal_year_for_calendar_year

    fiscal_year_for_calendar_year(actor=admin_a, year=2026)
    entry_post(actor=admin_a, date=datetime.date(2026, 5, 4), description="Honorarios", lines=[
        LineSpec("572", debit="1000.00"), LineSpec("705", credit="1000.00")])
    out = StringIO()
    call_command("accounting_year_end", schema=tenant_a.schema_name, year="2026", preview=True, stdout=out)
    assert "resultado 1.000,00 €" in out.getvalue()
    call_command("accounting_year_end", schema=tenant_a.schema_name, year="2026", stdout=out)
    assert "beneficio de 1.000,00 €" in out.getvalue()
    call_command("accounting_year_end", schema=tenant_a.schema_name, year="2026", reopen=True, stdout=out)
    assert "3 asientos anulados" in out.getvalue()
