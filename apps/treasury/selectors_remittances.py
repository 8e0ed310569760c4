"""Read side of SEPA remittances: the filtered list with its total and one remittance with its debits."""
from decimal import Decimal

from django.db.models import Count, Q, Sum

from apps.treasury.choices import RemittanceItemState
from apps.treasury.models import Remittance, RemittanceItem

SORTABLE = {"number", "collection_date", "total", "count", "state"}


def remittances_filtered(*, state: str = "", bank_account=None, date_from=None, date_to=None, number: str = "",
                         order: str = ""):
    queryset = Remittance.objects.select_related("bank_account")
    if state:
        queryset = queryset.filter(state=state)
    if bank_account:
        queryset = queryset.filter(bank_account=bank_account)
    if date_from:
        queryset = queryset.filter(collection_date__gte=date_from)
    if date_to:
        queryset = queryset.filter(collection_date__lte=date_to)
    if number:
        queryset = queryset.filter(Q(number__icontains=number) | Q(message_id__icontains=number))
    if order.lstrip("-") in SORTABLE:
        return queryset.order_by(order, "pk")
    return queryset.order_by("-collection_date", "-pk")


def remittances_total(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("total"))["total"] or Decimal("0.00")


def remittance_items(remittance):
    return (RemittanceItem.objects.filter(remittance=remittance)
            .select_related("receipt__policyholder", "receipt__insurer", "mandate").order_by("pk"))


def remittance_totals(remittance) -> dict:
    """Included and returned debits (count and amount) of one remittance."""
    return RemittanceItem.objects.filter(remittance=remittance).aggregate(
        included=Sum("amount", filter=Q(state=RemittanceItemState.INCLUDED)),
        included_count=Count("pk", filter=Q(state=RemittanceItemState.INCLUDED)),
        returned=Sum("amount", filter=Q(state=RemittanceItemState.RETURNED)),
        returned_count=Count("pk", filter=Q(state=RemittanceItemState.RETURNED)))
