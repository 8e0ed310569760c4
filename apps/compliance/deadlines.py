"""Deadlines counted in months (Reglamento 1182/71 art. 3.2.c, as the RGPD's): the same day number of the
later month, or that month's last day when it has no such day (31/01 + 1 month = 28/02 or 29/02)."""
import datetime

from dateutil.relativedelta import relativedelta


def add_months(day: datetime.date, months: int) -> datetime.date:
    return day + relativedelta(months=months)
