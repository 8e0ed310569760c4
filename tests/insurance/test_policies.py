"""Policy services: expiry arithmetic, create validation, the state machine (every illegal
transition refused), cancel/reactivate, expire and renew."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.insurance.choices import (
    POLICY_TRANSITIONS, CancellationReason, PaymentFrequency, PaymentMethod, PolicyState, VersionKind,
)
from apps.insurance.models import Policy, PolicyStateChange, PolicyVersion
from apps.insurance.services.policies import (
    PolicyError, policies_expire_due, policy_cancel, policy_create_from_quote, policy_expire, policy_issue,
    policy_reactivate, policy_renew, policy_resume, policy_suspend,
)
from apps.insurance.services.policy_dates import policy_expiry
from tests.insurance.test_policy_support import (  # noqa: F401  (fixtures)
    RISK, START, holder, other_holder, pcatalog, place, pline,
)

D = Decimal
date = datetime.date


@pytest.mark.parametrize(("start", "months", "expiry"), [
    (date(2026, 3, 15), 12, date(2027, 3, 14)),
    (date(2026, 1, 1), 12, date(2026, 12, 31)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),   # anniversary 01/03/2026
    (date(2028, 2, 29), 12, date(2029, 2, 28)),  # anniversary 01/03/2029
    (date(2028, 1, 31), 1, date(2028, 2, 29)),   # leap year
    (date(2026, 11, 30), 3, date(2027, 2, 28)),  # anniversary 01/03/2027
    (date(2028, 3, 1), 12, date(2029, 2, 28)),
    (date(2026, 12, 31), 6, date(2027, 6, 30)),  # 31/06 does not exist -> 01/07 -> 30/06
    (date(2027, 2, 28), 12, date(2028, 2, 27)),
])
def test_expiry_is_anniversary_minus_one_day(start, months, expiry):
    assert policy_expiry(start, months) == expiry


def test_expiry_needs_a_term():
    with pytest.raises(ValueError):
        policy_expiry(date(2026, 1, 1), 0)


# --- create ---------------------------------------------------------------------------------------

def test_create_issues_version_one_with_history_audit_and_event(pcatalog, holder, admin_a,
                                                                django_capture_on_commit_callbacks):
    from apps.core.events import subscribe, unsubscribe

    seen = []

    def record(name, payload):
        seen.append(name)

    subscribe("*", record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            policy = place(admin_a, holder, pcatalog["alfa"])
    finally:
        unsubscribe("*", record)
    assert [name for name in seen if name.startswith("insurance.")] == [
        "insurance.policy.created", "insurance.policy.issued"]
    assert policy.state == PolicyState.IN_FORCE and policy.expiry_date == date(2027, 3, 14)
    assert policy.line.code == "ptest" and policy.risk_summary == "Capital 20000 €, tomador de 30 años"
    assert (policy.net_premium, policy.total_premium) == (D("130.00"), D("141.60"))
    version = policy.versions.get()
    assert version.number == 1 and version.kind == VersionKind.ISSUE and version.effective_date == START
    assert [c["code"] for c in version.coverages] == ["damage", "liability"]
    assert [(c.from_state, c.to_state) for c in policy.state_changes.all()] == [
        ("", "draft"), ("draft", "in_force")]
    assert AuditEvent.objects.filter(object_id=str(policy.pk), action="create").exists()
    assert AuditEvent.objects.filter(object_id=str(policy.pk), verb="policy_issue").exists()


def test_create_as_draft_then_issue(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"], issue=False)
    assert policy.state == PolicyState.DRAFT
    policy = policy_issue(actor=admin_a, policy=policy)
    assert policy.state == PolicyState.IN_FORCE
    assert policy.state_changes.last().effective_date == START


def test_premium_from_the_tariff_in_force_on_the_start_date(pcatalog, holder, admin_a):
    from apps.insurance.models import Tariff

    Tariff.objects.create(product=pcatalog["alfa"], valid_from=date(2026, 6, 1), base_premium=D("200.00"),
                          minimum_premium=D("0"), parameters={"per_mille": "1.5"})
    tariff = Tariff.objects.get(product=pcatalog["alfa"], valid_from=date(2026, 6, 1))
    for factor in Tariff.objects.get(product=pcatalog["alfa"], valid_from=date(2026, 1, 1)).factors.all():
        factor.pk, factor.tariff = None, tariff
        factor.save()
    before = place(admin_a, holder, pcatalog["alfa"], number="A1", start_date=date(2026, 5, 31))
    after = place(admin_a, holder, pcatalog["alfa"], number="A2", start_date=date(2026, 6, 1))
    assert (before.net_premium, after.net_premium) == (D("130.00"), D("230.00"))


def test_duplicate_number_at_same_insurer_refused_and_nothing_saved(pcatalog, holder, other_holder, admin_a):
    place(admin_a, holder, pcatalog["alfa"], number="X-1")
    counts = (Policy.objects.count(), PolicyVersion.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PolicyError) as error:
        place(admin_a, other_holder, pcatalog["alfa"], number="X-1", start_date=date(2026, 9, 1))
    assert error.value.field == "number"
    assert error.value.message == "Ya existe una póliza con el número X-1 en Alfa Seguros."
    assert (Policy.objects.count(), PolicyVersion.objects.count(), AuditEvent.objects.count()) == counts
    other = place(admin_a, holder, pcatalog["beta"], number="X-1")  # another insurer: fine
    assert other.insurer.name == "Beta Mutua"


def test_bad_risk_is_a_field_error_and_nothing_saved(pcatalog, holder, admin_a):
    bad = {"capital": "10", "holder_age": 30, "use": "boat", "persons": [{"name": "", "birth_date": "x"}]}
    with pytest.raises(ValidationError) as error:
        place(admin_a, holder, pcatalog["alfa"], risk=bad)
    assert {"capital", "use", "persons-0-name", "persons-0-birth_date"} <= set(error.value.message_dict)
    assert not Policy.objects.exists() and not PolicyVersion.objects.exists()


def test_product_of_another_insurer_refused(pcatalog, holder, admin_a):
    from apps.insurance.services.policies import policy_create

    with pytest.raises(PolicyError) as error:
        policy_create(actor=admin_a, insurer=pcatalog["alfa"].insurer, number="Z", product=pcatalog["beta"],
                      policyholder=holder, start_date=START, payment_frequency="annual",
                      payment_method="insurer", risk=RISK)
    assert error.value.field == "product" and "no es de Alfa Seguros" in error.value.message
    assert not Policy.objects.exists()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"term_months": 0}, "term_months"),
    ({"payment_frequency": "weekly"}, "payment_frequency"),
    ({"payment_method": "cash"}, "payment_method"),
    ({"start_date": None}, "start_date"),
    ({"number": "  "}, "number"),
])
def test_create_refuses_bad_terms(pcatalog, holder, admin_a, kwargs, field):
    kwargs = {"number": "N-1", **kwargs}
    with pytest.raises(PolicyError) as error:
        place(admin_a, holder, pcatalog["alfa"], **kwargs)
    assert error.value.field == field
    assert not Policy.objects.exists()


def test_declined_risk_refused(pcatalog, holder, admin_a):
    from apps.insurance.models import Tariff

    Tariff.objects.filter(product=pcatalog["alfa"]).update(parameters={"per_mille": "1.5", "max_age": "25"})
    with pytest.raises(PolicyError, match="Edad máxima superada"):
        place(admin_a, holder, pcatalog["alfa"])
    assert not Policy.objects.exists()


def test_given_rating_is_used_as_is(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"], rating={"net_premium": "99.99", "ips": "8.00"})
    version = policy.current_version
    assert (version.net_premium, version.ips, version.total_premium) == (D("99.99"), D("8.00"), D("107.99"))


def test_create_from_quote_takes_option_premiums_coverages_and_risk(pcatalog, holder, admin_a):
    from apps.insurance.models import Quote, QuoteOption
    from apps.insurance.services.lines import line_for

    quote = Quote.objects.create(number="P-2026-000001", client=holder, line=line_for("ptest"),
                                 effective_date=START, valid_until=date(2026, 4, 15), risk_data=RISK)
    option = QuoteOption.objects.create(
        quote=quote, product=pcatalog["beta"], eligible=True, net_premium=D("150.00"), ips=D("12.00"),
        consorcio=D("1.00"), clea=D("0.23"), total_premium=D("163.23"),
        coverages=[{"code": "only", "name": "Solo esta", "kind": "included", "limit": None, "limit_text": "",
                    "deductible": "0"}])
    policy = policy_create_from_quote(actor=admin_a, quote=quote, option=option, number="Q-1", start_date=START,
                                      payment_frequency=PaymentFrequency.QUARTERLY,
                                      payment_method=PaymentMethod.INSURER)
    assert policy.quote == quote and policy.insurer.name == "Beta Mutua" and policy.policyholder == holder
    assert policy.total_premium == D("163.23") and policy.current_version.coverages[0]["code"] == "only"
    assert policy.payment_frequency == "quarterly"
    quote.refresh_from_db()
    assert quote.state == "draft"  # the quotes service marks it, not this one


# --- transitions ----------------------------------------------------------------------------------

def _force_state(policy, state):
    Policy.objects.filter(pk=policy.pk).update(state=state, cancellation_reason="other",
                                               cancellation_date=policy.start_date)
    policy.refresh_from_db()
    return policy


def _attempts(admin):
    today = date(2026, 6, 1)
    return {
        PolicyState.IN_FORCE: [lambda p: policy_issue(actor=admin, policy=p),
                               lambda p: policy_resume(actor=admin, policy=p, effective_date=today)],
        PolicyState.SUSPENDED: [lambda p: policy_suspend(actor=admin, policy=p, effective_date=today)],
        PolicyState.CANCELLED: [lambda p: policy_cancel(actor=admin, policy=p, effective_date=today,
                                                        reason=CancellationReason.CLIENT_REQUEST)],
        PolicyState.EXPIRED: [lambda p: policy_expire(actor=admin, policy=p, today=date(2030, 1, 1))],
        PolicyState.RENEWED: [lambda p: policy_renew(actor=admin, policy=p, number="R-X")],
    }


@pytest.mark.parametrize("state", [s for s in PolicyState])
def test_every_illegal_transition_is_refused_and_nothing_changes(pcatalog, holder, admin_a, state):
    policy = _force_state(place(admin_a, holder, pcatalog["alfa"], number=f"T-{state}"), state)
    counts = (PolicyStateChange.objects.count(), PolicyVersion.objects.count(), Policy.objects.count())
    refused = 0
    for to_state, calls in _attempts(admin_a).items():
        if to_state in POLICY_TRANSITIONS[state]:
            continue
        for call in calls:
            with pytest.raises(PolicyError) as error:
                call(policy)
            assert error.value.status == 409 or "Solo se" in error.value.message
            refused += 1
    policy.refresh_from_db()
    assert policy.state == state
    assert (PolicyStateChange.objects.count(), PolicyVersion.objects.count(), Policy.objects.count()) == counts
    assert refused >= 1


def test_transition_message_names_both_states(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    with pytest.raises(PolicyError) as error:
        policy_issue(actor=admin_a, policy=policy)
    assert error.value.message == "La póliza POL-1 está «En vigor»: no puede pasar a «En vigor»."
    assert error.value.code == "policy_invalid_transition"


def test_suspend_and_resume_write_state_changes(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy = policy_suspend(actor=admin_a, policy=policy, effective_date=date(2026, 7, 1), reason="Recibo impagado")
    assert policy.state == PolicyState.SUSPENDED
    policy = policy_resume(actor=admin_a, policy=policy, effective_date=date(2026, 7, 20))
    assert policy.state == PolicyState.IN_FORCE
    assert [(c.to_state, c.effective_date) for c in policy.state_changes.all()][-2:] == [
        ("suspended", date(2026, 7, 1)), ("in_force", date(2026, 7, 20))]
    with pytest.raises(PolicyError, match="fuera del periodo"):
        policy_suspend(actor=admin_a, policy=policy, effective_date=date(2027, 3, 15))


# --- cancel / reactivate --------------------------------------------------------------------------

def test_cancel_adds_a_cancellation_version_and_keeps_date_and_reason(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy = policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 9, 1),
                           reason=CancellationReason.NON_PAYMENT, notes="Segundo recibo devuelto")
    assert policy.state == PolicyState.CANCELLED
    assert (policy.cancellation_date, policy.cancellation_reason) == (date(2026, 9, 1), "non_payment")
    version = policy.current_version
    assert version.number == 2 and version.kind == VersionKind.CANCELLATION
    assert version.reason == "Impago de prima. Segundo recibo devuelto"
    assert version.risk_data == policy.versions.get(number=1).risk_data
    assert "Segundo recibo devuelto" in policy.notes


@pytest.mark.parametrize(("when", "message"), [
    (date(2026, 3, 14), "fuera del periodo"),
    (date(2027, 3, 15), "fuera del periodo"),
])
def test_cancel_date_outside_the_term_refused(pcatalog, holder, admin_a, when, message):
    policy = place(admin_a, holder, pcatalog["alfa"])
    with pytest.raises(PolicyError, match=message):
        policy_cancel(actor=admin_a, policy=policy, effective_date=when, reason="client")


def test_cancel_needs_a_known_reason(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    with pytest.raises(PolicyError) as error:
        policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 9, 1), reason="whim")
    assert error.value.field == "reason"


def test_reactivate_within_six_months_of_a_non_payment_cancellation(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 9, 1), reason=CancellationReason.NON_PAYMENT)
    policy = policy_reactivate(actor=admin_a, policy=policy, effective_date=date(2026, 10, 15), reason="Pagado")
    assert policy.state == PolicyState.IN_FORCE and policy.cancellation_date is None
    assert policy.cancellation_reason == ""
    assert policy.current_version.kind == VersionKind.REACTIVATION and policy.current_version.number == 3
    assert [c.to_state for c in policy.state_changes.all()] == ["draft", "in_force", "cancelled", "in_force"]


def test_reactivate_refused_after_six_months(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"], start_date=date(2026, 1, 1), term_months=24)
    policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 2, 1), reason="client")
    with pytest.raises(PolicyError) as error:
        policy_reactivate(actor=admin_a, policy=policy, effective_date=date(2026, 8, 2))
    assert "el plazo terminó el 01/08/2026" in error.value.message
    ok = policy_reactivate(actor=admin_a, policy=policy, effective_date=date(2026, 8, 1))
    assert ok.state == PolicyState.IN_FORCE


@pytest.mark.parametrize("reason", [CancellationReason.INSURER, CancellationReason.RISK_GONE,
                                    CancellationReason.REPLACED, CancellationReason.OTHER])
def test_reactivate_refused_for_other_reasons(pcatalog, holder, admin_a, reason):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 9, 1), reason=reason)
    with pytest.raises(PolicyError) as error:
        policy_reactivate(actor=admin_a, policy=policy, effective_date=date(2026, 9, 2))
    assert "solo las anuladas por impago o a petición del tomador" in error.value.message
    policy.refresh_from_db()
    assert policy.state == PolicyState.CANCELLED


def test_reactivate_refused_for_a_cancelled_draft_and_before_cancellation(pcatalog, holder, admin_a):
    draft = place(admin_a, holder, pcatalog["alfa"], issue=False)
    policy_cancel(actor=admin_a, policy=draft, effective_date=START, reason="client")
    with pytest.raises(PolicyError, match="sin llegar a emitirse"):
        policy_reactivate(actor=admin_a, policy=draft, effective_date=START)
    policy = place(admin_a, holder, pcatalog["alfa"], number="P-2")
    policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 9, 1), reason="client")
    with pytest.raises(PolicyError, match="anterior a la anulación"):
        policy_reactivate(actor=admin_a, policy=policy, effective_date=date(2026, 8, 31))


# --- expire / renew -------------------------------------------------------------------------------

def test_expire_only_after_expiry_and_the_due_sweep(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    with pytest.raises(PolicyError, match="aún no puede darse por vencida"):
        policy_expire(actor=admin_a, policy=policy, today=date(2027, 3, 14))
    suspended = place(admin_a, holder, pcatalog["alfa"], number="S-1")
    policy_suspend(actor=admin_a, policy=suspended, effective_date=date(2026, 5, 1))
    later = place(admin_a, holder, pcatalog["alfa"], number="L-1", start_date=date(2026, 6, 1))
    assert policies_expire_due(today=date(2027, 3, 15)) == 2
    states = dict(Policy.objects.values_list("number", "state"))
    assert states == {"POL-1": "expired", "S-1": "expired", "L-1": "in_force"}
    change = policy.state_changes.last()
    assert (change.to_state, change.effective_date) == ("expired", date(2027, 3, 15))
    assert later.state == "in_force"


def test_expire_command_runs_for_the_tenant(pcatalog, holder, admin_a, tenant_a):
    from django.core.management import call_command

    place(admin_a, holder, pcatalog["alfa"], start_date=date(2026, 1, 1), term_months=6)
    call_command("insurance_expire_policies", "--schema", tenant_a.schema_name, "--today", "2026-12-04")
    assert Policy.objects.get().state == PolicyState.EXPIRED


def test_renew_keeps_number_starts_after_expiry_and_rerates(pcatalog, holder, admin_a):
    from apps.insurance.models import Tariff

    policy = place(admin_a, holder, pcatalog["alfa"])
    Tariff.objects.filter(product=pcatalog["alfa"]).update(base_premium=D("110.00"))
    renewal = policy_renew(actor=admin_a, policy=policy)
    policy.refresh_from_db()
    assert policy.state == PolicyState.RENEWED and renewal.renewal_of == policy
    assert renewal.number == "POL-1" and renewal.state == PolicyState.IN_FORCE
    assert (renewal.start_date, renewal.expiry_date) == (date(2027, 3, 15), date(2028, 3, 14))
    assert renewal.net_premium == D("140.00")
    assert renewal.current_version.kind == VersionKind.RENEWAL
    assert policy.state_changes.last().effective_date == date(2027, 3, 15)
    with pytest.raises(PolicyError):
        policy_renew(actor=admin_a, policy=policy)
    # the second renewal of the chain keeps the number too
    third = policy_renew(actor=admin_a, policy=renewal, rerate=False)
    assert third.number == "POL-1" and third.net_premium == D("140.00") and third.start_date == date(2028, 3, 15)


def test_renew_with_new_number_and_refuses_a_taken_one(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    place(admin_a, holder, pcatalog["alfa"], number="TAKEN")
    with pytest.raises(PolicyError) as error:
        policy_renew(actor=admin_a, policy=policy, number="TAKEN")
    assert error.value.field == "number"
    policy.refresh_from_db()
    assert policy.state == PolicyState.IN_FORCE
    renewal = policy_renew(actor=admin_a, policy=policy, number="NEW-2027")
    assert renewal.number == "NEW-2027" and renewal.renewal_of == policy


def test_a_renewal_does_not_free_the_number_for_another_contract(pcatalog, holder, other_holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy_renew(actor=admin_a, policy=policy)
    with pytest.raises(PolicyError, match="Ya existe una póliza con el número POL-1"):
        place(admin_a, other_holder, pcatalog["alfa"], start_date=date(2028, 3, 15))


def test_domain_events_are_published_on_commit(pcatalog, holder, admin_a, django_capture_on_commit_callbacks):
    from apps.core import events
    from apps.insurance.services.endorsements import policy_endorse

    seen = []

    def handler(name, payload):
        if name.startswith("insurance.policy."):
            seen.append(name)

    events.subscribe("*", handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            policy = place(admin_a, holder, pcatalog["alfa"], issue=False)
            assert seen == []  # nothing before the commit
        with django_capture_on_commit_callbacks(execute=True):
            policy_issue(actor=admin_a, policy=policy)
            policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 5, 1), reason="x")
            policy_suspend(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1))
            policy_resume(actor=admin_a, policy=policy, effective_date=date(2026, 6, 2))
            policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 7, 1), reason="client")
            policy_reactivate(actor=admin_a, policy=policy, effective_date=date(2026, 7, 2))
            policy_renew(actor=admin_a, policy=policy)
    finally:
        events._subscribers["*"].remove(handler)
    assert seen == ["insurance.policy.created", "insurance.policy.issued", "insurance.policy.endorsed",
                    "insurance.policy.suspended", "insurance.policy.resumed", "insurance.policy.cancelled",
                    "insurance.policy.reactivated", "insurance.policy.created", "insurance.policy.issued",
                    "insurance.policy.renewed"]


def test_a_policyholder_is_kept_from_erasure(pcatalog, holder, other_holder, admin_a):
    from apps.crm.services.gdpr import party_retention_reasons
    from apps.insurance.services.policies import policy_endorse

    policy = place(admin_a, holder, pcatalog["alfa"])
    assert "Es tomador de 1 póliza(s)" in " ".join(party_retention_reasons(holder))
    assert not any("póliza" in reason for reason in party_retention_reasons(other_holder))
    # policy_endorse is reachable from this module too
    assert policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 4, 1), reason="x").number == 2
