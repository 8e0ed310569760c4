"""Working calendars (issue 8 item 3): national, regional (the work centre's autonomous community, INE code)
and local (one work centre) holidays, and the working-days arithmetic leave and payroll use. A working day is
Monday to Friday and not a holiday of the centre; a person without a work centre keeps the national ones.
Every range reads its holidays in one query. Holidays are created and deleted by HR (actor None: a server-side
caller such as the demo or a management command)."""
import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.hr.access import is_hr_staff
from apps.hr.choices import HolidayScope
from apps.hr.errors import HRError
from apps.hr.models import Holiday, WorkCentre

ONE_DAY = datetime.timedelta(days=1)

# Fiestas laborales de ámbito nacional comunes a todas las comunidades autónomas. Source for 2026: Resolución de la
# Dirección General de Trabajo por la que se publica la relación de fiestas laborales para el año 2026, BOE of
# 28/10/2025 (nine holidays common to all Spain; 1 November falls on a Sunday and stays in the list — each region
# decides whether to move it to Monday 2 November, so that Monday is a regional holiday, not listed here; Jueves
# Santo, 2 April, is regional: a holiday everywhere except Cataluña and the Comunitat Valenciana).
NATIONAL_HOLIDAYS = {
    2026: [
        ((1, 1), "Año Nuevo"),
        ((1, 6), "Epifanía del Señor"),
        ((4, 3), "Viernes Santo"),
        ((5, 1), "Fiesta del Trabajo"),
        ((8, 15), "Asunción de la Virgen"),
        ((10, 12), "Fiesta Nacional de España"),
        ((11, 1), "Todos los Santos"),
        ((12, 8), "Inmaculada Concepción"),
        ((12, 25), "Natividad del Señor"),
    ],
}


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _require_hr(actor) -> None:
    if actor is not None and not is_hr_staff(actor):
        raise HRError(_("Solo RRHH puede cambiar el calendario laboral."), code="hr_holiday_forbidden", status=403)


def _clean(*, scope: str, region: str, work_centre) -> tuple[str, WorkCentre | None]:
    if scope not in HolidayScope.values:
        raise HRError(_("Ámbito de festivo desconocido."), code="hr_holiday_scope", field="scope")
    region = (region or "").strip()
    if scope == HolidayScope.NATIONAL:
        return "", None
    if scope == HolidayScope.REGIONAL:
        if not (len(region) == 2 and region.isdigit()):
            raise HRError(_("Indique el código INE de la comunidad autónoma (dos cifras, p. ej. 13 Madrid)."),
                          code="hr_holiday_region", field="region")
        return region, None
    if work_centre is None:
        raise HRError(_("Un festivo local es de un centro de trabajo: indíquelo."), code="hr_holiday_centre",
                      field="work_centre")
    return work_centre.region, work_centre


@transaction.atomic
def holiday_create(*, actor, date: datetime.date, name: str, scope: str, region: str = "",
                   work_centre: WorkCentre | None = None) -> Holiday:
    _require_hr(actor)
    name = (name or "").strip()
    if not name:
        raise HRError(_("Indique el nombre de la festividad."), code="hr_holiday_name", field="name")
    region, work_centre = _clean(scope=scope, region=region, work_centre=work_centre)
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(date=date, name=name, scope=scope, region=region,
                                             work_centre=work_centre)
    except IntegrityError:
        raise HRError(_("Ya hay un festivo de ese ámbito el %s.") % date_format(date, "d/m/Y"),
                      code="hr_holiday_duplicate", field="date", status=409) from None
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=holiday, verb="hr_holiday_create",
                       changes={"date": [None, date], "name": [None, name], "scope": [None, scope],
                                "region": [None, region], "work_centre": [None, getattr(work_centre, "pk", None)]})
    publish("hr.holiday.created", pk=holiday.pk, date=date.isoformat(), scope=scope)
    return holiday


@transaction.atomic
def holiday_delete(*, actor, holiday: Holiday) -> None:
    _require_hr(actor)
    audit_event_record(actor=_actor(actor), action=AuditAction.DELETE, obj=holiday, verb="hr_holiday_delete",
                       changes={"date": [holiday.date, None], "name": [holiday.name, None]})
    pk, date = holiday.pk, holiday.date
    holiday.delete()
    publish("hr.holiday.deleted", pk=pk, date=date.isoformat())


@transaction.atomic
def holidays_load_national(*, actor=None, year: int) -> int:
    """Creates the year's national holidays that are missing (idempotent); returns how many it created."""
    if year not in NATIONAL_HOLIDAYS:
        raise HRError(_("No hay relación oficial de fiestas nacionales cargada para %d.") % year,
                      code="hr_holiday_year", field="year")
    existing = set(Holiday.objects.filter(scope=HolidayScope.NATIONAL, date__year=year)
                   .values_list("date", flat=True))
    created = 0
    for (month, day), name in NATIONAL_HOLIDAYS[year]:
        date = datetime.date(year, month, day)
        if date not in existing:
            holiday_create(actor=actor, date=date, name=name, scope=HolidayScope.NATIONAL)
            created += 1
    return created


def centre_q(work_centre: WorkCentre | None) -> Q:
    """The holidays that apply to a work centre (national + its region's + its own)."""
    query = Q(scope=HolidayScope.NATIONAL)
    if work_centre is not None:
        query |= Q(scope=HolidayScope.REGIONAL, region=work_centre.region)
        query |= Q(scope=HolidayScope.LOCAL, work_centre_id=work_centre.pk)
    return query


def holidays_for(work_centre: WorkCentre | None, start: datetime.date, end: datetime.date) -> dict:
    """{date: name} of the centre's holidays in [start, end], in one query (two on one day: names joined)."""
    found = {}
    for day, name in (Holiday.objects.filter(centre_q(work_centre), date__range=(start, end))
                      .order_by("date", "scope").values_list("date", "name")):
        found[day] = f"{found[day]} · {name}" if day in found else name
    return found


def is_working_day(day: datetime.date, work_centre: WorkCentre | None, holidays: dict | None = None) -> bool:
    """Monday to Friday and not a holiday of the centre (`holidays` from holidays_for saves the query)."""
    if day.weekday() >= 5:
        return False
    if holidays is None:
        holidays = holidays_for(work_centre, day, day)
    return day not in holidays


def working_days(start: datetime.date, end: datetime.date, work_centre: WorkCentre | None) -> int:
    """Working days in [start, end], both included (0 when end < start)."""
    if end < start:
        return 0
    holidays = holidays_for(work_centre, start, end)
    count, day = 0, start
    while day <= end:
        count += is_working_day(day, work_centre, holidays)
        day += ONE_DAY
    return count


def add_working_days(day: datetime.date, n: int, work_centre: WorkCentre | None) -> datetime.date:
    """The n-th working day after `day` (before it when n < 0; `day` itself when n == 0). Reads the holidays
    of a window wide enough for n (two weeks per five days plus a margin), widening it only if needed."""
    if n == 0:
        return day
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining, current = abs(n), day
    while True:
        window = datetime.timedelta(days=remaining * 2 + 14)
        first, last = sorted((current + step, current + (window if n > 0 else -window)))
        holidays = holidays_for(work_centre, first, last)
        while first <= current + step <= last:
            current += step
            if is_working_day(current, work_centre, holidays):
                remaining -= 1
                if remaining == 0:
                    return current
