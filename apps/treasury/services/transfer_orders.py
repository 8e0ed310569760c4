"""Transfer orders: the stored pain.001.001.03 paying insurer settlements, claim payments and supplier
invoices from one of the brokerage's bank accounts (issue 7 item 7).

create (GENERATED: file built and XSD-validated before anything is saved, targets taken) ->
settle when the bank charges it (SETTLED: one BAN payment entry per item, on item.entry) or
cancel while GENERATED (CANCELLED: the targets are free again).

Payment entries of `transfer_order_settle`, every one crediting the order's bank ledger account:
  settlement        settlement_mark_paid (Dr insurer current account / Cr bank); a settlement already
                    paid by hand keeps its payment entry, which the item links;
  supplier_invoice  Dr the supplier's «creditors» subaccount (the one the invoice credited) / Cr bank;
                    an invoice a reconciliation already paid links that entry;
  claim_payment     Dr the insurer's current account (the broker pays on the insurer's behalf) / Cr bank.
Another kind (payroll) registers its poster in POSTERS.
"""
import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounting.models import Invoice
from apps.accounting.services import LineSpec, entry_post, mapped_account, party_subaccount
from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.claims.models import ClaimPayment
from apps.collections.models import Settlement
from apps.collections.services.accounts import insurer_account, insurer_party
from apps.collections.services.settlements import settlement_mark_paid
from apps.core.events import publish
from apps.insurance.services.numbering import formatted_number
from apps.treasury.choices import TransferItemKind, TransferOrderState
from apps.treasury.errors import TreasuryError
from apps.treasury.models import Reconciliation, TransferItem, TransferOrder
from apps.treasury.services.transfer_sources import PaymentRequest, requests_resolve
from apps.treasury.services.transfers import Payment, transfer_xml

JOURNAL = "BAN"
SERIES = "TRF"


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _locked(order) -> TransferOrder:
    return (TransferOrder.objects.select_for_update(of=("self",)).select_related("bank_account__account")
            .get(pk=getattr(order, "pk", order)))


def _state_error(order: TransferOrder, doing: str) -> TreasuryError:
    return TreasuryError(_("La orden %(number)s está «%(state)s»: no se puede %(doing)s.") % {
        "number": order.number, "state": order.get_state_display(), "doing": doing},
        code="treasury_transfer_state", status=409)


def _check_bank(bank_account) -> None:
    if bank_account is None or not bank_account.is_active:
        raise TreasuryError(_("Elija una cuenta bancaria activa para el cargo."), code="treasury_bank_inactive",
                            field="bank_account")


def _requests(items) -> list[PaymentRequest]:
    requests = [item if isinstance(item, PaymentRequest) else PaymentRequest(**item) for item in items or []]
    if not requests:
        raise TreasuryError(_("Elija al menos un pago para la orden."), code="treasury_transfer_empty",
                            field="items", status=409)
    keys = [(r.kind, int(r.target_id)) for r in requests]
    if len(set(keys)) != len(keys):
        raise TreasuryError(_("Un mismo pago está elegido dos veces."), code="treasury_transfer_duplicate",
                            field="items", status=409)
    return requests


@transaction.atomic
def transfer_order_create(*, actor, bank_account, execution_date: datetime.date,
                          items: list[PaymentRequest]) -> TransferOrder:
    """A GENERATED order paying `items` from `bank_account` on `execution_date`. Any item that cannot go
    (no IBAN, invalid IBAN, zero amount, already in an order, wrong state) refuses the whole order with
    every reason; the pain.001 is validated against its XSD before anything is saved."""
    _check_bank(bank_account)
    if not isinstance(execution_date, datetime.date):
        raise TreasuryError(_("Indique la fecha de ejecución."), code="treasury_transfer_date",
                            field="execution_date")
    requests = _requests(items)
    try:
        rows = requests_resolve(requests, lock=True)
    except LookupError as exc:
        raise TreasuryError(_("No existen los pagos %s.") % exc, code="treasury_transfer_unknown", field="items",
                            status=404) from None
    refused = [row for row in rows if not row.ok]
    if refused:
        raise TreasuryError(_("No se puede crear la orden: %s") % "; ".join(
            f"{row.label}: {row.reason}" for row in refused), code=refused[0].code, field="items", status=409)
    number = formatted_number(series=SERIES, year=execution_date.year)
    references = [f"{number}-{n:04d}" for n in range(1, len(rows) + 1)]
    payments = [Payment(name=row.payee_name, iban=row.iban, bic=row.bic, amount=row.amount, reference=ref,
                        description=row.description) for row, ref in zip(rows, references)]
    xml, message_id = transfer_xml(bank_account=bank_account, payments=payments, execution_date=execution_date)
    total = sum((row.amount for row in rows), Decimal("0.00"))
    order = TransferOrder.objects.create(
        number=number, bank_account=bank_account, execution_date=execution_date, total=total, count=len(rows),
        message_id=message_id[:35], xml=xml, created_by=_actor(actor), updated_by=_actor(actor))
    types = {kind: ContentType.objects.get_for_model(model) for kind, model in
             ((TransferItemKind.SETTLEMENT, Settlement), (TransferItemKind.CLAIM_PAYMENT, ClaimPayment),
              (TransferItemKind.SUPPLIER_INVOICE, Invoice))}
    TransferItem.objects.bulk_create([
        TransferItem(order=order, kind=row.kind, target_type=types[row.kind], target_id=row.target.pk,
                     payee_name=row.payee_name, iban=row.iban, bic=row.bic, amount=row.amount,
                     end_to_end_id=ref, description=row.description, created_by=_actor(actor))
        for row, ref in zip(rows, references)])
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=order, changes={
        "número": [None, number], "cuenta": [None, str(bank_account)],
        "ejecución": [None, execution_date.isoformat()], "pagos": [None, len(rows)], "importe": [None, str(total)],
        "referencias": [None, [row.label for row in rows]]})
    publish("treasury.transfer_order.created", pk=order.pk, number=number, count=len(rows), total=str(total))
    return order


@transaction.atomic
def transfer_order_cancel(*, actor, order: TransferOrder, reason: str) -> TransferOrder:
    """Cancels a GENERATED order (the file was not sent or the bank refused it): its targets are free."""
    order = _locked(order)
    if order.state != TransferOrderState.GENERATED:
        raise _state_error(order, _("anular"))
    reason = (reason or "").strip()
    if not reason:
        raise TreasuryError(_("Indique el motivo de la anulación."), code="treasury_reason_required", field="reason")
    order.state, order.updated_by = TransferOrderState.CANCELLED, _actor(actor)
    order.version += 1
    order.save(update_fields=["state", "updated_by", "updated_at", "version"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="transfer_order_cancel", obj=order,
                       changes={"estado": [TransferOrderState.GENERATED, TransferOrderState.CANCELLED],
                                "motivo": [None, reason[:300]]})
    publish("treasury.transfer_order.cancelled", pk=order.pk, number=order.number)
    return order


def _bank_line(order, item, label) -> LineSpec:
    return LineSpec(account=order.bank_account.account, credit=item.amount, description=label)


def _post_settlement(*, actor, order, item, date):
    settlement = Settlement.objects.get(pk=item.target_id)
    if settlement.payment_entry_id is None:
        settlement = settlement_mark_paid(actor=actor, settlement=settlement, date=date,
                                          bank=order.bank_account.account)
    return settlement.payment_entry


def _post_invoice(*, actor, order, item, date):
    invoice = Invoice.objects.select_related("party").get(pk=item.target_id)
    linked = (Reconciliation.objects.filter(target_type=item.target_type_id, target_id=invoice.pk,
                                            undone_at__isnull=True, entry__isnull=False)
              .select_related("entry").first())
    if linked is not None:
        return linked.entry
    label = (_("Pago de la factura %(number)s de %(party)s (orden %(order)s)") % {
        "number": invoice.full_number, "party": invoice.party_name or invoice.party, "order": order.number})[:250]
    supplier = party_subaccount(actor=actor, party=invoice.party, base_code=mapped_account("creditors").code)
    return entry_post(actor=actor, date=date, journal=JOURNAL, description=label,
                      source=f"treasury.transfer_item:{item.pk}",
                      lines=[LineSpec(account=supplier, party=invoice.party, debit=item.amount, description=label),
                             _bank_line(order, item, label)])


def _post_claim_payment(*, actor, order, item, date):
    payment = ClaimPayment.objects.select_related("claim__insurer").get(pk=item.target_id)
    insurer = payment.claim.insurer
    label = (_("Pago del siniestro %(number)s a %(payee)s por cuenta de %(insurer)s (orden %(order)s)") % {
        "number": payment.claim.number, "payee": item.payee_name, "insurer": insurer,
        "order": order.number})[:250]
    return entry_post(actor=actor, date=date, journal=JOURNAL, description=label,
                      source=f"treasury.transfer_item:{item.pk}",
                      lines=[LineSpec(account=insurer_account(insurer, actor=actor), party=insurer_party(insurer),
                                      debit=item.amount, description=label),
                             _bank_line(order, item, label)])


POSTERS = {TransferItemKind.SETTLEMENT: _post_settlement, TransferItemKind.SUPPLIER_INVOICE: _post_invoice,
           TransferItemKind.CLAIM_PAYMENT: _post_claim_payment}


@transaction.atomic
def transfer_order_settle(*, actor, order: TransferOrder, date: datetime.date) -> list:
    """The bank charged the order on `date`: one payment entry per item (stored on item.entry), state
    SETTLED, settled_on = date; all or nothing. Refused unless GENERATED (409). Returns the entries."""
    order = _locked(order)
    if order.state != TransferOrderState.GENERATED:
        raise _state_error(order, _("marcar como cargada"))
    if not isinstance(date, datetime.date):
        raise TreasuryError(_("Indique la fecha del cargo."), code="treasury_transfer_date", field="date")
    entries = []
    for item in order.items.order_by("pk"):
        poster = POSTERS.get(item.kind)
        if poster is None:
            raise TreasuryError(_("No se sabe contabilizar el pago %(ref)s (%(kind)s).") % {
                "ref": item.end_to_end_id, "kind": item.get_kind_display()}, code="treasury_transfer_kind", status=409)
        entry = poster(actor=actor, order=order, item=item, date=date)
        item.entry = entry
        item.save(update_fields=["entry"])
        entries.append(entry)
    order.state, order.settled_on, order.updated_by = TransferOrderState.SETTLED, date, _actor(actor)
    order.version += 1
    order.save(update_fields=["state", "settled_on", "updated_by", "updated_at", "version"])
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="transfer_order_settle", obj=order,
                       changes={"estado": [TransferOrderState.GENERATED, TransferOrderState.SETTLED],
                                "fecha": [None, date.isoformat()], "asientos": [None, [e.pk for e in entries]]})
    publish("treasury.transfer_order.settled", pk=order.pk, number=order.number, entries=[e.pk for e in entries])
    return entries
