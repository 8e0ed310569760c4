"""What a bank statement line can be reconciled with: a registry of target kinds.

Each kind (a TargetKind registered with `register`) tells the reconciliation, for one model:
  candidates(batch)         the rows that may match a batch of lines, loaded at once (by the batch's
                            amounts, dates and words), so matching runs in memory;
  match(line, text, batch)  its exact or close rule (a Match, confirmed or proposed) or None;
  amount_match(line, batch) a row of the same amount for an «amount only» proposal, or None;
  refuse(line, target)      why a person cannot reconcile the line with this row (state, direction);
  link(line, target)        a Posting when the row already carries its entry (nothing to write);
  post(actor, line, target) what a confirmed reconciliation records (collects, pays, posts): a Posting;
  undo(actor, reconciliation, target)  reverses what post recorded (only called when it posted);
  find(number, line)        the row with that number, for the manual-reconcile picker.
Rules run in `order`; the first match wins, then the amount-only proposals in the same order.
A row already held by an active reconciliation (undone_at null, proposed or confirmed) is not offered
again; a kind whose `available(target)` is not None (an unpaid receipt) may take several lines up to it.

Built-in kinds here: remittance (10), transfer order (20), settlement (40); receipts (30) and invoices
(50) live in reconciliation_targets_books.py. Another app registers its own kind from its
AppConfig.ready() — HR payroll runs, for example:

    from apps.treasury.services.reconciliation_targets import TargetKind, register
    register(PayrollRunTarget())   # key "payroll", model PayrollRun, its candidates/match/post/undo
"""
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.collections.choices import SettlementState
from apps.collections.models import Settlement
from apps.collections.services.settlements import settlement_mark_paid, settlement_mark_unpaid
from apps.treasury.choices import RemittanceState, TransferOrderState
from apps.treasury.errors import TreasuryError
from apps.treasury.models import Reconciliation, Remittance, TransferOrder
from apps.treasury.services.transfer_orders import transfer_order_settle
from apps.treasury.services.transfer_sources import orders_holding

REMITTANCE_DAYS = 3
TRANSFER_DAYS = 3
SETTLEMENT_DAYS = 5
ZERO = Decimal("0.00")
_SPLIT = re.compile(r"[\s,;:()]+")


class ReconciliationError(TreasuryError):
    code = "treasury_reconciliation"


@dataclass(frozen=True)
class Match:
    target: object
    rule: str
    score: int
    confirmed: bool


@dataclass(frozen=True)
class Posting:
    """The entry a reconciliation shows and whether the reconciliation itself recorded it."""
    entry_id: int | None
    posted: bool


def line_text(line) -> str:
    return " ".join([line.description, line.reference1, line.reference2, line.document_number]).upper()


def near(day: datetime.date, other: datetime.date, days: int) -> bool:
    return abs((day - other).days) <= days


def undo_reason(line) -> str:
    return _("Conciliación deshecha del movimiento del %s") % f"{line.operation_date:%d/%m/%Y}"


class Batch:
    """What the rules see for a batch of lines: each kind's candidates and what active
    reconciliations (and the matches made in this batch) already hold."""

    def __init__(self, lines):
        self.lines = lines
        self.credits = {line.amount for line in lines if line.amount > 0}
        self.debits = {-line.amount for line in lines if line.amount < 0}
        self.words = set()
        for line in lines:
            self.words.update(word for word in _SPLIT.split(line_text(line)) if len(word) > 2)
        self.candidates: dict[str, list] = {}
        self._held: dict[tuple, list] = {}  # (content type id, pk) -> [reconciliations, unposted amount]

    def load(self, kinds) -> "Batch":
        for kind in kinds:
            self.candidates[kind.key] = list(kind.candidates(self))
        held = Q(pk__in=[])
        for kind in kinds:
            ids = [row.pk for row in self.candidates[kind.key]]
            if ids:
                held |= Q(target_type=ContentType.objects.get_for_model(kind.model), target_id__in=ids)
        rows = Reconciliation.objects.filter(held, undone_at__isnull=True).values_list(
            "target_type_id", "target_id", "amount", "confirmed")
        for type_id, target_id, amount, confirmed in rows:
            self._hold((type_id, target_id), amount, confirmed)
        return self

    def _hold(self, key, amount, confirmed) -> None:
        held = self._held.setdefault(key, [0, ZERO])
        held[0] += 1
        if not confirmed:
            held[1] += abs(amount)

    @staticmethod
    def _key(target) -> tuple:
        return ContentType.objects.get_for_model(target).pk, target.pk

    def taken(self, target) -> bool:
        return self._key(target) in self._held

    def reserved(self, target) -> Decimal:
        """What proposals and this batch's matches hold of `target` and is not recorded on it yet."""
        return self._held.get(self._key(target), [0, ZERO])[1]

    def take(self, target, amount: Decimal) -> None:
        self._hold(self._key(target), amount, False)

    def of(self, kind) -> list:
        return self.candidates.get(kind.key, [])


class TargetKind:
    key = ""
    label = ""
    model = None
    order = 100

    def candidates(self, batch: Batch):
        return []

    def match(self, line, text: str, batch: Batch) -> Match | None:
        return None

    def amount_match(self, line, batch: Batch):
        return None

    def refuse(self, line, target) -> str | None:
        return None

    def available(self, target) -> Decimal | None:
        """What several lines may still take of `target` together (receipts paid in parts); None: the
        target takes one reconciliation only."""
        return None

    def link(self, line, target) -> Posting | None:
        return None

    def post(self, *, actor, line, target) -> Posting:
        return Posting(None, False)

    def undo(self, *, actor, reconciliation, target) -> None:
        raise ReconciliationError(_("No se sabe deshacer lo que registró esta conciliación."),
                                  code="treasury_reconciliation_undo", status=409)

    def find(self, number: str, line=None):
        return self.model.objects.filter(number=number).first()

    def describe(self, target) -> str:
        return str(target)


_REGISTRY: dict[str, TargetKind] = {}


def register(kind: TargetKind) -> TargetKind:
    _REGISTRY[kind.key] = kind
    return kind


def kinds() -> list[TargetKind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.order)


def kind_named(key: str) -> TargetKind | None:
    return _REGISTRY.get(key)


def kind_for(target) -> TargetKind | None:
    return next((kind for kind in _REGISTRY.values() if isinstance(target, kind.model)), None)


# --- Remittances (SEPA direct debit charges): a credit of the remittance's total ------------------------

class RemittanceTarget(TargetKind):
    key, label, model, order = "remittance", _l("Remesa"), Remittance, 10

    def candidates(self, batch):
        return Remittance.objects.filter(state=RemittanceState.CHARGED, total__in=batch.credits) if batch.credits else []

    def match(self, line, text, batch):
        if line.amount <= 0:
            return None
        for remittance in batch.of(self):
            if (remittance.total != line.amount or remittance.bank_account_id != line.bank_account_id
                    or not near(remittance.collection_date, line.operation_date, REMITTANCE_DAYS)
                    or batch.taken(remittance)):
                continue
            refs = [r.upper() for r in (remittance.message_id, remittance.number) if r]
            if not (line.reference1 or line.reference2) or any(ref in text for ref in refs):
                return Match(remittance, "remittance", 100, True)
        return None

    def amount_match(self, line, batch):
        return next((r for r in batch.of(self) if r.total == line.amount and not batch.taken(r)), None)

    def refuse(self, line, target):
        if target.state != RemittanceState.CHARGED:
            return _("La remesa %(number)s está «%(state)s»: solo se concilia una remesa cargada.") % {
                "number": target.number, "state": target.get_state_display()}
        return None

    def link(self, line, target):
        return Posting(target.entry_id, False)


# --- Transfer orders (pain.001 we sent): a debit of the order's total -----------------------------------

class TransferOrderTarget(TargetKind):
    """Confirming settles the order (transfer_order_settle: one payment entry per item, on the items);
    the reconciliation shows the first item's entry. Its undo is refused: a settled order is not undone."""
    key, label, model, order = "transfer_order", _l("Orden de transferencias"), TransferOrder, 20

    def candidates(self, batch):
        return (TransferOrder.objects.filter(state=TransferOrderState.GENERATED, total__in=batch.debits)
                if batch.debits else [])

    def match(self, line, text, batch):
        if line.amount >= 0:
            return None
        for order in batch.of(self):
            if (order.total != -line.amount or order.bank_account_id != line.bank_account_id
                    or not near(order.execution_date, line.operation_date, TRANSFER_DAYS) or batch.taken(order)):
                continue
            refs = [r.upper() for r in (order.message_id, order.number) if r]
            if not (line.reference1 or line.reference2) or any(ref in text for ref in refs):
                return Match(order, "transfer_order", 100, True)
        return None

    def amount_match(self, line, batch):
        return next((o for o in batch.of(self) if o.total == -line.amount and not batch.taken(o)), None)

    def refuse(self, line, target):
        if target.state != TransferOrderState.GENERATED:
            return _("La orden %(number)s está «%(state)s»: solo se concilia una orden pendiente de cargo.") % {
                "number": target.number, "state": target.get_state_display()}
        if line.amount >= 0:
            return _("Una orden de transferencias se concilia con un cargo, no con un abono.")
        return None

    def post(self, *, actor, line, target):
        entries = transfer_order_settle(actor=actor, order=target, date=line.operation_date)
        return Posting(entries[0].pk if entries else None, True)

    def undo(self, *, actor, reconciliation, target):
        raise ReconciliationError(
            _("La orden %s ya consta cargada y sus pagos contabilizados: esta conciliación no se puede deshacer. "
              "Si el cargo no corresponde a la orden, anule sus asientos en Contabilidad.") % target.number,
            code="treasury_reconciliation_undo_transfer", status=409)


# --- Insurer settlements: a debit of what we owe (or a credit of what the insurer owes us) --------------

class SettlementTarget(TargetKind):
    key, label, model, order = "settlement", _l("Liquidación"), Settlement, 40

    def candidates(self, batch):
        amounts = {-a for a in batch.credits} | batch.debits
        if not amounts:
            return []
        rows = list(Settlement.objects.select_related("insurer").filter(amount_due__in=amounts))
        held = orders_holding(Settlement, [row.pk for row in rows]) if rows else {}
        return [row for row in rows if row.pk not in held]

    def match(self, line, text, batch):
        for settlement in batch.of(self):
            if (settlement.amount_due != -line.amount or batch.taken(settlement)
                    or not near(settlement.date, line.operation_date, SETTLEMENT_DAYS)):
                continue
            named = settlement.number.upper() in text or settlement.insurer.name.upper() in text
            return Match(settlement, "settlement", 100 if named else 70, named)
        return None

    def amount_match(self, line, batch):
        return next((s for s in batch.of(self) if s.amount_due == -line.amount and not batch.taken(s)), None)

    def refuse(self, line, target):
        held = orders_holding(Settlement, [target.pk])
        if held:
            return _("La liquidación %(number)s se paga con la orden %(order)s: concilie la orden.") % {
                "number": target.number, "order": held[target.pk]}
        return None

    def link(self, line, target):
        return Posting(target.payment_entry_id, False) if target.state == SettlementState.PAID else None

    def post(self, *, actor, line, target):
        settlement = settlement_mark_paid(actor=actor, settlement=target, date=max(line.operation_date, target.date),
                                          bank=line.bank_account.account)
        return Posting(settlement.payment_entry_id, True)

    def undo(self, *, actor, reconciliation, target):
        line = reconciliation.line
        settlement_mark_unpaid(actor=actor, settlement=target, date=line.operation_date, reason=undo_reason(line))


for _kind in (RemittanceTarget(), TransferOrderTarget(), SettlementTarget()):
    register(_kind)

# Receipts and invoices register themselves on import (kept apart for size).
from apps.treasury.services import reconciliation_targets_books  # noqa: E402,F401
