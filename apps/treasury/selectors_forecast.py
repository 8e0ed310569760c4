"""The built-in sources of the treasury forecast (see apps.treasury.services.forecast): one GROUP BY
per source for the flows, and the readers behind each figure for the drill-down list.

  receipts           in   open receipts the broker collects (issued, partial, returned; outstanding
                          > 0) on their due date
  settlements_out    out  closed insurer settlements the brokerage owes (amount_due > 0, not paid,
                          not in a live transfer order) on date + TREASURY_SETTLEMENT_PAYMENT_DAYS
  settlements_in     in   closed settlements the insurer owes the brokerage (amount_due < 0), same day
  invoices           out  validated received invoices not paid (no active reconciliation, not in a live
                          transfer order) on their due date, or issue date + TREASURY_INVOICE_PAYMENT_DAYS
  transfer_orders    out  transfer orders generated and not charged yet, on their execution date
"""
from django.conf import settings
from django.db.models import Count, DateField, F, Func, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from apps.accounting.choices import InvoiceKind, InvoiceState
from apps.accounting.models import Invoice
from apps.collections.choices import ReceiptCollector, ReceiptState, SettlementState
from apps.collections.models import Receipt, Settlement
from apps.treasury.choices import TransferOrderState
from apps.treasury.models import Reconciliation, TransferItem, TransferOrder
from apps.treasury.services.forecast import Record, flows_by_day, register_source

OPEN_RECEIPT_STATES = (ReceiptState.ISSUED, ReceiptState.PARTIAL, ReceiptState.RETURNED)
LIVE_ORDER_STATES = (TransferOrderState.GENERATED, TransferOrderState.SETTLED)
DETAIL_LIMIT = 500
LABELS = {"receipts": _l("Recibos a cobrar"), "settlements_in": _l("Liquidaciones a cobrar de compañías"),
          "settlements_out": _l("Liquidaciones a pagar a compañías"), "invoices": _l("Facturas de proveedores"),
          "transfer_orders": _l("Órdenes de transferencia pendientes de cargo")}


def settlement_payment_days() -> int:
    return int(getattr(settings, "TREASURY_SETTLEMENT_PAYMENT_DAYS", 10))


def invoice_payment_days() -> int:
    return int(getattr(settings, "TREASURY_INVOICE_PAYMENT_DAYS", 30))


def plus_days(name: str, days: int) -> Func:
    """SQL `date + n` (a date in PostgreSQL)."""
    return Func(F(name), Value(days), template="(%(expressions)s)", arg_joiner=" + ", output_field=DateField())


def _in_live_order(app_label: str, model: str):
    return TransferItem.objects.filter(target_type__app_label=app_label, target_type__model=model,
                                       order__state__in=LIVE_ORDER_STATES).values("target_id")


def _window(queryset, day: str, date_from, date_to):
    queryset = queryset.filter(**{f"{day}__lte": date_to})
    return queryset.filter(**{f"{day}__gte": date_from}) if date_from else queryset


def _grouped(queryset, day: str, amount) -> list[tuple]:
    rows = queryset.values(day).annotate(total=Sum(amount), n=Count("id")).order_by(day)
    return [(row[day], row["total"], row["n"]) for row in rows]


# --- Receipts ------------------------------------------------------------------------------------

def open_receipts():
    return Receipt.objects.filter(collector=ReceiptCollector.BROKER, state__in=OPEN_RECEIPT_STATES,
                                  total_premium__gt=F("collected_amount"))


def receipt_flows(start, end):
    rows = _grouped(open_receipts().filter(due_date__lte=end), "due_date", F("total_premium") - F("collected_amount"))
    return flows_by_day(rows, start=start, source="receipts", label=str(LABELS["receipts"]))


def receipt_records(date_from, date_to):
    rows = (_window(open_receipts(), "due_date", date_from, date_to).select_related("policyholder")
            .order_by("due_date", "number")[:DETAIL_LIMIT])
    today = timezone.localdate()
    return [Record(r.due_date, r.number, str(r.policyholder), r.outstanding,
                   reverse("collections:receipt-detail", args=[r.pk]), r.due_date < today) for r in rows]


# --- Settlements with insurers -------------------------------------------------------------------

def open_settlements():
    return (Settlement.objects.filter(state=SettlementState.CLOSED, paid_on__isnull=True).exclude(amount_due=0)
            .exclude(pk__in=_in_live_order("collections", "settlement"))
            .annotate(pay_on=plus_days("date", settlement_payment_days())))


def settlement_flows(start, end):
    owed, due = Q(amount_due__gt=0), Q(amount_due__lt=0)
    rows = (open_settlements().filter(pay_on__lte=end).values("pay_on")
            .annotate(owed=Sum("amount_due", filter=owed), n_owed=Count("id", filter=owed),
                      due=Sum("amount_due", filter=due), n_due=Count("id", filter=due))
            .order_by("pay_on"))
    rows = list(rows)
    return [*flows_by_day(((r["pay_on"], r["owed"], r["n_owed"]) for r in rows), start=start,
                          source="settlements_out", label=str(LABELS["settlements_out"]), sign=-1),
            *flows_by_day(((r["pay_on"], r["due"], r["n_due"]) for r in rows), start=start,
                          source="settlements_in", label=str(LABELS["settlements_in"]), sign=-1)]


def _settlement_records(date_from, date_to, *, owed: bool):
    sign = Q(amount_due__gt=0) if owed else Q(amount_due__lt=0)
    rows = (_window(open_settlements(), "pay_on", date_from, date_to).filter(sign).select_related("insurer")
            .order_by("pay_on", "number")[:DETAIL_LIMIT])
    today = timezone.localdate()
    return [Record(s.pay_on, s.number, str(s.insurer), abs(s.amount_due),
                   reverse("collections:settlement-detail", args=[s.pk]), s.pay_on < today) for s in rows]


# --- Supplier invoices ---------------------------------------------------------------------------

def unpaid_invoices():
    reconciled = Reconciliation.objects.filter(target_type__app_label="accounting", target_type__model="invoice",
                                               undone_at__isnull=True).values("target_id")
    return (Invoice.objects.filter(kind=InvoiceKind.RECEIVED, state=InvoiceState.VALIDATED, total__gt=0)
            .exclude(pk__in=reconciled).exclude(pk__in=_in_live_order("accounting", "invoice"))
            .annotate(pay_on=Coalesce("due_date", plus_days("issue_date", invoice_payment_days()))))


def invoice_flows(start, end):
    rows = _grouped(unpaid_invoices().filter(pay_on__lte=end), "pay_on", "total")
    return flows_by_day(rows, start=start, source="invoices", label=str(LABELS["invoices"]), sign=-1)


def invoice_records(date_from, date_to):
    rows = (_window(unpaid_invoices(), "pay_on", date_from, date_to).select_related("party")
            .order_by("pay_on", "pk")[:DETAIL_LIMIT])
    today = timezone.localdate()
    return [Record(i.pay_on, i.full_number, i.party_name or str(i.party), i.total,
                   reverse("accounting:invoice-detail", args=[i.pk]), i.pay_on < today)
            for i in rows]


# --- Transfer orders generated, not charged ------------------------------------------------------

def pending_orders():
    return TransferOrder.objects.filter(state=TransferOrderState.GENERATED)


def transfer_order_flows(start, end):
    rows = _grouped(pending_orders().filter(execution_date__lte=end), "execution_date", "total")
    return flows_by_day(rows, start=start, source="transfer_orders", label=str(LABELS["transfer_orders"]), sign=-1)


def transfer_order_records(date_from, date_to):
    rows = (_window(pending_orders(), "execution_date", date_from, date_to).select_related("bank_account")
            .order_by("execution_date", "pk")[:DETAIL_LIMIT])
    today = timezone.localdate()
    return [Record(o.execution_date, o.number, str(o.bank_account), o.total,
                   reverse("treasury:transfer-detail", args=[o.pk]), o.execution_date < today) for o in rows]


register_source(receipt_flows, details={"receipts": receipt_records}, labels=LABELS)
register_source(settlement_flows, details={
    "settlements_out": lambda date_from, date_to: _settlement_records(date_from, date_to, owed=True),
    "settlements_in": lambda date_from, date_to: _settlement_records(date_from, date_to, owed=False)})
register_source(invoice_flows, details={"invoices": invoice_records})
register_source(transfer_order_flows, details={"transfer_orders": transfer_order_records})
