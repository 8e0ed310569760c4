"""The commission ledger rules. Every earning, reversal, advance and clawback is a signed row of
CommissionMovement; a reversal COPIES the amount of the row it reverses (never recomputes it), so
an operation and its reversal always add up to exactly 0,00. Each broker row (collaborator empty)
carries one row per CommissionShare of the policy: the collaborator's part of it, same kind.

Earned on collection: a collection earns money(commission × collected / total) minus what the
receipt already holds; the collection that completes the receipt earns the remainder, so the
receipt ends holding exactly its commission. Earned on issue: EARNED when the receipt is issued.
A return reverses every live EARNED/RESTORED row (REVERSED, reverses=row); a later collection
restores them (RESTORED, reverses=the REVERSED row) before earning anything new.
Up-front agreements: the policy gets one ADVANCE row at issue (the receipts' advance_offset
added up); the receipts carry commission 0. A returned receipt gives its part back (CLAWBACK
-advance_offset) and a re-collection takes it again (CLAWBACK_UNDONE, reverses=that row).
"""
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from apps.collections.choices import CommissionMovementKind as Kind
from apps.collections.choices import ReceiptKind, ReceiptState
from apps.collections.models import CommissionMovement, CommissionShare, Receipt
from apps.insurance.choices import ClawbackRule, CommissionEarnedOn
from apps.insurance.rating import money
from apps.insurance.services.policy_dates import add_months

ZERO = Decimal("0.00")
EARNING_KINDS = (Kind.EARNED, Kind.RESTORED)


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


# --- Rows -----------------------------------------------------------------------------------------

def share_rows(broker_row: CommissionMovement, shares, *, actor=None) -> list[CommissionMovement]:
    """Unsaved collaborator rows for a saved broker row that is not a reversal."""
    rows = []
    for share in shares:
        amount = money(broker_row.amount * share.share_pct / 100)
        if amount:
            rows.append(CommissionMovement(
                receipt_id=broker_row.receipt_id, policy_id=broker_row.policy_id, insurer_id=broker_row.insurer_id,
                collaborator_id=share.collaborator_id, kind=broker_row.kind, date=broker_row.date,
                base=broker_row.base, rate=share.share_pct, amount=amount, description=broker_row.description,
                source=broker_row, created_by=_actor(actor)))
    return rows


def commission_movement_add(*, actor, policy, kind: str, date: datetime.date, amount: Decimal, receipt=None,
                            base: Decimal = ZERO, rate: Decimal = ZERO, description: str = "",
                            reverses: CommissionMovement | None = None,
                            share_amounts: dict | None = None) -> CommissionMovement | None:
    """The broker row and its collaborators' rows. With `reverses` the amounts are copied, negated,
    from that row and from each of its share rows; `share_amounts` ({collaborator pk: amount})
    gives the collaborators' amounts instead of their percentage (a clawback of what each holds).
    A zero amount writes nothing (returns None)."""
    if reverses is not None:
        amount = -reverses.amount
        base, rate = reverses.base, reverses.rate
    amount = money(amount)
    if not amount:
        return None
    if reverses is not None:
        receipt_id, insurer_id = reverses.receipt_id, reverses.insurer_id
    elif receipt is not None:
        receipt_id, insurer_id = receipt.pk, receipt.insurer_id
    else:  # a policy-level row: `policy` is the Policy itself
        receipt_id, insurer_id = None, policy.insurer_id
    row = CommissionMovement.objects.create(
        receipt_id=receipt_id, policy_id=getattr(policy, "pk", policy), insurer_id=insurer_id, kind=kind, date=date,
        base=base, rate=rate, amount=amount, description=description[:250], reverses=reverses,
        created_by=_actor(actor))
    if reverses is not None:
        mirrored = [CommissionMovement(
            receipt_id=share.receipt_id, policy_id=share.policy_id, insurer_id=share.insurer_id,
            collaborator_id=share.collaborator_id, kind=kind, date=date, base=share.base, rate=share.rate,
            amount=-share.amount, description=description[:250], reverses=share, source=row,
            created_by=_actor(actor)) for share in reverses.shares.all()]
        CommissionMovement.objects.bulk_create(mirrored)
    elif share_amounts is not None:
        CommissionMovement.objects.bulk_create([CommissionMovement(
            receipt_id=row.receipt_id, policy_id=row.policy_id, insurer_id=row.insurer_id,
            collaborator_id=collaborator_id, kind=kind, date=date, base=base, rate=rate, amount=value,
            description=row.description, source=row, created_by=_actor(actor))
            for collaborator_id, value in share_amounts.items() if value])
    else:
        CommissionMovement.objects.bulk_create(share_rows(row, CommissionShare.objects.filter(policy_id=row.policy_id),
                                                          actor=actor))
    return row


def _broker_rows(receipt):
    return CommissionMovement.objects.filter(receipt=receipt, collaborator__isnull=True)


def _live(rows, kinds):
    """Rows of `kinds` that no other row reverses yet."""
    return list(rows.filter(kind__in=kinds, reversed_by__isnull=True).order_by("pk"))


def _earned_on_issue(receipt) -> bool:
    agreement = receipt.agreement
    return agreement is not None and agreement.earned_on == CommissionEarnedOn.ISSUE


def _booked_at_once(receipt) -> bool:
    """A refund receipt of a cancellation: its (negative) commission was clawed back when issued."""
    return receipt.kind == ReceiptKind.REFUND and _broker_rows(receipt).filter(kind=Kind.CLAWBACK).exists()


def earned_total(receipt) -> Decimal:
    """What the receipt holds now: its EARNED, REVERSED and RESTORED broker rows added up."""
    value = _broker_rows(receipt).filter(kind__in=(Kind.EARNED, Kind.REVERSED, Kind.RESTORED)).aggregate(
        total=Sum("amount"))["total"]
    return value or ZERO


def advance_held(receipt) -> Decimal:
    """The part of the advance this receipt still holds: its offset less what was clawed back."""
    if not receipt.advance_offset:
        return ZERO
    moved = _broker_rows(receipt).filter(kind__in=(Kind.CLAWBACK, Kind.CLAWBACK_UNDONE)).aggregate(
        total=Sum("amount"))["total"] or ZERO
    return receipt.advance_offset + moved


# --- Receipt events -------------------------------------------------------------------------------

def commission_on_issue(*, actor, receipt) -> CommissionMovement | None:
    """Earned-on-issue agreements: the receipt's commission is earned now (dated its due date)."""
    if not _earned_on_issue(receipt) or not receipt.commission_amount:
        return None
    return commission_movement_add(
        actor=actor, policy=receipt.policy_id, receipt=receipt, kind=Kind.EARNED, date=receipt.due_date,
        amount=receipt.commission_amount, base=receipt.net_premium, rate=receipt.commission_rate,
        description=_("Comisión del recibo %s (devengo a la emisión)") % receipt.number)


def _target(receipt) -> Decimal:
    if _earned_on_issue(receipt) or receipt.collected_amount == receipt.total_premium:
        return receipt.commission_amount
    if not receipt.total_premium:
        return ZERO
    return money(receipt.commission_amount * receipt.collected_amount / receipt.total_premium)


@transaction.atomic
def commission_on_collection(*, actor, receipt, movement) -> list[CommissionMovement]:
    """After `movement` was added to the receipt (collected_amount already includes it)."""
    if _booked_at_once(receipt):
        return []
    date, written = movement.date, []
    delta = _target(receipt) - earned_total(receipt)
    for reversed_row in _live(_broker_rows(receipt), (Kind.REVERSED,)):
        restore = -reversed_row.amount
        if not delta or abs(restore) > abs(delta) or (restore > 0) != (delta > 0):
            break
        written.append(commission_movement_add(
            actor=actor, policy=receipt.policy_id, kind=Kind.RESTORED, date=date, amount=restore,
            reverses=reversed_row, description=_("Restitución de la comisión del recibo %s por nuevo cobro")
            % receipt.number))
        delta -= restore
    if delta:
        written.append(commission_movement_add(
            actor=actor, policy=receipt.policy_id, receipt=receipt, kind=Kind.EARNED, date=date, amount=delta,
            base=receipt.net_premium, rate=receipt.commission_rate,
            description=_("Comisión del recibo %s (cobro)") % receipt.number))
    for clawback in _live(_broker_rows(receipt), (Kind.CLAWBACK,)):
        written.append(commission_movement_add(
            actor=actor, policy=receipt.policy_id, kind=Kind.CLAWBACK_UNDONE, date=date, amount=-clawback.amount,
            reverses=clawback, description=_("El recibo %s vuelve a consumir la comisión anticipada")
            % receipt.number))
    return [row for row in written if row is not None]


def _reverse_earnings(*, actor, receipt, date, description: str) -> list[CommissionMovement]:
    return [commission_movement_add(actor=actor, policy=receipt.policy_id, kind=Kind.REVERSED, date=date,
                                    amount=-row.amount, reverses=row, description=description)
            for row in _live(_broker_rows(receipt), EARNING_KINDS)]


def _claw_advance(*, actor, receipt, date, description: str) -> CommissionMovement | None:
    held = advance_held(receipt)
    if held <= 0:
        return None
    return commission_movement_add(actor=actor, policy=receipt.policy_id, receipt=receipt, kind=Kind.CLAWBACK,
                                   date=date, amount=-held, base=receipt.net_premium, rate=receipt.commission_rate,
                                   description=description)


@transaction.atomic
def commission_on_return(*, actor, receipt, date: datetime.date) -> list[CommissionMovement]:
    rows = _reverse_earnings(actor=actor, receipt=receipt, date=date,
                             description=_("Retrocesión de la comisión del recibo %s por devolución") % receipt.number)
    rows.append(_claw_advance(actor=actor, receipt=receipt, date=date,
                              description=_("Devolución del recibo %s: se extorna su parte de la comisión anticipada")
                              % receipt.number))
    return [row for row in rows if row is not None]


@transaction.atomic
def commission_on_cancel(*, actor, receipt, date: datetime.date, clawback_advance: bool = True
                         ) -> list[CommissionMovement]:
    """The receipt will never be paid: what it still holds (earned on issue) is reversed and, unless
    the policy's rule says otherwise, its part of an up-front advance is clawed back."""
    rows = _reverse_earnings(actor=actor, receipt=receipt, date=date,
                             description=_("Retrocesión de la comisión del recibo %s por anulación") % receipt.number)
    if clawback_advance:
        rows.append(_claw_advance(actor=actor, receipt=receipt, date=date,
                                  description=_("Anulación del recibo %s: se extorna su parte de la comisión "
                                                "anticipada") % receipt.number))
    return [row for row in rows if row is not None]


# --- Policy events --------------------------------------------------------------------------------

def clawback_rule(policy) -> tuple[str, object]:
    """(rule, agreement) of the agreement the policy's receipts were written under."""
    receipt = (Receipt.objects.filter(policy=policy, agreement__isnull=False).select_related("agreement")
               .order_by("sequence").first())
    if receipt is None:
        return ClawbackRule.NONE, None
    return receipt.agreement.clawback_rule, receipt.agreement


def cancellation_clawbacks(policy, date: datetime.date):
    """The live broker CLAWBACK rows a cancellation effective `date` wrote: policy-level ones, those
    of its refund receipts and those of the receipts it cancelled."""
    from django.db.models import Q

    return (CommissionMovement.objects.filter(policy=policy, collaborator__isnull=True, kind=Kind.CLAWBACK,
                                              reversed_by__isnull=True)
            .filter(Q(receipt__isnull=True, date=date) | Q(receipt__kind=ReceiptKind.REFUND, date=date)
                    | Q(receipt__state=ReceiptState.CANCELLED, receipt__cancelled_on=date))
            .order_by("pk"))


@transaction.atomic
def commission_clawback(*, actor, policy, date: datetime.date) -> Decimal:
    """After the cancellation's receipts were cancelled or refunded (services.receipts_policy): the
    FULL_WITHIN rule claws back everything the broker still holds on the policy when the
    cancellation falls within clawback_months of the start. Returns the cancellation's clawback
    (negative or 0,00)."""
    rule, agreement = clawback_rule(policy)
    if rule == ClawbackRule.FULL_WITHIN and date < add_months(policy.start_date, agreement.clawback_months):
        holdings = dict(CommissionMovement.objects.filter(policy=policy).values("collaborator_id")
                        .annotate(total=Sum("amount")).values_list("collaborator_id", "total").order_by())
        held = holdings.pop(None, None) or ZERO
        if held > 0:
            commission_movement_add(
                actor=actor, policy=policy, kind=Kind.CLAWBACK, date=date, amount=-held,
                share_amounts={pk: -value for pk, value in holdings.items()},
                description=_("Extorno íntegro de la comisión: póliza %(number)s anulada antes de %(months)s meses")
                % {"number": policy.number, "months": agreement.clawback_months})
    return cancellation_clawbacks(policy, date).aggregate(total=Sum("amount"))["total"] or ZERO


@transaction.atomic
def commission_clawback_undo(*, actor, policy, date: datetime.date, on: datetime.date | None = None) -> Decimal:
    """Reactivation: CLAWBACK_UNDONE rows reversing the clawback rows of the cancellation effective
    `date` (dated `on`, the reactivation, default `date`). Returns what came back (positive)."""
    total = ZERO
    for row in list(cancellation_clawbacks(policy, date)):
        commission_movement_add(actor=actor, policy=policy, kind=Kind.CLAWBACK_UNDONE, date=on or date,
                                amount=-row.amount, reverses=row,
                                description=_("Rehabilitación de la póliza: se anula el extorno de comisión"))
        total -= row.amount
    return total
