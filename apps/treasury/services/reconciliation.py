"""Reconciliation of bank statement lines with what the books expect.

reconcile_auto applies the rules in order (first match wins):
  1. remittance: a credit equal to a CHARGED remittance's total within ±3 days of its collection date
     (when the line carries a reference, it must contain the message id or the number) -> reconciled;
  2. receipt: a credit equal to one receipt's outstanding (or collected) total whose receipt or policy
     number appears in the concepts -> reconciled;
  3. settlement: an amount equal to a settlement's amount_due (we pay the insurer = debit) within ±5 days
     of its date; with the insurer's name or settlement number in the concepts -> reconciled, else proposed;
  4. amount only (remittance, receipt or settlement of the same amount) -> proposed;
  the rest stays pending.
Posting: a reconciliation links the entry the target already posted (remittance charge entry, settlement
payment entry); otherwise `entry` stays empty and the collection is posted where it belongs (collections).
"""
import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collections.models import Receipt, Settlement
from apps.core.events import publish
from apps.treasury.choices import RemittanceState, StatementLineState
from apps.treasury.errors import TreasuryError
from apps.treasury.models import Reconciliation, Remittance, StatementLine

REMITTANCE_DAYS = 3
SETTLEMENT_DAYS = 5


class ReconciliationError(TreasuryError):
    code = "treasury_reconciliation"


@dataclass(frozen=True)
class Match:
    target: object
    rule: str
    score: int
    confirmed: bool


@dataclass(frozen=True)
class AutoSummary:
    reconciled: int
    proposed: int
    pending: int


def _text(line: StatementLine) -> str:
    return " ".join([line.description, line.reference1, line.reference2, line.document_number]).upper()


def _near(day: datetime.date, days: int) -> tuple:
    return day - datetime.timedelta(days=days), day + datetime.timedelta(days=days)


def _match_remittance(line, text):
    if line.amount <= 0:
        return None
    for remittance in Remittance.objects.filter(state=RemittanceState.CHARGED, total=line.amount,
                                                bank_account_id=line.bank_account_id,
                                                collection_date__range=_near(line.operation_date, REMITTANCE_DAYS)):
        refs = [r.upper() for r in (remittance.message_id, remittance.number) if r]
        if not (line.reference1 or line.reference2) or any(ref in text for ref in refs):
            return Match(remittance, "remittance", 100, True)
    return None


def _match_receipt(line, text):
    if line.amount <= 0:
        return None
    for receipt in (Receipt.objects.select_related("policy")
                    .filter(Q(total_premium=line.amount) | Q(collected_amount=line.amount))):
        numbers = [n.upper() for n in (receipt.number, receipt.policy.number) if n]
        amount_fits = receipt.outstanding == line.amount or receipt.collected_amount == line.amount
        if amount_fits and any(n in text for n in numbers):
            return Match(receipt, "receipt", 100, True)
    return None


def _match_settlement(line, text):
    for settlement in (Settlement.objects.select_related("insurer")
                       .filter(amount_due=-line.amount, date__range=_near(line.operation_date, SETTLEMENT_DAYS))):
        named = settlement.number.upper() in text or settlement.insurer.name.upper() in text
        return Match(settlement, "settlement", 100 if named else 70, named)
    return None


def _match_amount_only(line):
    if line.amount > 0:
        candidate = (Remittance.objects.filter(state=RemittanceState.CHARGED, total=line.amount).first()
                     or Receipt.objects.filter(total_premium=line.amount, collected_amount=0).first())
    else:
        candidate = None
    candidate = candidate or Settlement.objects.filter(amount_due=-line.amount).first()
    return Match(candidate, "amount", 40, False) if candidate else None


def find_match(line: StatementLine) -> Match | None:
    text = _text(line)
    return (_match_remittance(line, text) or _match_receipt(line, text) or _match_settlement(line, text)
            or _match_amount_only(line))


def _existing_entry(target):
    if isinstance(target, Remittance):
        return target.entry
    if isinstance(target, Settlement):
        return target.payment_entry
    return None


def _record(*, actor, line: StatementLine, match: Match) -> Reconciliation:
    reconciliation = Reconciliation.objects.create(
        line=line, target_type=ContentType.objects.get_for_model(match.target), target_id=match.target.pk,
        amount=line.amount, rule=match.rule, score=match.score, confirmed=match.confirmed,
        entry=_existing_entry(match.target), created_by=actor if getattr(actor, "pk", None) else None)
    line.state = StatementLineState.RECONCILED if match.confirmed else StatementLineState.PROPOSED
    line.save(update_fields=["state"])
    return reconciliation


def _audit(*, actor, verb: str, reconciliation: Reconciliation, changes: dict):
    audit_event_record(actor=actor if getattr(actor, "pk", None) else None, action=AuditAction.ACTION, verb=verb,
                       obj=reconciliation.line, changes=changes)


@transaction.atomic
def reconcile_auto(*, actor, lines=None) -> AutoSummary:
    """Runs the rules over `lines` (default: every pending line) and returns how many ended in each state."""
    queryset = StatementLine.objects.filter(state=StatementLineState.PENDING)
    if lines is not None:
        queryset = queryset.filter(pk__in=[getattr(ln, "pk", ln) for ln in lines])
    counts = {"reconciled": 0, "proposed": 0, "pending": 0}
    for line in queryset.select_for_update().order_by("operation_date", "pk"):
        match = find_match(line)
        if match is None:
            counts["pending"] += 1
            continue
        reconciliation = _record(actor=actor, line=line, match=match)
        counts["reconciled" if match.confirmed else "proposed"] += 1
        _audit(actor=actor, verb="reconcile_auto", reconciliation=reconciliation,
               changes={"regla": [None, match.rule], "registro": [None, str(match.target)]})
    publish("treasury.reconciliation.auto", **counts)
    return AutoSummary(**counts)


def _locked(reconciliation: Reconciliation) -> Reconciliation:
    return (Reconciliation.objects.select_for_update(of=("self",)).select_related("line")
            .get(pk=getattr(reconciliation, "pk", reconciliation)))


@transaction.atomic
def reconcile_confirm(*, actor, reconciliation: Reconciliation) -> Reconciliation:
    reconciliation = _locked(reconciliation)
    if reconciliation.undone_at is not None:
        raise ReconciliationError(_("La conciliación está deshecha."), code="treasury_reconciliation_undone",
                                  status=409)
    if reconciliation.confirmed:
        raise ReconciliationError(_("La conciliación ya está confirmada."),
                                  code="treasury_reconciliation_confirmed", status=409)
    reconciliation.confirmed = True
    reconciliation.save(update_fields=["confirmed"])
    line = reconciliation.line
    line.state = StatementLineState.RECONCILED
    line.save(update_fields=["state"])
    _audit(actor=actor, verb="reconcile_confirm", reconciliation=reconciliation, changes={"confirmada": [False, True]})
    publish("treasury.reconciliation.confirmed", pk=reconciliation.pk, line=line.pk)
    return reconciliation


@transaction.atomic
def reconcile_undo(*, actor, reconciliation: Reconciliation) -> Reconciliation:
    """Undoes a reconciliation: the row stays (undone_at) and the line goes back to pending."""
    reconciliation = _locked(reconciliation)
    if reconciliation.undone_at is not None:
        raise ReconciliationError(_("La conciliación ya está deshecha."), code="treasury_reconciliation_undone",
                                  status=409)
    reconciliation.undone_at = timezone.now()
    reconciliation.save(update_fields=["undone_at"])
    line = reconciliation.line
    line.state = StatementLineState.PENDING
    line.save(update_fields=["state"])
    _audit(actor=actor, verb="reconcile_undo", reconciliation=reconciliation,
           changes={"deshecha": [None, reconciliation.undone_at.isoformat()]})
    publish("treasury.reconciliation.undone", pk=reconciliation.pk, line=line.pk)
    return reconciliation


@transaction.atomic
def reconcile_manual(*, actor, line: StatementLine, target) -> Reconciliation:
    """Reconciles a pending or proposed line with `target` chosen by a person (confirmed at once)."""
    line = StatementLine.objects.select_for_update().get(pk=getattr(line, "pk", line))
    if line.state == StatementLineState.RECONCILED:
        raise ReconciliationError(_("El movimiento ya está conciliado."), code="treasury_line_reconciled",
                                  status=409)
    if target is None or getattr(target, "pk", None) is None:
        raise ReconciliationError(_("Indique con qué se concilia el movimiento."), code="treasury_target_required",
                                  field="target")
    now = timezone.now()
    Reconciliation.objects.filter(line=line, undone_at__isnull=True).update(undone_at=now)
    reconciliation = _record(actor=actor, line=line, match=Match(target, "manual", 100, True))
    _audit(actor=actor, verb="reconcile_manual", reconciliation=reconciliation,
           changes={"registro": [None, str(target)]})
    publish("treasury.reconciliation.manual", pk=reconciliation.pk, line=line.pk)
    return reconciliation
