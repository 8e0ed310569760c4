"""Reconciliation of bank statement lines with what the books expect.

The targets are a registry of kinds (services/reconciliation_targets.py: remittance, transfer order,
receipt, settlement, invoice; another app such as HR registers its own, e.g. payroll runs).
reconcile_auto applies the rules in the kinds' order (first match wins):
  1. remittance: a credit equal to a CHARGED remittance's total within ±3 days of its collection date
     (when the line carries a reference, it must contain the message id or the number) -> reconciled;
  2. transfer order: a debit equal to a GENERATED order's total within ±3 days of its execution date
     (message id or number in the text, or no reference) -> reconciled;
  3. receipt: a credit up to one receipt's outstanding (or equal to what it collected) whose receipt
     number appears in the concepts (or equal to the outstanding of a receipt of the named policy)
     -> reconciled;
  4. settlement: an amount equal to a settlement's amount_due (we pay the insurer = debit) within ±5 days
     of its date; with the insurer's name or settlement number in the concepts -> reconciled, else proposed;
  5. invoice: a credit equal to an issued invoice's total or a debit equal to a received one's, its
     number in the concepts -> reconciled;
  6. amount only (a row of any kind with the same amount) -> proposed;
  the rest stays pending.
A row held by an active reconciliation (proposed or confirmed) is not matched again, and reconciling it
by hand is refused (409), except receipts paid in parts (up to their outstanding).

Posting: a proposal records nothing. A confirmed reconciliation (automatic, confirmed or manual) links
the entry the row already has (remittance charge, settlement payment, collected receipt) or records
it: collects the receipt, marks the settlement paid, posts the invoice's payment, settles the transfer
order (the reconciliation shows the order's first item entry; every item holds its own). `posted`
tells which: undo reverses what the reconciliation recorded, never what it only linked, and is refused
when that cannot be done cleanly (a settled transfer order, a receipt with other collections).
An automatic match whose posting is refused (closed period, state changed) is left as a proposal.

Speed: reconcile_auto works in chunks of CHUNK lines, each in its own transaction; per chunk it loads
every kind's candidates at once (by the chunk's amounts and words), matches in memory and writes the
reconciliations, line states and audit events in bulk: a fixed number of queries per chunk, plus what
each posting takes (a remittance only links, so a statement of remittances costs nothing per line).
"""
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record, audit_events_record
from apps.core.errors import DomainError
from apps.core.events import publish
from apps.core.money import format_eur
from apps.treasury.choices import StatementLineState
from apps.treasury.models import Reconciliation, StatementLine
from apps.treasury.services.reconciliation_targets import (
    Batch, Match, Posting, ReconciliationError, kind_for, kinds, line_text,
)

CHUNK = 2000
__all__ = ["AutoSummary", "Match", "ReconciliationError", "find_match", "reconcile_auto", "reconcile_confirm",
           "reconcile_manual", "reconcile_undo"]


@dataclass(frozen=True)
class AutoSummary:
    reconciled: int
    proposed: int
    pending: int


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def find_match(line: StatementLine, batch: Batch | None = None) -> Match | None:
    """The rule that matches `line` (rules in the kinds' order, then amount-only proposals)."""
    ordered = kinds()
    batch = batch or Batch([line]).load(ordered)
    text = line_text(line)
    for kind in ordered:
        match = kind.match(line, text, batch)
        if match is not None:
            return match
    for kind in ordered:
        target = kind.amount_match(line, batch)
        if target is not None:
            return Match(target, "amount", 40, False)
    return None


def _post(*, actor, line, target) -> Posting:
    kind = kind_for(target)
    return kind.link(line, target) or kind.post(actor=actor, line=line, target=target)


def _auto_posting(*, actor, line, match: Match) -> Posting | None:
    """The posting of an automatic match, or None when it is refused (the match becomes a proposal)."""
    linked = kind_for(match.target).link(line, match.target)
    if linked is not None:
        return linked
    try:
        with transaction.atomic():
            return kind_for(match.target).post(actor=actor, line=line, target=match.target)
    except DomainError:
        return None


def _reconcile_chunk(*, actor, pks: list, counts: dict) -> None:
    lines = list(StatementLine.objects.select_for_update(of=("self",)).select_related("bank_account__account")
                 .filter(pk__in=pks, state=StatementLineState.PENDING).order_by("operation_date", "pk"))
    ordered = kinds()
    batch = Batch(lines).load(ordered)
    rows, states, audit = [], {StatementLineState.RECONCILED: [], StatementLineState.PROPOSED: []}, []
    matched = []
    for line in lines:
        match = find_match(line, batch)
        if match is None:
            counts["pending"] += 1
            continue
        batch.take(match.target, line.amount)
        matched.append((line, match))
    for line, match in matched:
        posting = _auto_posting(actor=actor, line=line, match=match) if match.confirmed else None
        confirmed = posting is not None
        rows.append(Reconciliation(
            line=line, target_type=ContentType.objects.get_for_model(match.target), target_id=match.target.pk,
            amount=line.amount, rule=match.rule, score=match.score, confirmed=confirmed,
            entry_id=posting.entry_id if posting else None, posted=bool(posting and posting.posted),
            created_by=_actor(actor)))
        states[StatementLineState.RECONCILED if confirmed else StatementLineState.PROPOSED].append(line.pk)
        counts["reconciled" if confirmed else "proposed"] += 1
        audit.append((line, {"regla": [None, match.rule], "registro": [None, str(match.target)]}))
    Reconciliation.objects.bulk_create(rows)
    for state, ids in states.items():
        if ids:
            StatementLine.objects.filter(pk__in=ids).update(state=state)
    audit_events_record(actor=_actor(actor), action=AuditAction.ACTION, verb="reconcile_auto", items=audit)


def reconcile_auto(*, actor, lines=None, chunk: int = CHUNK) -> AutoSummary:
    """Runs the rules over `lines` (default: every pending line) and returns how many ended in each state.
    Each chunk of `chunk` lines commits on its own, so a huge statement never holds one transaction."""
    queryset = StatementLine.objects.filter(state=StatementLineState.PENDING)
    if lines is not None:
        queryset = queryset.filter(pk__in=[getattr(ln, "pk", ln) for ln in lines])
    pks = list(queryset.order_by("operation_date", "pk").values_list("pk", flat=True))
    counts = {"reconciled": 0, "proposed": 0, "pending": 0}
    for start in range(0, len(pks), chunk):
        with transaction.atomic():
            _reconcile_chunk(actor=actor, pks=pks[start:start + chunk], counts=counts)
    publish("treasury.reconciliation.auto", **counts)
    return AutoSummary(**counts)


def _audit(*, actor, verb: str, reconciliation: Reconciliation, changes: dict):
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb=verb, obj=reconciliation.line,
                       changes=changes)


def _locked(reconciliation) -> Reconciliation:
    return (Reconciliation.objects.select_for_update(of=("self",))
            .select_related("line__bank_account__account", "target_type", "entry")
            .get(pk=getattr(reconciliation, "pk", reconciliation)))


def _check_free(*, line: StatementLine, target, exclude=None) -> None:
    """Refuses (409) a target another active reconciliation holds; a receipt may take lines up to
    what it has outstanding."""
    kind = kind_for(target)
    reason = kind.refuse(line, target)
    if reason:
        raise ReconciliationError(reason, code="treasury_target_state", field="target", status=409)
    active = Reconciliation.objects.filter(target_type=ContentType.objects.get_for_model(target),
                                           target_id=target.pk, undone_at__isnull=True)
    if exclude is not None:
        active = active.exclude(pk=exclude.pk)
    available = kind.available(target)
    if available is not None:
        proposed = active.filter(confirmed=False).aggregate(total=Sum("amount"))["total"] or 0
        left = available - abs(proposed)
        if abs(line.amount) <= left:
            return
        raise ReconciliationError(
            _("%(target)s solo tiene %(left)s pendientes de conciliar.") % {
                "target": kind.describe(target), "left": format_eur(left)},
            code="treasury_target_reconciled", field="target", status=409)
    other = active.select_related("line").first()
    if other is not None:
        raise ReconciliationError(
            _("%(target)s ya está conciliado con el movimiento del %(date)s de %(amount)s.") % {
                "target": kind.describe(target), "date": f"{other.line.operation_date:%d/%m/%Y}",
                "amount": format_eur(other.line.amount)},
            code="treasury_target_reconciled", field="target", status=409)


@transaction.atomic
def reconcile_confirm(*, actor, reconciliation: Reconciliation) -> Reconciliation:
    """Confirms a proposal: the target is checked again and its entry linked or recorded."""
    reconciliation = _locked(reconciliation)
    if reconciliation.undone_at is not None:
        raise ReconciliationError(_("La conciliación está deshecha."), code="treasury_reconciliation_undone",
                                  status=409)
    if reconciliation.confirmed:
        raise ReconciliationError(_("La conciliación ya está confirmada."),
                                  code="treasury_reconciliation_confirmed", status=409)
    line, target = reconciliation.line, reconciliation.target
    if target is None or kind_for(target) is None:
        raise ReconciliationError(_("El registro de la conciliación ya no existe."),
                                  code="treasury_target_missing", status=409)
    _check_free(line=line, target=target, exclude=reconciliation)
    posting = _post(actor=actor, line=line, target=target)
    reconciliation.confirmed, reconciliation.entry_id, reconciliation.posted = True, posting.entry_id, posting.posted
    reconciliation.save(update_fields=["confirmed", "entry", "posted"])
    line.state = StatementLineState.RECONCILED
    line.save(update_fields=["state"])
    _audit(actor=actor, verb="reconcile_confirm", reconciliation=reconciliation,
           changes={"confirmada": [False, True], "asiento": [None, posting.entry_id]})
    publish("treasury.reconciliation.confirmed", pk=reconciliation.pk, line=line.pk)
    return reconciliation


@transaction.atomic
def reconcile_undo(*, actor, reconciliation: Reconciliation) -> Reconciliation:
    """Undoes a reconciliation: what it recorded is reversed (collection, payment, entry), what it only
    linked stays; the row stays (undone_at) and the line goes back to pending."""
    reconciliation = _locked(reconciliation)
    if reconciliation.undone_at is not None:
        raise ReconciliationError(_("La conciliación ya está deshecha."), code="treasury_reconciliation_undone",
                                  status=409)
    if reconciliation.posted:
        target = reconciliation.target
        kind = kind_for(target) if target is not None else None
        if kind is None:
            raise ReconciliationError(_("El registro de la conciliación ya no existe: no se puede deshacer."),
                                      code="treasury_target_missing", status=409)
        kind.undo(actor=actor, reconciliation=reconciliation, target=target)
    reconciliation.undone_at = timezone.now()
    reconciliation.save(update_fields=["undone_at"])
    line = reconciliation.line
    line.state = StatementLineState.PENDING
    line.save(update_fields=["state"])
    _audit(actor=actor, verb="reconcile_undo", reconciliation=reconciliation,
           changes={"deshecha": [None, reconciliation.undone_at.isoformat()],
                    "anulado": [None, reconciliation.posted]})
    publish("treasury.reconciliation.undone", pk=reconciliation.pk, line=line.pk)
    return reconciliation


@transaction.atomic
def reconcile_manual(*, actor, line: StatementLine, target) -> Reconciliation:
    """Reconciles a pending or proposed line with `target` chosen by a person (confirmed at once)."""
    line = (StatementLine.objects.select_for_update(of=("self",)).select_related("bank_account__account")
            .get(pk=getattr(line, "pk", line)))
    if line.state == StatementLineState.RECONCILED:
        raise ReconciliationError(_("El movimiento ya está conciliado."), code="treasury_line_reconciled",
                                  status=409)
    if target is None or getattr(target, "pk", None) is None:
        raise ReconciliationError(_("Indique con qué se concilia el movimiento."), code="treasury_target_required",
                                  field="target")
    if kind_for(target) is None:
        raise ReconciliationError(_("Un movimiento no se concilia con %s.") % target, code="treasury_target_kind",
                                  field="target")
    Reconciliation.objects.filter(line=line, undone_at__isnull=True).update(undone_at=timezone.now())
    _check_free(line=line, target=target)
    posting = _post(actor=actor, line=line, target=target)
    reconciliation = Reconciliation.objects.create(
        line=line, target_type=ContentType.objects.get_for_model(target), target_id=target.pk, amount=line.amount,
        rule="manual", score=100, confirmed=True, entry_id=posting.entry_id, posted=posting.posted,
        created_by=_actor(actor))
    line.state = StatementLineState.RECONCILED
    line.save(update_fields=["state"])
    _audit(actor=actor, verb="reconcile_manual", reconciliation=reconciliation,
           changes={"registro": [None, str(target)], "asiento": [None, posting.entry_id]})
    publish("treasury.reconciliation.manual", pk=reconciliation.pk, line=line.pk)
    return reconciliation
