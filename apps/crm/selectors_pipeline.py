"""Reads of the pipeline (board, funnel, lists) and of "my day": fixed query counts."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from apps.core.money import format_eur, to_money
from apps.core.permissions import visible_to
from apps.crm.choices import OPEN_STAGES, OpportunityStage
from apps.crm.models import Activity, Lead, Opportunity, Party
from apps.crm.services.pipeline import CLOSED_STAGES, COLUMN_ORDER, normalize_email, normalize_phone

# The won/lost columns of the board show what closed in the last days, not the whole history.
BOARD_CLOSED_DAYS = 30
ZERO = Decimal("0.00")


def leads_for(user):
    return visible_to(Lead.objects.all(), user, "owner")


def opportunities_for(user):
    return visible_to(Opportunity.objects.all(), user, "owner")


def activities_for(user):
    return visible_to(Activity.objects.all(), user, "owner")


def parties_for(user):
    return visible_to(Party.objects.all(), user, "account_manager")


# --- Board ----------------------------------------------------------------------------------

@dataclass
class Column:
    stage: str
    label: str
    is_open: bool
    cards: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cards)

    @property
    def total(self) -> Decimal:
        return sum((card.expected_premium for card in self.cards), start=ZERO)

    @property
    def total_display(self) -> str:
        return format_eur(self.total)


def _closed_since(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=BOARD_CLOSED_DAYS)


def board_queryset(user, now: datetime | None = None):
    """The cards of the board: every open opportunity, plus the recently closed ones."""
    return (
        opportunities_for(user)
        .filter(Q(stage__in=OPEN_STAGES) | Q(stage__in=CLOSED_STAGES, closed_at__gte=_closed_since(now)))
        .select_related("party", "owner")
    )


def board_columns(user, now: datetime | None = None) -> list[Column]:
    columns = {value: Column(value, label, value in OPEN_STAGES) for value, label in OpportunityStage.choices}
    cards = list(board_queryset(user, now).order_by(*COLUMN_ORDER))
    for card in cards:
        card.premium_display = format_eur(card.expected_premium)
        columns[card.stage].cards.append(card)
    for stage in CLOSED_STAGES:
        columns[stage].cards.sort(key=lambda c: c.closed_at, reverse=True)
    return list(columns.values())


def column_totals(user, stages, now: datetime | None = None) -> dict:
    """{stage: {"count": n, "total": "1.234,56 €"}} for the column headers after a change."""
    rows = (
        board_queryset(user, now).filter(stage__in=list(stages)).order_by().values("stage")
        .annotate(n=Count("pk"), total=Sum("expected_premium"))
    )
    found = {row["stage"]: row for row in rows}
    return {
        stage: {"count": found.get(stage, {}).get("n", 0), "total": format_eur(found.get(stage, {}).get("total") or ZERO)}
        for stage in stages
    }


# --- Funnel ---------------------------------------------------------------------------------

@dataclass
class FunnelRow:
    stage: str
    label: str
    count: int
    total: Decimal
    weighted: Decimal

    @property
    def total_display(self) -> str:
        return format_eur(self.total)

    @property
    def weighted_display(self) -> str:
        return format_eur(self.weighted)


def funnel(user, queryset=None) -> list[FunnelRow]:
    """Count, expected premium and premium weighted by probability per open stage (one query).

    Weighted premium is rounded to cents per opportunity (half-up) before adding up.
    """
    money = DecimalField(max_digits=14, decimal_places=2)
    weighted = Round(ExpressionWrapper(F("expected_premium") * F("probability") / Decimal("100"), output_field=money),
                     2, output_field=money)
    qs = queryset if queryset is not None else opportunities_for(user)
    rows = {
        row["stage"]: row
        for row in qs.filter(stage__in=OPEN_STAGES).order_by().values("stage").annotate(
            n=Count("pk"), total=Coalesce(Sum("expected_premium"), ZERO, output_field=money),
            weighted=Coalesce(Sum(weighted), ZERO, output_field=money),
        )
    }
    labels = dict(OpportunityStage.choices)
    return [
        FunnelRow(stage, str(labels[stage]), rows.get(stage, {}).get("n", 0),
                  to_money(rows.get(stage, {}).get("total", ZERO)), to_money(rows.get(stage, {}).get("weighted", ZERO)))
        for stage in OPEN_STAGES
    ]


def funnel_chart_data(rows: list[FunnelRow]) -> dict:
    """What static/crm/pipeline.js draws (numbers as strings: never float for money on the server)."""
    return {
        "labels": [row.label for row in rows],
        "counts": [row.count for row in rows],
        "totals": [str(row.total) for row in rows],
        "weighted": [str(row.weighted) for row in rows],
    }


# --- Lead conversion: parties that look like the lead ---------------------------------------

def party_matches_for_lead(lead: Lead, user, limit: int = 5) -> list[Party]:
    keys = [key for key in (normalize_email(lead.email), normalize_phone(lead.phone) if lead.phone else "") if key]
    if not keys:
        return []
    return list(
        parties_for(user).filter(contacts__normalized__in=keys, anonymised_at__isnull=True).distinct()
        .order_by("display_name")[:limit]
    )


def party_search(user, query: str, limit: int = 20) -> list[Party]:
    query = (query or "").strip()
    qs = parties_for(user).filter(anonymised_at__isnull=True)
    if query:
        qs = qs.filter(Q(display_name__icontains=query) | Q(tax_id__iexact=query)
                       | Q(contacts__normalized=normalize_email(query)))
    return list(qs.distinct().order_by("display_name")[:limit])


# --- My day ---------------------------------------------------------------------------------

@dataclass
class MyDay:
    overdue: list
    today: list
    upcoming: list
    done_today: list


def my_day(user, now: datetime | None = None, days: int = 7) -> MyDay:
    """The user's own activities (whatever the role): overdue, due today, due in the next `days` days."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    start_today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end_today = start_today + timedelta(days=1)
    end_upcoming = end_today + timedelta(days=days)
    rows = list(
        Activity.objects.filter(owner=user)
        .filter(Q(done_at__isnull=True, due_at__lt=end_upcoming) | Q(done_at__gte=start_today))
        .select_related("party", "lead", "opportunity")
        .order_by("due_at", "pk")
    )
    day = MyDay([], [], [], [])
    for activity in rows:
        if activity.done_at:
            day.done_today.append(activity)
        elif activity.due_at < now:
            day.overdue.append(activity)
        elif activity.due_at < end_today:
            day.today.append(activity)
        else:
            day.upcoming.append(activity)
    return day
