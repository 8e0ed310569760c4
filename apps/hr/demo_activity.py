"""What the demo's people did (apps.hr.demo): their leave and last month's registro de jornada.

Leave: last summer's two weeks of holidays for everyone on a permanent contract, approved by their manager
(RRHH when the manager has no login); last month a day of «asuntos propios» and three days of holidays for
two people with a login; next month one request awaiting its manager and one the manager rejected; and a
sick leave (incapacidad temporal) registered by RRHH last month.

Time records: every person with a login clocks in between 8:30 and 9:00, takes the lunch break from about
14:00 and leaves between 17:30 and 18:00 on each working day of last month (their centre's holidays and their
approved leave skipped). Clocking is done by the person themselves (apps.hr.services.time.clock refuses anyone
else), so the people without a login have no records. One forgotten clock-out is added by a correction with
its reason, the manager approving; five people sign last month's report."""
import datetime

from django.utils import timezone

from apps.hr.access import is_hr_staff
from apps.hr.choices import LeaveRequestState, TimeRecordKind

DAY = datetime.timedelta(days=1)
NO_SUMMER = {"daniel", "oscar", "hugo", "marcos"}  # on short contracts, or gone
LAST_MONTH_LEAVE = [("alberto", "AP", 1, "Gestiones personales."), ("raul", "VAC", 3, "")]
PENDING = ("lucia", "VAC", 8, "Viaje familiar.")  # who, type, from which day of next month
REJECTED = ("pablo", "VAC", 15, "Semana libre.",
            "Coincide con el cierre de las renovaciones de flotas; proponga otra semana, por favor.")
SICK = ("silvia", 1, 6, 9, "Baja por enfermedad común con su parte de incapacidad temporal.")  # months back, day, days
CORRECTED = "marta"
SIGNERS = ("carmen", "alberto", "marta", "sergio", "elena")


def monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + DAY * ((7 - day.weekday()) % 7)


def working_monday(employee, day: datetime.date) -> datetime.date:
    """The first Monday on or after `day` that is a working day at the employee's centre (9 November is a
    Madrid holiday and a Monday in 2026: a one-day leave starting there would have no working day)."""
    from apps.hr.services.calendars import is_working_day

    start = monday_on_or_after(day)
    while not is_working_day(start, employee.work_centre):
        start += 7 * DAY
    return start


def last_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - DAY
    return end.replace(day=1), end


def hr_actor(admin, users_by_key: dict):
    """The RRHH user when there is one with the HR permission, else the administrator."""
    rrhh = users_by_key.get("rrhh")
    return rrhh if rrhh is not None and is_hr_staff(rrhh) else admin


def _decider(employee, hr, admin):
    """The manager's user, else RRHH, else the administrator: never the person themselves (None if no one)."""
    manager = employee.manager
    if manager is not None and manager.user_id and manager.user_id != employee.user_id:
        return manager.user
    return next((user for user in (hr, admin) if user.pk != employee.user_id), None)


def _request(employee, leave_type, start, end, notes, hr):
    from apps.hr.services.leave import leave_request_create

    requester = employee.user if employee.user_id else hr
    return leave_request_create(actor=requester, employee=employee, leave_type=leave_type, start_date=start,
                                end_date=end, notes=notes).request


def leave_seed(*, admin, hr, rng, people: dict, today: datetime.date) -> dict:
    from apps.hr.models import LeaveType
    from apps.hr.services.leave import leave_request_approve, leave_request_reject
    from apps.hr.services.leave_allowances import leave_types_ensure

    leave_types_ensure(actor=admin)
    types = {leave_type.code: leave_type for leave_type in LeaveType.objects.all()}
    summer = today.year if today >= datetime.date(today.year, 10, 1) else today.year - 1  # never last month
    counts = {"approved": 0}
    for key, employee in people.items():
        if key in NO_SUMMER or _decider(employee, hr, admin) is None:
            continue
        start = monday_on_or_after(datetime.date(summer, rng.choice((7, 8)), rng.randint(1, 17)))
        leave = _request(employee, types["VAC"], start, start + 11 * DAY, "Vacaciones de verano.", hr)
        leave_request_approve(actor=_decider(employee, hr, admin), leave=leave)
        counts["approved"] += 1
    first, _last = last_month(today)
    for key, code, days, notes in LAST_MONTH_LEAVE:
        start = working_monday(people[key], first + rng.randint(7, 12) * DAY)
        leave = _request(people[key], types[code], start, start + (days - 1) * DAY, notes, hr)
        leave_request_approve(actor=_decider(people[key], hr, admin), leave=leave)
        counts["approved"] += 1
    next_month = (today.replace(day=1) + 32 * DAY).replace(day=1)
    key, code, day, notes = PENDING
    start = working_monday(people[key], next_month.replace(day=day))
    _request(people[key], types[code], start, start + 4 * DAY, notes, hr)
    key, code, day, notes, why = REJECTED
    start = working_monday(people[key], next_month.replace(day=day))
    leave = _request(people[key], types[code], start, start + 4 * DAY, notes, hr)
    leave_request_reject(actor=_decider(people[key], hr, admin), leave=leave, note=why)
    key, back, day, days, notes = SICK
    from apps.hr.demo_people import month_start

    start = month_start(today, back).replace(day=day)
    _request(people[key], types["IT"], start, start + (days - 1) * DAY, notes, hr)
    counts.update(pending=1, rejected=1, sick=1)
    return counts


def _at(day: datetime.date, minutes: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))


def _leave_days(employee, first, last) -> set:
    days = set()
    for leave in employee.leave_requests.filter(state=LeaveRequestState.APPROVED, start_date__lte=last,
                                                end_date__gte=first):
        day = max(leave.start_date, first)
        while day <= min(leave.end_date, last):
            days.add(day)
            day += DAY
    return days


def time_seed(*, rng, people: dict, today: datetime.date) -> dict:
    """Last month's clock records of the people with a login, one correction and the sign-offs."""
    from apps.hr.services.calendars import holidays_for, is_working_day
    from apps.hr.services.time import clock, correction_create, timesheet_sign

    first, last = last_month(today)
    clocking = {key: e for key, e in people.items() if e.user_id and e.is_active}
    corrected = CORRECTED if CORRECTED in clocking and people[CORRECTED].manager.user_id else None
    forgotten, records = None, 0
    for key, employee in clocking.items():
        holidays, away = holidays_for(employee.work_centre, first, last), _leave_days(employee, first, last)
        working = [d for d in (first + n * DAY for n in range((last - first).days + 1))
                   if is_working_day(d, employee.work_centre, holidays) and d not in away]
        for index, day in enumerate(working):
            came, lunch = rng.randint(510, 540), rng.randint(835, 855)
            back, left = lunch + rng.randint(30, 60), rng.randint(1050, 1080)
            punches = [(TimeRecordKind.CLOCK_IN, came), (TimeRecordKind.BREAK_START, lunch),
                       (TimeRecordKind.BREAK_END, back), (TimeRecordKind.CLOCK_OUT, left)]
            if key == corrected and index == len(working) // 2:
                forgotten, punches = (day, left), punches[:-1]
            for kind, minutes in punches:
                clock(actor=employee.user, employee=employee, kind=kind, at=_at(day, minutes))
                records += 1
    counts = {"time_records": records, "corrections": 0, "signoffs": 0}
    if forgotten is not None:
        manager = people[corrected].manager
        correction_create(actor=manager.user, employee=people[corrected], kind=TimeRecordKind.CLOCK_OUT,
                          at=_at(*forgotten), approver=manager.user,
                          reason="Olvidó fichar la salida; su responsable confirma que salió a la hora indicada.")
        counts["corrections"] = 1
    for key in SIGNERS:
        if key in clocking:
            timesheet_sign(actor=people[key].user, employee=people[key], year=first.year, month=first.month)
            counts["signoffs"] += 1
    return counts
