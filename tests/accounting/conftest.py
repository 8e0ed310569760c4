import datetime
from decimal import Decimal

import pytest

from apps.accounting.services import fiscal_year_for_calendar_year

D = Decimal


@pytest.fixture
def year_2026(tenant_a, admin_a):
    return fiscal_year_for_calendar_year(actor=admin_a, year=2026)


@pytest.fixture
def day():
    return datetime.date(2026, 3, 15)


def balance_of(code: str) -> Decimal:
    from django.db.models import Sum

    from apps.accounting.models import EntryLine

    totals = EntryLine.objects.filter(account__code__startswith=code, is_posted=True).aggregate(
        d=Sum("debit"), c=Sum("credit"))
    return (totals["d"] or D(0)) - (totals["c"] or D(0))
