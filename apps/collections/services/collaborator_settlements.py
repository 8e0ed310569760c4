"""Settlements with collaborators (auxiliares externos, co-brokers, referrers).

A collaborator settlement takes the collaborator's commission rows (its share of the broker's
rows, reversals included) that no settlement took yet, up to the period end:
  withholding = money(commission_total × withholding_pct / 100)   (IRPF, modelo 111)
  amount_due  = commission_total - withholding
Entry: Dr commission expense (role «services_expense»)  commission_total
       Cr «withholding_payable» (4751)                    withholding   (tagged with the IRPF tax)
       Cr creditors subaccount of the collaborator (4100xxxx)  amount_due
(sides swapped when the total is negative: the collaborator owes the broker).
"""
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounting.choices import TaxKind
from apps.accounting.models import Tax
from apps.accounting.services import LineSpec, entry_post, mapped_account, party_subaccount
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collections.choices import SettlementState
from apps.collections.models import Collaborator, CollaboratorSettlement, CommissionMovement
from apps.collections.selectors_settlements import (
    CollaboratorDraft, attach_rows, collaborator_draft, overlapping, settlement_period_label,
)
from apps.collections.services.settlements import SettlementError, check_period
from apps.core.events import publish
from apps.insurance.rating import money
from apps.insurance.services.numbering import formatted_number

SERIES = "LC"
EXPENSE_ROLE = "commission_expense"
HUNDRED = Decimal("100")
FIGURES = ("commission_total", "withholding", "amount_due")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _d(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _with_withholding(draft: CollaboratorDraft) -> CollaboratorDraft:
    draft.withholding = money(draft.commission_total * draft.collaborator.withholding_pct / HUNDRED)
    draft.amount_due = draft.commission_total - draft.withholding
    return draft


def collaborator_settlement_preview(*, collaborator, period_start: datetime.date,
                                    period_end: datetime.date) -> CollaboratorDraft:
    """What closing would take; writes nothing (one query)."""
    check_period(period_start, period_end)
    return _with_withholding(collaborator_draft(collaborator=collaborator, period_start=period_start,
                                                period_end=period_end))


def _line(account, amount: Decimal, *, debit: bool, party, description: str, **extra) -> LineSpec:
    if amount < 0:
        amount, debit = -amount, not debit
    return LineSpec(account=account, party=party, description=description,
                    **({"debit": amount} if debit else {"credit": amount}), **extra)


def _withholding_tax(pct: Decimal):
    return Tax.objects.filter(kind=TaxKind.WITHHOLDING, rate=pct, is_active=True).order_by("code").first()


def _post(actor, settlement: CollaboratorSettlement, collaborator: Collaborator):
    party = collaborator.party
    label = (_("Comisiones de %(who)s, liquidación %(number)s (%(period)s)") % {
        "who": collaborator, "number": settlement.number,
        "period": settlement_period_label(settlement.period_start, settlement.period_end)})[:250]
    creditor = party_subaccount(actor=actor, party=party, base_code=mapped_account("creditors").code)
    lines = [_line(mapped_account(EXPENSE_ROLE), settlement.commission_total, debit=True, party=party,
                   description=label)]
    if settlement.withholding:
        tax = _withholding_tax(collaborator.withholding_pct)
        lines.append(_line(mapped_account("withholding_payable"), settlement.withholding, debit=False, party=party,
                           description=label, tax=tax, tax_base=settlement.commission_total if tax else None))
    if settlement.amount_due:
        lines.append(_line(creditor, settlement.amount_due, debit=False, party=party, description=label))
    return entry_post(actor=actor, date=settlement.date, journal="COM", description=label, lines=lines,
                      source=f"collections.collaboratorsettlement:{settlement.pk}")


@transaction.atomic
def collaborator_settlement_close(*, actor, collaborator, period_start: datetime.date, period_end: datetime.date,
                                  date: datetime.date) -> CollaboratorSettlement:
    """Closes and posts the collaborator's settlement; refuses a period already settled and an
    empty one (nothing written)."""
    check_period(period_start, period_end, date)
    collaborator = Collaborator.objects.select_for_update(of=("self",)).select_related("party").get(
        pk=getattr(collaborator, "pk", collaborator))
    clash = overlapping(CollaboratorSettlement, owner_field="collaborator", owner=collaborator,
                        period_start=period_start, period_end=period_end).order_by("period_start").first()
    if clash is not None:
        raise SettlementError(
            _("El periodo %(period)s ya está liquidado con %(who)s (liquidación %(number)s).") % {
                "period": settlement_period_label(clash.period_start, clash.period_end), "who": collaborator,
                "number": clash.number},
            code="settlement_period_taken", field="period_start", status=409)
    draft = _with_withholding(collaborator_draft(collaborator=collaborator, period_start=period_start,
                                                 period_end=period_end, lock=True))
    if draft.is_empty:
        raise SettlementError(_("No hay comisiones pendientes de liquidar con %(who)s hasta el %(end)s.")
                              % {"who": collaborator, "end": _d(period_end)},
                              code="settlement_empty", field="period_end", status=409)
    settlement = CollaboratorSettlement.objects.create(
        number=formatted_number(series=SERIES, year=date.year), collaborator=collaborator, period_start=period_start,
        period_end=period_end, date=date, state=SettlementState.CLOSED,
        **{name: getattr(draft, name) for name in FIGURES}, created_by=_actor(actor), updated_by=_actor(actor))
    attach_rows(CommissionMovement, draft.commission_movement_ids, field="collaborator_settlement",
                target=settlement)
    if draft.commission_total:
        settlement.entry = _post(actor, settlement, collaborator)
        settlement.save(update_fields=["entry", "updated_at"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="collaborator_settlement_close",
                       obj=settlement, changes={
                           "number": [None, settlement.number],
                           "periodo": [None, settlement_period_label(period_start, period_end)],
                           **{name: [None, str(getattr(settlement, name))] for name in FIGURES},
                           "movimientos": [None, len(draft.commission_movement_ids)]})
    publish("collections.collaborator_settlement.closed", pk=settlement.pk, number=settlement.number,
            collaborator=collaborator.pk, amount_due=str(settlement.amount_due))
    return settlement


@transaction.atomic
def collaborator_settlement_mark_paid(*, actor, settlement, date: datetime.date) -> CollaboratorSettlement:
    """Dr creditors subaccount / Cr bank for the amount due (reverse when negative); refused twice."""
    settlement = CollaboratorSettlement.objects.select_for_update(of=("self",)).select_related(
        "collaborator__party").get(pk=getattr(settlement, "pk", settlement))
    if settlement.state == SettlementState.PAID:
        raise SettlementError(_("La liquidación %(number)s ya consta pagada el %(date)s.")
                              % {"number": settlement.number, "date": _d(settlement.paid_on)},
                              code="settlement_already_paid", status=409)
    if not isinstance(date, datetime.date):
        raise SettlementError(_("Indique la fecha del pago."), code="settlement_date_missing", field="date")
    if date < settlement.date:
        raise SettlementError(_("El pago no puede ser anterior a la liquidación (%s).") % _d(settlement.date),
                              code="settlement_date_invalid", field="date")
    party = settlement.collaborator.party
    if settlement.amount_due:
        label = (_("Pago de la liquidación %(number)s a %(who)s") % {
            "number": settlement.number, "who": settlement.collaborator})[:250]
        creditor = party_subaccount(actor=actor, party=party, base_code=mapped_account("creditors").code)
        settlement.payment_entry = entry_post(
            actor=actor, date=date, journal="BAN", description=label,
            source=f"collections.collaboratorsettlement:{settlement.pk}",
            lines=[_line(creditor, settlement.amount_due, debit=True, party=party, description=label),
                   _line(mapped_account("bank"), settlement.amount_due, debit=False, party=party, description=label)])
    settlement.state, settlement.paid_on = SettlementState.PAID, date
    settlement.updated_by = _actor(actor)
    settlement.version += 1
    settlement.save(update_fields=["state", "paid_on", "payment_entry", "updated_by", "updated_at", "version"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="collaborator_settlement_mark_paid",
                       obj=settlement, changes={"state": [SettlementState.CLOSED, SettlementState.PAID],
                                                "paid_on": [None, date.isoformat()]})
    publish("collections.collaborator_settlement.paid", pk=settlement.pk, number=settlement.number,
            collaborator=settlement.collaborator_id)
    return settlement
