"""Helpers the metric modules share: monthly series from grouped rows, drill-down rows, the month
key of a drill-down and role codes."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.analytics.errors import AnalyticsError
from apps.analytics.metrics.base import ZERO, ChartData, Series, clip, money, month_bounds, month_key
from apps.analytics.periods import Period, month_label

ALL_ROLES = ("direccion",)


def monthly_chart(period: Period, rows, *, series_key: str, series_label: str, value: str,
                  integer: bool = False) -> ChartData:
    """Rows of (month, series key, series label, value) -> one bar per month of the period, one
    dataset per series (sorted by label). A month without rows is a zero."""
    months = period.months()
    index = {month_key(m): i for i, m in enumerate(months)}
    by_series: dict[str, Series] = {}
    for row in rows:
        key = str(row[series_key] or "")
        series = by_series.get(key)
        if series is None:
            series = by_series[key] = Series(key, row[series_label] or _("Sin asignar"),
                                              [0 if integer else ZERO for _m in months])
        position = index.get(month_key(row["month"]))
        if position is not None:
            amount = row[value] or 0
            series.values[position] += int(amount) if integer else money(amount)
    return ChartData(labels=[month_label(m) for m in months], keys=[month_key(m) for m in months],
                     series=sorted(by_series.values(), key=lambda s: str(s.label)))


def drill_month(period: Period, x: str) -> tuple[datetime.date, datetime.date]:
    """The dates behind the bar of month `x` (YYYY-MM), clipped to the period."""
    try:
        first, last = month_bounds(x)
    except ValueError:
        raise AnalyticsError(_("Mes no válido: «%s».") % x, code="analytics_drill", field="x") from None
    start, end = clip(period, first, last)
    if start > end:
        raise AnalyticsError(_("El mes %s está fuera del periodo.") % x, code="analytics_drill", field="x")
    return start, end


def drill_int(x: str) -> int | None:
    """A primary key from the drill-down (None for the «sin asignar» bar)."""
    if x in ("", "none"):
        return None
    try:
        return int(x)
    except ValueError:
        raise AnalyticsError(_("Valor no válido: «%s».") % x, code="analytics_drill", field="x") from None


def at_date(period: Period) -> datetime.date:
    """The day a stock (portfolio, headcount) is measured for a period: its end, or today if later."""
    from django.utils import timezone

    return min(period.date_to, timezone.localdate())


def total(values) -> Decimal:
    return sum((money(v) for v in values), ZERO)
