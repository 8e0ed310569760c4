"""What happens to a receipt: collected (fully or in part), returned (devolución), cancelled.

A receipt's amounts never change; each collection or return is a ReceiptMovement row, so a
settlement can keep the rows it took. Receipts the broker collects post to the books through
accounting: Dr bank / Cr the insurer's current account (journal COB); a return reverses that
entry. A negative receipt (refund, extorno) is "collected" by paying the client back: a
REFUND_PAID movement and the entry with its sides swapped. Commission rows follow every step
(services.commissions). Nothing is written when a rule refuses.
"""
import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounting.services import entry_post, entry_reverse, mapped_account
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collections.choices import CollectionChannel, ReceiptCollector, ReceiptMovementKind, ReceiptState
from apps.collections.models import Receipt, ReceiptMovement
from apps.collections.services import errors
from apps.collections.services.accounts import insurer_account
from apps.collections.services.commissions import commission_on_cancel, commission_on_collection, commission_on_return
from apps.core.events import publish
from apps.core.money import format_eur

JOURNAL = "COB"
COLLECTABLE = (ReceiptState.ISSUED, ReceiptState.PARTIAL, ReceiptState.RETURNED)
RETURNABLE = (ReceiptState.COLLECTED, ReceiptState.PARTIAL)
CANCELLABLE = (ReceiptState.ISSUED, ReceiptState.RETURNED)


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _locked(receipt) -> Receipt:
    return (Receipt.objects.select_for_update(of=("self",)).select_related("policy", "insurer", "agreement")
            .get(pk=getattr(receipt, "pk", receipt)))


def _check_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise errors.bad_date()
    return value


def _amount(value) -> Decimal:
    if isinstance(value, float):
        raise errors.bad_amount()
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise errors.bad_amount() from None
    if not amount.is_finite() or not amount or amount != amount.quantize(Decimal("0.01")):
        raise errors.bad_amount()
    return amount.quantize(Decimal("0.01"))


def _record(receipt, *, actor, verb: str, event: str, changes: dict) -> None:
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb=verb, obj=receipt, changes=changes)
    publish(f"collections.receipt.{event}", pk=receipt.pk, policy=receipt.policy_id, number=receipt.number)


def _save(receipt, actor, *fields) -> None:
    receipt.updated_by = _actor(actor)
    receipt.version += 1
    receipt.save(update_fields=[*fields, "updated_by", "updated_at", "version"])


def _post_collection(*, actor, receipt, amount: Decimal, date: datetime.date, description: str = "", bank=None):
    """Dr bank / Cr insurer current account for a collection; sides swapped for a refund paid
    (or for the return of a collection whose entry it shares with others, e.g. a remittance)."""
    bank, insurer = bank or mapped_account("bank"), insurer_account(receipt.insurer, actor=actor)
    party = receipt.insurer.party
    value = abs(amount)
    if amount > 0:
        description = description or _("Cobro del recibo %(number)s (%(holder)s)")
        lines = [{"account": bank, "debit": value}, {"account": insurer, "credit": value}]
    else:
        description = description or _("Pago del extorno %(number)s (%(holder)s)")
        lines = [{"account": insurer, "debit": value}, {"account": bank, "credit": value}]
    for line in lines:
        line.update(insurer=party, line_of_business=receipt.policy.line.code if receipt.policy_id else "",
                    description=description % {"number": receipt.number, "holder": receipt.policyholder})
    return entry_post(actor=actor, date=date, journal=JOURNAL, lines=lines, source=f"receipt:{receipt.pk}",
                      description=description % {"number": receipt.number, "holder": receipt.policyholder})


@transaction.atomic
def receipt_collect(*, actor, receipt, date: datetime.date, amount: Decimal | None = None, channel: str,
                    at: datetime.datetime | None = None, entry=None, bank=None) -> Receipt:
    """Collects `amount` (None: all that is outstanding) on `date` through `channel`. Less than
    the outstanding leaves the receipt PARTIAL; more is refused. A returned receipt may be
    collected again. For a refund the amount is what is paid back to the client. `entry`: the
    caller already posted this collection in a combined entry (a SEPA remittance's charge). `bank`: the
    ledger account of the bank the money reached (default: the «bank» role's account)."""
    receipt = _locked(receipt)
    if receipt.state == ReceiptState.CANCELLED:
        raise errors.cancelled(receipt)
    if receipt.state == ReceiptState.COLLECTED:
        raise errors.already_collected(receipt)
    date = _check_date(date)
    if channel not in CollectionChannel.values:
        raise errors.bad_channel()
    outstanding = receipt.outstanding
    amount = outstanding if amount is None else _amount(amount)
    if outstanding < 0 < amount:  # a refund given as a positive figure
        amount = -amount
    if not amount or (amount > 0) != (outstanding > 0):
        raise errors.bad_amount()
    if abs(amount) > abs(outstanding):
        raise errors.overpaid(receipt, amount, outstanding)
    before = receipt.state
    movement = ReceiptMovement(
        receipt=receipt, insurer_id=receipt.insurer_id, date=date, amount=amount, collector=receipt.collector,
        channel=channel, created_by=_actor(actor),
        kind=ReceiptMovementKind.COLLECTION if amount > 0 else ReceiptMovementKind.REFUND_PAID)
    if entry is not None:
        movement.entry = entry
    elif receipt.collector == ReceiptCollector.BROKER:
        movement.entry = _post_collection(actor=actor, receipt=receipt, amount=amount, date=date, bank=bank)
    movement.save()
    receipt.collected_amount += amount
    complete = receipt.collected_amount == receipt.total_premium
    receipt.state = ReceiptState.COLLECTED if complete else ReceiptState.PARTIAL
    receipt.collected_on, receipt.collected_at, receipt.channel = date, at or timezone.now(), channel
    _save(receipt, actor, "collected_amount", "state", "collected_on", "collected_at", "channel")
    commission_on_collection(actor=actor, receipt=receipt, movement=movement)
    _record(receipt, actor=actor, verb="receipt_collect", event="collected", changes={
        "state": [before, receipt.state], "importe": [None, str(amount)], "fecha": [None, date.isoformat()],
        "medio": [None, channel]})
    return receipt


def _entry_shared(movement) -> bool:
    """The movement's entry posts other collections too (a remittance): only its part is undone."""
    return ReceiptMovement.objects.filter(entry_id=movement.entry_id).exclude(pk=movement.pk).exists()


@transaction.atomic
def receipt_return(*, actor, receipt, date: datetime.date, reason: str, bank=None) -> Receipt:
    """A collected (or partly collected) receipt comes back: each live collection gets its RETURN
    row and its entry reversed on `date`, the commission is reversed, the receipt is RETURNED and
    may be collected again or cancelled. `bank`: the bank account (ledger Account) a shared entry
    (a remittance's charge) was posted to; the mapped bank account otherwise."""
    receipt = _locked(receipt)
    if receipt.state == ReceiptState.CANCELLED:
        raise errors.cancelled(receipt)
    if receipt.state not in RETURNABLE:
        raise errors.not_collected(receipt)
    date = _check_date(date)
    reason = (reason or "").strip()
    if not reason:
        raise errors.reason_required()
    collections = list(receipt.movements.filter(
        kind__in=(ReceiptMovementKind.COLLECTION, ReceiptMovementKind.REFUND_PAID), reversed_by__isnull=True)
        .select_related("entry").order_by("pk"))
    last = max(m.date for m in collections)
    if date < last:
        raise errors.bad_date(_("La devolución no puede ser anterior al cobro (%s).") % errors.date_text(last))
    for collection in collections:
        entry = None
        description = _("Devolución del recibo %(number)s: %(reason)s") % {"number": receipt.number, "reason": reason}
        if collection.entry_id and _entry_shared(collection):
            entry = _post_collection(actor=actor, receipt=receipt, amount=-collection.amount, date=date,
                                     description=_("Devolución del recibo %(number)s (%(holder)s)"), bank=bank)
        elif collection.entry_id:
            entry = entry_reverse(actor=actor, entry=collection.entry, date=date, description=description)
        ReceiptMovement.objects.create(
            receipt=receipt, insurer_id=receipt.insurer_id, kind=ReceiptMovementKind.RETURN, date=date,
            amount=-collection.amount, collector=collection.collector, channel=collection.channel,
            reason=reason[:200], reverses=collection, entry=entry, created_by=_actor(actor))
    commission_on_return(actor=actor, receipt=receipt, date=date)
    before, returned = receipt.state, receipt.collected_amount
    receipt.state, receipt.collected_amount = ReceiptState.RETURNED, Decimal("0.00")
    receipt.returned_on, receipt.return_reason = date, reason[:200]
    _save(receipt, actor, "state", "collected_amount", "returned_on", "return_reason")
    _record(receipt, actor=actor, verb="receipt_return", event="returned", changes={
        "state": [before, receipt.state], "importe": [str(returned), None], "fecha": [None, date.isoformat()],
        "motivo": [None, reason]})
    return receipt


@transaction.atomic
def receipt_collect_undo(*, actor, receipt, date: datetime.date, reason: str) -> Receipt:
    """A collection recorded by mistake (a bank reconciliation undone): undone as receipt_return does
    (RETURN row, entry reversed, commission reversed) but no devolución happened, so the receipt goes
    back to what it was before: ISSUED, or RETURNED with its earlier return date and reason."""
    receipt = _locked(receipt)
    earlier = (receipt.returned_on, receipt.return_reason)
    receipt = receipt_return(actor=actor, receipt=receipt, date=date, reason=reason)
    before = receipt.state
    receipt.returned_on, receipt.return_reason = earlier
    receipt.state = ReceiptState.RETURNED if earlier[0] else ReceiptState.ISSUED
    _save(receipt, actor, "state", "returned_on", "return_reason")
    _record(receipt, actor=actor, verb="receipt_collect_undo", event="collection_undone", changes={
        "state": [before, receipt.state], "motivo": [None, reason]})
    return receipt


@transaction.atomic
def receipt_cancel(*, actor, receipt, date: datetime.date, reason: str = "",
                   clawback_advance: bool = True) -> Receipt:
    """An issued or returned receipt that will not be paid. A collected one is returned first.
    What it still holds of its commission (earned on issue, up-front advance) is reversed;
    clawback_advance=False keeps the advance (a cancellation under a «no clawback» agreement)."""
    receipt = _locked(receipt)
    if receipt.state not in CANCELLABLE:
        raise errors.cannot_cancel(receipt)
    date = _check_date(date)
    commission_on_cancel(actor=actor, receipt=receipt, date=date, clawback_advance=clawback_advance)
    before = receipt.state
    receipt.state, receipt.cancelled_on = ReceiptState.CANCELLED, date
    if reason:
        receipt.notes = (receipt.notes + "\n" if receipt.notes else "") + _("Anulación: %s") % reason
    _save(receipt, actor, "state", "cancelled_on", "notes")
    _record(receipt, actor=actor, verb="receipt_cancel", event="cancelled", changes={
        "state": [before, receipt.state], "fecha": [None, date.isoformat()],
        **({"motivo": [None, reason]} if reason else {}), "importe": [str(receipt.total_premium), None]})
    return receipt


def receipt_summary(receipt) -> str:
    """«CV-1/001 · 100,00 € · Cobrado» for messages."""
    return f"{receipt.number} · {format_eur(receipt.total_premium)} · {ReceiptState(receipt.state).label}"
