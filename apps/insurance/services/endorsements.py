"""Endorsements (suplementos): a change to a policy in force or suspended, from an effective date,
as a NEW version. Earlier versions are never modified; selectors_policies.version_diff compares
any two versions.

Refused: a policy not in force or suspended; an effective date before the start, after the
expiry, before the current version's effective date (versions run forward in time) or inside a
period the policy was cancelled (between a cancellation and its reactivation).
Premiums: re-rated (rerate=True) with the product's tariff in force on the policy's start date,
i.e. the tariff of the period being endorsed; otherwise the current version's premiums are kept.
"""
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import StaleObjectError
from apps.core.events import publish
from apps.insurance.choices import PolicyState, VersionKind
from apps.insurance.lines import get_line
from apps.insurance.models import PolicyVersion
from apps.insurance.selectors_policies import version_diff
from apps.insurance.services.hooks import policy_hooks_run
from apps.insurance.services.policies import (
    ENDORSABLE_STATES, PREMIUM_FIELDS, PolicyError, _actor, _add_version, _date, _locked, _rate, _require_date,
    cancelled_periods,
)
from apps.insurance.services.risks import risk_validate


def endorsement_refusal(policy, effective_date: datetime.date) -> str:
    """Why an endorsement of `policy` cannot take effect on `effective_date` ("" when it can)."""
    if policy.state not in ENDORSABLE_STATES:
        return _("Solo se hacen suplementos de pólizas en vigor o suspendidas; la póliza %(number)s está "
                 "«%(state)s».") % {"number": policy.number, "state": PolicyState(policy.state).label}
    if effective_date < policy.start_date:
        return _("El suplemento no puede tener efecto antes del inicio de la póliza (%s).") % _date(policy.start_date)
    if effective_date > policy.expiry_date:
        return _("El suplemento no puede tener efecto después del vencimiento (%s).") % _date(policy.expiry_date)
    current = policy.current_version
    if current is not None and effective_date < current.effective_date:
        return _("El suplemento no puede tener efecto antes de la versión vigente (v%(number)s, desde el "
                 "%(date)s).") % {"number": current.number, "date": _date(current.effective_date)}
    for start, end in cancelled_periods(policy):
        if effective_date >= start and (end is None or effective_date < end):
            return _("La fecha %(date)s cae en un periodo en que la póliza estuvo anulada (del %(start)s al "
                     "%(end)s).") % {"date": _date(effective_date), "start": _date(start),
                                     "end": _date(end) if end else _("hoy")}
    return ""


@transaction.atomic
def policy_endorse(*, actor, policy, effective_date: datetime.date, reason: str, risk: dict | None = None,
                   coverages: list | None = None, insured: list | None = None, beneficiaries: list | None = None,
                   rerate: bool = True, expected_version: int | None = None) -> PolicyVersion:
    """Adds version n+1 (kind endorsement) with the given changes; what is not given is carried
    over from the current version (insured and beneficiaries follow the line when the risk
    changes). Returns the new version. Nothing is saved on any error. `expected_version`: the
    policy's version the editor loaded; refused (409) when someone changed the policy since."""
    policy = _locked(policy)
    if expected_version is not None and policy.version != int(expected_version):
        raise StaleObjectError(_("Otra persona ha modificado este registro mientras lo editaba: recargue la página."),
                               field="version")
    effective_date = _require_date(effective_date, "effective_date", _("Indique la fecha de efecto del suplemento."))
    reason = (reason or "").strip()
    if not reason:
        raise PolicyError(_("Indique el motivo del suplemento."), field="reason", code="policy_endorse_reason")
    refusal = endorsement_refusal(policy, effective_date)
    if refusal:
        wrong_state = policy.state not in ENDORSABLE_STATES
        raise PolicyError(refusal, code="policy_invalid_transition" if wrong_state else "policy_endorse_date",
                          field=None if wrong_state else "effective_date", status=409 if wrong_state else 400)
    spec = get_line(policy.line.code)
    current = policy.current_version
    data = risk_validate(line_code=policy.line.code, raw=risk) if risk is not None else current.risk_data
    risk_changed = risk is not None and data != current.risk_data
    if insured is None:
        insured = spec.insured(data) if risk_changed else current.insured
    if beneficiaries is None:
        beneficiaries = spec.beneficiaries(data) if risk_changed else current.beneficiaries
    coverages = current.coverages if coverages is None else coverages
    if rerate:
        premiums = _rate(product=policy.product, risk=data, on_date=policy.start_date)
    else:
        premiums = {name: getattr(current, name) for name in PREMIUM_FIELDS}
    version = _add_version(policy, actor=actor, kind=VersionKind.ENDORSEMENT, effective_date=effective_date,
                           reason=reason, risk=data, insured=insured, beneficiaries=beneficiaries, coverages=coverages,
                           premiums=premiums, spec=spec)
    policy.updated_by = _actor(actor)
    policy.version += 1
    policy.save()
    diff = version_diff(current, version)
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="policy_endorse", obj=policy, changes={
        "version": [current.number, version.number], "fecha_de_efecto": [None, effective_date.isoformat()],
        "motivo": [None, reason],
        **{f"{row.label}": [str(row.before), str(row.after)] for row in diff.changed},
    })
    policy_hooks_run("policy_endorse", actor=actor, policy=policy, effective_date=effective_date,
                     from_state=policy.state, version=version, previous=current)
    publish("insurance.policy.endorsed", pk=policy.pk, number=policy.number, version=version.number)
    return version
