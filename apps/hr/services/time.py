"""Registro de jornada: clocking (in, out, start and end of a break, in that order within the local day, at the
server's time), corrections (a new record naming the one it replaces or voids, with its reason and an approver
who manages the employee — never the employee) and the employee's monthly sign-off with the totals signed.
Records are never updated or deleted (a database trigger refuses it)."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.hr.access import employee_of, manages
from apps.hr.choices import TimeRecordKind, TimeRecordSource
from apps.hr.errors import HRError
from apps.hr.models import Employee, TimeRecord, TimeSheetSignoff
from apps.hr.selectors_time import BREAK, IN, OUT, day_summary, local_day, month_report

CLOCK_SOURCES = (TimeRecordSource.WEB, TimeRecordSource.API)
ALLOWED = {OUT: (TimeRecordKind.CLOCK_IN,), IN: (TimeRecordKind.BREAK_START, TimeRecordKind.CLOCK_OUT),
           BREAK: (TimeRecordKind.BREAK_END,)}
SLACK = datetime.timedelta(minutes=1)


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _hhmm(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def next_actions(state: str) -> tuple:
    """The kinds the employee may clock next from `state` (the «Fichar» buttons)."""
    return ALLOWED[state]


def _refusal(summary, kind: str) -> HRError:
    state = summary.state
    if kind == TimeRecordKind.CLOCK_IN:
        first = next(r.at for r in reversed(summary.records) if r.kind == TimeRecordKind.CLOCK_IN)
        return HRError(_("Ya ha fichado la entrada a las %s.") % _hhmm(first), code="hr_time_already_in",
                       field="kind", status=409)
    if kind == TimeRecordKind.CLOCK_OUT and state == OUT:
        return HRError(_("No puede fichar la salida sin haber fichado la entrada."), code="hr_time_not_in",
                       field="kind", status=409)
    if kind == TimeRecordKind.CLOCK_OUT:
        return HRError(_("Termine la pausa antes de fichar la salida."), code="hr_time_on_break", field="kind",
                       status=409)
    if kind == TimeRecordKind.BREAK_START and state == BREAK:
        return HRError(_("Ya está en pausa desde las %s.") % _hhmm(summary.open_since), code="hr_time_on_break",
                       field="kind", status=409)
    if kind == TimeRecordKind.BREAK_START:
        return HRError(_("La pausa solo puede empezar dentro de la jornada, después de fichar la entrada."),
                       code="hr_time_break_outside", field="kind", status=409)
    return HRError(_("No hay ninguna pausa iniciada que terminar."), code="hr_time_no_break", field="kind",
                   status=409)


def _lock(employee) -> Employee:
    """Serialises an employee's clocking (two taps at once record one entry)."""
    return Employee.objects.select_for_update().get(pk=employee.pk)


@transaction.atomic
def clock(*, actor, employee, kind: str, at: datetime.datetime | None = None, source: str = TimeRecordSource.WEB,
          ip: str | None = None) -> TimeRecord:
    """The employee clocks for themselves at the server's time. `at` is for server-side callers only (tests,
    a terminal's own import); the web page and the API never pass it, and a time in the future is refused.
    Another time is recorded through correction_create()."""
    if kind not in TimeRecordKind.values:
        raise HRError(_("Tipo de fichaje desconocido."), code="hr_time_kind", field="kind")
    if source not in CLOCK_SOURCES:
        raise HRError(_("Las correcciones se registran con su motivo y su aprobación."), code="hr_time_source")
    if employee.user_id is None or getattr(actor, "pk", None) != employee.user_id:
        raise HRError(_("Cada persona ficha por sí misma; RRHH o su responsable registran una corrección."),
                      code="hr_time_not_own", status=403)
    if not employee.is_active:
        raise HRError(_("La ficha de este empleado está de baja."), code="hr_time_inactive", status=409)
    now = timezone.now()
    at = at or now
    if at > now + SLACK:
        raise HRError(_("No se puede fichar una hora futura."), code="hr_time_future", field="at")
    employee = _lock(employee)
    summary = day_summary(employee, local_day(at))
    if summary.records and summary.records[-1].at > at:
        raise HRError(_("Ya hay un fichaje posterior (%s) ese día.") % _hhmm(summary.records[-1].at),
                      code="hr_time_order", field="at", status=409)
    if kind not in ALLOWED[summary.state]:
        raise _refusal(summary, kind)
    record = TimeRecord.objects.create(employee=employee, kind=kind, at=at, source=source, created_by=_actor(actor),
                                       ip_address=ip or None)
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=record, verb="hr_time_clock",
                       changes={"kind": [None, kind], "at": [None, record.at], "source": [None, source]})
    publish("hr.time.clocked", pk=record.pk, employee=employee.pk, kind=kind)
    return record


def _check_approver(*, actor, employee, approver) -> None:
    if approver is None:
        raise HRError(_("Indique quién aprueba la corrección."), code="hr_time_approver", field="approver")
    own = employee_of(approver)
    if (own is not None and own.pk == employee.pk) or (employee.user_id and employee.user_id == approver.pk):
        raise HRError(_("Nadie puede aprobar la corrección de su propio registro de jornada."),
                      code="hr_time_own_approval", field="approver", status=403)
    if not manages(approver, employee):
        raise HRError(_("Aprueba la corrección su responsable o RRHH."), code="hr_time_approver_reach",
                      field="approver", status=403)
    if not manages(actor, employee):
        raise HRError(_("Solo su responsable o RRHH pueden corregir el registro de jornada de esta persona."),
                      code="hr_time_correction_reach", status=403)


@transaction.atomic
def correction_create(*, actor, employee, replaces: TimeRecord | None = None, kind: str | None = None,
                      at: datetime.datetime | None = None, reason: str, approver, voids: bool = False) -> TimeRecord:
    """A new record (source CORRECTION) that replaces `replaces` with `kind` at `at`, voids it (`voids`), or
    adds a missed punch (no `replaces`). The original row stays as it was."""
    reason = (reason or "").strip()
    if not reason:
        raise HRError(_("Indique el motivo de la corrección."), code="hr_time_reason", field="reason")
    _check_approver(actor=actor, employee=employee, approver=approver)
    if replaces is not None:
        if replaces.employee_id != employee.pk:
            raise HRError(_("El fichaje corregido es de otra persona."), code="hr_time_other", field="replaces")
        if replaces.voids or TimeRecord.objects.filter(replaces=replaces).exists():
            raise HRError(_("Ese fichaje ya está corregido; corrija el registro vigente."),
                          code="hr_time_already_corrected", field="replaces", status=409)
    if voids:
        if replaces is None:
            raise HRError(_("Indique el fichaje que se anula."), code="hr_time_void_target", field="replaces")
        kind, at = replaces.kind, replaces.at
    if kind not in TimeRecordKind.values:
        raise HRError(_("Indique el tipo de fichaje."), code="hr_time_kind", field="kind")
    if at is None:
        raise HRError(_("Indique la fecha y la hora."), code="hr_time_at", field="at")
    if at > timezone.now() + SLACK:
        raise HRError(_("No se puede registrar una hora futura."), code="hr_time_future", field="at")
    _lock(employee)
    record = TimeRecord.objects.create(employee=employee, kind=kind, at=at, source=TimeRecordSource.CORRECTION,
                                       replaces=replaces, voids=bool(voids), reason=reason[:250],
                                       approved_by=approver, created_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=record, verb="hr_time_correction",
                       changes={"replaces": [None, getattr(replaces, "pk", None)], "kind": [None, kind],
                                "at": [None, at], "voids": [None, bool(voids)], "reason": [None, reason],
                                "approved_by": [None, approver.pk]})
    publish("hr.time.corrected", pk=record.pk, employee=employee.pk, replaces=getattr(replaces, "pk", None))
    return record


@transaction.atomic
def timesheet_sign(*, actor, employee, year: int, month: int) -> TimeSheetSignoff:
    """The employee signs their ended month: the signature keeps the worked minutes and days of that moment."""
    if employee.user_id is None or getattr(actor, "pk", None) != employee.user_id:
        raise HRError(_("Cada persona firma su propio registro mensual."), code="hr_time_sign_own", status=403)
    if not (1 <= int(month) <= 12 and 2000 <= int(year) <= 2100):
        raise HRError(_("Mes no válido."), code="hr_time_month", field="month")
    _lock(employee)
    report = month_report(employee, int(year), int(month))
    if not report.ended:
        raise HRError(_("Solo se firma un mes terminado."), code="hr_time_month_open", status=409)
    if report.signoff is not None:
        raise HRError(_("Ya firmó el registro de %(period)s el %(date)s.")
                      % {"period": report.period, "date": date_format(timezone.localtime(report.signoff.signed_at),
                                                                       "d/m/Y")},
                      code="hr_time_signed", status=409)
    if report.incomplete_days:
        raise HRError(_("Hay %d días con fichajes incompletos: pida a su responsable que los corrija antes de "
                        "firmar.") % report.incomplete_days, code="hr_time_incomplete", status=409)
    signoff = TimeSheetSignoff.objects.create(employee=employee, year=report.year, month=report.month,
                                              worked_minutes=report.worked_minutes, days_worked=report.days_worked,
                                              signed_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=signoff, verb="hr_time_signoff",
                       changes={"worked_minutes": [None, report.worked_minutes],
                                "days_worked": [None, report.days_worked]})
    publish("hr.time.signed", pk=signoff.pk, employee=employee.pk, year=report.year, month=report.month)
    return signoff
