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


def committed(tenants, fn):
    """Runs fn() in the brokerage's schema on a fresh thread and connection (autocommit: other
    connections see what it writes), and returns its result."""
    import threading

    from django.db import connections
    from django_tenants.utils import schema_context

    result, errors = [], []

    def run():
        try:
            with schema_context(tenants.alfa.schema_name):
                result.append(fn())
        except Exception as exc:  # pragma: no cover - re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]
