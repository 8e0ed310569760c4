"""Claims (siniestros): opening one on a policy, editing its details, its state machine and its
third parties. Reserve and payments live in services/payments.py; tasks and documents in
services/work.py.

Opening checks that the policy covered the loss (services/cover.py), that the report is not
before the loss nor in the future, and refuses a likely duplicate (same policy, loss date and
cause, not rejected) with code «claim_duplicate» unless the caller confirms it
(allow_duplicate=True: the claim then points at the other one in duplicate_of).

States follow choices.CLAIM_TRANSITIONS and nothing else. Rejecting needs a reason (kept in
rejection_reason); closing sets closed_on; reopening clears both. «Paid» needs at least one
payment. Every change writes a ClaimStateChange row where the state moves, an audit event on the
claim and, on commit, the domain event "claims.claim.<event>"."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.claims.choices import CLAIM_TRANSITIONS, ClaimCause, ClaimState, ThirdPartyRole
from apps.claims.errors import ClaimError
from apps.claims.models import Claim, ClaimStateChange, ReserveChange, ThirdParty
from apps.claims.services.common import actor_or_none, fmt_date, locked, money, record, require_date, touch
from apps.claims.services.cover import check_cover
from apps.core.errors import StaleObjectError
from apps.insurance.models import Policy
from apps.insurance.services.numbering import formatted_number

CLAIM_SERIES = "S"
# to_state -> domain event name "claims.claim.<name>"
STATE_EVENTS = {ClaimState.IN_REVIEW: "review_started", ClaimState.ACCEPTED: "accepted",
                ClaimState.REJECTED: "rejected", ClaimState.PAID: "paid", ClaimState.CLOSED: "closed",
                ClaimState.REOPENED: "reopened"}
EDITABLE_FIELDS = ("description", "location", "insurer_claim_number", "adjuster_name", "adjuster_phone",
                   "adjuster_email", "handler")
THIRD_PARTY_FIELDS = ("role", "name", "tax_id", "phone", "email", "insurer_name", "policy_number", "vehicle_plate",
                      "notes")


def likely_duplicate(*, policy, loss_date: datetime.date, cause: str, exclude_pk=None) -> Claim | None:
    """Another claim of the policy with the same loss date and cause that was not rejected."""
    queryset = Claim.objects.filter(policy=policy, loss_date=loss_date, cause=cause).exclude(
        state=ClaimState.REJECTED)
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.order_by("pk").first()


def _third_party(claim: Claim, data: dict) -> ThirdParty:
    values = {name: (data.get(name) or "") for name in THIRD_PARTY_FIELDS}
    values = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
    values["role"] = values["role"] or ThirdPartyRole.OTHER
    if values["tax_id"]:
        values["tax_id"] = values["tax_id"].upper().replace(" ", "").replace("-", "")
    party = ThirdParty(claim=claim, **values)
    party.full_clean(exclude=["claim"])
    return party


def _validate_third_parties(third_parties) -> None:
    for index, data in enumerate(third_parties or ()):
        try:
            _third_party(Claim(), data)
        except ValidationError as exc:
            raise ValidationError({f"third_parties-{index}-{name}": errors
                                   for name, errors in exc.message_dict.items()}) from None


@transaction.atomic
def claim_open(*, actor, policy: Policy, loss_date: datetime.date, reported_date: datetime.date, cause: str,
               coverage_code: str, description: str, location: str = "", insurer_claim_number: str = "",
               third_parties=(), handler=None, reserve=0, allow_duplicate: bool = False,
               today: datetime.date | None = None) -> Claim:
    """Opens a claim «reported» on `policy`. Raises ClaimError (with `field`) when the policy did not
    cover the loss or coverage, for bad dates or cause, a negative reserve, and a likely duplicate
    (code claim_duplicate, 409) unless allow_duplicate. Nothing is written on any error."""
    if policy is None:
        raise ClaimError(_("Indique la póliza."), code="claim_policy_required", field="policy")
    policy = Policy.objects.select_for_update(of=("self",)).select_related("insurer", "line", "policyholder").get(
        pk=policy.pk)
    today = today or timezone.localdate()
    loss_date = require_date(loss_date, "loss_date", _("Indique la fecha de ocurrencia."))
    reported_date = require_date(reported_date, "reported_date", _("Indique la fecha de declaración."))
    if reported_date < loss_date:
        raise ClaimError(_("La fecha de declaración (%(reported)s) no puede ser anterior a la de ocurrencia "
                           "(%(loss)s).") % {"reported": fmt_date(reported_date), "loss": fmt_date(loss_date)},
                         code="claim_dates", field="reported_date")
    if reported_date > today:
        raise ClaimError(_("La fecha de declaración (%s) no puede ser futura.") % fmt_date(reported_date),
                         code="claim_dates", field="reported_date")
    if cause not in ClaimCause.values:
        raise ClaimError(_("Indique la causa del siniestro."), code="claim_cause", field="cause")
    description = (description or "").strip()
    if not description:
        raise ClaimError(_("Describa lo ocurrido."), code="claim_description", field="description")
    coverage_code = (coverage_code or "").strip()
    coverage = check_cover(policy, loss_date=loss_date, coverage_code=coverage_code)
    reserve = money(reserve or 0, field="reserve")
    if reserve < 0:
        raise ClaimError(_("La reserva no puede ser negativa."), code="claim_amount", field="reserve")
    _validate_third_parties(third_parties)
    duplicate = likely_duplicate(policy=policy, loss_date=loss_date, cause=cause)
    if duplicate is not None and not allow_duplicate:
        raise ClaimError(
            _("Posible duplicado: el siniestro %(number)s es de la misma póliza, con la misma fecha (%(date)s) y "
              "causa. Confirme que se trata de otro siniestro.") % {"number": duplicate.number,
                                                                    "date": fmt_date(loss_date)},
            code="claim_duplicate", status=409)
    handler = handler if handler is not None else actor_or_none(actor)
    claim = Claim.objects.create(
        number=formatted_number(series=CLAIM_SERIES, year=today.year), policy=policy, insurer=policy.insurer,
        line=policy.line, policyholder=policy.policyholder, state=ClaimState.REPORTED, loss_date=loss_date,
        reported_date=reported_date, cause=cause, coverage_code=coverage_code,
        coverage_name=str(coverage.get("name") or coverage_code)[:150], description=description,
        location=(location or "").strip()[:250], insurer_claim_number=(insurer_claim_number or "").strip()[:40],
        handler=handler, reserve=reserve, duplicate_of=duplicate, created_by=actor_or_none(actor),
        updated_by=actor_or_none(actor))
    ClaimStateChange.objects.create(claim=claim, from_state="", to_state=ClaimState.REPORTED,
                                    created_by=actor_or_none(actor))
    if reserve > 0:
        ReserveChange.objects.create(claim=claim, date=today, previous=0, amount=reserve,
                                     reason=_("Reserva inicial"), created_by=actor_or_none(actor))
    for data in third_parties or ():
        _third_party(claim, data).save()
    record(actor=actor, claim=claim, verb="claim_open", event="opened", action=AuditAction.CREATE,
           changes={"policy": [None, policy.pk], "loss_date": [None, loss_date.isoformat()],
                    "cause": [None, cause], "coverage_code": [None, coverage_code], "reserve": [None, str(reserve)],
                    **({"duplicate_of": [None, duplicate.pk]} if duplicate else {})},
           policy=policy.pk, duplicate_of=duplicate.pk if duplicate else None)
    return claim


@transaction.atomic
def claim_update(*, actor, claim, data: dict, expected_version: int | None = None) -> Claim:
    """Edits the details (description, location, insurer's number, adjuster, handler). A closed
    claim is reopened first. `expected_version` guards against overwriting someone else's edit."""
    claim = locked(claim)
    if expected_version is not None and expected_version != claim.version:
        raise StaleObjectError(_("Otra persona ha modificado el siniestro %s: recargue la página.") % claim.number)
    if claim.state == ClaimState.CLOSED:
        raise ClaimError(_("El siniestro %s está cerrado: reábralo para modificarlo.") % claim.number,
                         code="claim_closed", status=409)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ClaimError(_("No se pueden modificar: %s.") % ", ".join(sorted(unknown)), code="claim_not_editable")
    changes = {}
    for name, value in data.items():
        value = value.strip() if isinstance(value, str) else value
        before = getattr(claim, "handler_id" if name == "handler" else name)
        after = getattr(value, "pk", value) if name == "handler" else (value or "")
        if before != after:
            setattr(claim, name, value if name == "handler" else after)
            changes[name] = [before, after]
    if not (claim.description or "").strip():
        raise ClaimError(_("Describa lo ocurrido."), code="claim_description", field="description")
    try:
        claim.full_clean(exclude=["policy", "insurer", "line", "policyholder", "handler", "duplicate_of"],
                         validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError({k: v for k, v in exc.message_dict.items()}) from None
    if changes:
        touch(claim, actor, *[name for name in changes])
        record(actor=actor, claim=claim, verb="claim_update", event="updated", action=AuditAction.UPDATE,
               changes=changes)
    return claim


def check_transition(claim: Claim, to_state: str) -> None:
    if to_state not in ClaimState.values or to_state not in CLAIM_TRANSITIONS[ClaimState(claim.state)]:
        label = ClaimState(to_state).label if to_state in ClaimState.values else to_state
        raise ClaimError(_("El siniestro %(number)s está «%(state)s»: no puede pasar a «%(to)s».") % {
            "number": claim.number, "state": ClaimState(claim.state).label, "to": label},
            code="claim_invalid_transition", status=409)


def allowed_transitions(claim: Claim) -> list[str]:
    """The states this claim may move to, in the order of ClaimState."""
    allowed = CLAIM_TRANSITIONS[ClaimState(claim.state)]
    return [state for state in ClaimState.values if state in allowed]


@transaction.atomic
def claim_transition(*, actor, claim, to_state: str, reason: str = "", today: datetime.date | None = None) -> Claim:
    """Moves the claim along CLAIM_TRANSITIONS (409 otherwise)."""
    claim = locked(claim)
    check_transition(claim, to_state)
    reason = (reason or "").strip()
    today = today or timezone.localdate()
    before = claim.state
    fields = ["state"]
    changes = {"state": [before, to_state]}
    if to_state == ClaimState.REJECTED:
        if not reason:
            raise ClaimError(_("Indique el motivo del rechazo."), code="claim_reason_required", field="reason")
        claim.rejection_reason = reason[:300]
        fields.append("rejection_reason")
        changes["rejection_reason"] = [None, claim.rejection_reason]
    if to_state == ClaimState.PAID and claim.paid_total <= 0:
        raise ClaimError(_("El siniestro %s no tiene pagos: regístrelos antes de darlo por pagado.") % claim.number,
                         code="claim_no_payments", status=409)
    if to_state == ClaimState.CLOSED:
        claim.closed_on = today
        fields.append("closed_on")
        changes["closed_on"] = [None, today.isoformat()]
    if to_state == ClaimState.REOPENED:
        changes["closed_on"] = [claim.closed_on.isoformat() if claim.closed_on else None, None]
        if claim.rejection_reason:
            changes["rejection_reason"] = [claim.rejection_reason, None]
        claim.closed_on, claim.rejection_reason = None, ""
        fields += ["closed_on", "rejection_reason"]
    claim.state = to_state
    touch(claim, actor, *fields)
    ClaimStateChange.objects.create(claim=claim, from_state=before, to_state=to_state, reason=reason[:300],
                                    created_by=actor_or_none(actor))
    if reason and "rejection_reason" not in changes:
        changes["motivo"] = [None, reason]
    record(actor=actor, claim=claim, verb="claim_transition", event=STATE_EVENTS[to_state], changes=changes,
           from_state=before)
    return claim


@transaction.atomic
def claim_third_party_add(*, actor, claim, data: dict) -> ThirdParty:
    """Adds a third party (other driver, injured person, witness...): name and role required."""
    claim = locked(claim)
    party = _third_party(claim, data)
    party.save()
    touch(claim, actor)
    record(actor=actor, claim=claim, verb="claim_third_party_add", event="third_party_added",
           changes={"terceros": [None, f"{party.name} ({party.get_role_display()})"]}, third_party=party.pk)
    return party


@transaction.atomic
def claim_third_party_remove(*, actor, third_party: ThirdParty) -> None:
    claim = locked(third_party.claim_id)
    label = f"{third_party.name} ({third_party.get_role_display()})"
    ThirdParty.objects.filter(pk=third_party.pk, claim=claim).delete()
    touch(claim, actor)
    record(actor=actor, claim=claim, verb="claim_third_party_remove", event="third_party_removed",
           changes={"terceros": [label, None]}, third_party=third_party.pk)
