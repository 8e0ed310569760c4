"""Reads of receipts and the commission ledger (relations loaded, sums in the database)."""
from decimal import Decimal

from django.db.models import Q, Sum

from apps.collections.choices import PERIOD_KINDS, ReceiptState
from apps.collections.models import CommissionMovement, Receipt, ReceiptMovement

ZERO = Decimal("0.00")


def receipts_queryset():
    return Receipt.objects.select_related("policy", "insurer", "line", "policyholder", "agreement")


def receipts_for_policy(policy, *, live_only: bool = False):
    """A policy's receipts in issue order (sequence); live_only leaves cancelled ones out."""
    rows = receipts_queryset().filter(policy=policy).order_by("sequence")
    return rows.exclude(state=ReceiptState.CANCELLED) if live_only else rows


def period_receipts(policy):
    """The live receipt of each period (new business or renewal), by period start."""
    return (receipts_for_policy(policy, live_only=True).filter(kind__in=PERIOD_KINDS)
            .order_by("period_start"))


def receipt_detail(pk) -> Receipt | None:
    return receipts_queryset().select_related("policy_version", "created_by", "updated_by").filter(pk=pk).first()


def receipt_movements(receipt):
    return (ReceiptMovement.objects.filter(receipt=receipt).select_related("entry", "created_by", "reverses")
            .order_by("date", "pk"))


def commission_movements(*, receipt=None, policy=None, collaborator=None, broker_only: bool = False):
    rows = CommissionMovement.objects.select_related("receipt", "collaborator__party", "reverses", "created_by")
    if receipt is not None:
        rows = rows.filter(receipt=receipt)
    if policy is not None:
        rows = rows.filter(policy=policy)
    if collaborator is not None:
        rows = rows.filter(collaborator=collaborator)
    elif broker_only:
        rows = rows.filter(collaborator__isnull=True)
    return rows.order_by("date", "pk")


def commission_balance(*, receipt=None, policy=None, collaborator=None, kinds=None) -> Decimal:
    """The sum of commission rows: the broker's (collaborator empty) unless a collaborator is given;
    for a receipt, a policy, or all of them; optionally only some kinds."""
    rows = CommissionMovement.objects.all()
    rows = rows.filter(collaborator=collaborator) if collaborator is not None else rows.filter(
        collaborator__isnull=True)
    if receipt is not None:
        rows = rows.filter(receipt=receipt)
    if policy is not None:
        rows = rows.filter(policy=policy)
    if kinds:
        rows = rows.filter(kind__in=list(kinds))
    return rows.aggregate(total=Sum("amount"))["total"] or ZERO


def receipt_totals(queryset) -> dict:
    """Totals of a receipt list: count, premiums, collected, outstanding and commission."""
    totals = queryset.order_by().aggregate(
        net=Sum("net_premium"), total=Sum("total_premium"), collected=Sum("collected_amount"),
        commission=Sum("commission_amount"),
        outstanding=Sum("total_premium", filter=~Q(state=ReceiptState.CANCELLED))
        - Sum("collected_amount", filter=~Q(state=ReceiptState.CANCELLED)))
    return {key: value if value is not None else ZERO for key, value in totals.items()} | {
        "count": queryset.order_by().count()}
