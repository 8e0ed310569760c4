"""A metric is a registered chart or KPI: key, title, the roles (dashboards) that show it, a selector
that answers its data for a period (SQL aggregation, a fixed number of queries) and a drill-down to the
records behind each bar or slice. apps.analytics.dashboards builds each role's dashboard from here."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from django.urls import reverse
from django.utils.http import urlencode

from apps.analytics.periods import Period, change_pct

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Series:
    key: str
    label: str
    values: list


@dataclass
class ChartData:
    labels: list          # shown on the axis / legend
    keys: list            # what the drill-down receives for each label (x)
    series: list          # Series, one per dataset

    def rows(self) -> list[list]:
        """Table of the chart: one row per label, one column per series."""
        return [[label, *(s.values[i] for s in self.series)] for i, label in enumerate(self.labels)]


@dataclass
class KpiValue:
    value: Decimal
    previous: Decimal

    @property
    def change(self):
        return change_pct(self.value, self.previous)


@dataclass
class DrillRows:
    """The records behind one bar: column headers, rows of cells with a link each, and the total."""

    title: str
    columns: list
    rows: list = field(default_factory=list)   # dicts: cells (list), url (str)
    total: Decimal | None = None
    count: int = 0


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    kind: str                      # "chart" or "kpi"
    roles: tuple
    unit: str = "eur"              # eur, count, pct
    chart_type: str = "bar"        # bar, stacked, doughnut, hbar
    compute: Callable | None = None    # (user, period) -> ChartData | KpiValue
    drill: Callable | None = None      # (user, period, x, series) -> DrillRows | None
    drill_link: Callable | None = None  # (period, x, series) -> url of an existing list page, or None
    description: str = ""
    order: int = 100

    def drill_url(self, period: Period, x: str, series: str = "") -> str | None:
        if self.drill_link is not None:
            return self.drill_link(period, x, series)
        if self.drill is None:
            return None
        query = {**period.query(), "x": x}
        if series:
            query["serie"] = series
        return f"{reverse('analytics:drill', args=[self.key])}?{urlencode(query)}"


METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> Metric:
    METRICS[metric.key] = metric
    return metric


def month_key(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def month_bounds(key: str) -> tuple[datetime.date, datetime.date]:
    from apps.analytics.periods import add_months

    first = datetime.date.fromisoformat(f"{key}-01")
    return first, add_months(first, 1) - datetime.timedelta(days=1)


def clip(period: Period, first: datetime.date, last: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A month of the chart intersected with the period (the first/last bar may be partial)."""
    return max(first, period.date_from), min(last, period.date_to)
