"""Opening a claim: the policy must have covered the loss date (issued, within its period, not
cancelled or suspended that day) and coverage; report dates; the likely-duplicate warning; third
parties and initial reserve; audit and domain event. Nothing is written when a rule refuses."""
import pytest

from apps.audit.models import AuditEvent
from apps.claims.errors import ClaimError
from apps.claims.models import Claim, ReserveChange, ThirdParty
from apps.insurance.services.policies import policy_cancel, policy_reactivate, policy_resume, policy_suspend
from tests.claims.test_claim_support import (  # noqa: F401  (fixtures)
    D, TODAY, date, holder, open_claim, other_holder, pcatalog, place, pline, policy,
)


def refused(actor, policy, **kwargs) -> ClaimError:
    with pytest.raises(ClaimError) as info:
        open_claim(actor, policy, **kwargs)
    assert not Claim.objects.exists()
    return info.value


def test_loss_before_the_policy_start_is_refused(policy, admin_a):
    error = refused(admin_a, policy, loss_date=date(2026, 3, 14))
    assert (error.code, error.field) == ("claim_not_covered", "loss_date")
    assert error.message == "La fecha de ocurrencia (14/03/2026) es anterior al efecto de la póliza (15/03/2026)."
    assert open_claim(admin_a, policy, loss_date=date(2026, 3, 15)).loss_date == date(2026, 3, 15)


def test_loss_after_the_expiry_is_refused(pcatalog, holder, admin_a):
    short = place(admin_a, holder, pcatalog["alfa"], number="CORTA-1", term_months=3)  # 15/03/2026 – 14/06/2026
    error = refused(admin_a, short, loss_date=date(2026, 6, 15), reported_date=date(2026, 6, 20))
    assert error.code == "claim_not_covered"
    assert error.message == "La fecha de ocurrencia (15/06/2026) es posterior al vencimiento de la póliza (14/06/2026)."
    assert open_claim(admin_a, short, loss_date=date(2026, 6, 14), reported_date=date(2026, 6, 20)).pk


def test_loss_inside_a_cancelled_period_is_refused(policy, admin_a):
    policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 5, 1), reason="non_payment")
    error = refused(admin_a, policy, loss_date=date(2026, 6, 10))
    assert error.message == ("El 10/06/2026 la póliza estaba anulada (desde el 01/05/2026): no hay cobertura.")
    policy_reactivate(actor=admin_a, policy=policy, effective_date=date(2026, 8, 1))
    error = refused(admin_a, policy, loss_date=date(2026, 7, 31), reported_date=date(2026, 8, 3))
    assert "anulada (desde el 01/05/2026 hasta el 01/08/2026)" in error.message
    assert open_claim(admin_a, policy, loss_date=date(2026, 4, 30)).pk
    assert open_claim(admin_a, policy, loss_date=date(2026, 8, 1), reported_date=date(2026, 8, 2)).pk


def test_loss_while_the_cover_was_suspended_is_refused(policy, admin_a):
    policy_suspend(actor=admin_a, policy=policy, effective_date=date(2026, 5, 1), reason="Impago del 2º recibo")
    policy_resume(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1))
    error = refused(admin_a, policy, loss_date=date(2026, 5, 20), reported_date=date(2026, 5, 21))
    assert error.message == ("El 20/05/2026 la cobertura de la póliza estaba suspendida (desde el 01/05/2026 hasta "
                             "el 01/06/2026).")
    assert open_claim(admin_a, policy, loss_date=date(2026, 6, 1), reported_date=date(2026, 6, 1)).pk


def test_a_draft_policy_covers_nothing(pcatalog, holder, admin_a):
    draft = place(admin_a, holder, pcatalog["alfa"], number="BORR-1", issue=False)
    error = refused(admin_a, draft)
    assert error.code == "claim_policy_not_issued" and "no llegó a emitirse" in error.message


def test_coverage_must_be_in_the_policy_that_day(policy, admin_a):
    error = refused(admin_a, policy, coverage_code="theft")
    assert (error.code, error.field) == ("claim_coverage", "coverage_code")
    assert error.message == ("La garantía «theft» no está en la póliza el 10/06/2026. Garantías en vigor: Daños, "
                             "Responsabilidad civil.")
    assert open_claim(admin_a, policy, coverage_code="liability", cause="liability").coverage_name == \
        "Responsabilidad civil"


def test_report_dates(policy, admin_a):
    before = refused(admin_a, policy, loss_date=date(2026, 6, 10), reported_date=date(2026, 6, 9))
    assert (before.code, before.field) == ("claim_dates", "reported_date")
    assert before.message == ("La fecha de declaración (09/06/2026) no puede ser anterior a la de ocurrencia "
                              "(10/06/2026).")
    future = refused(admin_a, policy, reported_date=date(2026, 12, 2))
    assert future.message == "La fecha de declaración (02/12/2026) no puede ser futura."
    assert refused(admin_a, policy, cause="meteorito").field == "cause"
    assert refused(admin_a, policy, description="  ").field == "description"


def test_likely_duplicate_is_refused_unless_confirmed(policy, admin_a):
    first = open_claim(admin_a, policy)
    with pytest.raises(ClaimError) as info:
        open_claim(admin_a, policy, description="Otra vez el agua")
    assert (info.value.code, info.value.status) == ("claim_duplicate", 409)
    assert info.value.message.startswith(f"Posible duplicado: el siniestro {first.number} es de la misma póliza, "
                                         "con la misma fecha (10/06/2026) y causa.")
    assert Claim.objects.count() == 1
    second = open_claim(admin_a, policy, description="Otra vez el agua", allow_duplicate=True)
    assert second.duplicate_of == first
    assert open_claim(admin_a, policy, cause="fire").duplicate_of is None  # another cause: no warning


def test_a_rejected_claim_is_no_duplicate(policy, admin_a):
    from apps.claims.services.claims import claim_transition

    first = open_claim(admin_a, policy)
    claim_transition(actor=admin_a, claim=first, to_state="rejected", reason="Daño preexistente")
    assert open_claim(admin_a, policy).duplicate_of is None


def test_third_parties_reserve_audit_and_event(policy, admin_a, users_a, django_capture_on_commit_callbacks):
    from apps.core.events import subscribe

    seen = []
    subscribe("claims.claim.opened", lambda name, payload: seen.append((name, payload["number"])))
    with django_capture_on_commit_callbacks(execute=True):
        claim = open_claim(admin_a, policy, cause="collision", coverage_code="liability", reserve=D("1500"),
                           handler=users_a["siniestros"], insurer_claim_number="MAP-77",
                           third_parties=[{"name": "Pedro Ruiz", "role": "driver", "vehicle_plate": "1234 BCD",
                                           "tax_id": "12345678-z"}])
    assert (claim.reserve, claim.paid_total, claim.handler, claim.insurer_claim_number) == (
        D("1500.00"), D("0"), users_a["siniestros"], "MAP-77")
    assert list(ReserveChange.objects.filter(claim=claim).values_list("previous", "amount")) == [(D("0"), D("1500"))]
    party = ThirdParty.objects.get(claim=claim)
    assert (party.name, party.role, party.tax_id) == ("Pedro Ruiz", "driver", "12345678Z")
    assert [c.to_state for c in claim.state_changes.all()] == ["reported"]
    event = AuditEvent.objects.filter(object_id=str(claim.pk), verb="claim_open").get()
    assert event.changes["reserve"] == [None, "1500.00"]
    assert seen == [("claims.claim.opened", claim.number)]


def test_bad_third_party_or_reserve_writes_nothing(policy, admin_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        open_claim(admin_a, policy, third_parties=[{"name": "", "role": "driver"}])
    assert "third_parties-0-name" in info.value.message_dict
    assert refused(admin_a, policy, reserve=D("-1")).code == "claim_amount"
    assert not Claim.objects.exists() and not ThirdParty.objects.exists()
    assert TODAY.year == 2026
