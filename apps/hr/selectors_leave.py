"""Reads of leave: the requests a user may see (their own; a manager their team's; HR all), the pending ones a
user may decide, and the month calendar of a group (employees × days, holidays shaded, leave coloured by type)
in a fixed number of queries whatever the size of the group."""
import calendar
import dataclasses
import datetime

from django.db.models import Q

from apps.hr.access import employee_of, is_hr_staff, team_ids, visible_employee_ids
from apps.hr.choices import HolidayScope, LeaveRequestState
from apps.hr.models import Employee, Holiday, LeaveRequest, LeaveType
from apps.hr.services.leave_allowances import RESERVED

COLOURS = ["text-bg-primary", "text-bg-success", "text-bg-danger", "text-bg-warning", "text-bg-info",
           "text-bg-dark", "text-bg-secondary"]


def visible_requests(user):
    queryset = LeaveRequest.objects.select_related("employee", "leave_type", "decided_by")
    ids = visible_employee_ids(user)
    return queryset if ids is None else queryset.filter(employee_id__in=ids)


def decidable_employee_ids(user) -> set[int] | None:
    """Whose requests `user` may approve: None = everyone but themselves (HR); else their team (maybe empty)."""
    if is_hr_staff(user):
        return None
    return team_ids(employee_of(user))


def pending_for(user):
    """Requests awaiting a decision that `user` may take (never their own), oldest start first."""
    queryset = LeaveRequest.objects.filter(state=LeaveRequestState.REQUESTED).select_related(
        "employee", "leave_type").order_by("start_date", "pk")
    ids = decidable_employee_ids(user)
    if ids is None:
        own = employee_of(user)
        return queryset.exclude(employee_id=getattr(own, "pk", None)) if own else queryset
    return queryset.filter(employee_id__in=ids)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def type_colours() -> dict[int, str]:
    """A colour class per leave type, stable (by id)."""
    return {pk: COLOURS[n % len(COLOURS)] for n, pk in enumerate(LeaveType.objects.order_by("pk")
                                                                 .values_list("pk", flat=True))}


@dataclasses.dataclass
class Cell:
    day: datetime.date
    weekend: bool
    holiday: str = ""
    leave: LeaveRequest | None = None
    colour: str = ""

    @property
    def pending(self) -> bool:
        return self.leave is not None and self.leave.state == LeaveRequestState.REQUESTED


@dataclasses.dataclass
class Row:
    employee: Employee
    cells: list[Cell]
    days_off: int = 0


def _applies(holiday: Holiday, centre) -> bool:
    return (holiday.scope == HolidayScope.NATIONAL
            or centre is not None and (holiday.scope == HolidayScope.REGIONAL and holiday.region == centre.region
                                       or holiday.scope == HolidayScope.LOCAL and holiday.work_centre_id == centre.pk))


def team_calendar(employees, year: int, month: int) -> dict:
    """Four queries: the employees (with their centre), the month's holidays of their centres, their pending and
    approved leave touching the month, and the leave types (colours)."""
    first, last = month_bounds(year, month)
    people = list(employees.select_related("work_centre").order_by("last_name", "first_name", "pk"))
    centres = {person.work_centre for person in people if person.work_centre is not None}
    query = Q(scope=HolidayScope.NATIONAL)
    if centres:
        query |= Q(scope=HolidayScope.REGIONAL, region__in={c.region for c in centres})
        query |= Q(scope=HolidayScope.LOCAL, work_centre__in=centres)
    holidays = list(Holiday.objects.filter(query, date__range=(first, last)).order_by("date", "scope"))
    leave = {}
    for request in (LeaveRequest.objects.filter(employee__in=[p.pk for p in people], state__in=RESERVED,
                                                start_date__lte=last, end_date__gte=first)
                    .select_related("leave_type").order_by("start_date", "pk")):
        leave.setdefault(request.employee_id, []).append(request)
    colours = type_colours()
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    rows = []
    for person in people:
        off = {}
        for holiday in holidays:
            if _applies(holiday, person.work_centre):
                off[holiday.date] = f"{off[holiday.date]} · {holiday.name}" if holiday.date in off else holiday.name
        row = Row(employee=person, cells=[])
        for day in days:
            cell = Cell(day=day, weekend=day.weekday() >= 5, holiday=off.get(day, ""))
            cell.leave = next((r for r in leave.get(person.pk, []) if r.start_date <= day <= r.end_date), None)
            if cell.leave is not None:
                cell.colour = colours.get(cell.leave.leave_type_id, COLOURS[-1])
                row.days_off += not (cell.weekend or cell.holiday) or not cell.leave.leave_type.counts_working_days
            row.cells.append(cell)
        rows.append(row)
    shared = set.intersection(*({c.day for c in r.cells if c.holiday} for r in rows)) if rows else set()
    legend = {}
    for requests in leave.values():
        for request in requests:
            legend[request.leave_type_id] = (request.leave_type.name, colours.get(request.leave_type_id, COLOURS[-1]))
    return {"days": [{"date": day, "weekend": day.weekday() >= 5, "holiday": day in shared} for day in days],
            "rows": rows, "legend": sorted(legend.values()), "first": first, "last": last}
