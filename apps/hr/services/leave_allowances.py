"""Leave types and yearly allowances (issue 8 item 5): the default types of the Estatuto de los Trabajadores,
the year's allowance of a type that uses one (created on first use: the type's days pro rata of the days under
contract that year, plus what was left unused last year up to the type's max_carry_over) and the balance.

A type that does not use an allowance (permisos retribuidos, incapacidad temporal) has no balance; its
default_days, when above zero, is the most one request may take (15 natural days of the marriage leave)."""
import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.hr.choices import LeaveRequestState
from apps.hr.models import Contract, LeaveAllowance, LeaveRequest, LeaveType
from apps.hr.selectors import with_effective_end

ZERO = Decimal("0.0")
HALF = Decimal("0.5")
RESERVED = (LeaveRequestState.REQUESTED, LeaveRequestState.APPROVED)

# code, name, days, carry over, uses allowance, needs approval, working days, paid
DEFAULT_TYPES = [
    ("VAC", "Vacaciones", "22", "0", True, True, True, True),
    ("AP", "Asuntos propios", "2", "0", True, True, True, True),
    ("IT", "Incapacidad temporal", "0", "0", False, False, False, True),
    ("MAT", "Permiso por matrimonio", "15", "0", False, True, False, True),
    ("NAC", "Nacimiento y cuidado de menor", "112", "0", False, True, False, True),  # 16 semanas
    ("FAL", "Fallecimiento de familiar", "2", "0", False, True, True, True),
    ("ENF", "Accidente u hospitalización de familiar", "5", "0", False, True, True, True),
    ("MUD", "Traslado de domicilio", "1", "0", False, True, True, True),
]


@transaction.atomic
def leave_types_ensure(*, actor=None) -> list[LeaveType]:
    """Creates the default leave types that are missing (by code; existing ones are left as HR set them)."""
    existing = set(LeaveType.objects.values_list("code", flat=True))
    created = []
    for code, name, days, carry, allowance, approval, working, paid in DEFAULT_TYPES:
        if code in existing:
            continue
        created.append(LeaveType.objects.create(
            code=code, name=name, default_days=Decimal(days), max_carry_over=Decimal(carry), uses_allowance=allowance,
            needs_approval=approval, counts_working_days=working, paid=paid))
    for leave_type in created:
        audit_event_record(actor=actor if getattr(actor, "pk", None) else None, action=AuditAction.CREATE,
                           obj=leave_type, verb="hr_leave_type_create", changes={"code": [None, leave_type.code]})
    return created


def _covered_days(employee, first: datetime.date, last: datetime.date) -> int | None:
    """Days of [first, last] under some contract of the employee; None if the employee has no contract at all."""
    contracts = list(with_effective_end(Contract.objects.filter(employee=employee))
                     .values_list("start_date", "effective_end"))
    if not contracts:
        return None
    covered = set()
    for start, end in contracts:
        start, end = max(start, first), min(end or last, last)
        if end < start:
            continue
        covered.update(start + datetime.timedelta(days=n) for n in range((end - start).days + 1))
    return len(covered)


def _round_half(value: Decimal) -> Decimal:
    """To the nearest half day, halves up (10,25 -> 10,5)."""
    return ((value / HALF).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * HALF).quantize(Decimal("0.1"))


def entitled_days(employee, leave_type: LeaveType, year: int) -> Decimal | None:
    """The type's yearly days pro rata of the days under contract in `year` (all of them without any contract
    recorded); None when there are contracts but none in force that year."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    covered = _covered_days(employee, first, last)
    if covered is None:
        return Decimal(leave_type.default_days)
    if covered == 0:
        return None
    year_days = (last - first).days + 1
    return _round_half(Decimal(leave_type.default_days) * covered / year_days)


def taken_days(employee, leave_type, year: int, states=(LeaveRequestState.APPROVED,)) -> Decimal:
    return LeaveRequest.objects.filter(employee=employee, leave_type=leave_type, start_date__year=year,
                                       state__in=states).aggregate(total=Sum("days"))["total"] or ZERO


def _carry_over(employee, leave_type: LeaveType, year: int) -> Decimal:
    if not leave_type.max_carry_over:
        return ZERO
    previous = LeaveAllowance.objects.filter(employee=employee, leave_type=leave_type, year=year - 1).first()
    if previous is not None:
        granted = previous.days + previous.carried_over
    else:
        granted = entitled_days(employee, leave_type, year - 1)
        if granted is None or _covered_days(employee, datetime.date(year - 1, 1, 1),
                                            datetime.date(year - 1, 12, 31)) is None:
            return ZERO
    unused = granted - taken_days(employee, leave_type, year - 1)
    return max(ZERO, min(unused, Decimal(leave_type.max_carry_over)))


def allowance_for(employee, leave_type: LeaveType, year: int, *, lock: bool = False) -> LeaveAllowance:
    """The year's allowance row, created on first use (`lock`: selected for update, to serialise requests)."""
    queryset = LeaveAllowance.objects.filter(employee=employee, leave_type=leave_type, year=year)
    if lock:
        queryset = queryset.select_for_update()
    allowance = queryset.first()
    if allowance is not None:
        return allowance
    days = entitled_days(employee, leave_type, year) or ZERO
    try:
        with transaction.atomic():
            LeaveAllowance.objects.create(employee=employee, leave_type=leave_type, year=year, days=days,
                                          carried_over=_carry_over(employee, leave_type, year))
    except IntegrityError:  # created meanwhile by a concurrent request
        pass
    return queryset.get()


@dataclasses.dataclass
class Balance:
    leave_type: LeaveType
    year: int
    days: Decimal
    carried_over: Decimal
    approved: Decimal
    requested: Decimal

    @property
    def total(self) -> Decimal:
        return self.days + self.carried_over

    @property
    def available(self) -> Decimal:
        """days + carried_over - approved - requested (pending requests count as reserved)."""
        return self.total - self.approved - self.requested


def balance(employee, leave_type: LeaveType, year: int) -> Balance:
    allowance = allowance_for(employee, leave_type, year)
    sums = LeaveRequest.objects.filter(employee=employee, leave_type=leave_type, start_date__year=year).aggregate(
        approved=Sum("days", filter=Q(state=LeaveRequestState.APPROVED)),
        requested=Sum("days", filter=Q(state=LeaveRequestState.REQUESTED)))
    return Balance(leave_type=leave_type, year=year, days=allowance.days, carried_over=allowance.carried_over,
                   approved=sums["approved"] or ZERO, requested=sums["requested"] or ZERO)


def balances(employee, year: int) -> list[Balance]:
    """The balance of every active type that uses an allowance (creating the year's rows on first use)."""
    return [balance(employee, leave_type, year)
            for leave_type in LeaveType.objects.filter(is_active=True, uses_allowance=True).order_by("name")]


def fmt_days(value: Decimal) -> str:
    """17 or 2,5 (Spanish decimal comma, no needless decimals)."""
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.1f}".replace(".", ",")
