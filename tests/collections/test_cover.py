"""Art. 15 LCS: what the unpaid receipts say about the cover on a given moment."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.collections.choices import CollectionChannel, CoverState
from apps.collections.selectors_receipts import period_receipts
from apps.collections.services.cover import cover_review, cover_state
from apps.collections.services.receipts import receipt_collect, receipt_return
from apps.insurance.choices import CancellationReason, PaymentMethod, PolicyState
from apps.insurance.services.policies import policy_cancel

D = Decimal
d = datetime.date


def at(year, month, day, hour=12, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _pay(receipt, admin, when):
    return receipt_collect(actor=admin, receipt=receipt, date=timezone.localdate(when),
                           channel=CollectionChannel.SEPA, at=when)


@pytest.fixture
def monthly(issued_policy, admin_a):
    """Monthly from 01/01/2026; January and February paid on their due dates, March (due 01/03) unpaid."""
    policy = issued_policy()
    receipts = list(period_receipts(policy))
    for receipt in receipts[:2]:
        _pay(receipt, admin_a, at(receipt.due_date.year, receipt.due_date.month, 1, 9))
    return policy, receipts


def test_first_premium_unpaid_means_no_cover(issued_policy):
    policy = issued_policy()
    status = cover_state(policy=policy, at=at(2026, 1, 10))
    assert status.state == CoverState.FIRST_PREMIUM_UNPAID and not status.covered
    assert status.receipt.sequence == 1
    assert "primera prima" in status.message and "01/01/2026" in status.message and "no está cubierto" in status.message


def test_a_later_premium_unpaid_29_days_is_in_grace(monthly):
    policy, receipts = monthly
    status = cover_state(policy=policy, at=at(2026, 3, 30))
    assert (status.state, status.receipt, status.covered) == (CoverState.GRACE, receipts[2], True)
    assert "01/04/2026" in status.message


def test_a_later_premium_unpaid_one_month_suspends_the_cover(monthly):
    policy, receipts = monthly
    status = cover_state(policy=policy, at=at(2026, 4, 1, 0, 5))
    assert (status.state, status.receipt, status.since) == (CoverState.SUSPENDED, receipts[2], d(2026, 4, 1))
    assert "suspendida desde el 01/04/2026" in status.message and "seis meses" in status.message


def test_paid_while_suspended_resumes_24_hours_later(monthly, admin_a):
    policy, receipts = monthly
    _pay(receipts[3], admin_a, at(2026, 4, 1, 9))  # April paid on time
    _pay(receipts[2], admin_a, at(2026, 4, 5, 10))  # March paid while suspended
    status = cover_state(policy=policy, at=at(2026, 4, 5, 20))
    assert (status.state, status.since) == (CoverState.RESUMING, at(2026, 4, 6, 10))
    assert "06/04/2026 10:00" in status.message and not status.covered
    assert cover_state(policy=policy, at=at(2026, 4, 6, 10)).state == CoverState.COVERED


def test_a_returned_receipt_counts_as_unpaid(monthly, admin_a):
    policy, receipts = monthly
    receipt_return(actor=admin_a, receipt=receipts[1], date=d(2026, 2, 20), reason="AM04")
    assert cover_state(policy=policy, at=at(2026, 2, 25)).state == CoverState.GRACE
    assert cover_state(policy=policy, at=at(2026, 3, 1)).state == CoverState.SUSPENDED


def test_month_end_due_date_31_01_is_suspended_from_01_03(issued_policy, admin_a, coll_books):
    from apps.accounting.services import fiscal_year_for_calendar_year

    fiscal_year_for_calendar_year(actor=admin_a, year=2025)
    policy = issued_policy(start=d(2025, 10, 31), method=PaymentMethod.INSURER)
    receipts = list(period_receipts(policy))
    assert [r.due_date for r in receipts[:4]] == [d(2025, 10, 31), d(2025, 12, 1), d(2025, 12, 31), d(2026, 1, 31)]
    for receipt in receipts[:3]:
        receipt_collect(actor=admin_a, receipt=receipt, date=receipt.due_date, channel=CollectionChannel.INSURER)
    assert cover_state(policy=policy, at=at(2026, 2, 28, 23, 59)).state == CoverState.GRACE
    status = cover_state(policy=policy, at=at(2026, 3, 1, 0, 1))
    assert (status.state, status.since) == (CoverState.SUSPENDED, d(2026, 3, 1))


def test_not_in_force_before_the_start_and_after_a_cancellation(issued_policy, admin_a):
    policy = issued_policy()
    assert cover_state(policy=policy, at=at(2025, 12, 31)).state == CoverState.NOT_IN_FORCE
    _pay(period_receipts(policy).first(), admin_a, at(2026, 1, 1, 9))
    policy = policy_cancel(actor=admin_a, policy=policy, effective_date=d(2026, 1, 20),
                           reason=CancellationReason.CLIENT_REQUEST)
    assert cover_state(policy=policy, at=at(2026, 1, 19)).state == CoverState.COVERED
    assert cover_state(policy=policy, at=at(2026, 1, 20)).state == CoverState.NOT_IN_FORCE


def test_cover_review_suspends_and_then_resumes(monthly, admin_a):
    policy, receipts = monthly
    assert cover_review(at=at(2026, 3, 30)) == {"suspended": 0, "resumed": 0, "errors": 0}
    assert cover_review(at=at(2026, 4, 1, 8)) == {"suspended": 1, "resumed": 0, "errors": 0}
    policy.refresh_from_db()
    assert policy.state == PolicyState.SUSPENDED
    change = policy.state_changes.order_by("-pk").first()
    assert change.effective_date == d(2026, 4, 1) and receipts[2].number in change.reason
    _pay(receipts[2], admin_a, at(2026, 4, 3, 10))
    _pay(receipts[3], admin_a, at(2026, 4, 3, 10))
    assert cover_review(at=at(2026, 4, 3, 18))["resumed"] == 0  # still within the 24 h
    assert cover_review(at=at(2026, 4, 4, 11))["resumed"] == 1
    policy.refresh_from_db()
    assert policy.state == PolicyState.IN_FORCE


def test_cover_review_task_runs_in_the_tenant(monthly):
    from apps.collections.tasks import cover_review as task

    result = task.apply().get()
    assert result["schema"] == "alfa" and set(result) == {"schema", "suspended", "resumed", "errors"}
