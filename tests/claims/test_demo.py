"""The claims demo seeder on the test brokerage, reduced (the insurance demo with ~150 policies and
40 claims): every board state, covered loss dates, reserves, payments (one beyond its reserve,
approved), third parties and tasks, all through the services; idempotent."""
import datetime

import pytest
from django.db.models import Sum

from aitcore.registry import registry
from apps.claims.choices import ClaimState
from apps.claims.demo import claims_demo_seed
from apps.claims.models import Claim, ClaimPayment, ClaimStateChange, ClaimTask, ReserveChange, ThirdParty
from apps.insurance.demo import insurance_demo_seed

TODAY = datetime.date(2026, 12, 4)


@pytest.fixture
def seeded(tenant_a, admin_a, users_a):
    from apps.crm.models import Party

    managers = [users_a["comercial"], users_a["admin"]]
    for i in range(12):
        Party.objects.create(display_name=f"Cliente Demo {i}", kind="person", tax_id=f"{10000000 + i}",
                             first_name="Cliente", last_name=f"Demo {i}", status="client",
                             account_manager=managers[i % 2])
    insurance_demo_seed(admin=admin_a, policies=150, quotes=0, today=TODAY)
    return claims_demo_seed(admin=admin_a, count=40, today=TODAY)


def test_demo_seeder_is_registered():
    assert claims_demo_seed in registry.demo_seeders


def test_claims_in_every_state_with_their_work(seeded, admin_a, users_a):
    claims = Claim.objects.all()
    assert seeded["made"] == claims.count() >= 36
    assert set(claims.values_list("state", flat=True)) == set(ClaimState.values)
    for claim in claims.select_related("policy"):
        assert claim.policy.start_date <= claim.loss_date <= claim.policy.expiry_date
        assert claim.loss_date <= claim.reported_date <= TODAY
        assert claim.coverage_code in {str(c["code"]) for c in claim.policy.current_version.coverages}
        assert claim.insurer_id == claim.policy.insurer_id and claim.policyholder_id == claim.policy.policyholder_id
        # the state history ends in the claim's state
        assert claim.state_changes.order_by("pk").last().to_state == claim.state
        paid = claim.payments.aggregate(t=Sum("amount"))["t"] or 0
        assert claim.paid_total == paid
    assert not claims.filter(state=ClaimState.PAID, paid_total=0).exists()
    assert not claims.filter(state=ClaimState.CLOSED, closed_on__isnull=True).exists()
    assert not claims.filter(state=ClaimState.REJECTED, rejection_reason="").exists()
    assert ReserveChange.objects.exists() and ThirdParty.objects.exists()
    assert ClaimPayment.objects.filter(over_reserve_approved_by__isnull=False).count() == 1
    tasks = ClaimTask.objects.all()
    assert tasks.filter(done_at__isnull=False).exists()
    assert tasks.filter(done_at__isnull=True, due_date__lt=TODAY).exists()  # overdue ones for the board
    assert ClaimStateChange.objects.count() > claims.count()
    # the Comercial sees some claims, not all
    mine = claims.filter(policyholder__account_manager=users_a["comercial"]).count()
    assert 0 < mine < claims.count()
    # idempotent
    assert claims_demo_seed(admin=admin_a, count=40, today=TODAY) == {"made": 0, "skipped": 0}
    assert Claim.objects.count() == seeded["made"]
