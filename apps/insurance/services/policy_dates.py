"""Policy date arithmetic. One rule, used everywhere (create, renew, pages, API, demo data):

expiry = anniversary - 1 day, where the anniversary is the same day of the month `term_months`
later, or the 1st of the following month when that day does not exist in the target month
(31/01 + 1 month -> anniversary 01/03 -> expiry 28/02 or 29/02 in a leap year).
"""
import calendar
import datetime

ONE_DAY = datetime.timedelta(days=1)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """`start` moved `months` later on the same day of the month; the 1st of the next month when
    that day does not exist (30/11 + 3 -> 01/03, 29/02/2028 + 12 -> 01/03/2029)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day <= last_day:
        return datetime.date(year, month, start.day)
    return datetime.date(year, month, last_day) + ONE_DAY


def policy_anniversary(start: datetime.date, term_months: int) -> datetime.date:
    return add_months(start, term_months)


def policy_expiry(start: datetime.date, term_months: int) -> datetime.date:
    """Last day of cover: the anniversary `term_months` after `start`, minus one day."""
    if term_months < 1:
        raise ValueError("term_months must be at least 1")
    return policy_anniversary(start, term_months) - ONE_DAY
