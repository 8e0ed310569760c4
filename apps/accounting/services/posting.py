"""The one door every domain uses to write the books: entry_post and friends.

Posted entries get the next number of their fiscal year under a row lock, so numbers have
no gaps and no duplicates however many people post at once; a rolled-back post gives its
number back. Posted entries are never changed: entry_reverse writes the mirror entry.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounting.choices import EntryKind, EntryState
from apps.accounting.errors import (
    AccountingError, AccountNotPostableError, ClosedPeriodError, PostedEntryImmutableError, UnbalancedEntryError,
)
from apps.accounting.models import Account, Entry, EntryLine, Journal, Tax
from apps.accounting.services.periods import period_for_date
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.core.money import format_eur

ZERO = Decimal("0.00")


@dataclass
class LineSpec:
    """One apunte to post. `account` is an Account or its code."""

    account: object
    debit: Decimal | str | int = ZERO
    credit: Decimal | str | int = ZERO
    party: object = None
    description: str = ""
    tax: object = None
    tax_base: Decimal | str | None = None
    line_of_business: str = ""
    insurer: object = None
    branch: str = ""
    extra: dict = field(default_factory=dict)


def _amount(value, *, index: int, name: str) -> Decimal:
    if isinstance(value, float):
        raise AccountingError(_("Línea %(n)s: el importe debe ser decimal, no flotante.") % {"n": index},
                              field=f"lines.{index}.{name}")
    try:
        amount = Decimal(value if value not in (None, "") else 0)
    except (InvalidOperation, TypeError, ValueError):
        raise AccountingError(_("Línea %(n)s: «%(v)s» no es un importe.") % {"n": index, "v": value},
                              field=f"lines.{index}.{name}") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise AccountingError(_("Línea %(n)s: el importe %(v)s tiene más de dos decimales.") % {"n": index, "v": value},
                              field=f"lines.{index}.{name}")
    if amount < 0:
        raise AccountingError(_("Línea %(n)s: los importes no pueden ser negativos; use la otra columna.")
                              % {"n": index}, field=f"lines.{index}.{name}")
    return amount.quantize(Decimal("0.01"))


def _as_spec(line) -> LineSpec:
    if isinstance(line, LineSpec):
        return line
    if isinstance(line, dict):
        known = {k: v for k, v in line.items() if k in LineSpec.__dataclass_fields__}
        return LineSpec(**known)
    raise AccountingError(_("Formato de línea no válido."))


def _resolve_accounts(specs: list[LineSpec]) -> dict:
    codes = {s.account for s in specs if isinstance(s.account, str)}
    ids = {s.account for s in specs if isinstance(s.account, int)}
    found = {}
    if codes or ids:
        from django.db.models import Q

        for account in Account.objects.filter(Q(code__in=codes) | Q(pk__in=ids)):
            found[account.code] = account
            found[account.pk] = account
    return found


def _build_lines(specs: list[LineSpec], *, date: datetime.date) -> tuple[list[EntryLine], Decimal]:
    if len(specs) < 2:
        raise UnbalancedEntryError(_("Un asiento necesita al menos dos apuntes."), field="lines")
    accounts = _resolve_accounts(specs)
    lines, debit_total, credit_total = [], ZERO, ZERO
    for index, spec in enumerate(specs, start=1):
        account = spec.account if isinstance(spec.account, Account) else accounts.get(spec.account)
        if account is None:
            raise AccountingError(_("Línea %(n)s: la cuenta %(code)s no existe.") % {"n": index, "code": spec.account},
                                  field=f"lines.{index}.account")
        if not account.is_postable:
            raise AccountNotPostableError(
                _("Línea %(n)s: la cuenta %(code)s tiene subcuentas; contabilice en una de ellas.")
                % {"n": index, "code": account.code}, field=f"lines.{index}.account")
        if not account.is_active:
            raise AccountNotPostableError(_("Línea %(n)s: la cuenta %(code)s está dada de baja.")
                                          % {"n": index, "code": account.code}, field=f"lines.{index}.account")
        debit = _amount(spec.debit, index=index, name="debit")
        credit = _amount(spec.credit, index=index, name="credit")
        if debit and credit:
            raise AccountingError(_("Línea %(n)s: un apunte va al debe o al haber, no a los dos.") % {"n": index},
                                  field=f"lines.{index}.debit")
        if not debit and not credit:
            raise AccountingError(_("Línea %(n)s: el apunte no tiene importe.") % {"n": index},
                                  field=f"lines.{index}.debit")
        tax = spec.tax
        if isinstance(tax, str):
            tax = Tax.objects.filter(code=tax).first()
            if tax is None:
                raise AccountingError(_("Línea %(n)s: el impuesto %(t)s no existe.") % {"n": index, "t": spec.tax},
                                      field=f"lines.{index}.tax")
        party = spec.party if spec.party is not None else account.party
        lines.append(EntryLine(
            line_no=index, account=account, party=party, debit=debit, credit=credit,
            description=(spec.description or "")[:250], tax=tax,
            tax_base=None if spec.tax_base is None else Decimal(spec.tax_base),
            line_of_business=spec.line_of_business or "", insurer=spec.insurer, branch=spec.branch or "", date=date,
        ))
        debit_total += debit
        credit_total += credit
    if debit_total != credit_total:
        raise UnbalancedEntryError(
            _("El asiento no cuadra: debe %(d)s, haber %(c)s (diferencia %(diff)s).")
            % {"d": format_eur(debit_total), "c": format_eur(credit_total),
               "diff": format_eur(debit_total - credit_total)}, field="lines")
    return lines, debit_total


def _journal(journal) -> Journal:
    if isinstance(journal, Journal):
        return journal
    found = Journal.objects.filter(code=journal).first()
    if found is None:
        raise AccountingError(_("El diario %s no existe.") % journal, field="journal")
    return found


def _lock_books() -> None:
    # Same order as every audited write (audit chain first), so posting never deadlocks with it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"audit:{connection.schema_name}"])


def _next_number(fiscal_year) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounting_fiscalyear SET last_entry_number = last_entry_number + 1 "
            "WHERE id = %s AND state = 'open' RETURNING last_entry_number", [fiscal_year.pk])
        row = cursor.fetchone()
    if row is None:
        raise ClosedPeriodError(_("El ejercicio %s ya no está abierto.") % fiscal_year.name, field="date")
    return row[0]


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def entry_post(*, actor, date: datetime.date, description: str, lines: list, journal="GEN",
               kind: str = EntryKind.NORMAL, source: str = "", draft: bool = False, reversal_of=None) -> Entry:
    """Validates and writes an entry; posted (numbered) unless `draft`."""
    if not (description or "").strip():
        raise AccountingError(_("Indique el concepto del asiento."), field="description")
    if not isinstance(date, datetime.date):
        raise AccountingError(_("Indique la fecha del asiento."), field="date")
    journal = _journal(journal)
    specs = [_as_spec(line) for line in lines]
    built, total = _build_lines(specs, date=date)
    if not draft:
        _lock_books()
    period = period_for_date(date, for_update=not draft)
    entry = Entry(fiscal_year=period.fiscal_year, period=period, journal=journal, date=date,
                  description=description.strip()[:250], kind=kind, source=source[:80], total=total,
                  reversal_of=reversal_of, created_by=_actor(actor), updated_by=_actor(actor))
    if not draft:
        entry.number = _next_number(period.fiscal_year)
        entry.state = EntryState.POSTED
        entry.posted_at = timezone.now()
        entry.posted_by = _actor(actor)
    entry.save(force_insert=True)
    for line in built:
        line.entry = entry
        line.is_posted = not draft
    EntryLine.objects.bulk_create(built)
    audit_event_record(actor=actor, action=AuditAction.CREATE if draft else AuditAction.ACTION,
                       verb="" if draft else "post", obj=entry,
                       changes={"number": [None, entry.number], "date": [None, str(date)],
                                "total": [None, str(total)], "journal": [None, journal.code]})
    publish("accounting.entry.created" if draft else "accounting.entry.posted", pk=entry.pk)
    return entry


def entry_draft_create(*, actor, **kwargs) -> Entry:
    return entry_post(actor=actor, draft=True, **kwargs)


def _locked_draft(entry) -> Entry:
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != EntryState.DRAFT:
        raise PostedEntryImmutableError(
            _("El asiento %s está contabilizado: no se modifica ni se borra, se anula con otro asiento.") % entry)
    return entry


@transaction.atomic
def entry_draft_update(*, actor, entry: Entry, date: datetime.date, description: str, lines: list,
                       journal=None) -> Entry:
    entry = _locked_draft(entry)
    built, total = _build_lines([_as_spec(line) for line in lines], date=date)
    period = period_for_date(date)
    entry.lines.all().delete()
    entry.date, entry.description, entry.total = date, description.strip()[:250], total
    entry.period, entry.fiscal_year = period, period.fiscal_year
    if journal is not None:
        entry.journal = _journal(journal)
    entry.updated_by = _actor(actor)
    entry.version += 1
    entry.save()
    for line in built:
        line.entry = entry
    EntryLine.objects.bulk_create(built)
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=entry,
                       changes={"date": [None, str(date)], "total": [None, str(total)]})
    return entry


@transaction.atomic
def entry_draft_delete(*, actor, entry: Entry) -> None:
    entry = _locked_draft(entry)
    audit_event_record(actor=actor, action=AuditAction.DELETE, obj=entry, changes={"total": [str(entry.total), None]})
    entry.delete()


@transaction.atomic
def entry_post_draft(*, actor, entry: Entry) -> Entry:
    """Posts a draft: re-validates its lines and numbers it."""
    entry = _locked_draft(entry)
    lines = list(entry.lines.select_related("account"))
    specs = [LineSpec(account=line.account, debit=line.debit, credit=line.credit, party=line.party,
                      description=line.description, tax=line.tax, tax_base=line.tax_base,
                      line_of_business=line.line_of_business, insurer=line.insurer, branch=line.branch)
             for line in lines]
    _build_lines(specs, date=entry.date)
    _lock_books()
    period = period_for_date(entry.date, for_update=True)
    entry.number = _next_number(period.fiscal_year)
    entry.state = EntryState.POSTED
    entry.posted_at = timezone.now()
    entry.posted_by = _actor(actor)
    entry.version += 1
    entry.save()
    entry.lines.update(is_posted=True)
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="post", obj=entry,
                       changes={"state": [EntryState.DRAFT, EntryState.POSTED], "number": [None, entry.number]})
    publish("accounting.entry.posted", pk=entry.pk)
    return entry


@transaction.atomic
def entry_reverse(*, actor, entry: Entry, date: datetime.date | None = None, description: str = "") -> Entry:
    """Posts the mirror of a posted entry (debits and credits swapped) and links both."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != EntryState.POSTED:
        raise AccountingError(_("Solo se anulan asientos contabilizados; un borrador se borra."))
    if Entry.objects.filter(reversal_of=entry).exists():
        raise AccountingError(_("El asiento %s ya está anulado.") % entry)
    if entry.kind == EntryKind.REVERSAL:
        raise AccountingError(_("El asiento %s es una anulación; contabilice de nuevo el original si procede.") % entry)
    date = date or entry.date
    if date < entry.date:
        raise AccountingError(_("La anulación no puede ser anterior al asiento anulado."), field="date")
    mirror = [LineSpec(account=line.account, debit=line.credit, credit=line.debit, party=line.party,
                       description=line.description, tax=line.tax,
                       tax_base=None if line.tax_base is None else -line.tax_base,
                       line_of_business=line.line_of_business, insurer=line.insurer, branch=line.branch)
              for line in entry.lines.select_related("account", "party", "insurer", "tax")]
    return entry_post(actor=actor, date=date, journal=entry.journal, kind=EntryKind.REVERSAL,
                      description=(description or _("Anulación del asiento %s") % entry)[:250],
                      lines=mirror, source=entry.source, reversal_of=entry)
