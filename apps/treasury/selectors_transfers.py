"""Read side of transfer orders: the filtered list with its total, and one order's items with the record
each pays (label and page), loaded in one query per kind."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse

from apps.accounting.models import Invoice
from apps.claims.models import ClaimPayment
from apps.collections.models import Settlement
from apps.treasury.choices import TransferItemKind
from apps.treasury.models import TransferItem, TransferOrder

SORTABLE = {"number", "execution_date", "total", "count", "state", "settled_on"}


def transfer_orders_filtered(*, state: str = "", bank_account=None, date_from=None, date_to=None, number: str = "",
                             order: str = ""):
    queryset = TransferOrder.objects.select_related("bank_account")
    if state:
        queryset = queryset.filter(state=state)
    if bank_account:
        queryset = queryset.filter(bank_account=bank_account)
    if date_from:
        queryset = queryset.filter(execution_date__gte=date_from)
    if date_to:
        queryset = queryset.filter(execution_date__lte=date_to)
    if number:
        queryset = queryset.filter(Q(number__icontains=number) | Q(message_id__icontains=number)
                                   | Q(items__payee_name__icontains=number)).distinct()
    if order.lstrip("-") in SORTABLE:
        return queryset.order_by(order, "pk")
    return queryset.order_by("-execution_date", "-pk")


def transfer_orders_total(queryset) -> dict:
    """Amount and payments of the orders in `queryset`."""
    totals = TransferOrder.objects.filter(pk__in=queryset.values("pk")).aggregate(total=Sum("total"),
                                                                                   count=Sum("count"))
    return {"total": totals["total"] or Decimal("0.00"), "count": totals["count"] or 0}


@dataclass(frozen=True)
class ItemRow:
    item: TransferItem
    label: str
    url: str


def _targets(items) -> dict:
    """{(kind, target id): (label, url)} for the records `items` pay."""
    ids = {kind: [i.target_id for i in items if i.kind == kind] for kind in TransferItemKind.values}
    found = {}
    for settlement in Settlement.objects.filter(pk__in=ids[TransferItemKind.SETTLEMENT]).only("number"):
        found[(TransferItemKind.SETTLEMENT, settlement.pk)] = (
            settlement.number, reverse("collections:settlement-detail", args=[settlement.pk]))
    for payment in (ClaimPayment.objects.filter(pk__in=ids[TransferItemKind.CLAIM_PAYMENT])
                    .select_related("claim").only("claim__number")):
        found[(TransferItemKind.CLAIM_PAYMENT, payment.pk)] = (
            payment.claim.number, reverse("claims:claim-detail", args=[payment.claim_id]))
    for invoice in Invoice.objects.filter(pk__in=ids[TransferItemKind.SUPPLIER_INVOICE]).only("full_number"):
        found[(TransferItemKind.SUPPLIER_INVOICE, invoice.pk)] = (
            invoice.full_number, reverse("accounting:invoice-detail", args=[invoice.pk]))
    return found


def transfer_order_items(order) -> list[ItemRow]:
    items = list(TransferItem.objects.filter(order=order).select_related("entry").order_by("pk"))
    targets = _targets(items)
    return [ItemRow(item, *targets.get((item.kind, item.target_id), (str(item.target_id or "—"), "")))
            for item in items]
