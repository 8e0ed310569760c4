"""Settlements with insurers (liquidaciones).

settlement_preview: what a settlement for an insurer and period would take, without writing.
settlement_close: the same computation under a lock; the rows taken point at the settlement and
are never taken again, so a receipt returned after its settlement produces new unsettled rows
(RETURN, REVERSED) that land in the NEXT settlement as negative lines. Posting (invoice and
entry) is in settlements_posting.py; settlement_mark_paid records the payment, settlement_mark_unpaid
undoes one recorded by mistake.

Figures (issue 6, item 3): premiums_collected = the broker's receipt movements (collections +,
returns -); commission_on_collected / commission_insurer_collected = commission rows of receipts
collected by the broker / by the insurer; other_commission = advances and clawbacks;
amount_due = premiums_collected - commission_total (positive: the broker pays the insurer;
negative: the insurer pays the broker).
"""
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounting.services import entry_reverse
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collections.choices import SettlementState
from apps.collections.models import CommissionMovement, ReceiptMovement, Settlement
from apps.collections.selectors_settlements import (
    SettlementDraft, attach_rows, overlapping, settlement_draft, settlement_period_label,
)
from apps.collections.services.settlements_posting import settlement_payment_post, settlement_post
from apps.core.errors import DomainError
from apps.core.events import publish
from apps.insurance.models import Insurer
from apps.insurance.services.numbering import formatted_number

SERIES = "L"
FIGURES = ("premiums_collected", "commission_on_collected", "commission_insurer_collected", "other_commission",
           "commission_total", "amount_due")


class SettlementError(DomainError):
    code = "settlement_error"


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _d(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def check_period(period_start, period_end, date=None) -> None:
    """Dates present and in order (shared by the collaborator settlements)."""
    for name, value, label in (("period_start", period_start, _("el inicio del periodo")),
                               ("period_end", period_end, _("el fin del periodo")),
                               ("date", date if date is not None else period_end, _("la fecha de la liquidación"))):
        if not isinstance(value, datetime.date):
            raise SettlementError(_("Indique %s.") % label, code="settlement_date_missing", field=name)
    if period_end < period_start:
        raise SettlementError(_("El fin del periodo (%(end)s) es anterior a su inicio (%(start)s).")
                              % {"end": _d(period_end), "start": _d(period_start)},
                              code="settlement_period_invalid", field="period_end")
    if date is not None and date < period_start:
        raise SettlementError(_("La fecha de la liquidación no puede ser anterior al inicio del periodo."),
                              code="settlement_date_invalid", field="date")


def settlement_preview(*, insurer, period_start: datetime.date, period_end: datetime.date) -> SettlementDraft:
    """What closing would take and the figures; writes nothing (two queries)."""
    check_period(period_start, period_end)
    return settlement_draft(insurer=insurer, period_start=period_start, period_end=period_end)


def _check_free(insurer, period_start: datetime.date, period_end: datetime.date) -> None:
    clash = overlapping(Settlement, owner_field="insurer", owner=insurer, period_start=period_start,
                        period_end=period_end).order_by("period_start").first()
    if clash is None:
        return
    same = clash.period_start == period_start and clash.period_end == period_end
    message = (_("El periodo %(period)s ya está liquidado con %(insurer)s (liquidación %(number)s).") if same else
               _("El periodo se solapa con la liquidación %(number)s de %(insurer)s (%(period)s): cada movimiento se "
                 "liquida una sola vez."))
    raise SettlementError(message % {"period": settlement_period_label(clash.period_start, clash.period_end),
                                     "insurer": insurer, "number": clash.number},
                          code="settlement_period_taken", field="period_start", status=409)


@transaction.atomic
def settlement_close(*, actor, insurer, period_start: datetime.date, period_end: datetime.date,
                     date: datetime.date) -> Settlement:
    """Closes the settlement: number L-<year>-NNNNNN, rows attached, posted (invoice + entry)."""
    check_period(period_start, period_end, date)
    # One close at a time per insurer: the insurer row is the lock, then its open rows.
    insurer = Insurer.objects.select_for_update().get(pk=getattr(insurer, "pk", insurer))
    _check_free(insurer, period_start, period_end)
    draft = settlement_draft(insurer=insurer, period_start=period_start, period_end=period_end, lock=True)
    if draft.is_empty:
        raise SettlementError(_("No hay nada que liquidar con %(insurer)s hasta el %(end)s: ningún cobro, devolución "
                                "ni comisión pendiente.") % {"insurer": insurer, "end": _d(period_end)},
                              code="settlement_empty", field="period_end", status=409)
    settlement = Settlement.objects.create(
        number=formatted_number(series=SERIES, year=date.year), insurer=insurer, period_start=period_start,
        period_end=period_end, date=date, state=SettlementState.CLOSED,
        **{name: getattr(draft, name) for name in FIGURES}, created_by=_actor(actor), updated_by=_actor(actor))
    attach_rows(ReceiptMovement, draft.receipt_movement_ids, field="settlement", target=settlement)
    attach_rows(CommissionMovement, draft.commission_movement_ids, field="settlement", target=settlement)
    settlement_post(actor=actor, settlement=settlement)
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="settlement_close", obj=settlement,
                       changes={"number": [None, settlement.number],
                                "periodo": [None, settlement_period_label(period_start, period_end)],
                                **{name: [None, str(getattr(settlement, name))] for name in FIGURES},
                                "movimientos": [None, len(draft.receipt_movement_ids)
                                                + len(draft.commission_movement_ids)]})
    publish("collections.settlement.closed", pk=settlement.pk, number=settlement.number, insurer=insurer.pk,
            amount_due=str(settlement.amount_due))
    return settlement


@transaction.atomic
def settlement_mark_paid(*, actor, settlement, date: datetime.date, bank=None) -> Settlement:
    """Records the payment of the balance: Dr insurer account / Cr bank (the broker pays) or the
    reverse (the insurer pays); state PAID. Refused twice. `bank`: the ledger account of the bank
    (default: the «bank» role's account)."""
    settlement = Settlement.objects.select_for_update(of=("self",)).select_related("insurer").get(
        pk=getattr(settlement, "pk", settlement))
    if settlement.state == SettlementState.PAID:
        raise SettlementError(_("La liquidación %(number)s ya consta pagada el %(date)s.")
                              % {"number": settlement.number, "date": _d(settlement.paid_on)},
                              code="settlement_already_paid", status=409)
    if not isinstance(date, datetime.date):
        raise SettlementError(_("Indique la fecha del pago."), code="settlement_date_missing", field="date")
    if date < settlement.date:
        raise SettlementError(_("El pago no puede ser anterior a la liquidación (%s).") % _d(settlement.date),
                              code="settlement_date_invalid", field="date")
    settlement.payment_entry = settlement_payment_post(actor=actor, settlement=settlement, date=date, bank=bank)
    settlement.state, settlement.paid_on = SettlementState.PAID, date
    settlement.updated_by = _actor(actor)
    settlement.version += 1
    settlement.save(update_fields=["state", "paid_on", "payment_entry", "updated_by", "updated_at", "version"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="settlement_mark_paid", obj=settlement,
                       changes={"state": [SettlementState.CLOSED, SettlementState.PAID],
                                "paid_on": [None, date.isoformat()]})
    publish("collections.settlement.paid", pk=settlement.pk, number=settlement.number,
            insurer=settlement.insurer_id)
    return settlement


@transaction.atomic
def settlement_mark_unpaid(*, actor, settlement, date: datetime.date, reason: str) -> Settlement:
    """Undoes a payment recorded by mistake (a bank reconciliation undone): the payment entry is
    reversed on `date` and the settlement is CLOSED (pending payment) again. Refused unless PAID."""
    settlement = Settlement.objects.select_for_update(of=("self",)).select_related("insurer").get(
        pk=getattr(settlement, "pk", settlement))
    if settlement.state != SettlementState.PAID:
        raise SettlementError(_("La liquidación %s no consta pagada.") % settlement.number,
                              code="settlement_not_paid", status=409)
    paid_on = settlement.paid_on
    if settlement.payment_entry_id:
        entry_reverse(actor=actor, entry=settlement.payment_entry, date=max(date, settlement.payment_entry.date),
                      description=(_("Anulación del pago de la liquidación %(number)s: %(reason)s") % {
                          "number": settlement.number, "reason": reason})[:250])
    settlement.state, settlement.paid_on, settlement.payment_entry = SettlementState.CLOSED, None, None
    settlement.updated_by = _actor(actor)
    settlement.version += 1
    settlement.save(update_fields=["state", "paid_on", "payment_entry", "updated_by", "updated_at", "version"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="settlement_mark_unpaid", obj=settlement,
                       changes={"state": [SettlementState.PAID, SettlementState.CLOSED],
                                "paid_on": [paid_on.isoformat() if paid_on else None, None], "motivo": [None, reason]})
    publish("collections.settlement.unpaid", pk=settlement.pk, number=settlement.number,
            insurer=settlement.insurer_id)
    return settlement
