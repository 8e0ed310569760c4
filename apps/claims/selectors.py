"""Reads for claims: who sees which (a Comercial: its clients' claims only), the board, the list,
the claim page in a fixed number of queries, a policy's and a client's claims, overdue tasks.

The board reads one GROUP BY for the counts and one LIMIT 20 query per open state, each served by
the (state, -reported_date) index: its query count and cost do not grow with the number of claims."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Sum
from django.utils import timezone

from apps.claims.choices import OPEN_STATES, ClaimState
from apps.claims.models import Claim, ClaimDocument, ClaimPayment, ClaimStateChange, ClaimTask, ReserveChange
from apps.core.permissions import visible_to

CLAIM_OWNER_FIELD = "policyholder__account_manager"
BOARD_CARDS = 20
CARD_RELATED = ("policy", "policyholder", "insurer", "handler")


def claims_for(user):
    """Claims this user may see."""
    return visible_to(Claim.objects.all(), user, CLAIM_OWNER_FIELD)


def claim_list_queryset(user):
    # policy__insurer: a policy shows as «number (insurer)»
    return claims_for(user).select_related("policy__insurer", "policyholder", "insurer", "line", "handler")


@dataclass
class BoardColumn:
    state: str
    label: str
    count: int
    cards: list = field(default_factory=list)


@dataclass
class Board:
    columns: list[BoardColumn]
    counts: dict  # open state -> count

    @property
    def open_total(self) -> int:
        return sum(column.count for column in self.columns)


def claim_board(user, queryset=None) -> Board:
    """Counts per state and the latest BOARD_CARDS claims of each open state: 1 + len(OPEN_STATES) queries."""
    queryset = queryset if queryset is not None else claims_for(user)
    counts = {state: 0 for state in OPEN_STATES}
    # open states only: an index range of the (state, -reported_date) index, not a scan of every claim
    for row in queryset.filter(state__in=OPEN_STATES).order_by().values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    columns = []
    for state in OPEN_STATES:
        cards = []
        if counts[state]:
            cards = list(queryset.filter(state=state).select_related(*CARD_RELATED)
                         .order_by("-reported_date", "-pk")[:BOARD_CARDS])
        columns.append(BoardColumn(state=state, label=str(ClaimState(state).label), count=counts[state], cards=cards))
    return Board(columns=columns, counts=counts)


def claim_totals(queryset) -> dict:
    """Reserve, paid and reserve left over a (filtered) list."""
    sums = queryset.order_by().aggregate(reserve=Sum("reserve"), paid=Sum("paid_total"))
    reserve, paid = sums["reserve"] or 0, sums["paid"] or 0
    return {"reserve": reserve, "paid": paid, "left": reserve - paid}


def claim_for_page(user, pk) -> Claim | None:
    """One claim with everything its page shows: 7 queries whatever the number of rows."""
    return (claims_for(user)
            .select_related("policy", "policyholder", "insurer", "line", "handler", "duplicate_of", "created_by")
            .prefetch_related(
                "third_parties",
                Prefetch("reserve_changes", queryset=ReserveChange.objects.select_related("created_by")
                         .order_by("created_at", "pk")),
                Prefetch("payments", queryset=ClaimPayment.objects.select_related("created_by",
                                                                                  "over_reserve_approved_by")
                         .order_by("date", "pk")),
                Prefetch("tasks", queryset=ClaimTask.objects.select_related("assignee")
                         .order_by("done_at", "due_date", "pk")),
                Prefetch("documents", queryset=ClaimDocument.objects.select_related("created_by")
                         .order_by("-created_at", "-pk")),
                Prefetch("state_changes", queryset=ClaimStateChange.objects.select_related("created_by")
                         .order_by("created_at", "pk")))
            .filter(pk=pk).first())


def claims_of_policy(policy, user=None):
    queryset = claims_for(user) if user is not None else Claim.objects.all()
    return queryset.filter(policy=policy).select_related("handler").order_by("-loss_date", "-pk")


def claims_of_party(party, user=None):
    queryset = claims_for(user) if user is not None else Claim.objects.all()
    return queryset.filter(policyholder=party).select_related("policy", "insurer").order_by("-reported_date", "-pk")


def overdue_tasks(user=None, today: datetime.date | None = None, *, assignee=None):
    """Open tasks past their due date (of claims `user` may see; of `assignee` when given)."""
    today = today or timezone.localdate()
    queryset = ClaimTask.objects.filter(done_at__isnull=True, due_date__lt=today)
    if user is not None:
        queryset = queryset.filter(claim__in=claims_for(user))
    if assignee is not None:
        queryset = queryset.filter(assignee=assignee)
    return queryset.select_related("claim", "assignee").order_by("due_date", "pk")
