"""Receipts and commissions when the policy changes: cancellation, reactivation, endorsement.
These run inside the policy's own transaction (services.policy_hooks).

Cancellation effective D: live receipts not collected (issued, returned) of periods starting on
or after D are cancelled; a collected receipt whose period runs past D gets a REFUND receipt for
the days from D on (negative amounts, pro rata of the period's days). Commission by the
agreement's clawback_rule: PRO_RATA -> each refund carries its commission pro rata, clawed back
at once (CLAWBACK row), and up-front receipts give back their share of the advance; FULL_WITHIN
-> everything the broker earned comes back when D is within clawback_months of the start (see
commissions.commission_clawback); NONE -> no clawback.
Reactivation: the cancellation's clawback rows are undone, the receipts it cancelled are issued
again (same amounts and commission terms, new numbers) and its unpaid refunds are cancelled.
Endorsement effective E: issued receipts of periods starting on/after E are replaced at the new
version's amounts; the period containing E and the collected ones after it get ONE receipt
each for the difference, pro rata of the days from E (ENDORSEMENT if positive, REFUND if negative).
"""
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.collections.choices import PERIOD_KINDS
from apps.collections.choices import CommissionMovementKind as Kind
from apps.collections.choices import ReceiptKind, ReceiptState
from apps.collections.models import Receipt
from apps.collections.services.commissions import (
    advance_held, clawback_rule, commission_clawback, commission_clawback_undo, commission_movement_add,
    commission_on_issue,
)
from apps.collections.services.receipts import receipt_cancel
from apps.collections.services.receipts_generate import AMOUNT_FIELDS, build_receipt, period_plan
from apps.insurance.choices import ClawbackRule, PolicyState
from apps.insurance.models import PolicyStateChange
from apps.insurance.rating import money

ZERO = Decimal("0.00")
ONE_DAY = datetime.timedelta(days=1)


class _Slice:
    """Amounts (and dates) of a new receipt: a PeriodPlan-like object."""

    def __init__(self, start, end, **amounts):
        self.start, self.end = start, end
        for name in AMOUNT_FIELDS:
            setattr(self, name, amounts.get(name, ZERO))


def _live_period_receipts(policy):
    return (Receipt.objects.filter(policy=policy, kind__in=PERIOD_KINDS).exclude(state=ReceiptState.CANCELLED)
            .select_related("agreement").order_by("period_start"))


def _next_sequence(policy) -> int:
    last = Receipt.objects.filter(policy=policy).order_by("-sequence").values_list("sequence", flat=True).first()
    return (last or 0) + 1


def _fraction(start: datetime.date, end: datetime.date, since: datetime.date) -> tuple[int, int]:
    """(days from `since` to `end`, days of the period) for a pro-rata share."""
    return (end - max(since, start)).days + 1, (end - start).days + 1


def _scaled(receipt_or_plan, factor_days: tuple[int, int], sign: int = 1) -> dict:
    days, period_days = factor_days
    return {name: sign * money(getattr(receipt_or_plan, name) * days / period_days) for name in AMOUNT_FIELDS}


def _issue_extra(policy, *, actor, kind: str, amounts: _Slice, source, rate: Decimal, commission: Decimal,
                 due_date: datetime.date, note: str) -> Receipt:
    receipt = build_receipt(policy, sequence=_next_sequence(policy), kind=kind, plan=amounts,
                            agreement=source.agreement, rate=rate, commission=commission, advance=ZERO, actor=actor,
                            due_date=due_date)
    receipt.notes = note
    receipt.save()
    return receipt


# --- Cancellation ---------------------------------------------------------------------------------

def receipts_on_policy_cancel(*, actor, policy, effective_date: datetime.date, **_kwargs) -> Decimal:
    """See module doc. Returns the cancellation's commission clawback (≤ 0)."""
    day = effective_date
    rule, _agreement = clawback_rule(policy)
    pro_rata = rule == ClawbackRule.PRO_RATA
    for receipt in list(_live_period_receipts(policy).filter(period_end__gte=day)):
        if receipt.state in (ReceiptState.ISSUED, ReceiptState.RETURNED):
            if receipt.period_start >= day:
                receipt_cancel(actor=actor, receipt=receipt, date=day, clawback_advance=pro_rata,
                               reason=_("anulación de la póliza"))
            continue
        if receipt.state != ReceiptState.COLLECTED:
            continue  # partly paid: settled by hand (return it, then it is cancelled or refunded)
        share = _fraction(receipt.period_start, receipt.period_end, day)
        amounts = _Slice(max(day, receipt.period_start), receipt.period_end, **_scaled(receipt, share, -1))
        commission = -money(receipt.commission_amount * share[0] / share[1]) if pro_rata else ZERO
        refund = _issue_extra(policy, actor=actor, kind=ReceiptKind.REFUND, amounts=amounts, source=receipt,
                              rate=receipt.commission_rate, commission=commission, due_date=day,
                              note=_("Extorno por anulación del recibo %s") % receipt.number)
        clawback = commission
        if pro_rata and receipt.advance_offset:
            clawback -= money(advance_held(receipt) * share[0] / share[1])
        commission_movement_add(actor=actor, policy=policy, receipt=refund, kind=Kind.CLAWBACK, date=day,
                                amount=clawback, base=refund.net_premium, rate=refund.commission_rate,
                                description=_("Extorno de comisión por anulación (recibo %s)") % refund.number)
    return commission_clawback(actor=actor, policy=policy, date=day)


# --- Reactivation ---------------------------------------------------------------------------------

def _cancellation_date(policy) -> datetime.date | None:
    change = (PolicyStateChange.objects.filter(policy=policy, to_state=PolicyState.CANCELLED)
              .order_by("-created_at", "-pk").first())
    return change.effective_date if change else None


def receipts_on_policy_reactivate(*, actor, policy, effective_date: datetime.date, **_kwargs) -> Decimal:
    """See module doc. Returns the commission that came back (≥ 0)."""
    cancelled_on = _cancellation_date(policy)
    if cancelled_on is None:
        return ZERO
    restored = commission_clawback_undo(actor=actor, policy=policy, date=cancelled_on, on=effective_date)
    for refund in list(Receipt.objects.filter(policy=policy, kind=ReceiptKind.REFUND, due_date=cancelled_on,
                                              state=ReceiptState.ISSUED)):
        receipt_cancel(actor=actor, receipt=refund, date=effective_date, reason=_("rehabilitación de la póliza"))
    live = set(_live_period_receipts(policy).values_list("period_start", flat=True))
    for old in Receipt.objects.filter(policy=policy, kind__in=PERIOD_KINDS, state=ReceiptState.CANCELLED,
                                      cancelled_on=cancelled_on).select_related("agreement").order_by("period_start"):
        if old.period_start in live:
            continue
        live.add(old.period_start)
        receipt = build_receipt(policy, sequence=_next_sequence(policy), kind=old.kind, plan=_Slice(
            old.period_start, old.period_end, **{name: getattr(old, name) for name in AMOUNT_FIELDS}),
            agreement=old.agreement, rate=old.commission_rate, commission=old.commission_amount,
            advance=old.advance_offset, actor=actor, version=old.policy_version, due_date=old.due_date,
            is_first=old.is_first_premium)
        receipt.notes = _("Reemisión por rehabilitación del recibo %s") % old.number
        receipt.save()
        commission_on_issue(actor=actor, receipt=receipt)
    return restored


# --- Endorsement ----------------------------------------------------------------------------------

def receipts_on_policy_endorse(*, actor, policy, effective_date: datetime.date, version, previous,
                               **_kwargs) -> list[Receipt]:
    """See module doc. Returns the receipts written (replacements and differences)."""
    day = effective_date
    new_plan = {plan.start: plan for plan in period_plan(policy, version)}
    old_plan = {plan.start: plan for plan in period_plan(policy, previous)}
    written = []
    for receipt in list(_live_period_receipts(policy).filter(period_end__gte=day)):
        new, old = new_plan.get(receipt.period_start), old_plan.get(receipt.period_start)
        if new is None or old is None:
            continue
        if all(getattr(new, name) == getattr(old, name) for name in AMOUNT_FIELDS):
            continue  # the endorsement does not change this period's premium
        if receipt.period_start >= day and receipt.state in (ReceiptState.ISSUED, ReceiptState.RETURNED):
            # The replacement keeps what the receipt held of an up-front advance; the rest of its
            # commission (the premium's change) is earned as usual.
            advance = advance_held(receipt) if receipt.advance_offset else ZERO
            receipt_cancel(actor=actor, receipt=receipt, date=day, clawback_advance=False,
                           reason=_("suplemento del %s") % day.strftime("%d/%m/%Y"))
            rate = receipt.commission_rate
            replacement = build_receipt(
                policy, sequence=_next_sequence(policy), kind=receipt.kind, plan=new, agreement=receipt.agreement,
                rate=rate, commission=money(new.net_premium * rate / 100) - advance, advance=advance,
                actor=actor, version=version, is_first=receipt.is_first_premium)
            replacement.notes = _("Sustituye al recibo %s por el suplemento") % receipt.number
            replacement.save()
            commission_on_issue(actor=actor, receipt=replacement)
            written.append(replacement)
            continue
        share = _fraction(receipt.period_start, receipt.period_end, day)
        diff = _Slice(max(day, receipt.period_start), receipt.period_end, **{
            name: money((getattr(new, name) - getattr(old, name)) * share[0] / share[1]) for name in AMOUNT_FIELDS})
        total = sum((getattr(diff, name) for name in AMOUNT_FIELDS), ZERO)
        if not total:
            continue
        extra = _issue_extra(policy, actor=actor, kind=ReceiptKind.ENDORSEMENT if total > 0 else ReceiptKind.REFUND,
                             amounts=diff, source=receipt, rate=receipt.commission_rate,
                             commission=money(diff.net_premium * receipt.commission_rate / 100),
                             due_date=max(day, receipt.period_start),
                             note=_("Diferencia del suplemento del %(date)s sobre el recibo %(number)s") % {
                                 "date": day.strftime("%d/%m/%Y"), "number": receipt.number})
        commission_on_issue(actor=actor, receipt=extra)
        written.append(extra)
    return written
