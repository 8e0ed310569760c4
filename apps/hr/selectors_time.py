"""Reads of the working-time record: the effective records (corrections applied: a replacing record takes
the place of the one it replaces, a voiding one removes it), the summary of a day (first in, last out,
breaks, worked minutes) and the month report of each employee (every day, totals, ordinary vs extra time
against the contract's weekly hours / 5 per working day, the sign-off and whether it still matches).
monthly_reports() serves any number of employees with the same five queries."""
import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from apps.hr.access import employee_of, is_hr_staff, team_ids
from apps.hr.choices import HolidayScope, TimeRecordKind, TimeRecordSource
from apps.hr.models import Contract, Employee, Holiday, TimeRecord, TimeSheetSignoff
from apps.hr.selectors import in_force_q, with_effective_end

DEFAULT_WEEKLY_HOURS = Decimal("40")
OUT, IN, BREAK = "out", "in", "break"


def hm(minutes: int) -> str:
    """450 -> '7:30'; -30 -> '-0:30'."""
    sign = "-" if minutes < 0 else ""
    minutes = abs(int(minutes))
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def day_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware local midnight of `first` and of the day after `last`."""
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))
    return start, end


def records_touching(employee_ids, start, end):
    """Records of the employees in [start, end) and the corrections of those records (wherever they fall)."""
    return (TimeRecord.objects.filter(employee_id__in=employee_ids)
            .filter(Q(at__gte=start, at__lt=end) | Q(replaces__at__gte=start, replaces__at__lt=end))
            .select_related("approved_by").order_by("at", "pk"))


def effective_records(records) -> list:
    """The records that count: neither replaced by a correction nor a voiding correction, in time order."""
    replaced = {record.replaces_id for record in records if record.replaces_id}
    return sorted((r for r in records if r.pk not in replaced and not r.voids), key=lambda r: (r.at, r.pk))


@dataclass
class DaySummary:
    date: datetime.date
    records: list = field(default_factory=list)
    voided: list = field(default_factory=list)
    first_in: datetime.datetime | None = None
    last_out: datetime.datetime | None = None
    break_minutes: int = 0
    worked_minutes: int = 0
    state: str = OUT
    open_since: datetime.datetime | None = None
    incomplete: bool = False
    working_day: bool = True
    holiday: str = ""
    ordinary_minutes: int = 0
    extra_minutes: int = 0

    @property
    def corrected(self) -> bool:
        return bool(self.voided) or any(r.source == TimeRecordSource.CORRECTION for r in self.records)

    @property
    def worked(self) -> str:
        return hm(self.worked_minutes)

    @property
    def breaks(self) -> str:
        return hm(self.break_minutes)

    @property
    def extra(self) -> str:
        return hm(self.extra_minutes)


def summarize_day(day: datetime.date, records: list, *, until: datetime.datetime | None = None) -> DaySummary:
    """Walks the day's effective records in order. A shift or break still open counts up to `until` (today's
    «worked so far»); without `until` it is left out and the day is marked incomplete (a correction is due)."""
    summary = DaySummary(date=day, records=list(records))
    worked = breaks = datetime.timedelta()
    shift_start = break_start = None
    shift_breaks = datetime.timedelta()
    for record in summary.records:
        if record.kind == TimeRecordKind.CLOCK_IN:
            if summary.state != OUT:
                summary.incomplete = True
                continue
            summary.state, shift_start, shift_breaks = IN, record.at, datetime.timedelta()
            summary.first_in = summary.first_in or record.at
        elif record.kind == TimeRecordKind.BREAK_START and summary.state == IN:
            summary.state, break_start = BREAK, record.at
        elif record.kind == TimeRecordKind.BREAK_END and summary.state == BREAK:
            shift_breaks += record.at - break_start
            summary.state = IN
        elif record.kind == TimeRecordKind.CLOCK_OUT and summary.state != OUT:
            if summary.state == BREAK:
                shift_breaks += record.at - break_start
            worked += record.at - shift_start - shift_breaks
            breaks += shift_breaks
            summary.state, summary.last_out = OUT, record.at
        else:
            summary.incomplete = True
    if summary.state != OUT:
        summary.open_since = break_start if summary.state == BREAK else shift_start
        if until is None:
            summary.incomplete = True
        else:
            if summary.state == BREAK:
                shift_breaks += max(until - break_start, datetime.timedelta())
            worked += max(until - shift_start - shift_breaks, datetime.timedelta())
            breaks += shift_breaks
    summary.worked_minutes = int(worked.total_seconds()) // 60
    summary.break_minutes = int(breaks.total_seconds()) // 60
    return summary


def day_records(employee, day: datetime.date) -> tuple[list, list]:
    """(effective records of the employee's local day, voiding corrections of that day) in one query."""
    start, end = day_bounds(day, day)
    records = list(records_touching([employee.pk], start, end))
    effective = [r for r in effective_records(records) if local_day(r.at) == day]
    return effective, [r for r in records if r.voids and local_day(r.at) == day]


def day_summary(employee, day: datetime.date, *, until=None) -> DaySummary:
    effective, voided = day_records(employee, day)
    summary = summarize_day(day, effective, until=until)
    summary.voided = voided
    return summary


@dataclass
class MonthReport:
    employee: Employee
    year: int
    month: int
    days: list
    weekly_hours: Decimal
    daily_minutes: int
    signoff: TimeSheetSignoff | None = None
    worked_minutes: int = 0
    break_minutes: int = 0
    ordinary_minutes: int = 0
    extra_minutes: int = 0
    days_worked: int = 0
    working_days: int = 0
    incomplete_days: int = 0
    corrections: int = 0

    @property
    def signoff_differs(self) -> bool:
        """Signed, and the totals changed since (a later correction): «firmado con otros totales»."""
        return self.signoff is not None and (self.signoff.worked_minutes, self.signoff.days_worked) != (
            self.worked_minutes, self.days_worked)

    @property
    def period(self) -> str:
        return f"{self.month:02d}/{self.year}"

    @property
    def ended(self) -> bool:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1]) < \
            timezone.localdate()

    @property
    def worked(self) -> str:
        return hm(self.worked_minutes)

    @property
    def breaks(self) -> str:
        return hm(self.break_minutes)

    @property
    def ordinary(self) -> str:
        return hm(self.ordinary_minutes)

    @property
    def extra(self) -> str:
        return hm(self.extra_minutes)

    @property
    def expected(self) -> str:
        return hm(self.daily_minutes * self.working_days)

    @property
    def signed_worked(self) -> str:
        return hm(self.signoff.worked_minutes) if self.signoff else ""


def _holidays_of(employee, holidays) -> dict:
    centre = employee.work_centre
    found = {}
    for holiday in holidays:
        if (holiday.scope == HolidayScope.NATIONAL
                or holiday.scope == HolidayScope.REGIONAL and centre is not None and centre.region == holiday.region
                or holiday.scope == HolidayScope.LOCAL and holiday.work_centre_id == getattr(centre, "pk", None)):
            found.setdefault(holiday.date, holiday.name)
    return found


def _build(employee, year, month, records, contract, holidays, signoff) -> MonthReport:
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    weekly = contract.weekly_hours if contract is not None else DEFAULT_WEEKLY_HOURS
    daily = int((weekly * 60 / 5).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    by_day, voided = {}, {}
    for record in effective_records(records):
        by_day.setdefault(local_day(record.at), []).append(record)
    for record in records:
        if record.voids:
            voided.setdefault(local_day(record.at), []).append(record)
    off = _holidays_of(employee, holidays)
    report = MonthReport(employee=employee, year=year, month=month, days=[], weekly_hours=weekly,
                         daily_minutes=daily, signoff=signoff)
    day = first
    while day <= last:
        summary = summarize_day(day, by_day.get(day, []))
        summary.voided = voided.get(day, [])
        summary.holiday = off.get(day, "")
        summary.working_day = day.weekday() < 5 and not summary.holiday
        summary.ordinary_minutes = min(summary.worked_minutes, daily) if summary.working_day else 0
        summary.extra_minutes = summary.worked_minutes - summary.ordinary_minutes
        report.days.append(summary)
        report.worked_minutes += summary.worked_minutes
        report.break_minutes += summary.break_minutes
        report.ordinary_minutes += summary.ordinary_minutes
        report.extra_minutes += summary.extra_minutes
        report.days_worked += summary.worked_minutes > 0
        report.working_days += summary.working_day
        report.incomplete_days += summary.incomplete
        report.corrections += len(summary.voided) + sum(
            r.source == TimeRecordSource.CORRECTION for r in summary.records)
        day += datetime.timedelta(days=1)
    return report


def monthly_reports(employee_ids, year: int, month: int) -> dict[int, MonthReport]:
    """{employee_id: MonthReport} of the month, in five queries whatever the number of employees."""
    ids = list(employee_ids)
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    start, end = day_bounds(first, last)
    employees = Employee.objects.filter(pk__in=ids).select_related("work_centre").order_by("last_name", "first_name")
    contracts = {}
    for contract in (with_effective_end(Contract.objects.filter(employee_id__in=ids)).filter(in_force_q(first, last))
                     .order_by("employee_id", "start_date", "pk")):
        contracts[contract.employee_id] = contract
    holidays = list(Holiday.objects.filter(date__range=(first, last)))
    records = {}
    for record in records_touching(ids, start, end):
        records.setdefault(record.employee_id, []).append(record)
    signoffs = {s.employee_id: s for s in TimeSheetSignoff.objects.filter(employee_id__in=ids, year=year,
                                                                            month=month)}
    reports = {}
    for employee in employees:
        reports[employee.pk] = _build(employee, year, month, records.get(employee.pk, []),
                                      contracts.get(employee.pk), holidays, signoffs.get(employee.pk))
    return reports


def month_report(employee, year: int, month: int) -> MonthReport:
    return monthly_reports([employee.pk], year, month)[employee.pk]


def team_employee_ids(user) -> list[int] | None:
    """Whose month the «Jornada del equipo» page lists: HR every active employee, a manager their team (not
    themselves); None when the user has neither."""
    if is_hr_staff(user):
        return list(Employee.objects.filter(is_active=True).values_list("pk", flat=True))
    team = team_ids(employee_of(user))
    return list(Employee.objects.filter(pk__in=team, is_active=True).values_list("pk", flat=True)) if team else None
