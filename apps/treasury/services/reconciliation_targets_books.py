"""Reconciliation target kinds of the books: receipts (30) and invoices (50). See reconciliation_targets.

Receipt: a credit naming the receipt (or its policy) collects it through receipt_collect (channel
transfer, amount = the line's, date = its operation date, posted to the line's bank ledger account);
a receipt already collected only links its collection entry. Several lines may pay one receipt, up to
what it has outstanding. Undo: receipt_collect_undo (the collection and its entry reversed, the
receipt back to issued); refused when the receipt has other live collections.
Invoice: issued (a credit of its total) or received (a debit of its total), its number in the concepts
-> reconciled, the amount only -> proposed. Confirming posts the payment in journal BAN on the party
subaccount the invoice posted to: Dr bank / Cr client 430x (issued), Dr supplier 410x / Cr bank
(received). A received invoice held by a live transfer order is reconciled through the order. Undo
reverses that entry.
"""
from django.db.models import F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.accounting.choices import InvoiceKind, InvoiceState
from apps.accounting.models import Invoice
from apps.accounting.services import LineSpec, entry_post, entry_reverse, mapped_account, party_subaccount
from apps.collections.choices import CollectionChannel, ReceiptMovementKind, ReceiptState
from apps.collections.models import Receipt, ReceiptMovement
from apps.collections.services.receipts import receipt_collect, receipt_collect_undo
from apps.treasury.services.reconciliation_targets import (
    Match, Posting, ReconciliationError, TargetKind, register, undo_reason,
)
from apps.treasury.services.transfer_sources import orders_holding

COLLECTABLE = (ReceiptState.ISSUED, ReceiptState.PARTIAL, ReceiptState.RETURNED)
COLLECTIONS = (ReceiptMovementKind.COLLECTION, ReceiptMovementKind.REFUND_PAID)
AMOUNT_ONLY_PER_AMOUNT = 5  # receipts loaded per amount for «amount only» proposals


def _live_collections(receipt):
    return ReceiptMovement.objects.filter(receipt=receipt, kind__in=COLLECTIONS, reversed_by__isnull=True)


def _with_collection_entry(queryset):
    """Each receipt with the entry of its latest live collection (linked without a query per line)."""
    latest = (ReceiptMovement.objects.filter(receipt=OuterRef("pk"), kind__in=COLLECTIONS, reversed_by__isnull=True)
              .order_by("-pk").values("entry_id")[:1])
    return queryset.annotate(collection_entry_id=Subquery(latest))


class ReceiptTarget(TargetKind):
    key, label, model, order = "receipt", _l("Recibo"), Receipt, 30

    def candidates(self, batch):
        if not batch.credits:
            return []
        named = Q(number__in=batch.words) | Q(policy__number__in=batch.words)
        named_rows = _with_collection_entry(Receipt.objects.select_related("policy").filter(named))
        rows = {r.pk: r for r in named_rows} if batch.words else {}
        # «amount only»: a few unpaid receipts per amount (window: rows numbered per amount by due date)
        unpaid = (Receipt.objects.select_related("policy")
                  .filter(total_premium__in=batch.credits, collected_amount=0,
                          state__in=(ReceiptState.ISSUED, ReceiptState.RETURNED))
                  .annotate(rank=Window(RowNumber(), partition_by=[F("total_premium")],
                                        order_by=[F("due_date").asc(), F("pk").asc()]))
                  .filter(rank__lte=AMOUNT_ONLY_PER_AMOUNT))
        for receipt in unpaid:
            rows.setdefault(receipt.pk, receipt)
        return list(rows.values())

    def available(self, target):
        return target.outstanding if target.state in COLLECTABLE else None

    def match(self, line, text, batch):
        if line.amount <= 0:
            return None
        by_policy = None
        for receipt in batch.of(self):
            own = receipt.number and receipt.number.upper() in text
            policy = receipt.policy.number and receipt.policy.number.upper() in text
            if not (own or policy):
                continue
            if receipt.state in COLLECTABLE:
                left = receipt.outstanding - batch.reserved(receipt)
                if own and 0 < line.amount <= left:
                    return Match(receipt, "receipt", 100, True)
                if line.amount == left and by_policy is None:
                    by_policy = receipt
            elif (receipt.state == ReceiptState.COLLECTED and receipt.collected_amount == line.amount
                  and not batch.taken(receipt) and (own or by_policy is None)):
                if own:
                    return Match(receipt, "receipt", 100, True)
                by_policy = receipt
        return Match(by_policy, "receipt", 100, True) if by_policy is not None else None

    def amount_match(self, line, batch):
        if line.amount <= 0:
            return None
        return next((r for r in batch.of(self) if r.total_premium == line.amount and r.collected_amount == 0
                     and r.state in (ReceiptState.ISSUED, ReceiptState.RETURNED) and not batch.taken(r)), None)

    def refuse(self, line, target):
        if target.state == ReceiptState.CANCELLED:
            return _("El recibo %s está anulado.") % target.number
        if line.amount <= 0:
            return _("Un recibo se concilia con un abono, no con un cargo.")
        if target.state == ReceiptState.COLLECTED and target.collected_amount != line.amount:
            return _("El recibo %s ya está cobrado por otro importe.") % target.number
        return None

    def link(self, line, target):
        if target.state == ReceiptState.COLLECTED and getattr(target, "collection_entry_id", None):
            return Posting(target.collection_entry_id, False)
        return None

    def post(self, *, actor, line, target):
        if target.state == ReceiptState.COLLECTED:
            movement = _live_collections(target).order_by("-pk").first()
            return Posting(movement.entry_id if movement else None, False)
        receipt_collect(actor=actor, receipt=target, date=line.operation_date, amount=line.amount,
                        channel=CollectionChannel.TRANSFER, bank=line.bank_account.account)
        movement = _live_collections(target).order_by("-pk").first()
        return Posting(movement.entry_id, True)

    def undo(self, *, actor, reconciliation, target):
        live = list(_live_collections(target))
        if len(live) != 1 or (reconciliation.entry_id and live[0].entry_id != reconciliation.entry_id):
            raise ReconciliationError(
                _("El recibo %s tiene otros cobros además de este movimiento: devuélvalo desde Cobros.")
                % target.number, code="treasury_reconciliation_undo_receipt", status=409)
        line = reconciliation.line
        receipt_collect_undo(actor=actor, receipt=target, date=max(line.operation_date, live[0].date),
                             reason=undo_reason(line))

    def find(self, number, line=None):
        return Receipt.objects.filter(number=number).first()


class InvoiceTarget(TargetKind):
    key, label, model, order = "invoice", _l("Factura"), Invoice, 50

    def candidates(self, batch):
        wanted = Q(pk__in=[])
        if batch.credits:
            wanted |= Q(kind=InvoiceKind.ISSUED, total__in=batch.credits)
        if batch.debits:
            wanted |= Q(kind=InvoiceKind.RECEIVED, total__in=batch.debits)
        rows = list(Invoice.objects.filter(wanted, state=InvoiceState.VALIDATED))
        received = [row.pk for row in rows if row.kind == InvoiceKind.RECEIVED]
        held = orders_holding(Invoice, received) if received else {}
        return [row for row in rows if row.pk not in held]

    @staticmethod
    def _fits(invoice, line) -> bool:
        signed = invoice.total if invoice.kind == InvoiceKind.ISSUED else -invoice.total
        return signed == line.amount

    def match(self, line, text, batch):
        for invoice in batch.of(self):
            if (self._fits(invoice, line) and invoice.full_number and invoice.full_number.upper() in text
                    and not batch.taken(invoice)):
                return Match(invoice, "invoice", 100, True)
        return None

    def amount_match(self, line, batch):
        return next((i for i in batch.of(self) if self._fits(i, line) and not batch.taken(i)), None)

    def refuse(self, line, target):
        if target.state != InvoiceState.VALIDATED:
            return _("La factura %(number)s está «%(state)s».") % {"number": target.full_number or target.pk,
                                                                    "state": target.get_state_display()}
        issued = target.kind == InvoiceKind.ISSUED
        if issued != (line.amount > 0):
            return (_("Una factura emitida se cobra con un abono.") if issued
                    else _("Una factura recibida se paga con un cargo."))
        held = orders_holding(Invoice, [target.pk])
        if held:
            return _("La factura %(number)s se paga con la orden %(order)s: concilie la orden.") % {
                "number": target.full_number, "order": held[target.pk]}
        return None

    def post(self, *, actor, line, target):
        issued = target.kind == InvoiceKind.ISSUED
        amount = abs(line.amount)
        party_account = party_subaccount(actor=actor, party=target.party,
                                         base_code=mapped_account("clients" if issued else "creditors").code)
        label = ((_("Cobro de la factura %(number)s de %(party)s") if issued
                  else _("Pago de la factura %(number)s de %(party)s"))
                 % {"number": target.full_number, "party": target.party_name or target.party})[:250]
        bank = LineSpec(account=line.bank_account.account, description=label,
                        **({"debit": amount} if issued else {"credit": amount}))
        party = LineSpec(account=party_account, party=target.party, description=label,
                         **({"credit": amount} if issued else {"debit": amount}))
        entry = entry_post(actor=actor, date=line.operation_date, journal="BAN", description=label,
                           source=f"treasury.statement_line:{line.pk}",
                           lines=[bank, party] if issued else [party, bank])
        return Posting(entry.pk, True)

    def undo(self, *, actor, reconciliation, target):
        if reconciliation.entry_id:
            entry_reverse(actor=actor, entry=reconciliation.entry, date=reconciliation.line.operation_date,
                          description=(_("Anulación del cobro/pago de la factura %(number)s: %(reason)s") % {
                              "number": target.full_number, "reason": undo_reason(reconciliation.line)})[:250])

    def find(self, number, line=None):
        rows = Invoice.objects.filter(full_number=number, state=InvoiceState.VALIDATED).order_by("-issue_date", "-pk")
        if line is not None:
            kind = InvoiceKind.ISSUED if line.amount > 0 else InvoiceKind.RECEIVED
            return rows.filter(kind=kind).first() or rows.first()
        return rows.first()

    def describe(self, target):
        return target.full_number or str(target)


for _kind in (ReceiptTarget(), InvoiceTarget()):
    register(_kind)
