"""Reads of continuing training: the yearly hours each person has done (only courses that count for
distribution, by the year they were completed) against what their distribution level requires, for the whole
report in a fixed number of queries. The obligation starts the year after the person starts distributing,
taken as the start of their first contract: in that first year (and before) the hours are «not yet required».
Without any contract the obligation is assumed (nothing proves a first year). The level is the person's
current one. Who reads what: the employee their own, a manager their team, HR all (apps.hr.access)."""
import dataclasses
import datetime
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.hr.access import employee_of, is_hr_staff, team_ids, visible_employee_ids
from apps.hr.choices import DistributionRole
from apps.hr.models import Contract, Employee, TrainingRecord, TrainingRequirement

ZERO = Decimal("0.00")
NOT_APPLICABLE, NOT_YET, COMPLIANT, IN_PROGRESS, NON_COMPLIANT = (
    "not_applicable", "not_yet_required", "compliant", "in_progress", "non_compliant")
STATES = {NOT_APPLICABLE: (_("No aplica"), "text-bg-light"),
          NOT_YET: (_("Aún no exigible"), "text-bg-secondary"),
          COMPLIANT: (_("Cumple"), "text-bg-success"),
          IN_PROGRESS: (_("En curso: faltan horas"), "text-bg-warning"),
          NON_COMPLIANT: (_("No cumple"), "text-bg-danger")}
PENDING = {IN_PROGRESS, NON_COMPLIANT}


@dataclasses.dataclass
class TrainingStatus:
    employee: Employee
    year: int
    required: Decimal | None     # None: the level requires nothing
    done: Decimal
    missing: Decimal
    state: str
    obligation_from: int | None  # first year the hours are required (None: no contract, always)

    @property
    def level(self) -> str:
        return self.employee.distribution_role

    @property
    def level_label(self) -> str:
        return self.employee.get_distribution_role_display()

    @property
    def compliant(self) -> bool | None:
        """True / False where hours are required that year; None where they are not."""
        return None if self.state in (NOT_APPLICABLE, NOT_YET) else self.state == COMPLIANT

    @property
    def state_label(self) -> str:
        return STATES[self.state][0]

    @property
    def badge(self) -> str:
        return STATES[self.state][1]


def requirements() -> dict[str, Decimal]:
    """Yearly hours by level (one query); a level without a row requires nothing."""
    return {level: hours for level, hours in TrainingRequirement.objects.exclude(level=DistributionRole.NONE)
            .values_list("level", "yearly_hours")}


def counted_records():
    """Records whose hours count for the distribution obligation."""
    return TrainingRecord.objects.filter(course__counts_for_distribution=True)


def _year_range(year: int) -> dict:
    return {"completed_on__gte": datetime.date(year, 1, 1), "completed_on__lte": datetime.date(year, 12, 31)}


def _first_start():
    return Subquery(Contract.objects.filter(employee=OuterRef("pk")).order_by("start_date")
                    .values("start_date")[:1])


def status_of(employee, year: int, done, first_start, required_by_level: dict, today=None) -> TrainingStatus:
    today = today or timezone.localdate()
    done = done or ZERO
    obligation_from = first_start.year + 1 if first_start else None
    required = None if employee.distribution_role == DistributionRole.NONE else \
        required_by_level.get(employee.distribution_role)
    missing, state = ZERO, NOT_APPLICABLE
    if required is not None:
        if obligation_from is not None and year < obligation_from:
            state = NOT_YET
        else:
            missing = max(required - done, ZERO)
            state = COMPLIANT if not missing else IN_PROGRESS if year >= today.year else NON_COMPLIANT
    return TrainingStatus(employee=employee, year=year, required=required, done=done, missing=missing, state=state,
                          obligation_from=obligation_from)


def report_employees(user):
    """Whom the supervisor report lists: HR everyone, a manager their team (every level below); None when the
    user has neither (the page says so)."""
    if is_hr_staff(user):
        return Employee.objects.all()
    team = team_ids(employee_of(user))
    return Employee.objects.filter(pk__in=team) if team else None


def training_report(employees, year: int, *, department=None, level: str = "",
                    pending_only: bool = False) -> list[TrainingStatus]:
    """One row per employee of `employees` (in the workforce, or with training that year): 2 queries."""
    done = Subquery(counted_records().filter(employee=OuterRef("pk"), **_year_range(year))
                    .values("employee").annotate(total=Sum("hours")).values("total")[:1],
                    output_field=DecimalField(max_digits=8, decimal_places=2))
    trained = Exists(TrainingRecord.objects.filter(employee=OuterRef("pk"), **_year_range(year)))
    queryset = employees.filter(Q(is_active=True) | trained).select_related("department") \
        .annotate(done_hours=done, first_start=_first_start()).order_by("last_name", "first_name", "pk")
    if department:
        queryset = queryset.filter(department=department)
    if level:
        queryset = queryset.filter(distribution_role=level)
    by_level, today = requirements(), timezone.localdate()
    rows = [status_of(e, year, e.done_hours, e.first_start, by_level, today) for e in queryset]
    return [row for row in rows if row.state in PENDING] if pending_only else rows


def employee_years(employee, *, until: int | None = None) -> list[TrainingStatus]:
    """The employee's status per year, newest first: from the first year with training or with the obligation
    (whichever is earlier) to `until` (this year by default). 3 queries."""
    until = until or timezone.localdate().year
    totals = dict(counted_records().filter(employee=employee).annotate(year=ExtractYear("completed_on"))
                  .values("year").annotate(total=Sum("hours")).values_list("year", "total"))
    first_start = Contract.objects.filter(employee=employee).order_by("start_date") \
        .values_list("start_date", flat=True).first()
    starts = [*totals, (first_start.year + 1) if first_start else until]
    by_level, today = requirements(), timezone.localdate()
    return [status_of(employee, year, totals.get(year), first_start, by_level, today)
            for year in range(max([until, *totals]), min([*starts, until]) - 1, -1)]


def employee_records(employee):
    return TrainingRecord.objects.filter(employee=employee).select_related("course", "certificate") \
        .order_by("-completed_on", "-pk")


def visible_records(user):
    """Records `user` may read: their own, their team's (manager), everyone's (HR)."""
    queryset = TrainingRecord.objects.select_related("employee", "course")
    ids = visible_employee_ids(user)
    return queryset if ids is None else queryset.filter(employee_id__in=ids)


def course_attendees(course):
    return course.records.select_related("employee", "certificate").order_by("employee__last_name",
                                                                             "employee__first_name")
