import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from apps.accounting.choices import EntryKind, EntryState, PeriodState
from apps.accounting.errors import AccountingError, AccountNotPostableError, ClosedPeriodError, UnbalancedEntryError
from apps.accounting.models import Entry, EntryLine, FiscalYear
from apps.accounting.services import (
    LineSpec, entry_draft_create, entry_draft_update, entry_post, entry_post_draft, entry_reverse, fiscal_year_create,
    period_set_state,
)
from tests.accounting.conftest import balance_of, committed

D = Decimal


def fee_lines():
    return [LineSpec("4300", debit="1210.00"), LineSpec("705", credit="1000.00"), LineSpec("477", credit="210.00")]


def test_balanced_entry_is_posted_with_the_next_number(year_2026, admin_a, day):
    first = entry_post(actor=admin_a, date=day, description="Honorarios", lines=fee_lines())
    second = entry_post(actor=admin_a, date=day, description="Honorarios", lines=fee_lines())
    assert first.state == EntryState.POSTED and second.number == first.number + 1
    assert first.total == D("1210.00")
    assert list(first.lines.values_list("account__code", "debit", "credit")) == [
        ("4300", D("1210.00"), D("0.00")), ("705", D("0.00"), D("1000.00")), ("477", D("0.00"), D("210.00"))]


def test_unbalanced_entry_is_refused_and_nothing_is_written(year_2026, admin_a, day):
    before = (Entry.objects.count(), EntryLine.objects.count())
    with pytest.raises(UnbalancedEntryError, match="no cuadra.*diferencia 0,01 €"):
        entry_post(actor=admin_a, date=day, description="Descuadre",
                   lines=[LineSpec("572", debit="100.01"), LineSpec("705", credit="100.00")])
    assert (Entry.objects.count(), EntryLine.objects.count()) == before
    assert FiscalYear.objects.get(pk=year_2026.pk).last_entry_number == year_2026.last_entry_number


@pytest.mark.parametrize(("lines", "error", "message"), [
    ([LineSpec("572", debit="10"), LineSpec("57", credit="10")], AccountNotPostableError, "tiene subcuentas"),
    ([LineSpec("572", debit="10"), LineSpec("430", credit="10")], AccountNotPostableError, "tiene subcuentas"),
    ([LineSpec("572", debit="10"), LineSpec("9999", credit="10")], AccountingError, "9999 no existe"),
    ([LineSpec("572", debit="10.001"), LineSpec("705", credit="10.001")], AccountingError, "más de dos decimales"),
    ([LineSpec("572", debit="-10"), LineSpec("705", credit="-10")], AccountingError, "negativos"),
    ([LineSpec("572", debit="10", credit="10"), LineSpec("705", credit="0")], AccountingError, "debe o al haber"),
    ([LineSpec("572", debit="10")], UnbalancedEntryError, "al menos dos"),
])
def test_bad_lines_are_refused_with_a_clear_message(year_2026, admin_a, day, lines, error, message):
    with pytest.raises(error, match=message):
        entry_post(actor=admin_a, date=day, description="Prueba", lines=lines)


def test_posting_into_a_closed_period_or_year_is_refused(year_2026, admin_a, day):
    march = year_2026.periods.get(number=3)
    period_set_state(actor=admin_a, period=march, state=PeriodState.CLOSED)
    with pytest.raises(ClosedPeriodError, match="periodo 03/2026 está cerrado"):
        entry_post(actor=admin_a, date=day, description="Tarde", lines=fee_lines())
    with pytest.raises(ClosedPeriodError, match="ningún ejercicio abierto que incluya el 01/01/2019"):
        entry_post(actor=admin_a, date=datetime.date(2019, 1, 1), description="Viejo", lines=fee_lines())


def test_reversal_restores_every_balance_exactly(year_2026, admin_a, day):
    before = {code: balance_of(code) for code in ("4300", "705", "477")}
    entry = entry_post(actor=admin_a, date=day, description="Honorarios", lines=fee_lines())
    assert balance_of("705") == before["705"] - D("1000.00")
    mirror = entry_reverse(actor=admin_a, entry=entry, date=datetime.date(2026, 3, 20))
    assert mirror.kind == EntryKind.REVERSAL and mirror.reversal_of == entry and mirror.number == entry.number + 1
    assert {code: balance_of(code) for code in before} == before
    with pytest.raises(AccountingError, match="ya está anulado"):
        entry_reverse(actor=admin_a, entry=entry)


def test_a_posted_entry_is_never_edited(year_2026, admin_a, day):
    entry = entry_post(actor=admin_a, date=day, description="Honorarios", lines=fee_lines())
    with pytest.raises(AccountingError, match="se anula con otro asiento"):
        entry_draft_update(actor=admin_a, entry=entry, date=day, description="Cambio", lines=fee_lines())


def test_drafts_have_no_number_until_posted(year_2026, admin_a, day):
    draft = entry_draft_create(actor=admin_a, date=day, description="Pendiente", lines=fee_lines())
    assert draft.number is None and not draft.lines.filter(is_posted=True).exists()
    before = balance_of("705")
    posted = entry_post_draft(actor=admin_a, entry=draft)
    assert posted.number == FiscalYear.objects.get(pk=year_2026.pk).last_entry_number
    assert balance_of("705") == before - D("1000.00")


@pytest.mark.django_db  # creates the test database even alone; the threads write through their own connections
def test_concurrent_posters_get_gapless_unique_numbers(tenants, django_db_blocker):
    """Eight threads post 10 entries each, committed for real; numbers are exactly 1..80."""
    posters, per_poster = 8, 10
    errors = []
    year = committed(tenants, lambda: fiscal_year_create(
        actor=None, name="C2031", start_date=datetime.date(2031, 1, 1), end_date=datetime.date(2031, 12, 31)))
    barrier = threading.Barrier(posters)

    def poster(index):
        try:
            with django_db_blocker.unblock(), schema_context(tenants.alfa.schema_name):
                barrier.wait()
                for n in range(per_poster):
                    amount = f"{index + 1}{n}.00"
                    if n == 3:  # a failing post in the middle must not burn a number
                        with pytest.raises(UnbalancedEntryError):
                            entry_post(actor=None, date=datetime.date(2031, 5, 1), description="Mal",
                                       lines=[LineSpec("572", debit=amount), LineSpec("705", credit="1.00")])
                    entry_post(actor=None, date=datetime.date(2031, 5, 1), description=f"Hilo {index}",
                               lines=[LineSpec("572", debit=amount), LineSpec("705", credit=amount)])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=poster, args=(i,)) for i in range(posters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    def read_and_clean():
        numbers = sorted(Entry.objects.filter(fiscal_year=year).values_list("number", flat=True))
        last = FiscalYear.objects.get(pk=year.pk).last_entry_number
        EntryLine.objects.filter(entry__fiscal_year=year).delete()
        Entry.objects.filter(fiscal_year=year).delete()
        year.delete()
        return numbers, last

    numbers, last = committed(tenants, read_and_clean)
    assert not errors, errors
    assert numbers == list(range(1, posters * per_poster + 1))
    assert last == posters * per_poster
