"""Liquidación de IVA: the entry that closes a period's output and input VAT against Hacienda.

    D 477  IVA repercutido          its credit balance in the period
        H 472  IVA soportado        its debit balance in the period
        H 4750 Hacienda acreedora   the difference, when output VAT is larger (to pay), or
    D 4700 Hacienda deudora         the difference, when input VAT is larger (to offset/refund)

Posted in the general journal (GEN) with kind «vat_settlement» and source «vat:<from>:<to>».
Balances are the movements of the period's posted entries (per subaccount of 477 and 472),
leaving out opening, closing and regularisation entries and earlier settlements (and their
reversals). A period is settled once: a second settlement of the same or an overlapping span
is refused while the first one stands (reverse it to settle again).
"""
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from apps.accounting.choices import EntryKind, EntryState
from apps.accounting.errors import AccountingError
from apps.accounting.models import Entry, EntryLine
from apps.accounting.services.posting import LineSpec, _lock_books, entry_post
from apps.accounting.services.setup import mapped_account
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.money import format_eur

ZERO = Decimal("0.00")
SOURCE_PREFIX = "vat:"
NOT_PERIOD_MOVEMENTS = (EntryKind.OPENING, EntryKind.CLOSING, EntryKind.REGULARISATION)


class VatAlreadySettledError(AccountingError):
    code = "vat_already_settled"
    status = 409


class NothingToSettleError(AccountingError):
    code = "vat_nothing_to_settle"


def settlement_source(date_from: datetime.date, date_to: datetime.date) -> str:
    return f"{SOURCE_PREFIX}{date_from.isoformat()}:{date_to.isoformat()}"


def _span(source: str):
    try:
        _prefix, start, end = source.split(":")
        return datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    except ValueError:
        return None


def _check_dates(date_from, date_to, date) -> None:
    for name, value, label in (("date_from", date_from, _("el inicio del periodo")),
                               ("date_to", date_to, _("el final del periodo")),
                               ("date", date, _("la fecha del asiento"))):
        if not isinstance(value, datetime.date):
            raise AccountingError(_("Indique %s.") % label, field=name)
    if date_from > date_to:
        raise AccountingError(_("El periodo termina antes de empezar."), field="date_to")
    if date < date_to:
        raise AccountingError(_("La liquidación se contabiliza al final del periodo o después (no antes del %s).")
                              % date_to.strftime("%d/%m/%Y"), field="date")


def existing_settlement(date_from, date_to) -> Entry | None:
    """The standing settlement whose span overlaps [date_from, date_to], if any."""
    candidates = (Entry.objects.filter(kind=EntryKind.VAT_SETTLEMENT, state=EntryState.POSTED,
                                       source__startswith=SOURCE_PREFIX, reversed_by__isnull=True)
                  .select_related("fiscal_year").order_by("date", "pk"))
    for entry in candidates:
        span = _span(entry.source)
        if span and span[0] <= date_to and date_from <= span[1]:
            return entry
    return None


def _balances(prefix: str, date_from, date_to) -> list[tuple]:
    rows = (EntryLine.objects
            .filter(is_posted=True, date__gte=date_from, date__lte=date_to, account__code__startswith=prefix)
            .exclude(Q(entry__kind__in=NOT_PERIOD_MOVEMENTS) | Q(entry__source__startswith=SOURCE_PREFIX))
            .values("account_id", "account__code")
            .annotate(debit=Sum("debit"), credit=Sum("credit"))
            .order_by("account__code"))
    return [(row["account_id"], row["account__code"], (row["debit"] or ZERO) - (row["credit"] or ZERO)) for row in rows]


def _line(account_id, amount: Decimal, *, debit: bool, description: str) -> LineSpec:
    """`amount` on the debit (or credit) side; a negative amount goes to the other side."""
    if amount < 0:
        amount, debit = -amount, not debit
    return LineSpec(account=account_id, description=description,
                    debit=amount if debit else ZERO, credit=ZERO if debit else amount)


def vat_settlement_preview(*, date_from, date_to) -> dict:
    """What vat_settle would post for the span: lines, output and input VAT and the result."""
    output_account, input_account = mapped_account("vat_output"), mapped_account("vat_input")
    output = _balances(output_account.code, date_from, date_to)
    inputs = _balances(input_account.code, date_from, date_to)
    description = _("Liquidación de IVA")
    lines = []
    output_total = input_total = ZERO
    for account_id, code, balance in output:
        if balance:
            lines.append((code, _line(account_id, -balance, debit=True, description=description)))
            output_total -= balance
    for account_id, code, balance in inputs:
        if balance:
            lines.append((code, _line(account_id, balance, debit=False, description=description)))
            input_total += balance
    result = output_total - input_total
    if result > 0:
        account = mapped_account("vat_payable")
        lines.append((account.code, _line(account.pk, result, debit=False, description=description)))
    elif result < 0:
        account = mapped_account("vat_receivable")
        lines.append((account.code, _line(account.pk, -result, debit=True, description=description)))
    return {"date_from": date_from, "date_to": date_to, "output": output_total, "input": input_total,
            "result": result, "lines": lines, "existing": existing_settlement(date_from, date_to)}


def _span_text(date_from, date_to) -> str:
    return _("del %(a)s al %(b)s") % {"a": date_from.strftime("%d/%m/%Y"), "b": date_to.strftime("%d/%m/%Y")}


@transaction.atomic
def vat_settle(*, actor, date_from: datetime.date, date_to: datetime.date, date: datetime.date) -> Entry:
    """Posts the VAT settlement of [date_from, date_to] on `date`; refuses a settled span or one
    with nothing to settle."""
    _check_dates(date_from, date_to, date)
    _lock_books()  # serialises settlements: the duplicate check below cannot race
    previous = existing_settlement(date_from, date_to)
    if previous is not None:
        raise VatAlreadySettledError(
            _("El IVA de ese periodo ya está liquidado en el asiento %(entry)s (%(span)s). Anule ese asiento si "
              "necesita repetir la liquidación.") % {"entry": previous, "span": _span_text(*_span(previous.source))},
            field="date_from")
    preview = vat_settlement_preview(date_from=date_from, date_to=date_to)
    if not preview["lines"]:
        raise NothingToSettleError(
            _("No hay IVA que liquidar %s: las cuentas de IVA repercutido y soportado no tienen movimientos en el "
              "periodo.") % _span_text(date_from, date_to), field="date_from")
    entry = entry_post(
        actor=actor, date=date, journal="GEN", kind=EntryKind.VAT_SETTLEMENT,
        source=settlement_source(date_from, date_to),
        description=f"{_('Liquidación de IVA')} {_span_text(date_from, date_to)}",
        lines=[spec for _code, spec in preview["lines"]])
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="vat_settle", obj=entry, changes={
        "period": [None, f"{date_from.isoformat()}/{date_to.isoformat()}"],
        "result": [None, format_eur(preview["result"])]})
    return entry
