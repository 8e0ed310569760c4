"""The renewal portfolio (cartera de renovaciones).

A daily beat job (renewals_build) prepares one RenewalProposal per policy in force or suspended
that expires within RenewalSettings.days_before (default 60) and has neither a proposal nor a
renewal yet: current premiums, the proposed premium (re-rated with the tariff in force on the new
start date = expiry + 1 day, taxes included; the same premium, with a note saying why, when the
product declines the risk or has no tariff) and the owner (the policyholder's account manager),
who gets one notification per run summarising how many are due.

A person then decides each proposal: the insurer's update (renewal_set_premium), confirmation
(renewal_confirm: policy_renew with the proposal's premiums; the new policy's receipts come from
the policy_issue hook) or non-renewal with its reason (renewal_decline). A decided proposal is
final: deciding it again, or confirming a proposal whose policy was already renewed elsewhere, is
refused (409) with nothing written. A policy renewed outside the portfolio (its page, the policies
API) has its pending proposal marked renewed too (policy_renew hook). renewals_confirm_many
confirms in chunks, one transaction per chunk (the Celery task renewals_confirm_chunk and the
insurance_renewals_confirm command use it).
"""
import datetime
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import DomainError
from apps.core.events import publish
from apps.insurance.choices import NonRenewalReason, PolicyState, RenewalPremiumSource, RenewalState
from apps.insurance.models import Policy, RenewalProposal, RenewalSettings, Tariff
from apps.insurance.rating import TariffTable, money, premium_taxes
from apps.insurance.services.hooks import policy_hook_register
from apps.insurance.services.policies import PREMIUM_FIELDS, policy_renew, policy_set_tacit_renewal
from apps.insurance.services.rating import rate_product, tariff_in_force
from apps.insurance.services.risks import risk_validate

ONE_DAY = datetime.timedelta(days=1)
BUILD_BATCH = 500
CONFIRM_CHUNK = 1000
MAX_DAYS_BEFORE = 365
RENEWABLE_STATES = (PolicyState.IN_FORCE, PolicyState.SUSPENDED)


class RenewalError(DomainError):
    code = "renewal_error"


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


# --- Settings -------------------------------------------------------------------------------------

def renewal_settings() -> RenewalSettings:
    """The brokerage's single settings row (created with the defaults the first time)."""
    row = RenewalSettings.objects.order_by("pk").first()
    return row if row is not None else RenewalSettings.objects.create()


@transaction.atomic
def renewal_settings_update(*, actor, days_before: int, rerate_by_default: bool | None = None) -> RenewalSettings:
    try:
        days_before = int(days_before)
    except (TypeError, ValueError):
        days_before = 0
    if not 1 <= days_before <= MAX_DAYS_BEFORE:
        raise RenewalError(_("Los días de antelación deben estar entre 1 y %d.") % MAX_DAYS_BEFORE,
                           field="days_before", code="renewal_days_before")
    row = RenewalSettings.objects.select_for_update().get(pk=renewal_settings().pk)
    changes = {}
    if row.days_before != days_before:
        changes["days_before"] = [row.days_before, days_before]
        row.days_before = days_before
    if rerate_by_default is not None and row.rerate_by_default != bool(rerate_by_default):
        changes["rerate_by_default"] = [row.rerate_by_default, bool(rerate_by_default)]
        row.rerate_by_default = bool(rerate_by_default)
    if changes:
        row.save()
        audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=row, changes=changes,
                           verb="renewal_settings_update")
        publish("insurance.renewal_settings.updated", pk=row.pk, days_before=row.days_before)
    return row


# --- Building the portfolio -----------------------------------------------------------------------

def policies_due_for_renewal(*, today: datetime.date, days_before: int):
    """Policies in force or suspended expiring on or before today + days_before, not cancelled,
    without a proposal and without a renewal."""
    return Policy.objects.filter(state__in=RENEWABLE_STATES, expiry_date__lte=today + datetime.timedelta(days_before),
                                 cancellation_date__isnull=True, renewal_proposal__isnull=True,
                                 renewed_by__isnull=True)


class _Rater:
    """Rates many policies with few queries: tariffs (with factors) loaded once per product."""

    def __init__(self, product_ids):
        self.tariffs = defaultdict(list)
        factors = Prefetch("factors")
        for tariff in Tariff.objects.filter(product_id__in=product_ids).prefetch_related(factors):
            self.tariffs[tariff.product_id].append(tariff)
        self.tables = {}

    def table(self, product, on_date):
        tariff = tariff_in_force(product, on_date, tariffs=self.tariffs.get(product.pk, []))
        if tariff is None:
            return None
        if tariff.pk not in self.tables:
            self.tables[tariff.pk] = TariffTable(tariff, factors=list(tariff.factors.all()))
        return self.tables[tariff.pk]

    def propose(self, policy, on_date) -> tuple[str, dict, str]:
        """(source, premiums, note): RERATE with the tariff in force, or SAME and why not."""
        table = self.table(policy.product, on_date)
        if table is None:
            return RenewalPremiumSource.SAME, {}, _("El producto no tiene tarifa en vigor el %s: se propone la "
                                                   "misma prima.") % _date(on_date)
        try:
            risk = risk_validate(line_code=policy.line.code, raw=policy.current_version.risk_data)
        except (ValidationError, LookupError):
            return RenewalPremiumSource.SAME, {}, _("El riesgo ya no es válido para la tarifa del ramo: se propone "
                                                   "la misma prima.")
        rating = rate_product(product=policy.product, risk=risk, on_date=on_date, tariff=table)
        if not rating.eligible:
            return RenewalPremiumSource.SAME, {}, (_("La compañía no acepta el riesgo con la tarifa en vigor (%s): "
                                                     "se propone la misma prima.") % rating.decline_reason)[:300]
        taxes = rating.taxes
        return RenewalPremiumSource.RERATE, {"net_premium": rating.net_premium, "ips": taxes.ips,
                                             "consorcio": taxes.consorcio, "clea": taxes.clea,
                                             "total_premium": rating.total_premium}, ""


def _proposal_for(policy, rater: _Rater | None, actor) -> RenewalProposal:
    current = policy.current_version
    same = {name: getattr(current, name) if current else getattr(policy, name, Decimal("0"))
            for name in PREMIUM_FIELDS}
    if rater is None:
        source, premiums, note = RenewalPremiumSource.SAME, {}, ""
    else:
        source, premiums, note = rater.propose(policy, policy.expiry_date + ONE_DAY)
    premiums = premiums or same
    return RenewalProposal(
        policy=policy, expiry_date=policy.expiry_date, owner_id=policy.policyholder.account_manager_id,
        state=RenewalState.PENDING, current_net_premium=policy.net_premium,
        current_total_premium=policy.total_premium, premium_source=source, rating_note=note[:300],
        proposed_net_premium=premiums["net_premium"], proposed_ips=premiums["ips"],
        proposed_consorcio=premiums["consorcio"], proposed_clea=premiums["clea"],
        proposed_total_premium=premiums["total_premium"], created_by=_actor(actor), updated_by=_actor(actor))


def _notify_owners() -> int:
    """One notification per owner with proposals nobody told them about yet."""
    from apps.notifications.services.notifications import notification_send

    pending = (RenewalProposal.objects.filter(state=RenewalState.PENDING, notified_at__isnull=True,
                                              owner__isnull=False)
               .select_related("owner").order_by("owner_id", "expiry_date"))
    by_owner = defaultdict(list)
    for proposal in pending:
        by_owner[proposal.owner].append(proposal)
    url = reverse("insurance:renewal-list")
    for owner, proposals in by_owner.items():
        count, first = len(proposals), proposals[0].expiry_date
        notification_send(
            recipient=owner, kind="renewal",
            title=ngettext("%(count)d póliza para renovar", "%(count)d pólizas para renovar", count) % {"count": count},
            body=_("Nuevas propuestas de renovación en su cartera; el primer vencimiento es el %(date)s.") % {
                "date": _date(first)},
            url=f"{url}?mes={first:%Y-%m}")
    RenewalProposal.objects.filter(pk__in=[p.pk for ps in by_owner.values() for p in ps]).update(
        notified_at=timezone.now())
    return len(by_owner)


@transaction.atomic
def renewals_build(*, actor=None, today: datetime.date | None = None) -> int:
    """Creates the proposals due today (see module doc); returns how many. Idempotent: a policy
    gets one proposal ever (OneToOne), a second run finds nothing new."""
    today = today or timezone.localdate()
    with connection.cursor() as cursor:  # two runs at once (beat + the API button) take turns
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"renewals_build:{connection.schema_name}"])
    settings = renewal_settings()
    due = (policies_due_for_renewal(today=today, days_before=settings.days_before)
           .select_related("product__line", "line", "policyholder", "current_version"))
    created = 0
    last_pk = 0
    while True:
        batch = list(due.filter(pk__gt=last_pk).order_by("pk")[:BUILD_BATCH])
        if not batch:
            break
        last_pk = batch[-1].pk
        rater = _Rater({policy.product_id for policy in batch}) if settings.rerate_by_default else None
        proposals = [_proposal_for(policy, rater, actor) for policy in batch]
        RenewalProposal.objects.bulk_create(proposals, batch_size=BUILD_BATCH)
        created += len(proposals)
    notified = _notify_owners()
    if created:
        audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="renewals_build", changes={
            "propuestas": [None, created], "dias_de_antelacion": [None, settings.days_before],
            "fecha": [None, today.isoformat()], "avisados": [None, notified]})
        publish("insurance.renewals.built", created=created, today=today.isoformat())
    return created


# --- Deciding a proposal ---------------------------------------------------------------------------

def _locked(proposal) -> RenewalProposal:
    pk = getattr(proposal, "pk", proposal)
    return (RenewalProposal.objects.select_for_update(of=("self",))
            .select_related("policy", "policy__line", "policy__current_version").get(pk=pk))


def _require_pending(proposal: RenewalProposal) -> None:
    if proposal.state != RenewalState.PENDING:
        raise RenewalError(_("La renovación de la póliza %(number)s ya está decidida («%(state)s»).") % {
            "number": proposal.policy.number, "state": RenewalState(proposal.state).label},
            code="renewal_already_decided", status=409)


def _money_or_error(value, field: str) -> Decimal:
    try:
        amount = money(Decimal(str(value)))
    except (InvalidOperation, TypeError, ValueError):
        amount = Decimal("0")
    if amount <= 0:
        raise RenewalError(_("La prima neta debe ser mayor que cero."), field=field, code="renewal_premium_invalid")
    return amount


@transaction.atomic
def renewal_set_premium(*, actor, proposal, net_premium, source: str = RenewalPremiumSource.INSURER,
                        notes: str = "") -> RenewalProposal:
    """The insurer's update (or a premium agreed by hand): taxes recomputed for the line."""
    proposal = _locked(proposal)
    _require_pending(proposal)
    if source not in RenewalPremiumSource.values:
        raise RenewalError(_("Origen de la prima desconocido: «%s».") % source, field="source")
    net = _money_or_error(net_premium, "net_premium")
    policy = proposal.policy
    sum_insured = policy.current_version.sum_insured if policy.current_version else None
    taxes = premium_taxes(line=policy.line, net_premium=net, sum_insured=sum_insured)
    before = [str(proposal.proposed_net_premium), str(proposal.proposed_total_premium), proposal.premium_source]
    proposal.premium_source = source
    proposal.proposed_net_premium, proposal.proposed_ips = net, taxes.ips
    proposal.proposed_consorcio, proposal.proposed_clea = taxes.consorcio, taxes.clea
    proposal.proposed_total_premium = net + taxes.total
    proposal.rating_note = ""
    if notes:
        proposal.notes = (proposal.notes + "\n" if proposal.notes else "") + notes
    proposal.updated_by = _actor(actor)
    proposal.version += 1
    proposal.save()
    audit_event_record(actor=_actor(actor), action=AuditAction.UPDATE, obj=proposal, verb="renewal_set_premium",
                       changes={"proposed_net_premium": [before[0], str(net)],
                                "proposed_total_premium": [before[1], str(proposal.proposed_total_premium)],
                                "premium_source": [before[2], source]})
    publish("insurance.renewal.premium_set", pk=proposal.pk, policy=policy.pk,
            total_premium=str(proposal.proposed_total_premium))
    return proposal


def _decided(proposal: RenewalProposal, actor, state: str) -> None:
    proposal.state = state
    proposal.decided_at = timezone.now()
    proposal.decided_by = _actor(actor)
    proposal.updated_by = _actor(actor)
    proposal.version += 1


@transaction.atomic
def renewal_confirm(*, actor, proposal, number: str | None = None) -> Policy:
    """Renews the policy with the proposal's premiums; returns the new policy. The proposal is
    marked renewed by the policy_renew hook below (the same that marks it when the policy is
    renewed from its own page or the policies API)."""
    proposal = _locked(proposal)
    _require_pending(proposal)
    policy = proposal.policy
    if Policy.objects.filter(renewal_of=policy).exists() or policy.state == PolicyState.RENEWED:
        raise RenewalError(_("La póliza %s ya está renovada.") % policy.number, code="renewal_policy_renewed",
                           status=409)
    premiums = {"net_premium": proposal.proposed_net_premium, "ips": proposal.proposed_ips,
                "consorcio": proposal.proposed_consorcio, "clea": proposal.proposed_clea,
                "total_premium": proposal.proposed_total_premium}
    renewal = policy_renew(actor=actor, policy=policy, number=number, premiums=premiums)
    _mark_renewed(policy=policy, actor=actor, renewal=renewal)  # no-op when the hook already did it
    return renewal


def _mark_renewed(*, policy, actor, renewal=None) -> None:
    """The policy's pending proposal (if any) becomes RENEWED with its new policy."""
    proposal = (RenewalProposal.objects.select_for_update(of=("self",))
                .filter(policy=policy, state=RenewalState.PENDING).first())
    renewal = renewal or Policy.objects.filter(renewal_of=policy).first()
    if proposal is None or renewal is None:
        return
    _decided(proposal, actor, RenewalState.RENEWED)
    proposal.renewed_policy = renewal
    proposal.save()
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, obj=proposal, verb="renewal_confirm",
                       changes={"state": [RenewalState.PENDING, RenewalState.RENEWED],
                                "renewed_policy": [None, f"{renewal.number} ({_date(renewal.start_date)})"],
                                "total_premium": [str(proposal.current_total_premium),
                                                  str(renewal.total_premium)]})
    publish("insurance.renewal.confirmed", pk=proposal.pk, policy=policy.pk, renewed_policy=renewal.pk)


def _on_policy_renew(*, actor, policy, **_kwargs) -> None:
    _mark_renewed(policy=policy, actor=actor)


policy_hook_register("policy_renew", _on_policy_renew)


@transaction.atomic
def renewal_decline(*, actor, proposal, reason: str, notes: str = "") -> RenewalProposal:
    """Non-renewal with its reason: the policy is left to expire on its date."""
    proposal = _locked(proposal)
    _require_pending(proposal)
    if reason not in NonRenewalReason.values:
        raise RenewalError(_("Indique el motivo de la no renovación."), field="reason",
                           code="renewal_reason_required")
    if reason == NonRenewalReason.OTHER and not (notes or "").strip():
        raise RenewalError(_("Explique el motivo en las observaciones."), field="notes",
                           code="renewal_notes_required")
    _decided(proposal, actor, RenewalState.NOT_RENEWED)
    proposal.non_renewal_reason = reason
    if notes:
        proposal.notes = (proposal.notes + "\n" if proposal.notes else "") + notes
    proposal.save()
    policy_set_tacit_renewal(actor=actor, policy=proposal.policy_id, value=False,
                             reason=NonRenewalReason(reason).label)
    audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, obj=proposal, verb="renewal_decline",
                       changes={"state": [RenewalState.PENDING, RenewalState.NOT_RENEWED],
                                "non_renewal_reason": [None, reason], **({"notes": [None, notes]} if notes else {})})
    publish("insurance.renewal.declined", pk=proposal.pk, policy=proposal.policy_id, reason=reason)
    return proposal


def renewals_confirm_many(*, actor, proposal_ids, chunk_size: int = CONFIRM_CHUNK) -> int:
    """Confirms many proposals, one transaction per chunk of `chunk_size`. Inside a chunk each
    confirmation is its own savepoint: a refused one (decided, already renewed, suspended policy)
    is skipped and the rest of the chunk commits. Returns how many were renewed."""
    ids = sorted({int(pk) for pk in proposal_ids})
    done = 0
    for start in range(0, len(ids), max(int(chunk_size), 1)):
        chunk = ids[start:start + chunk_size]
        with transaction.atomic():
            pending = (RenewalProposal.objects.filter(pk__in=chunk, state=RenewalState.PENDING)
                       .order_by("pk").values_list("pk", flat=True))
            for pk in list(pending):
                try:
                    renewal_confirm(actor=actor, proposal=pk)
                except (DomainError, ValidationError):
                    continue
                done += 1
    return done
