import datetime

import pytest

from apps.analytics.errors import AnalyticsError
from apps.analytics.periods import change_pct, period_for, period_from_query

d = datetime.date


@pytest.mark.parametrize("kind,expected,previous", [
    ("month", (d(2026, 3, 1), d(2026, 3, 31)), (d(2026, 2, 1), d(2026, 2, 28))),
    ("quarter", (d(2026, 1, 1), d(2026, 3, 31)), (d(2025, 10, 1), d(2025, 12, 31))),
    ("year", (d(2026, 1, 1), d(2026, 12, 31)), (d(2025, 1, 1), d(2025, 12, 31))),
])
def test_period_and_previous(kind, expected, previous):
    period = period_for(kind, today=d(2026, 3, 17))
    assert (period.date_from, period.date_to) == expected
    assert (period.previous().date_from, period.previous().date_to) == previous


def test_custom_period_compares_with_the_same_number_of_days_before():
    period = period_from_query({"periodo": "custom", "desde": "2026-03-11", "hasta": "2026-03-20"})
    assert (period.previous().date_from, period.previous().date_to) == (d(2026, 3, 1), d(2026, 3, 10))


def test_invalid_periods():
    with pytest.raises(AnalyticsError):
        period_from_query({"periodo": "custom", "desde": "2026-03-20", "hasta": "2026-03-01"})
    with pytest.raises(AnalyticsError):
        period_from_query({"periodo": "decade"})


def test_change_pct():
    assert str(change_pct(150, 100)) == "50.0" and change_pct(5, 0) is None
