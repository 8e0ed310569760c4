"""Reads of the receipt, collaborator and panel pages, each in a fixed number of queries: who sees
which receipts (a Comercial: its clients' only), the list's totals in one aggregate, a receipt
with its movements and commission rows, a policy's receipts and commission for its page's panel,
a client's unpaid receipts, a collaborator with its shares and ledger."""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from apps.collections.choices import ReceiptState
from apps.collections.models import Collaborator, CommissionMovement, CommissionShare, Receipt, ReceiptMovement
from apps.core.permissions import visible_to

RECEIPT_OWNER_FIELD = "policyholder__account_manager"
MOVEMENT_OWNER_FIELD = "policy__policyholder__account_manager"
ZERO = Decimal("0.00")
UNPAID_STATES = (ReceiptState.ISSUED, ReceiptState.PARTIAL, ReceiptState.RETURNED)
MONEY = DecimalField(max_digits=14, decimal_places=2)


def receipts_for(user):
    """Receipts this user may see (a Comercial: its clients' receipts only)."""
    return visible_to(Receipt.objects.all(), user, RECEIPT_OWNER_FIELD)


def commission_movements_for(user):
    return visible_to(CommissionMovement.objects.all(), user, MOVEMENT_OWNER_FIELD)


def receipt_list_queryset(user):
    return receipts_for(user).select_related("policy", "insurer", "line", "policyholder")


def _sum(expression):
    return Coalesce(Sum(expression, output_field=MONEY), Value(ZERO), output_field=MONEY)


OUTSTANDING = Case(When(state__in=UNPAID_STATES, then=F("total_premium") - F("collected_amount")),
                   default=Value(ZERO), output_field=MONEY)


def receipt_totals(queryset) -> dict:
    """Totals of a filtered set of receipts in one query: premium (cancelled receipts left out),
    outstanding (what is still to collect on issued, partial and returned receipts), collected and
    the receipts' commission (cancelled left out)."""
    live = ~Q(state=ReceiptState.CANCELLED)
    sums = queryset.order_by().aggregate(  # keys differ from field names (Django refuses the clash)
        sum_premium=_sum(Case(When(live, then=F("total_premium")), default=Value(ZERO), output_field=MONEY)),
        sum_outstanding=_sum(OUTSTANDING),
        sum_collected=_sum("collected_amount"),
        sum_commission=_sum(Case(When(live, then=F("commission_amount")), default=Value(ZERO), output_field=MONEY)),
    )
    return {"total_premium": sums["sum_premium"], "outstanding": sums["sum_outstanding"],
            "collected": sums["sum_collected"], "commission": sums["sum_commission"]}


def receipt_for_page(user, pk) -> Receipt | None:
    """One receipt with everything its page shows: 3 queries (receipt, movements, commission rows)."""
    movements = ReceiptMovement.objects.select_related("created_by", "entry__fiscal_year", "settlement").order_by("date", "pk")
    commissions = (CommissionMovement.objects.select_related("collaborator__party", "settlement", "created_by")
                   .order_by("date", "pk"))
    return (receipts_for(user)
            .select_related("policy", "insurer", "line", "policyholder", "agreement", "policy_version",
                            "created_by")
            .prefetch_related(Prefetch("movements", queryset=movements),
                              Prefetch("commission_movements", queryset=commissions))
            .filter(pk=pk).first())


@dataclass
class CommissionSums:
    broker: Decimal = ZERO
    collaborators: dict = field(default_factory=dict)  # collaborator -> Decimal

    @property
    def collaborators_total(self) -> Decimal:
        return sum(self.collaborators.values(), ZERO)

    @property
    def net(self) -> Decimal:
        """What the brokerage keeps: its commission minus the collaborators' shares."""
        return self.broker - self.collaborators_total


def commission_sums(rows) -> CommissionSums:
    """Broker and per-collaborator sums of already loaded commission rows."""
    sums = CommissionSums()
    for row in rows:
        if row.collaborator_id is None:
            sums.broker += row.amount
        else:
            sums.collaborators[row.collaborator] = sums.collaborators.get(row.collaborator, ZERO) + row.amount
    return sums


def movement_sums(rows) -> dict:
    collected = sum((row.amount for row in rows if row.amount > 0), ZERO)
    returned = sum((row.amount for row in rows if row.amount < 0), ZERO)
    return {"collected": collected, "returned": returned, "net": collected + returned}


# --- The policy page's panel ------------------------------------------------------------------------

@dataclass
class PolicyReceipts:
    receipts: list
    totals: dict
    commission: CommissionSums
    shares: list


def policy_receipts(policy) -> PolicyReceipts:
    """The policy's receipts (period order), their totals, the commission earned on the policy
    (broker and each collaborator) and the collaborators' shares: 3 queries."""
    receipts = list(Receipt.objects.filter(policy=policy).order_by("period_start", "sequence"))
    totals = {"total_premium": ZERO, "collected": ZERO, "outstanding": ZERO, "commission": ZERO}
    for receipt in receipts:
        if receipt.state != ReceiptState.CANCELLED:
            totals["total_premium"] += receipt.total_premium
            totals["commission"] += receipt.commission_amount
        totals["collected"] += receipt.collected_amount
        if receipt.state in UNPAID_STATES:
            totals["outstanding"] += receipt.outstanding
    rows = (CommissionMovement.objects.filter(policy=policy).values("collaborator")
            .annotate(total=Sum("amount")).order_by())
    shares = list(CommissionShare.objects.filter(policy=policy).select_related("collaborator__party")
                  .order_by("collaborator__code"))
    by_collaborator = {share.collaborator_id: share.collaborator for share in shares}
    sums = CommissionSums()
    missing = []
    for row in rows:
        if row["collaborator"] is None:
            sums.broker = row["total"]
        elif row["collaborator"] in by_collaborator:
            sums.collaborators[by_collaborator[row["collaborator"]]] = row["total"]
        else:
            missing.append(row)
    if missing:  # collaborators whose share was removed after they earned: one more query, rare
        people = Collaborator.objects.select_related("party").in_bulk([row["collaborator"] for row in missing])
        for row in missing:
            sums.collaborators[people[row["collaborator"]]] = row["total"]
    return PolicyReceipts(receipts=receipts, totals=totals, commission=sums, shares=shares)


# --- The client's 360° panel -------------------------------------------------------------------------

def party_unpaid_receipts(party, user, limit: int = 50) -> list[Receipt]:
    """The client's issued, partly paid and returned receipts (oldest due first)."""
    return list(receipts_for(user).filter(policyholder=party, state__in=UNPAID_STATES)
                .select_related("insurer").order_by("due_date", "pk")[:limit])


# --- Collaborators ----------------------------------------------------------------------------------

def collaborator_list_queryset():
    return Collaborator.objects.select_related("party")


def collaborator_for_page(pk) -> Collaborator | None:
    shares = CommissionShare.objects.select_related("policy__insurer", "policy__policyholder").order_by(
        "policy__number")
    return (Collaborator.objects.select_related("party", "created_by")
            .prefetch_related(Prefetch("shares", queryset=shares)).filter(pk=pk).first())


def collaborator_ledger(collaborator, user, limit: int = 100) -> tuple[list, dict]:
    """The collaborator's latest commission rows (those the user may see) and their sums: 2 queries."""
    rows = (commission_movements_for(user).filter(collaborator=collaborator)
            .select_related("policy", "receipt", "collaborator_settlement").order_by("-date", "-pk"))
    sums = rows.order_by().aggregate(
        total=_sum("amount"),
        unsettled=_sum(Case(When(collaborator_settlement__isnull=True, then=F("amount")), default=Value(ZERO),
                            output_field=MONEY)))
    return list(rows[:limit]), sums
