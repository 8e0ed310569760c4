"""Cover and unpaid premiums, art. 15 of the Ley de Contrato de Seguro.

- First premium unpaid: no cover; the insurer may cancel, and a claim before payment is not covered.
- A later premium unpaid: cover continues for one month after its due date (grace), then it is
  suspended; the contract ends if the insurer does not claim the premium within six months.
- Paid while suspended: cover resumes 24 hours after the payment.
"Month" is add_months (31/01 + 1 month = 01/03). cover_review() moves policies in force to
suspended (and back) from these rules; the policy page shows cover_state() for today.
"""
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.collections.choices import PERIOD_KINDS, CoverState, ReceiptState
from apps.collections.models import Receipt
from apps.core.errors import DomainError
from apps.insurance.choices import PolicyState
from apps.insurance.models import Policy, PolicyStateChange
from apps.insurance.services.policy_dates import add_months

RESUME_AFTER = datetime.timedelta(hours=24)
UNPAID = (ReceiptState.ISSUED, ReceiptState.PARTIAL, ReceiptState.RETURNED)
# Marks the suspensions this rule made, so cover_review only lifts its own.
SUSPENSION_REASON = "Art. 15 LCS"


@dataclass(frozen=True)
class CoverStatus:
    state: str
    message: str
    receipt: Receipt | None = None
    since: datetime.date | datetime.datetime | None = None

    @property
    def covered(self) -> bool:
        return self.state in (CoverState.COVERED, CoverState.GRACE)

    @property
    def label(self) -> str:
        return CoverState(self.state).label


def _d(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _dt(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def _moment(at) -> datetime.datetime:
    if at is None:
        return timezone.now()
    if isinstance(at, datetime.datetime):
        return at if timezone.is_aware(at) else timezone.make_aware(at)
    return timezone.make_aware(datetime.datetime.combine(at, datetime.time(12)))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _in_force_on(policy, day: datetime.date) -> bool:
    if policy.state == PolicyState.DRAFT or day < policy.start_date or day > policy.expiry_date:
        return False
    return not (policy.state == PolicyState.CANCELLED and policy.cancellation_date and day >= policy.cancellation_date)


def cover_state(*, policy, at: datetime.datetime | None = None, receipts=None) -> CoverStatus:
    """What art. 15 LCS says about the policy's cover at `at` (default now). `receipts`: the
    policy's receipts when already loaded (lists)."""
    moment = _moment(at)
    day = timezone.localdate(moment)
    if not _in_force_on(policy, day):
        return CoverStatus(CoverState.NOT_IN_FORCE, _("La póliza no está en vigor el %s.") % _d(day))
    if receipts is None:
        receipts = Receipt.objects.filter(policy=policy, kind__in=PERIOD_KINDS).exclude(state=ReceiptState.CANCELLED)
    due = sorted((r for r in receipts if r.kind in PERIOD_KINDS and r.state != ReceiptState.CANCELLED
                  and r.due_date <= day), key=lambda r: (r.due_date, r.sequence))
    first = next((r for r in due if r.is_first_premium), None)
    if first is not None and first.state != ReceiptState.COLLECTED:
        return CoverStatus(CoverState.FIRST_PREMIUM_UNPAID, _(
            "Sin cobertura: la primera prima (recibo %(number)s, vencido el %(due)s) no está pagada. La compañía "
            "puede resolver el contrato y, si ocurre un siniestro antes del pago, no está cubierto.") % {
            "number": first.number, "due": _d(first.due_date)}, first, first.due_date)
    unpaid = [r for r in due if r.state in UNPAID and not r.is_first_premium]
    for receipt in unpaid:
        suspended_from = add_months(receipt.due_date, 1)
        if suspended_from <= day:
            return CoverStatus(CoverState.SUSPENDED, _(
                "Cobertura suspendida desde el %(since)s: el recibo %(number)s, vencido el %(due)s, sigue "
                "impagado. El contrato se extingue si la compañía no reclama la prima en los seis meses "
                "siguientes al vencimiento (hasta el %(end)s).") % {
                "since": _d(suspended_from), "number": receipt.number, "due": _d(receipt.due_date),
                "end": _d(add_months(receipt.due_date, 6))}, receipt, suspended_from)
    for receipt in due:
        if receipt.state != ReceiptState.COLLECTED or receipt.is_first_premium or receipt.collected_at is None:
            continue
        resumes = receipt.collected_at + RESUME_AFTER
        paid_while_suspended = receipt.collected_at >= _start_of(add_months(receipt.due_date, 1))
        if paid_while_suspended and receipt.collected_at <= moment < resumes:
            return CoverStatus(CoverState.RESUMING, _(
                "Cobertura suspendida hasta el %(when)s: el recibo %(number)s se pagó el %(paid)s con la cobertura "
                "ya suspendida y se reanuda 24 horas después del pago.") % {
                "when": _dt(resumes), "number": receipt.number, "paid": _dt(receipt.collected_at)}, receipt, resumes)
    if unpaid:
        receipt = unpaid[0]
        return CoverStatus(CoverState.GRACE, _(
            "Con cobertura: el recibo %(number)s venció el %(due)s y está impagado; si no se paga, la cobertura se "
            "suspende el %(since)s.") % {"number": receipt.number, "due": _d(receipt.due_date),
                                         "since": _d(add_months(receipt.due_date, 1))}, receipt, receipt.due_date)
    return CoverStatus(CoverState.COVERED, _("Con cobertura: no hay recibos vencidos pendientes de pago."))


def _suspended_by_rule(policy) -> bool:
    last = (PolicyStateChange.objects.filter(policy=policy, to_state=PolicyState.SUSPENDED)
            .order_by("-created_at", "-pk").first())
    return last is not None and last.reason.startswith(SUSPENSION_REASON)


def cover_review(*, actor=None, at: datetime.datetime | None = None) -> dict:
    """Policies in force whose cover is suspended by art. 15 become «suspended» (effective the
    day the month of grace ends); those this rule suspended whose cover is back are resumed.
    One transaction per policy, so one refusal does not stop the rest."""
    from apps.insurance.services.policies import policy_resume, policy_suspend

    moment = _moment(at)
    day = timezone.localdate(moment)
    counts = {"suspended": 0, "resumed": 0, "errors": 0}
    overdue = (Receipt.objects.filter(kind__in=PERIOD_KINDS, state__in=UNPAID, is_first_premium=False,
                                      due_date__lte=day - datetime.timedelta(days=28),
                                      policy__state=PolicyState.IN_FORCE)
               .values_list("policy_id", flat=True).distinct())
    for policy in Policy.objects.filter(pk__in=list(overdue)).order_by("pk"):
        status = cover_state(policy=policy, at=moment)
        if status.state != CoverState.SUSPENDED:
            continue
        try:
            with transaction.atomic():
                policy_suspend(actor=actor, policy=policy, effective_date=status.since, reason=_(
                    "%(rule)s: recibo %(number)s impagado un mes después de su vencimiento") % {
                    "rule": SUSPENSION_REASON, "number": status.receipt.number})
            counts["suspended"] += 1
        except DomainError:
            counts["errors"] += 1
    for policy in Policy.objects.filter(state=PolicyState.SUSPENDED).order_by("pk"):
        if not _suspended_by_rule(policy):
            continue
        status = cover_state(policy=policy, at=moment)
        if status.state not in (CoverState.COVERED, CoverState.GRACE):
            continue
        try:
            with transaction.atomic():
                policy_resume(actor=actor, policy=policy, effective_date=day, reason=_(
                    "%s: prima pagada, la cobertura se reanuda") % SUSPENSION_REASON)
            counts["resumed"] += 1
        except DomainError:
            counts["errors"] += 1
    return counts
