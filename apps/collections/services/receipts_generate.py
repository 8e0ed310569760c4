"""Receipts of a policy's term, one per period of its payment frequency.

Periods: PERIODS_PER_YEAR[frequency] = n per year, each 12/n months long; period i starts on
add_months(start, i × 12/n) (always counted from the policy start, so 31/01 quarterly gives
31/01, 01/05, 31/07, 31/10), ends the day before the next one, the last on the expiry date.
Amounts: the version's annual net, IPS, Consorcio and CLEA / n, rounded half-up per receipt; the
last receipt takes the remainder so the receipts add up exactly to the premium of the term
(the annual figures for a 12-month term, annual × months / 12 otherwise).
Commission terms: the agreement in force on the period start (the product's own, else the
insurer's general one); new-business % or renewal %; up-front agreements move a new-business
policy's first-year commission into one ADVANCE row (see services.commissions).

One machinery for one policy (the policy_issue hook) and for many (renewals, benchmarks): a
fixed number of queries per chunk whatever the number of policies.
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.collections.choices import PERIOD_KINDS
from apps.collections.choices import CommissionMovementKind as Kind
from apps.collections.choices import ReceiptCollector, ReceiptKind, ReceiptState
from apps.collections.models import CommissionMovement, CommissionShare, Receipt
from apps.collections.services.commissions import share_rows
from apps.core.events import publish
from apps.insurance.choices import PERIODS_PER_YEAR, CommissionEarnedOn, PaymentMethod
from apps.insurance.models import CommissionAgreement, Policy
from apps.insurance.rating import money
from apps.insurance.services.policy_dates import add_months

ONE_DAY = datetime.timedelta(days=1)
ZERO = Decimal("0.00")
AMOUNT_FIELDS = ("net_premium", "ips", "consorcio", "clea")
CHUNK = 500


@dataclass(frozen=True)
class PeriodPlan:
    index: int
    start: datetime.date
    end: datetime.date
    net_premium: Decimal
    ips: Decimal
    consorcio: Decimal
    clea: Decimal

    @property
    def total_premium(self) -> Decimal:
        return self.net_premium + self.ips + self.consorcio + self.clea


def policy_periods(policy) -> list[tuple[datetime.date, datetime.date]]:
    """[(period_start, period_end)] of the policy's term."""
    step = 12 // PERIODS_PER_YEAR[policy.payment_frequency]
    starts, index = [], 0
    while True:
        start = add_months(policy.start_date, index * step)
        if start > policy.expiry_date or (index and index * step >= policy.term_months):
            break
        starts.append(start)
        index += 1
    ends = [following - ONE_DAY for following in starts[1:]] + [policy.expiry_date]
    return list(zip(starts, ends, strict=True))


def period_plan(policy, version=None) -> list[PeriodPlan]:
    """The amounts each period of the term gets from `version` (default the current one)."""
    version = version or policy.current_version
    periods = policy_periods(policy)
    per_year = PERIODS_PER_YEAR[policy.payment_frequency]
    columns = {}
    for name in AMOUNT_FIELDS:
        annual = getattr(version, name)
        each = money(annual / per_year)
        term_total = annual if policy.term_months == 12 else money(annual * policy.term_months / 12)
        columns[name] = [each] * (len(periods) - 1) + [term_total - each * (len(periods) - 1)]
    return [PeriodPlan(index=i, start=start, end=end, **{name: columns[name][i] for name in AMOUNT_FIELDS})
            for i, (start, end) in enumerate(periods)]


# --- Commission terms -------------------------------------------------------------------------------

class AgreementBook:
    """The agreements of some insurers, read in one query, answering agreement_in_force's question
    (the product's own agreement with the latest valid_from ≤ date, else the insurer's general one)."""

    def __init__(self, insurer_ids, until: datetime.date):
        self.rows = list(CommissionAgreement.objects.filter(insurer_id__in=set(insurer_ids), valid_from__lte=until)
                         .order_by("-valid_from", "-pk"))

    def on(self, *, insurer_id, product_id, date: datetime.date) -> CommissionAgreement | None:
        general = None
        for row in self.rows:
            if row.insurer_id != insurer_id or row.valid_from > date:
                continue
            if row.product_id == product_id:
                return row
            if row.product_id is None and general is None:
                general = row
        return general


def commission_terms(agreement, *, renewal: bool, net: Decimal, upfront_ok: bool) -> tuple[Decimal, Decimal, Decimal]:
    """(rate, commission_amount, advance_offset) of a receipt with net premium `net`."""
    if agreement is None:
        return ZERO, ZERO, ZERO
    rate = agreement.renewal_pct if renewal else agreement.new_business_pct
    amount = money(net * rate / 100)
    if agreement.upfront and not renewal and upfront_ok:
        return rate, ZERO, amount
    return rate, amount, ZERO


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def receipt_number(policy, sequence: int) -> str:
    return f"{policy.number}/{sequence:03d}"


def collector_for(policy) -> str:
    return ReceiptCollector.INSURER if policy.payment_method == PaymentMethod.INSURER else ReceiptCollector.BROKER


def build_receipt(policy, *, sequence: int, kind: str, plan, agreement, rate, commission, advance, actor,
                  version=None, due_date: datetime.date | None = None, is_first: bool = False) -> Receipt:
    """An unsaved receipt of `policy` with the amounts of `plan` (a PeriodPlan or any object with
    start, end and the amount fields)."""
    return Receipt(
        policy=policy, sequence=sequence, number=receipt_number(policy, sequence), insurer_id=policy.insurer_id,
        line_id=policy.line_id, policyholder_id=policy.policyholder_id,
        policy_version=version or policy.current_version, kind=kind, is_first_premium=is_first,
        period_start=plan.start, period_end=plan.end, due_date=due_date or plan.start,
        net_premium=plan.net_premium, ips=plan.ips, consorcio=plan.consorcio, clea=plan.clea,
        total_premium=plan.net_premium + plan.ips + plan.consorcio + plan.clea, collector=collector_for(policy),
        state=ReceiptState.ISSUED, agreement=agreement, commission_rate=rate, commission_amount=commission,
        advance_offset=advance, created_by=_actor(actor), updated_by=_actor(actor))


def _generate(*, actor, policies: list) -> list[Receipt]:
    """Receipts for the periods of `policies` that have no live receipt; commission rows with them.
    Queries: existing receipts 1, agreements 1, receipts insert 1, shares 1, commission inserts ≤ 2."""
    policies = [p for p in policies if p.current_version_id]
    if not policies:
        return []
    existing, last_sequence = set(), {}
    for policy_id, start, sequence, kind, state in Receipt.objects.filter(policy__in=policies).values_list(
            "policy_id", "period_start", "sequence", "kind", "state"):
        last_sequence[policy_id] = max(last_sequence.get(policy_id, 0), sequence)
        if kind in PERIOD_KINDS and state != ReceiptState.CANCELLED:
            existing.add((policy_id, start))
    book = AgreementBook({p.insurer_id for p in policies}, max(p.expiry_date for p in policies))
    receipts = []
    for policy in policies:
        renewal = policy.renewal_of_id is not None
        first_year_end = add_months(policy.start_date, 12)
        sequence = last_sequence.get(policy.pk, 0)
        for plan in period_plan(policy):
            if (policy.pk, plan.start) in existing:
                continue
            agreement = book.on(insurer_id=policy.insurer_id, product_id=policy.product_id, date=plan.start)
            rate, commission, advance = commission_terms(agreement, renewal=renewal, net=plan.net_premium,
                                                         upfront_ok=plan.start < first_year_end)
            sequence += 1
            receipts.append(build_receipt(
                policy, sequence=sequence, kind=ReceiptKind.RENEWAL if renewal else ReceiptKind.NEW_BUSINESS,
                plan=plan, agreement=agreement, rate=rate, commission=commission, advance=advance, actor=actor,
                is_first=not renewal and plan.index == 0))
    Receipt.objects.bulk_create(receipts)
    _commission_rows(actor=actor, policies=policies, receipts=receipts)
    return receipts


def _commission_rows(*, actor, policies, receipts) -> None:
    """ADVANCE per up-front policy (its new receipts' offsets added up, dated the policy start) and
    EARNED per receipt of an earned-on-issue agreement; the collaborators' rows with them."""
    by_policy = {p.pk: p for p in policies}
    broker, advances = [], {}
    for receipt in receipts:
        if receipt.advance_offset:
            row = advances.setdefault(receipt.policy_id, CommissionMovement(
                policy_id=receipt.policy_id, insurer_id=receipt.insurer_id, kind=Kind.ADVANCE,
                date=by_policy[receipt.policy_id].start_date, base=ZERO, rate=receipt.commission_rate, amount=ZERO,
                description=_("Comisión anticipada de la primera anualidad de la póliza %s")
                % by_policy[receipt.policy_id].number, created_by=_actor(actor)))
            row.base += receipt.net_premium
            row.amount += receipt.advance_offset
        elif (receipt.commission_amount and receipt.agreement is not None
              and receipt.agreement.earned_on == CommissionEarnedOn.ISSUE):
            broker.append(CommissionMovement(
                receipt=receipt, policy_id=receipt.policy_id, insurer_id=receipt.insurer_id, kind=Kind.EARNED,
                date=receipt.due_date, base=receipt.net_premium, rate=receipt.commission_rate,
                amount=receipt.commission_amount, created_by=_actor(actor),
                description=_("Comisión del recibo %s (devengo a la emisión)") % receipt.number))
    broker += list(advances.values())
    if not broker:
        return
    CommissionMovement.objects.bulk_create(broker)
    shares = {}
    for share in CommissionShare.objects.filter(policy_id__in={row.policy_id for row in broker}):
        shares.setdefault(share.policy_id, []).append(share)
    collaborator_rows = [share for row in broker for share in share_rows(row, shares.get(row.policy_id, ()),
                                                                         actor=actor)]
    if collaborator_rows:
        CommissionMovement.objects.bulk_create(collaborator_rows)


@transaction.atomic
def receipts_for_policy_issue(*, actor, policy) -> list[Receipt]:
    """The receipts of an issued policy's term (see module doc). Idempotent."""
    policy = Policy.objects.select_related("current_version").get(pk=getattr(policy, "pk", policy))
    receipts = _generate(actor=actor, policies=[policy])
    if receipts:
        # No event of its own: it runs inside the policy's transaction, whose "issued" event tells.
        audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="receipts_generate", obj=policy,
                           changes={"recibos": [None, [r.number for r in receipts]]})
    return receipts


def receipts_generate_many(*, actor, policy_ids: list[int], chunk: int = CHUNK) -> int:
    """Receipts for many policies (same result as one by one), `chunk` policies per transaction
    with a fixed number of queries each. Returns how many receipts were written."""
    ids = list(dict.fromkeys(policy_ids))
    written = 0
    for offset in range(0, len(ids), chunk):
        written += _generate_chunk(actor=actor, policy_ids=ids[offset:offset + chunk])
    return written


@transaction.atomic
def _generate_chunk(*, actor, policy_ids: list[int]) -> int:
    policies = list(Policy.objects.select_related("current_version").filter(pk__in=policy_ids).order_by("pk"))
    receipts = _generate(actor=actor, policies=policies)
    if receipts:
        audit_event_record(actor=_actor(actor), action=AuditAction.ACTION, verb="receipts_generate", changes={
            "polizas": [None, len({r.policy_id for r in receipts})], "recibos": [None, len(receipts)]})
        publish("collections.receipts.generated", policies=sorted({r.policy_id for r in receipts}),
                count=len(receipts))
    return len(receipts)
