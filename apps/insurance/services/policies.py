"""Policies: placing a risk (from a quote or directly), issuing, the state machine and renewals.
Endorsements live in services/endorsements.py; date arithmetic in services/policy_dates.py.

States and transitions are choices.POLICY_TRANSITIONS and nothing else:
  draft -> in_force | cancelled;  in_force -> suspended | cancelled | expired | renewed;
  suspended -> in_force | cancelled | expired;  cancelled -> in_force (reactivation, see below).
Every state change writes a PolicyStateChange row, an audit event and, on commit, the domain event
"insurance.policy.<verb>". A version (PolicyVersion) is an immutable snapshot: issue, endorsement,
cancellation, reactivation and renewal each add one; none is ever edited.

Reactivation rule (decided here, LCS art. 15 by analogy): a cancelled policy may be reactivated
only when it was cancelled for non-payment or at the client's request, it had been in force
(a draft that was cancelled is never reactivated: place it again), the reactivation takes effect
on or after the cancellation date, no later than six months after it and no later than the
policy's expiry. The period between cancellation and reactivation stays a cancelled period:
no endorsement may take effect inside it.

Renewal keeps the policy number by default: the number is unique per insurer across different
policies, but a renewal (renewal_of) continues the same contract and may repeat it.
"""
import datetime
import zlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import DomainError
from apps.core.events import publish
from apps.insurance.choices import (
    POLICY_TRANSITIONS, CancellationReason, PaymentFrequency, PaymentMethod, PolicyState, VersionKind,
)
from apps.insurance.lines import get_line
from apps.insurance.models import Policy, PolicyStateChange, PolicyVersion
from apps.insurance.rating import money
from apps.insurance.selectors_policies import coverages_snapshot
from apps.insurance.services.hooks import policy_hooks_run
from apps.insurance.services.policy_dates import add_months, policy_expiry
from apps.insurance.services.rating import rate_product
from apps.insurance.services.risks import json_safe, risk_validate

ONE_DAY = datetime.timedelta(days=1)
MAX_TERM_MONTHS = 120
REACTIVATION_MONTHS = 6
REACTIVABLE_REASONS = (CancellationReason.NON_PAYMENT, CancellationReason.CLIENT_REQUEST)
ENDORSABLE_STATES = (PolicyState.IN_FORCE, PolicyState.SUSPENDED)
PREMIUM_FIELDS = ("net_premium", "ips", "consorcio", "clea", "total_premium")
# audit verb -> domain event "insurance.policy.<name>" (plus "created" and "endorsed")
EVENT_NAMES = {"policy_issue": "issued", "policy_suspend": "suspended", "policy_resume": "resumed",
               "policy_cancel": "cancelled", "policy_reactivate": "reactivated", "policy_expire": "expired",
               "policy_renew": "renewed"}


class PolicyError(DomainError):
    code = "policy_error"


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _locked(policy) -> Policy:
    pk = getattr(policy, "pk", policy)
    return (Policy.objects.select_for_update(of=("self",))
            .select_related("insurer", "product", "line", "policyholder", "current_version").get(pk=pk))


def check_transition(policy: Policy, to_state: str) -> None:
    """Raises PolicyError (409) unless POLICY_TRANSITIONS allows policy.state -> to_state."""
    if to_state not in POLICY_TRANSITIONS[PolicyState(policy.state)]:
        raise PolicyError(
            _("La póliza %(number)s está «%(state)s»: no puede pasar a «%(to)s».") % {
                "number": policy.number, "state": PolicyState(policy.state).label, "to": PolicyState(to_state).label},
            code="policy_invalid_transition", status=409)


def _change_state(policy: Policy, *, actor, to_state: str, effective_date: datetime.date, reason: str = "",
                  verb: str, extra: dict | None = None, **fields) -> Policy:
    """Checked transition + PolicyStateChange + audit + event; saves `policy` with `fields`."""
    check_transition(policy, to_state)
    before = policy.state
    policy.state = to_state
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.updated_by = _actor(actor)
    policy.version += 1
    policy.save()
    PolicyStateChange.objects.create(policy=policy, from_state=before, to_state=to_state, effective_date=effective_date,
                                     reason=str(reason or "")[:300], created_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb=verb, obj=policy,
                       changes={"state": [before, to_state], "fecha_de_efecto": [None, effective_date.isoformat()],
                                **({"motivo": [None, str(reason)]} if reason else {}), **(extra or {})})
    policy_hooks_run(verb, actor=actor, policy=policy, effective_date=effective_date, from_state=before)
    publish(f"insurance.policy.{EVENT_NAMES[verb]}", pk=policy.pk, number=policy.number,
            state=to_state, from_state=before)
    return policy


def _premiums(rating) -> dict:
    """Premium fields from a ProductRating, a QuoteOption-like object or a dict."""
    if rating is None:
        return {}
    if hasattr(rating, "taxes") and hasattr(rating, "eligible"):  # ProductRating
        if not rating.eligible:
            raise PolicyError(_("No se puede tarificar el riesgo con este producto: %s") % rating.decline_reason,
                              code="policy_risk_declined", field="risk")
        taxes = rating.taxes
        return {"net_premium": rating.net_premium, "ips": taxes.ips, "consorcio": taxes.consorcio,
                "clea": taxes.clea, "total_premium": rating.total_premium}
    get = rating.get if isinstance(rating, dict) else (lambda name, default=None: getattr(rating, name, default))
    values = {name: money(Decimal(str(get(name) or 0))) for name in ("net_premium", "ips", "consorcio", "clea")}
    total = get("total_premium")
    values["total_premium"] = money(Decimal(str(total))) if total not in (None, "") else (
        values["net_premium"] + values["ips"] + values["consorcio"] + values["clea"])
    return values


def _rate(*, product, risk: dict, on_date: datetime.date) -> dict:
    return _premiums(rate_product(product=product, risk=risk, on_date=on_date))


def _summary(spec, risk: dict) -> str:
    try:
        return str(spec.summary(risk))[:300]
    except Exception:  # a line's summary must never block placing the policy
        return ""


def _sum_insured(spec, risk: dict):
    value = spec.sum_insured(risk)
    return money(value) if value is not None else None


def _add_version(policy: Policy, *, actor, kind: str, effective_date: datetime.date, reason: str = "",
                 risk: dict, insured, beneficiaries, coverages, premiums: dict, spec=None,
                 summary: str | None = None, sum_insured=None) -> PolicyVersion:
    """Appends the next version and makes it the current one (denormalised fields updated)."""
    spec = spec or get_line(policy.line.code)
    last = policy.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PolicyVersion.objects.create(
        policy=policy, number=last + 1, kind=kind, effective_date=effective_date, reason=str(reason or "")[:300],
        risk_data=json_safe(risk), risk_summary=summary if summary is not None else _summary(spec, risk),
        insured=json_safe(list(insured or [])), beneficiaries=json_safe(list(beneficiaries or [])),
        coverages=json_safe(list(coverages or [])),
        sum_insured=sum_insured if sum_insured is not None else _sum_insured(spec, risk),
        created_by=_actor(actor), **{name: premiums.get(name, Decimal("0")) for name in PREMIUM_FIELDS},
    )
    policy.current_version = version
    policy.risk_summary = version.risk_summary
    policy.net_premium = version.net_premium
    policy.total_premium = version.total_premium
    return version


def _copy_version(policy: Policy, *, actor, kind: str, effective_date: datetime.date, reason: str) -> PolicyVersion:
    """A version repeating the current snapshot (cancellation, reactivation)."""
    current = policy.current_version
    return _add_version(policy, actor=actor, kind=kind, effective_date=effective_date, reason=reason,
                        risk=current.risk_data, insured=current.insured, beneficiaries=current.beneficiaries,
                        coverages=current.coverages, summary=current.risk_summary, sum_insured=current.sum_insured,
                        premiums={name: getattr(current, name) for name in PREMIUM_FIELDS})


def _require_date(value, field: str, message: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise PolicyError(message, field=field, code="policy_date_required")
    return value


def _check_number_free(*, insurer, number: str, renewal_of=None) -> None:
    """Refuses a number another contract holds at the insurer. A renewal keeping its predecessor's
    number may repeat it (its own chain only). The check holds a transaction-scoped advisory lock on
    (insurer, number), so two concurrent placements of one number cannot both pass it (the unique
    constraint is per start date, so it alone would not stop them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                       [insurer.pk % 2**31, zlib.crc32(number.upper().encode()) % 2**31])
    taken = Policy.objects.filter(insurer=insurer, number=number)
    if renewal_of is not None and number == renewal_of.number:
        chain, link = [], renewal_of
        while link is not None and len(chain) < 100:
            chain.append(link.pk)
            link = link.renewal_of
        taken = taken.exclude(pk__in=chain)
    if taken.exists():
        raise PolicyError(
            _("Ya existe una póliza con el número %(number)s en %(insurer)s.") % {"number": number,
                                                                                  "insurer": insurer.name},
            field="number", code="policy_number_taken")


# --- Placing a policy ---------------------------------------------------------------------------

@transaction.atomic
def policy_create(*, actor, insurer, number: str, product, policyholder, start_date: datetime.date,
                  term_months: int = 12, payment_frequency: str, payment_method: str, risk: dict,
                  insured: list | None = None, beneficiaries: list | None = None, coverages: list | None = None,
                  rating=None, quote=None, issue: bool = True, notes: str = "",
                  _renewal_of: Policy | None = None, _version_kind: str = VersionKind.ISSUE) -> Policy:
    """Places a policy: validates everything first (nothing is saved on any error), rates the risk
    with the product's tariff in force on `start_date` unless `rating` is given (a ProductRating, a
    QuoteOption or a dict with net_premium, ips, consorcio, clea, total_premium), writes version 1
    and leaves the policy in force (issue=True) or as a draft.

    Raises ValidationError keyed by risk field ("plate", "members-0-birth_date") for a bad risk,
    PolicyError (with `field`) for the rest: duplicate number at the insurer, product of another
    insurer, declined risk, bad dates, frequency or method."""
    if insurer is None:
        raise PolicyError(_("Indique la compañía."), field="insurer")
    if product is None:
        raise PolicyError(_("Indique el producto."), field="product")
    if product.insurer_id != insurer.pk:
        raise PolicyError(_("El producto «%(product)s» no es de %(insurer)s.") % {
            "product": product.name, "insurer": insurer.name}, field="product", code="policy_product_insurer")
    if policyholder is None:
        raise PolicyError(_("Indique el tomador de la póliza."), field="policyholder")
    number = (number or "").strip()
    if not number:
        raise PolicyError(_("Indique el número de póliza que ha dado la compañía."), field="number")
    if len(number) > 40:
        raise PolicyError(_("El número de póliza no puede superar 40 caracteres."), field="number")
    start_date = _require_date(start_date, "start_date", _("Indique la fecha de efecto."))
    try:
        term_months = int(term_months)
    except (TypeError, ValueError):
        term_months = 0
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        raise PolicyError(_("La duración debe estar entre 1 y %d meses.") % MAX_TERM_MONTHS, field="term_months")
    if payment_frequency not in PaymentFrequency.values:
        raise PolicyError(_("Fraccionamiento desconocido: «%s».") % payment_frequency, field="payment_frequency")
    if payment_method not in PaymentMethod.values:
        raise PolicyError(_("Forma de cobro desconocida: «%s».") % payment_method, field="payment_method")
    expiry = policy_expiry(start_date, term_months)
    if start_date > expiry:
        raise PolicyError(_("La fecha de efecto (%(start)s) es posterior al vencimiento (%(expiry)s).") % {
            "start": _date(start_date), "expiry": _date(expiry)}, field="start_date")
    line_code = product.line.code
    spec = get_line(line_code)
    data = risk_validate(line_code=line_code, raw=risk)
    _check_number_free(insurer=insurer, number=number, renewal_of=_renewal_of)
    premiums = _premiums(rating) if rating is not None else _rate(product=product, risk=data, on_date=start_date)

    policy = Policy(insurer=insurer, number=number, product=product, line=product.line, policyholder=policyholder,
                    state=PolicyState.DRAFT, start_date=start_date, term_months=term_months, expiry_date=expiry,
                    payment_frequency=payment_frequency, payment_method=payment_method, quote=quote,
                    renewal_of=_renewal_of, notes=notes or "", created_by=_actor(actor), updated_by=_actor(actor))
    try:
        policy.full_clean(exclude=["current_version", "quote", "renewal_of"], validate_constraints=False)
        with transaction.atomic():
            policy.save(force_insert=True)
    except IntegrityError:
        _check_number_free(insurer=insurer, number=number, renewal_of=_renewal_of)
        raise
    version = _add_version(
        policy, actor=actor, kind=_version_kind, effective_date=start_date, reason="", risk=data, spec=spec,
        insured=insured if insured is not None else spec.insured(data),
        beneficiaries=beneficiaries if beneficiaries is not None else spec.beneficiaries(data),
        coverages=coverages if coverages is not None else coverages_snapshot(product), premiums=premiums)
    policy.save(update_fields=["current_version", "risk_summary", "net_premium", "total_premium"])
    PolicyStateChange.objects.create(policy=policy, from_state="", to_state=PolicyState.DRAFT,
                                     effective_date=start_date,
                                     reason=_("Alta"), created_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=policy, changes={
        "number": [None, number], "insurer": [None, insurer.pk], "product": [None, product.pk],
        "policyholder": [None, policyholder.pk], "start_date": [None, start_date.isoformat()],
        "expiry_date": [None, expiry.isoformat()], "term_months": [None, term_months],
        "payment_frequency": [None, payment_frequency], "payment_method": [None, payment_method],
        "risk_summary": [None, version.risk_summary], "net_premium": [None, str(version.net_premium)],
        "total_premium": [None, str(version.total_premium)],
        **({"quote": [None, quote.pk]} if quote is not None else {}),
        **({"renewal_of": [None, _renewal_of.pk]} if _renewal_of is not None else {}),
    })
    publish("insurance.policy.created", pk=policy.pk, number=policy.number)
    if issue:
        _change_state(policy, actor=actor, to_state=PolicyState.IN_FORCE, effective_date=start_date,
                      verb="policy_issue")
    return policy


@transaction.atomic
def policy_create_from_quote(*, actor, quote, option, number: str, start_date: datetime.date,
                             payment_frequency: str, payment_method: str, term_months: int = 12,
                             issue: bool = True, notes: str = "") -> Policy:
    """The policy for an accepted quote option: the option's product, premiums and coverages, the
    quote's risk and client. The quote itself is not touched (services.quotes does that)."""
    product = option.product
    if option.quote_id != quote.pk:
        raise PolicyError(_("La opción elegida no pertenece al proyecto %s.") % quote.number, field="option")
    if not option.eligible:
        raise PolicyError(_("La opción de %(insurer)s no es tarificable (%(reason)s).") % {
            "insurer": product.insurer.name, "reason": option.decline_reason}, field="option")
    return policy_create(actor=actor, insurer=product.insurer, number=number, product=product,
                         policyholder=quote.client, start_date=start_date, term_months=term_months,
                         payment_frequency=payment_frequency, payment_method=payment_method, risk=quote.risk_data,
                         coverages=option.coverages if option.coverages else None, rating=option, quote=quote,
                         issue=issue, notes=notes)


# --- State machine ------------------------------------------------------------------------------

@transaction.atomic
def policy_issue(*, actor, policy) -> Policy:
    """draft -> in_force, effective on the start date."""
    policy = _locked(policy)
    return _change_state(policy, actor=actor, to_state=PolicyState.IN_FORCE, effective_date=policy.start_date,
                         verb="policy_issue")


def _within_term(policy, when: datetime.date, field: str = "effective_date") -> None:
    if when < policy.start_date or when > policy.expiry_date:
        raise PolicyError(_("La fecha %(date)s está fuera del periodo de la póliza (%(start)s – %(expiry)s).") % {
            "date": _date(when), "start": _date(policy.start_date), "expiry": _date(policy.expiry_date)},
            field=field, code="policy_date_out_of_term")


@transaction.atomic
def policy_suspend(*, actor, policy, effective_date: datetime.date | None = None, reason: str = "") -> Policy:
    """in_force -> suspended (cover suspended, e.g. a later premium unpaid one month: LCS art. 15)."""
    policy = _locked(policy)
    check_transition(policy, PolicyState.SUSPENDED)
    when = effective_date or timezone.localdate()
    _within_term(policy, when)
    return _change_state(policy, actor=actor, to_state=PolicyState.SUSPENDED, effective_date=when, reason=reason,
                         verb="policy_suspend")


@transaction.atomic
def policy_resume(*, actor, policy, effective_date: datetime.date | None = None, reason: str = "") -> Policy:
    """suspended -> in_force (cover resumes, e.g. 24 h after the premium is paid)."""
    policy = _locked(policy)
    check_transition(policy, PolicyState.IN_FORCE)
    if policy.state != PolicyState.SUSPENDED:
        raise PolicyError(_("Solo se reanuda una póliza suspendida."), code="policy_invalid_transition", status=409)
    when = effective_date or timezone.localdate()
    _within_term(policy, when)
    return _change_state(policy, actor=actor, to_state=PolicyState.IN_FORCE, effective_date=when, reason=reason,
                         verb="policy_resume")


@transaction.atomic
def policy_cancel(*, actor, policy, effective_date: datetime.date, reason: str, notes: str = "") -> Policy:
    """Cancellation (anulación) with a CancellationReason and its effective date: a cancellation
    version is added and the policy keeps cancellation_date/reason. A draft may be cancelled on
    any date up to the expiry; a policy in force or suspended within its period."""
    policy = _locked(policy)
    check_transition(policy, PolicyState.CANCELLED)
    if reason not in CancellationReason.values:
        raise PolicyError(_("Indique el motivo de anulación."), field="reason", code="policy_cancel_reason")
    effective_date = _require_date(effective_date, "effective_date", _("Indique la fecha de efecto de la anulación."))
    if policy.state == PolicyState.DRAFT:
        if effective_date > policy.expiry_date:
            _within_term(policy, effective_date)
    else:
        _within_term(policy, effective_date)
        last_version = policy.current_version
        if last_version is not None and effective_date < last_version.effective_date:
            raise PolicyError(_("La anulación no puede ser anterior a la última versión (v%(number)s, en vigor desde "
                                "el %(date)s).") % {"number": last_version.number,
                                                    "date": _date(last_version.effective_date)},
                              field="effective_date", code="policy_date_before_version")
    label = CancellationReason(reason).label
    version = _copy_version(policy, actor=actor, kind=VersionKind.CANCELLATION, effective_date=effective_date,
                            reason=f"{label}. {notes}".strip() if notes else str(label))
    if notes:
        policy.notes = (policy.notes + "\n" if policy.notes else "") + _("Anulación: %s") % notes
    return _change_state(policy, actor=actor, to_state=PolicyState.CANCELLED, effective_date=effective_date,
                         reason=label, verb="policy_cancel", extra={"version": [None, version.number]},
                         cancellation_date=effective_date, cancellation_reason=reason)


def reactivation_refusal(policy, effective_date: datetime.date) -> str:
    """Why `policy` cannot be reactivated on `effective_date` ("" when it can). See module doc."""
    if policy.state != PolicyState.CANCELLED:
        return _("Solo se rehabilita una póliza anulada.")
    if policy.cancellation_reason not in REACTIVABLE_REASONS:
        return _("Una póliza anulada por «%(reason)s» no se puede rehabilitar: solo las anuladas por impago o a "
                 "petición del tomador.") % {"reason": policy.get_cancellation_reason_display() or _("sin motivo")}
    last = policy.state_changes.filter(to_state=PolicyState.CANCELLED).order_by("-created_at", "-pk").first()
    if last is not None and last.from_state == PolicyState.DRAFT:
        return _("La póliza se anuló sin llegar a emitirse: no se rehabilita, dé de alta una nueva.")
    limit = min(add_months(policy.cancellation_date, REACTIVATION_MONTHS), policy.expiry_date)
    if effective_date < policy.cancellation_date:
        return _("La rehabilitación no puede ser anterior a la anulación (%s).") % _date(policy.cancellation_date)
    if effective_date > limit:
        return _("Ya no se puede rehabilitar: el plazo terminó el %(limit)s (seis meses desde la anulación del "
                 "%(date)s, y nunca después del vencimiento).") % {"limit": _date(limit),
                                                                  "date": _date(policy.cancellation_date)}
    return ""


@transaction.atomic
def policy_reactivate(*, actor, policy, effective_date: datetime.date | None = None, reason: str = "") -> Policy:
    """cancelled -> in_force (rehabilitación), only where reactivation_refusal() allows it."""
    policy = _locked(policy)
    when = effective_date or timezone.localdate()
    refusal = reactivation_refusal(policy, when)
    if refusal:
        raise PolicyError(refusal, code="policy_reactivation_refused", status=409, field="effective_date"
                          if policy.state == PolicyState.CANCELLED and policy.cancellation_reason in REACTIVABLE_REASONS
                          else None)
    cancelled_on = policy.cancellation_date
    version = _copy_version(policy, actor=actor, kind=VersionKind.REACTIVATION, effective_date=when,
                            reason=reason or _("Rehabilitación"))
    return _change_state(policy, actor=actor, to_state=PolicyState.IN_FORCE, effective_date=when, reason=reason,
                         verb="policy_reactivate",
                         extra={"version": [None, version.number],
                                "cancellation_date": [cancelled_on.isoformat(), None]},
                         cancellation_date=None, cancellation_reason="")


def cancelled_periods(policy) -> list[tuple[datetime.date, datetime.date | None]]:
    """[from, to) periods the policy was cancelled (to=None: still cancelled), from its state history."""
    periods, opened = [], None
    for change in policy.state_changes.order_by("created_at", "pk"):
        if change.to_state == PolicyState.CANCELLED:
            opened = change.effective_date
        elif opened is not None and change.from_state == PolicyState.CANCELLED:
            periods.append((opened, change.effective_date))
            opened = None
    if opened is not None:
        periods.append((opened, None))
    return periods


@transaction.atomic
def policy_expire(*, actor, policy, today: datetime.date | None = None) -> Policy:
    """in_force/suspended -> expired once the expiry date has passed without a renewal."""
    policy = _locked(policy)
    today = today or timezone.localdate()
    check_transition(policy, PolicyState.EXPIRED)
    if policy.expiry_date >= today:
        raise PolicyError(_("La póliza %(number)s vence el %(date)s: aún no puede darse por vencida.") % {
            "number": policy.number, "date": _date(policy.expiry_date)}, code="policy_not_due", status=409)
    if Policy.objects.filter(renewal_of=policy).exists():
        raise PolicyError(_("La póliza %s ya tiene renovación.") % policy.number, code="policy_renewed", status=409)
    return _change_state(policy, actor=actor, to_state=PolicyState.EXPIRED, effective_date=policy.expiry_date + ONE_DAY,
                         verb="policy_expire")


def policies_due_to_expire(today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Policy.objects.filter(state__in=ENDORSABLE_STATES, expiry_date__lt=today, renewed_by__isnull=True)


def policies_expire_due(*, actor=None, today: datetime.date | None = None, limit: int | None = None) -> int:
    """Expires every policy in force or suspended past its expiry without renewal (one transaction
    each, so one failure does not stop the rest). Returns how many expired."""
    today = today or timezone.localdate()
    ids = list(policies_due_to_expire(today).order_by("expiry_date", "pk").values_list("pk", flat=True)[:limit])
    done = 0
    for pk in ids:
        try:
            policy_expire(actor=actor, policy=pk, today=today)
            done += 1
        except DomainError:
            continue
    return done


@transaction.atomic
def policy_renew(*, actor, policy, number: str | None = None, rerate: bool = True,
                 term_months: int | None = None, notes: str = "", premiums: dict | None = None) -> Policy:
    """A new policy for the next period: starts the day after the expiry, same term (unless
    given), product, policyholder, payment terms and current risk; same number unless another is
    given. Premiums: rated with the tariff in force on the new start (rerate) or the current ones.
    Explicit `premiums` (net_premium, ips, consorcio, clea[, total_premium]: e.g. the insurer's
    update accepted in the renewal portfolio) win over both.
    The new policy is in force (version 1 kind renewal); the old one becomes «renewed»."""
    policy = _locked(policy)
    check_transition(policy, PolicyState.RENEWED)
    if Policy.objects.filter(renewal_of=policy).exists():
        raise PolicyError(_("La póliza %s ya tiene renovación.") % policy.number, code="policy_renewed", status=409)
    current = policy.current_version
    start = policy.expiry_date + ONE_DAY
    number = (number or "").strip() or policy.number
    if premiums is not None:
        premiums = _premiums(premiums)
    elif not rerate:
        premiums = {name: getattr(current, name) for name in PREMIUM_FIELDS}
    renewal = policy_create(
        actor=actor, insurer=policy.insurer, number=number, product=policy.product, policyholder=policy.policyholder,
        start_date=start, term_months=term_months or policy.term_months, payment_frequency=policy.payment_frequency,
        payment_method=policy.payment_method, risk=current.risk_data, insured=current.insured,
        beneficiaries=current.beneficiaries,
        coverages=coverages_snapshot(policy.product) if rerate and premiums is None else current.coverages,
        rating=premiums, issue=True, notes=notes, _renewal_of=policy, _version_kind=VersionKind.RENEWAL)
    _change_state(policy, actor=actor, to_state=PolicyState.RENEWED, effective_date=start, verb="policy_renew",
                  extra={"renovacion": [None, f"{renewal.number} ({_date(renewal.start_date)})"]})
    return renewal


@transaction.atomic
def policy_set_tacit_renewal(*, actor, policy, value: bool, reason: str = "") -> Policy:
    """Turns tacit renewal on or off (e.g. off when the client or the broker decides not to renew)."""
    policy = _locked(policy)
    if policy.tacit_renewal == bool(value):
        return policy
    policy.tacit_renewal = bool(value)
    policy.updated_by = _actor(actor)
    policy.version += 1
    policy.save(update_fields=["tacit_renewal", "updated_by", "version", "updated_at"])
    audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=policy,
                       changes={"tacit_renewal": [not value, bool(value)],
                                **({"motivo": [None, str(reason)]} if reason else {})})
    publish("insurance.policy.updated", pk=policy.pk, number=policy.number)
    return policy


def validation_error_from(error: PolicyError) -> ValidationError:
    """A PolicyError as a form/serializer ValidationError keyed by its field."""
    return ValidationError({error.field or "__all__": [error.message]})


def policy_endorse(**kwargs):
    """An endorsement: see services.endorsements.policy_endorse (there to keep this module short)."""
    from apps.insurance.services.endorsements import policy_endorse as endorse

    return endorse(**kwargs)
