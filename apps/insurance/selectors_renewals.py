"""Reads of the renewal portfolio: who sees which proposals, the month's list and its totals per
state (current vs proposed premium, % change, progress) in one aggregate query."""
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from apps.core.permissions import visible_to
from apps.insurance.choices import RenewalState
from apps.insurance.filtersets import month_range
from apps.insurance.models import RenewalProposal

# A Comercial sees the proposals of its clients' policies (as with the policies themselves).
RENEWAL_OWNER_FIELD = "policy__policyholder__account_manager"
ZERO = Decimal("0.00")


def renewals_for(user):
    return visible_to(RenewalProposal.objects.all(), user, RENEWAL_OWNER_FIELD)


def renewal_list_queryset(user, month: str | None = None):
    """The proposals this user sees (of one month 'YYYY-MM' when given), with what the list shows."""
    queryset = renewals_for(user).select_related(
        "policy", "policy__insurer", "policy__line", "policy__policyholder", "owner", "renewed_policy")
    if month:
        first, last = month_range(month)
        queryset = queryset.filter(expiry_date__gte=first, expiry_date__lte=last)
    return queryset


def current_month(today: datetime.date | None = None) -> str:
    return f"{today or timezone.localdate():%Y-%m}"


def shift_month(month: str, months: int) -> str:
    first, _last = month_range(month)
    index = first.month - 1 + months
    return f"{first.year + index // 12:04d}-{index % 12 + 1:02d}"


def percent_change(before: Decimal, after: Decimal) -> Decimal | None:
    """(after - before) / before in %, 1 decimal half-up; None without a base."""
    if not before:
        return None
    return ((after - before) * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class StateTotals:
    state: str
    label: str
    count: int = 0
    current: Decimal = ZERO
    proposed: Decimal = ZERO

    @property
    def change(self) -> Decimal | None:
        return percent_change(self.current, self.proposed)


@dataclass
class Portfolio:
    rows: list[StateTotals] = field(default_factory=list)
    total: StateTotals | None = None

    @property
    def decided(self) -> int:
        return sum(row.count for row in self.rows if row.state != RenewalState.PENDING)

    @property
    def progress(self) -> int:
        """Decided / total as a whole percentage (0 for an empty month)."""
        if not self.total or not self.total.count:
            return 0
        return int((Decimal(self.decided) * 100 / self.total.count).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def portfolio_totals(queryset) -> Portfolio:
    """Counts and total premiums (current and proposed) per state of `queryset`: one query."""
    aggregates = {}
    for state in RenewalState.values:
        where = Q(state=state)
        aggregates[f"{state}_n"] = Count("pk", filter=where)
        aggregates[f"{state}_cur"] = Sum("current_total_premium", filter=where)
        aggregates[f"{state}_new"] = Sum("proposed_total_premium", filter=where)
    values = queryset.order_by().aggregate(**aggregates)
    rows = [StateTotals(state, str(label), values[f"{state}_n"] or 0, values[f"{state}_cur"] or ZERO,
                        values[f"{state}_new"] or ZERO) for state, label in RenewalState.choices]
    total = StateTotals("", "", sum(r.count for r in rows), sum((r.current for r in rows), ZERO),
                        sum((r.proposed for r in rows), ZERO))
    return Portfolio(rows=rows, total=total)


def renewal_for_policy(user, policy_pk):
    """The proposal of one policy (or the one that produced it), as the policy page's panel shows it."""
    return (renewals_for(user).select_related("owner", "decided_by", "renewed_policy")
            .filter(policy_id=policy_pk).first())
