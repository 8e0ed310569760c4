"""Year-end (cierre del ejercicio): regularisation, closing entry, opening entry of the next year.

year_end_close posts, in the journal CIE:
  1. the regularisation entry (kind regularisation) on the closing date: every group 6 and 7
     balance of the year is cancelled and the difference (the result) goes to 129;
  2. the closing entry (kind closing) on the closing date: every balance of groups 1-5 is
     cancelled, per account and per third party;
  3. the opening entry (kind opening) on the first day of the next fiscal year (created if
     missing), the mirror of the closing entry, so each balance (and each party's balance on
     its subaccount) is carried forward individually;
and then marks the year closed. Balances are aggregated in SQL (GROUP BY account, party).

Undo (year_end_reopen) — the choice: posted entries are never deleted, so undoing a close
reopens the year and *reverses* (entry_reverse) the opening, closing and regularisation
entries, each reversal dated like the entry it cancels. The books keep the full trail and the
balances of both years return exactly to their state before the close. It is allowed only while
the next year has no posted entries other than the year-end ones (the opening and its reversals).

All three entries carry source "accounting.fiscalyear:<pk>" so the close can be found and undone.
"""
import contextlib
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from apps.accounting.choices import EntryKind, EntryState, FiscalYearState, PeriodState
from apps.accounting.errors import AccountingError
from apps.accounting.models import Account, Entry, EntryLine, FiscalYear, Period
from apps.accounting.services.periods import fiscal_year_create, fiscal_year_for_calendar_year, fiscal_year_set_state
from apps.accounting.services.posting import LineSpec, entry_post, entry_reverse
from apps.accounting.services.setup import mapped_account
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.money import format_eur

ZERO = Decimal("0.00")
JOURNAL = "CIE"
YEAR_END_KINDS = (EntryKind.REGULARISATION, EntryKind.CLOSING, EntryKind.OPENING)
RESULT_GROUPS = ("6", "7")
BALANCE_GROUPS = ("1", "2", "3", "4", "5")
EQUITY_ADJUSTMENT_GROUPS = ("8", "9")


def year_end_source(fiscal_year) -> str:
    return f"accounting.fiscalyear:{fiscal_year.pk}"


# --- reads ---------------------------------------------------------------------------------------

def _balances(*, date_from: datetime.date | None, date_to: datetime.date, exclude_source: str = "") -> list[dict]:
    """Posted balance (debit - credit) per (account, party) up to `date_to`: one GROUP BY query
    (plus one for the account codes)."""
    lines = EntryLine.objects.filter(is_posted=True, date__lte=date_to)
    if date_from is not None:
        lines = lines.filter(date__gte=date_from)
    if exclude_source:
        lines = lines.exclude(entry__source=exclude_source)
    rows = (lines.values("account_id", "party_id").annotate(balance=Sum(F("debit") - F("credit")))
            .exclude(balance=0).order_by())
    rows = list(rows)
    codes = dict(Account.objects.filter(pk__in={row["account_id"] for row in rows}).values_list("pk", "code"))
    for row in rows:
        row["code"] = codes[row["account_id"]]
    rows.sort(key=lambda row: (row["code"], row["party_id"] or 0))
    return rows


def _previous_open_year(fiscal_year) -> FiscalYear | None:
    """An earlier year still open with posted entries: it must be closed first."""
    return (FiscalYear.objects.filter(end_date__lt=fiscal_year.start_date, state=FiscalYearState.OPEN,
                                      entries__state=EntryState.POSTED)
            .order_by("start_date").distinct().first())


def _next_year(fiscal_year) -> FiscalYear | None:
    return FiscalYear.objects.filter(start_date=fiscal_year.end_date + datetime.timedelta(days=1)).first()


def year_end_entries(fiscal_year) -> dict:
    """The active (not reversed) year-end entries of `fiscal_year`, by kind."""
    entries = (Entry.objects.filter(source=year_end_source(fiscal_year), kind__in=YEAR_END_KINDS,
                                    state=EntryState.POSTED, reversed_by__isnull=True)
               .select_related("fiscal_year", "journal").order_by("date", "number"))
    return {entry.kind: entry for entry in entries}


def _later_entries(fiscal_year, next_year) -> int:
    if next_year is None:
        return 0
    return (next_year.entries.filter(state=EntryState.POSTED)
            .exclude(source=year_end_source(fiscal_year)).count())


def year_end_preview(*, fiscal_year) -> dict:
    """What closing `fiscal_year` would do, and whether it can be closed or reopened now."""
    closed_by = year_end_entries(fiscal_year)
    # Without this year's own year-end entries (and their reversals): the figures before closing.
    rows = _balances(date_from=fiscal_year.start_date, date_to=fiscal_year.end_date,
                     exclude_source=year_end_source(fiscal_year))
    result_rows = [row for row in rows if row["code"][:1] in RESULT_GROUPS]
    income = -sum((row["balance"] for row in result_rows if row["code"][:1] == "7"), ZERO)
    expenses = sum((row["balance"] for row in result_rows if row["code"][:1] == "6"), ZERO)
    next_year = _next_year(fiscal_year)
    drafts = fiscal_year.entries.filter(state=EntryState.DRAFT).count()
    previous = _previous_open_year(fiscal_year)
    later = _later_entries(fiscal_year, next_year)
    problems = []
    if closed_by:
        problems.append(_("El ejercicio ya está cerrado."))
    if fiscal_year.state == FiscalYearState.LOCKED:
        problems.append(_("El ejercicio está bloqueado."))
    if drafts:
        problems.append(_("Hay %d asientos en borrador en el ejercicio.") % drafts)
    if previous:
        problems.append(_("Cierre antes el ejercicio %s.") % previous.name)
    if not closed_by and next_year is not None and next_year.state != FiscalYearState.OPEN:
        problems.append(_("El ejercicio %s no está abierto: no admitiría la apertura.") % next_year.name)
    reopen_problems = []
    if not closed_by:
        reopen_problems.append(_("El ejercicio no está cerrado."))
    if closed_by and later:
        reopen_problems.append(_("El ejercicio siguiente ya tiene %d asientos además del de apertura.") % later)
    if closed_by and next_year is not None and next_year.state != FiscalYearState.OPEN:
        reopen_problems.append(_("El ejercicio %s no está abierto.") % next_year.name)
    if closed_by and fiscal_year.state == FiscalYearState.LOCKED:
        reopen_problems.append(_("El ejercicio está bloqueado."))
    balance_accounts = {row["account_id"] for row in rows if row["code"][:1] in BALANCE_GROUPS}
    return {
        "fiscal_year": fiscal_year, "next_year": next_year, "entries": closed_by, "is_closed": bool(closed_by),
        "income": income, "expenses": expenses, "result": income - expenses,
        "result_accounts": len({row["account_id"] for row in result_rows}),
        "balance_accounts": len(balance_accounts), "drafts": drafts, "later_entries": later,
        "can_close": not problems, "close_problems": problems,
        "can_reopen": not reopen_problems, "reopen_problems": reopen_problems,
    }


# --- writes --------------------------------------------------------------------------------------

@contextlib.contextmanager
def _period_open_for(date: datetime.date):
    """The year-end posts on the last and first day even if those months were closed: the period
    is opened for the posting and put back as it was (the audit event of the close records it)."""
    period = Period.objects.select_for_update().filter(start_date__lte=date, end_date__gte=date).first()
    before = period.state if period else None
    if period is not None and before != PeriodState.OPEN:
        Period.objects.filter(pk=period.pk).update(state=PeriodState.OPEN)
    try:
        yield
    finally:
        if period is not None and before != PeriodState.OPEN:
            Period.objects.filter(pk=period.pk).update(state=before)


def _parties(rows) -> dict:
    from apps.crm.models import Party

    ids = {row["party_id"] for row in rows if row["party_id"]}
    return Party.objects.in_bulk(ids) if ids else {}


def _cancelling(row, accounts, parties, description) -> LineSpec:
    balance = row["balance"]
    return LineSpec(account=accounts[row["account_id"]], party=parties.get(row["party_id"]),
                    debit=-balance if balance < 0 else ZERO, credit=balance if balance > 0 else ZERO,
                    description=description)


def _check_closable(fiscal_year, closing_date) -> None:
    if year_end_entries(fiscal_year):
        raise AccountingError(_("El ejercicio %s ya está cerrado.") % fiscal_year.name)
    if fiscal_year.state == FiscalYearState.LOCKED:
        raise AccountingError(_("El ejercicio %s está bloqueado: no se puede cerrar.") % fiscal_year.name)
    if not fiscal_year.start_date <= closing_date <= fiscal_year.end_date:
        raise AccountingError(_("La fecha de cierre debe estar dentro del ejercicio %s.") % fiscal_year.name,
                              field="closing_date")
    drafts = fiscal_year.entries.filter(state=EntryState.DRAFT).count()
    if drafts:
        raise AccountingError(_("El ejercicio %(year)s tiene %(n)d asientos en borrador: contabilícelos o bórrelos "
                                "antes del cierre.") % {"year": fiscal_year.name, "n": drafts})
    later = fiscal_year.entries.filter(state=EntryState.POSTED, date__gt=closing_date).first()
    if later is not None:
        raise AccountingError(_("El asiento %(entry)s tiene fecha %(date)s, posterior a la de cierre.")
                              % {"entry": later, "date": later.date.strftime("%d/%m/%Y")}, field="closing_date")
    previous = _previous_open_year(fiscal_year)
    if previous is not None:
        raise AccountingError(_("Cierre antes el ejercicio %s.") % previous.name)


def _next_year_for(*, actor, fiscal_year) -> FiscalYear:
    next_year = _next_year(fiscal_year)
    if next_year is None:
        start = fiscal_year.end_date + datetime.timedelta(days=1)
        if (fiscal_year.start_date.month, fiscal_year.start_date.day, fiscal_year.end_date.month,
                fiscal_year.end_date.day) == (1, 1, 12, 31):
            next_year = fiscal_year_for_calendar_year(actor=actor, year=start.year)
        else:
            end = fiscal_year.end_date.replace(year=fiscal_year.end_date.year + 1)
            next_year = fiscal_year_create(actor=actor, name=f"{start.year}-{end.year}", start_date=start,
                                           end_date=end)
    if next_year.start_date != fiscal_year.end_date + datetime.timedelta(days=1):
        raise AccountingError(_("El ejercicio %s no empieza al día siguiente del cierre.") % next_year.name)
    if next_year.state != FiscalYearState.OPEN:
        raise AccountingError(_("El ejercicio %s no está abierto: no se puede contabilizar la apertura.")
                              % next_year.name)
    return next_year


@transaction.atomic
def year_end_close(*, actor, fiscal_year: FiscalYear, closing_date: datetime.date | None = None) -> dict:
    """Regularises, closes and opens the next year; returns {"regularisation", "closing",
    "opening", "next_year", "result"}. Nothing is written if any step is refused."""
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    closing_date = closing_date or fiscal_year.end_date
    _check_closable(fiscal_year, closing_date)
    if fiscal_year.state != FiscalYearState.OPEN:  # closed by hand without year-end entries
        fiscal_year_set_state(actor=actor, fiscal_year=fiscal_year, state=FiscalYearState.OPEN)
    source = year_end_source(fiscal_year)
    year_result = mapped_account("year_result")

    rows = _balances(date_from=fiscal_year.start_date, date_to=fiscal_year.end_date)
    odd = sorted({row["code"] for row in rows if row["code"][:1] in EQUITY_ADJUSTMENT_GROUPS})
    if odd:
        raise AccountingError(_("Las cuentas %s (grupos 8 y 9) tienen saldo: regularícelas contra sus cuentas del "
                                "grupo 13 antes del cierre.") % ", ".join(odd[:10]))
    result_rows = [row for row in rows if row["code"][:1] in RESULT_GROUPS]
    accounts = Account.objects.in_bulk({row["account_id"] for row in rows} | {year_result.pk})
    parties = _parties(rows)
    # Regularisation: group 6 debit balances credited, group 7 credit balances debited, difference to 129.
    regularisation, result = None, -sum((row["balance"] for row in result_rows), ZERO)
    with _period_open_for(closing_date):
        if result_rows:
            lines = [_cancelling(row, accounts, parties, _("Regularización")) for row in result_rows]
            if result:
                lines.append(LineSpec(account=year_result, credit=result if result > 0 else ZERO,
                                      debit=-result if result < 0 else ZERO, description=_("Resultado del ejercicio")))
            regularisation = entry_post(
                actor=actor, date=closing_date, journal=JOURNAL, kind=EntryKind.REGULARISATION, source=source,
                description=_("Regularización del ejercicio %s") % fiscal_year.name, lines=lines)
        # Closing: every balance of groups 1-5 (129 included) up to the closing date, per account and party.
        closing_rows = [row for row in _balances(date_from=None, date_to=fiscal_year.end_date)
                        if row["code"][:1] in BALANCE_GROUPS]
        accounts.update(Account.objects.in_bulk({row["account_id"] for row in closing_rows} - set(accounts)))
        parties.update(_parties([row for row in closing_rows if row["party_id"] not in parties]))
        closing = None
        if closing_rows:
            closing = entry_post(
                actor=actor, date=closing_date, journal=JOURNAL, kind=EntryKind.CLOSING, source=source,
                description=_("Cierre del ejercicio %s") % fiscal_year.name,
                lines=[_cancelling(row, accounts, parties, _("Cierre")) for row in closing_rows])
    next_year = _next_year_for(actor=actor, fiscal_year=fiscal_year)
    opening = None
    if closing is not None:
        with _period_open_for(next_year.start_date):
            opening = entry_post(
                actor=actor, date=next_year.start_date, journal=JOURNAL, kind=EntryKind.OPENING, source=source,
                description=_("Apertura del ejercicio %s") % next_year.name,
                lines=[LineSpec(account=line.account, party=line.party, debit=line.credit, credit=line.debit,
                                description=_("Apertura"))
                       for line in closing.lines.select_related("account", "party").order_by("line_no")])
    fiscal_year_set_state(actor=actor, fiscal_year=fiscal_year, state=FiscalYearState.CLOSED)
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="year_end_close", obj=fiscal_year, changes={
        "result": [None, str(result)], "closing_date": [None, str(closing_date)],
        "entries": [None, [str(e) for e in (regularisation, closing, opening) if e is not None]],
        "next_year": [None, next_year.name]})
    return {"regularisation": regularisation, "closing": closing, "opening": opening, "next_year": next_year,
            "result": result}


@transaction.atomic
def year_end_reopen(*, actor, fiscal_year: FiscalYear) -> list[Entry]:
    """Undoes year_end_close: reopens the year and reverses its opening, closing and
    regularisation entries (see the module docstring). Returns the reversal entries."""
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    entries = year_end_entries(fiscal_year)
    if not entries:
        raise AccountingError(_("El ejercicio %s no tiene cierre que deshacer.") % fiscal_year.name)
    if fiscal_year.state == FiscalYearState.LOCKED:
        raise AccountingError(_("El ejercicio %s está bloqueado: desbloquéelo antes de deshacer el cierre.")
                              % fiscal_year.name)
    next_year = _next_year(fiscal_year)
    if next_year is not None:
        next_year = FiscalYear.objects.select_for_update().get(pk=next_year.pk)
        later = _later_entries(fiscal_year, next_year)
        if later:
            raise AccountingError(
                _("No se puede deshacer el cierre: el ejercicio %(year)s ya tiene %(n)d asientos contabilizados "
                  "además del de apertura. Anúlelos antes.") % {"year": next_year.name, "n": later})
        if entries.get(EntryKind.OPENING) and next_year.state != FiscalYearState.OPEN:
            raise AccountingError(_("Reabra antes el ejercicio %s.") % next_year.name)
    fiscal_year_set_state(actor=actor, fiscal_year=fiscal_year, state=FiscalYearState.OPEN)
    reversals = []
    for kind in (EntryKind.OPENING, EntryKind.CLOSING, EntryKind.REGULARISATION):
        entry = entries.get(kind)
        if entry is None:
            continue
        with _period_open_for(entry.date):
            reversals.append(entry_reverse(
                actor=actor, entry=entry,
                description=_("Anulación de la %(kind)s del ejercicio %(year)s")
                % {"kind": entry.get_kind_display().lower(), "year": fiscal_year.name}))
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="year_end_reopen", obj=fiscal_year, changes={
        "state": [FiscalYearState.CLOSED, FiscalYearState.OPEN],
        "reversed": [[str(e) for e in entries.values()], [str(e) for e in reversals]]})
    return reversals


def year_end_result_message(result: dict) -> str:
    """A one-line Spanish summary of a close, for pages and commands."""
    amount = result["result"]
    what = _("beneficio") if amount >= 0 else _("pérdida")
    return _("Ejercicio cerrado con un %(what)s de %(amount)s; apertura en %(next)s.") % {
        "what": what, "amount": format_eur(abs(amount)), "next": result["next_year"].name}


__all__ = [
    "year_end_close", "year_end_entries", "year_end_preview", "year_end_reopen", "year_end_result_message",
    "year_end_source",
]
