"""Reserve and payments of a claim. The reserve is what the claim is expected to cost (each change
is a ReserveChange row); payments consume it (paid_total is their sum); «reserve left» is
reserve - paid_total.

A payment is accepted only while the claim is accepted, reopened or paid, and never beyond the
reserve (paid_total + amount > reserve: refused with code «claim_over_reserve», 409) unless a
person allowed to approve it (can_approve_over_reserve) is named as approved_by; the payment then
keeps who approved it. The reserve is never negative nor set below what was already paid."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.claims.choices import ClaimState, PaymentPayee
from apps.claims.errors import ClaimError
from apps.claims.models import ClaimPayment, ReserveChange
from apps.claims.services.common import actor_or_none, locked, money, record, require_date, touch
from apps.core.money import format_eur

PAYABLE_STATES = (ClaimState.ACCEPTED, ClaimState.REOPENED, ClaimState.PAID)
# Until the lead adds Meta.permissions = [("approve_over_reserve", ...)] to Claim this approximates it.
OVER_RESERVE_PERMISSION = "claims.approve_over_reserve"


def can_approve_over_reserve(user) -> bool:
    """May `user` approve a payment beyond the claim's reserve?"""
    return bool(user is not None and getattr(user, "is_active", False) and user.has_perm(OVER_RESERVE_PERMISSION))


def reserve_left(claim):
    return claim.reserve - claim.paid_total


@transaction.atomic
def claim_reserve_set(*, actor, claim, amount, reason: str, date: datetime.date | None = None):
    """Sets the reserve to `amount` (>= 0 and not below what was paid) with its reason."""
    claim = locked(claim)
    amount = money(amount)
    reason = (reason or "").strip()
    if amount < 0:
        raise ClaimError(_("La reserva no puede ser negativa."), code="claim_amount", field="amount")
    if not reason:
        raise ClaimError(_("Indique el motivo del cambio de reserva."), code="claim_reason_required", field="reason")
    if claim.state == ClaimState.CLOSED:
        raise ClaimError(_("El siniestro %s está cerrado: reábralo para cambiar la reserva.") % claim.number,
                         code="claim_closed", status=409)
    if amount < claim.paid_total:
        raise ClaimError(_("La reserva (%(amount)s) no puede ser menor que lo ya pagado (%(paid)s).") % {
            "amount": format_eur(amount), "paid": format_eur(claim.paid_total)},
            code="claim_reserve_below_paid", field="amount", status=409)
    previous = claim.reserve
    change = ReserveChange.objects.create(claim=claim, date=date or timezone.localdate(), previous=previous,
                                          amount=amount, reason=reason[:300], created_by=actor_or_none(actor))
    claim.reserve = amount
    touch(claim, actor, "reserve")
    record(actor=actor, claim=claim, verb="claim_reserve", event="reserve_changed",
           changes={"reserve": [str(previous), str(amount)], "motivo": [None, reason]}, reserve=str(amount))
    return change


@transaction.atomic
def claim_payment_add(*, actor, claim, amount, date: datetime.date, payee: str, payee_name: str = "",
                      concept: str = "", approved_by=None) -> ClaimPayment:
    """Records a payment of the claim; see the module doc for the reserve rule."""
    claim = locked(claim)
    amount = money(amount)
    if amount <= 0:
        raise ClaimError(_("El importe del pago debe ser mayor que cero."), code="claim_amount", field="amount")
    date = require_date(date, "date", _("Indique la fecha del pago."))
    if payee not in PaymentPayee.values:
        raise ClaimError(_("Indique quién recibe el pago."), code="claim_payee", field="payee")
    if claim.state not in PAYABLE_STATES:
        raise ClaimError(_("El siniestro %(number)s está «%(state)s»: solo se paga un siniestro aceptado, reabierto "
                           "o pagado.") % {"number": claim.number, "state": ClaimState(claim.state).label},
                         code="claim_payment_state", status=409)
    if date < claim.loss_date:
        raise ClaimError(_("El pago no puede ser anterior a la fecha de ocurrencia."), code="claim_dates",
                         field="date")
    total = claim.paid_total + amount
    approver = None
    if total > claim.reserve:
        if approved_by is None or not can_approve_over_reserve(approved_by):
            raise ClaimError(
                _("El pago de %(amount)s supera la reserva: pagado %(paid)s + %(amount)s = %(total)s, reserva "
                  "%(reserve)s (queda %(left)s). Necesita la aprobación de un responsable o ampliar la reserva.") % {
                    "amount": format_eur(amount), "paid": format_eur(claim.paid_total), "total": format_eur(total),
                    "reserve": format_eur(claim.reserve), "left": format_eur(reserve_left(claim))},
                code="claim_over_reserve", field="amount", status=409)
        approver = approved_by
    payment = ClaimPayment.objects.create(
        claim=claim, date=date, amount=amount, payee=payee, payee_name=(payee_name or "").strip()[:200],
        concept=(concept or "").strip()[:250], over_reserve_approved_by=approver, created_by=actor_or_none(actor))
    before = claim.paid_total
    claim.paid_total = total
    touch(claim, actor, "paid_total")
    record(actor=actor, claim=claim, verb="claim_payment", event="payment_added",
           changes={"paid_total": [str(before), str(total)], "importe": [None, str(amount)],
                    **({"aprobado_por": [None, str(approver)]} if approver else {})},
           payment=payment.pk, amount=str(amount))
    return payment
