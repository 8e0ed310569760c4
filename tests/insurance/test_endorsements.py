"""Endorsements: a new version each time, earlier versions byte-for-byte intact, the before/after
comparison, and the date refusals (before start, after expiry, before the current version,
inside a cancelled period, on a policy not in force)."""
import datetime
import json
from decimal import Decimal

import pytest

from apps.insurance.choices import CancellationReason, PolicyState, VersionKind
from apps.insurance.models import PolicyVersion
from apps.insurance.selectors_policies import version_diff
from apps.insurance.services.endorsements import policy_endorse
from apps.insurance.services.policies import (
    PolicyError, policy_cancel, policy_reactivate, policy_suspend,
)
from tests.insurance.test_policy_support import (  # noqa: F401  (fixtures)
    RISK, START, holder, other_holder, pcatalog, place, pline,
)

D = Decimal
date = datetime.date


def _frozen(version: PolicyVersion) -> str:
    """Every stored column of a version, as the database returns it now."""
    row = PolicyVersion.objects.filter(pk=version.pk).values().get()
    return json.dumps(row, sort_keys=True, default=str)


def test_endorsement_adds_a_version_and_leaves_earlier_ones_untouched(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    v1 = policy.current_version
    v1_before = _frozen(v1)
    v2 = policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1), reason="Aumento de capital",
                        risk={**RISK, "capital": "30000"})
    assert (v2.number, v2.kind, v2.effective_date, v2.reason) == (2, VersionKind.ENDORSEMENT, date(2026, 6, 1),
                                                                  "Aumento de capital")
    assert (v2.net_premium, v2.ips, v2.consorcio, v2.clea, v2.total_premium) == (
        D("145.00"), D("11.60"), D("1.50"), D("0.22"), D("158.32"))
    assert v2.risk_data["capital"] == "30000" and v2.sum_insured == D("30000.00")
    v3_before = None
    v3 = policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 9, 1), reason="Uso profesional",
                        risk={**RISK, "use": "professional"})
    assert v3.number == 3 and v3.total_premium == D("169.71")
    # every earlier version byte-for-byte as it was
    assert _frozen(v1) == v1_before
    v1.refresh_from_db()
    assert v1.risk_data == {"capital": "20000", "holder_age": 30, "use": "private",
                            "persons": [{"name": "Lucía Prieto", "birth_date": "1996-05-01"}]}
    assert (v1.net_premium, v1.total_premium) == (D("130.00"), D("141.60"))
    v2_after = PolicyVersion.objects.get(pk=v2.pk)
    assert v2_after.risk_data["capital"] == "30000" and v2_after.total_premium == D("158.32")
    assert v3_before is None
    policy.refresh_from_db()
    assert policy.current_version == v3 and policy.total_premium == D("169.71")
    assert list(policy.versions.values_list("number", flat=True)) == [1, 2, 3]


def test_diff_shows_risk_with_line_labels_coverages_and_premiums(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    v1 = policy.current_version
    coverages = [*v1.coverages[:1], {"code": "legal", "name": "Defensa jurídica", "kind": "optional",
                                     "limit": "3000.00", "limit_text": "", "deductible": "0"}]
    v2 = policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1), reason="Cambios",
                        risk={**RISK, "use": "professional",
                              "persons": [{"name": "Ana Gil", "birth_date": "1990-01-02"}]},
                        coverages=coverages)
    diff = version_diff(v2, v1)  # order does not matter
    assert diff.before == v1 and diff.after == v2
    changed = {row.label: (row.before, row.after) for row in diff.changed}
    assert changed["Uso"] == ("Particular", "Profesional")
    assert "Capital asegurado" not in changed
    assert changed["Personas aseguradas"] == (["Lucía Prieto, 1996-05-01"], ["Ana Gil, 1990-01-02"])
    assert changed["Asegurados"] == (["Lucía Prieto, 1996-05-01"], ["Ana Gil, 1990-01-02"])
    assert changed["Responsabilidad civil"][1] is None  # removed
    assert changed["Defensa jurídica"] == (None, "Defensa jurídica · límite 3000.00 € · opcional")
    assert changed["Prima neta anual"] == (D("130.00"), D("156.00"))
    assert changed["Prima total anual"] == (D("141.60"), D("169.71"))
    assert "Suma asegurada" not in changed
    payload = diff.as_dict()
    assert payload["before"]["number"] == 1 and payload["after"]["number"] == 2
    assert {"label": "Prima total anual", "before": "141.60", "after": "169.71", "changed": True} in payload["premiums"]


def test_endorse_without_rerate_keeps_premiums(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    version = policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1),
                             reason="Cambio de matrícula sin efecto en prima", risk={**RISK, "capital": "30000"},
                             rerate=False)
    assert version.total_premium == D("141.60") and version.risk_data["capital"] == "30000"


@pytest.mark.parametrize(("when", "message"), [
    (date(2026, 3, 14), "antes del inicio de la póliza (15/03/2026)"),
    (date(2027, 3, 15), "después del vencimiento (14/03/2027)"),
])
def test_endorsement_outside_the_term_refused(pcatalog, holder, admin_a, when, message):
    policy = place(admin_a, holder, pcatalog["alfa"])
    with pytest.raises(PolicyError) as error:
        policy_endorse(actor=admin_a, policy=policy, effective_date=when, reason="x", risk={**RISK, "capital": "30000"})
    assert message in error.value.message and error.value.field == "effective_date"
    assert policy.versions.count() == 1


def test_endorsement_before_the_current_version_refused(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 8, 1), reason="Primero")
    with pytest.raises(PolicyError, match="antes de la versión vigente"):
        policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 7, 1), reason="Segundo")
    assert policy.versions.count() == 2


def test_endorsement_inside_a_cancelled_period_refused(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1), reason=CancellationReason.NON_PAYMENT)
    with pytest.raises(PolicyError) as error:  # cancelled: not endorsable at all
        policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 6, 10), reason="x")
    assert error.value.code == "policy_invalid_transition" and "«Anulada»" in error.value.message
    policy_reactivate(actor=admin_a, policy=policy, effective_date=date(2026, 5, 31) + datetime.timedelta(days=1))
    # reactivated on the cancellation date itself: no gap; reactivate later to leave a gap
    policy_cancel(actor=admin_a, policy=policy, effective_date=date(2026, 7, 1), reason=CancellationReason.NON_PAYMENT)
    policy_reactivate(actor=admin_a, policy=policy, effective_date=date(2026, 8, 1))
    # after reactivation the current version starts 01/08, so test the cancelled-period rule directly
    from apps.insurance.services.endorsements import endorsement_refusal

    policy.refresh_from_db()
    policy.current_version.effective_date = date(2026, 3, 15)  # unsaved: isolate the period rule
    assert "estuvo anulada (del 01/07/2026 al 01/08/2026)" in endorsement_refusal(policy, date(2026, 7, 15))
    assert endorsement_refusal(policy, date(2026, 8, 1)) == ""
    ok = policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 8, 2), reason="Tras rehabilitar")
    assert ok.number == 6


def test_endorsement_of_a_suspended_policy_allowed_of_a_draft_refused(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    policy_suspend(actor=admin_a, policy=policy, effective_date=date(2026, 5, 1))
    version = policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 5, 2), reason="Nuevo domicilio")
    assert version.number == 2
    policy.refresh_from_db()
    assert policy.state == PolicyState.SUSPENDED
    draft = place(admin_a, holder, pcatalog["alfa"], number="D-1", issue=False)
    with pytest.raises(PolicyError) as error:
        policy_endorse(actor=admin_a, policy=draft, effective_date=date(2026, 5, 2), reason="x")
    assert error.value.status == 409


def test_bad_endorsement_risk_is_a_field_error_and_nothing_saved(pcatalog, holder, admin_a):
    from django.core.exceptions import ValidationError

    policy = place(admin_a, holder, pcatalog["alfa"])
    with pytest.raises(ValidationError) as error:
        policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1), reason="x",
                       risk={**RISK, "capital": "5"})
    assert "capital" in error.value.message_dict
    assert policy.versions.count() == 1
    with pytest.raises(PolicyError) as error:
        policy_endorse(actor=admin_a, policy=policy, effective_date=date(2026, 6, 1), reason="  ")
    assert error.value.field == "reason"
