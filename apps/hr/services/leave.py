"""Leave requests (issue 8 item 5): an employee asks for days (working days of their work centre, or natural
days for the types counted so), the manager — at any level — or HR approves or rejects with a note, the
employee may cancel while the request is pending and HR also after approval (the days go back to the balance).
Refused: dates the wrong way round, days beyond the balance (the message tells the balance), a request that
overlaps the employee's own pending or approved leave. Warned, not refused: teammates (same manager) off on some
of the same days. Leave that needs no approval (incapacidad temporal) is registered by HR, approved at once."""
import dataclasses
import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.hr.access import employee_of, is_hr_staff, manages
from apps.hr.choices import LeaveRequestState
from apps.hr.errors import HRError
from apps.hr.models import Employee, LeaveRequest, LeaveType
from apps.hr.services.calendars import working_days
from apps.hr.services.leave_allowances import RESERVED, allowance_for, balance, fmt_days
from apps.notifications.choices import NotificationKind
from apps.notifications.services.notifications import notification_send

State = LeaveRequestState


@dataclasses.dataclass
class LeaveResult:
    request: LeaveRequest
    warnings: list[str]


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _d(day: datetime.date) -> str:
    return date_format(day, "d/m/Y")


def _span(leave) -> str:
    return _d(leave.start_date) if leave.start_date == leave.end_date else \
        _("del %(start)s al %(end)s") % {"start": _d(leave.start_date), "end": _d(leave.end_date)}


def leave_days(leave_type: LeaveType, start: datetime.date, end: datetime.date, work_centre) -> Decimal:
    """What a request of [start, end] takes: working days of the centre, or natural days."""
    if end < start:
        return Decimal("0")
    if leave_type.counts_working_days:
        return Decimal(working_days(start, end, work_centre))
    return Decimal((end - start).days + 1)


def _check_dates(leave_type, start, end, days) -> None:
    if start is None or end is None:
        raise HRError(_("Indique las fechas de inicio y fin."), code="hr_leave_dates", field="start_date")
    if end < start:
        raise HRError(_("La fecha de fin (%(end)s) es anterior a la de inicio (%(start)s).") % {
            "end": _d(end), "start": _d(start)}, code="hr_leave_dates", field="end_date")
    if days <= 0:
        raise HRError(_("Entre el %(start)s y el %(end)s no hay ningún día laborable.") % {
            "start": _d(start), "end": _d(end)}, code="hr_leave_no_days", field="end_date")
    if leave_type.uses_allowance and start.year != end.year:
        raise HRError(_("Los días de cada año se descuentan de su saldo: pida por separado los de %(a)d y los de "
                        "%(b)d.") % {"a": start.year, "b": end.year}, code="hr_leave_two_years", field="end_date")
    if not leave_type.uses_allowance and leave_type.default_days and days > leave_type.default_days:
        unit = _("laborables") if leave_type.counts_working_days else _("naturales")
        raise HRError(_("«%(type)s» es de %(max)s días %(unit)s como máximo; ha pedido %(days)s.") % {
            "type": leave_type.name, "max": fmt_days(leave_type.default_days), "unit": unit, "days": fmt_days(days)},
            code="hr_leave_type_max", field="end_date")


def _check_balance(employee, leave_type, start, days, *, lock: bool):
    allowance_for(employee, leave_type, start.year, lock=lock)
    current = balance(employee, leave_type, start.year)
    if days > current.available:
        raise HRError(_("No le quedan días suficientes de %(type)s en %(year)d: su saldo es de %(balance)s días "
                        "(%(total)s del año, %(approved)s disfrutados o aprobados y %(requested)s pendientes de "
                        "aprobar) y pide %(days)s.") % {
            "type": leave_type.name.lower(), "year": start.year, "balance": fmt_days(current.available),
            "total": fmt_days(current.total), "approved": fmt_days(current.approved),
            "requested": fmt_days(current.requested), "days": fmt_days(days)},
            code="hr_leave_balance", field="end_date")
    return current


def overlapping(queryset, start, end):
    return queryset.filter(state__in=RESERVED, start_date__lte=end, end_date__gte=start)


def team_warnings(employee, start, end, *, exclude_pk=None) -> list[str]:
    """Teammates (same manager) with pending or approved leave on some day of [start, end]: one query."""
    if employee.manager_id is None:
        return []
    others = overlapping(LeaveRequest.objects.filter(employee__manager_id=employee.manager_id)
                         .exclude(employee=employee).exclude(pk=exclude_pk), start, end)
    return [_("%(name)s también estará ausente %(span)s (%(state)s).") % {
        "name": other.employee.full_name, "span": _span(other), "state": other.get_state_display().lower()}
        for other in others.select_related("employee").order_by("start_date", "pk")]


def _may_request(actor, employee, leave_type) -> None:
    own = employee_of(actor) if actor is not None else None
    hr = actor is None or is_hr_staff(actor)
    if not leave_type.needs_approval and not hr:
        raise HRError(_("«%s» la registra RRHH con el parte correspondiente.") % leave_type.name,
                      code="hr_leave_hr_only", field="leave_type", status=403)
    if not hr and (own is None or own.pk != employee.pk):
        raise HRError(_("Cada persona pide sus propias ausencias; RRHH puede registrarlas por cualquiera."),
                      code="hr_leave_not_own", status=403)


def _notify(user, *, title: str, body: str, url: str, kind: str = NotificationKind.APPROVAL) -> None:
    """The approval flow of leave (request, decision, cancellation): kind «approval»."""
    if user is not None and user.is_active:
        notification_send(recipient=user, title=title, body=body, url=url, kind=kind)


def _summary(leave) -> str:
    return _("%(type)s %(span)s (%(days)s días)") % {"type": leave.leave_type.name, "span": _span(leave),
                                                     "days": fmt_days(leave.days)}


def _validated(employee, leave_type, start_date, end_date, *, lock: bool) -> tuple[Decimal, object]:
    """(days, balance before the request or None) of a request that passes every rule, else HRError."""
    if not leave_type.is_active:
        raise HRError(_("Ese tipo de ausencia ya no se usa."), code="hr_leave_type_inactive", field="leave_type")
    days = leave_days(leave_type, start_date, end_date, employee.work_centre) if start_date and end_date else 0
    _check_dates(leave_type, start_date, end_date, days)
    clash = overlapping(LeaveRequest.objects.filter(employee=employee), start_date, end_date) \
        .select_related("leave_type").order_by("start_date").first()
    if clash is not None:
        raise HRError(_("Ya tiene %(what)s (%(state)s) que coincide con esas fechas.") % {
            "what": _summary(clash), "state": clash.get_state_display().lower()},
            code="hr_leave_overlap", field="start_date", status=409)
    current = _check_balance(employee, leave_type, start_date, days, lock=lock) if leave_type.uses_allowance \
        else None
    return days, current


@dataclasses.dataclass
class LeavePreview:
    days: Decimal
    available: Decimal | None   # the balance left after the request (types with an allowance)
    warnings: list[str]


def leave_request_preview(*, employee: Employee, leave_type: LeaveType, start_date: datetime.date,
                          end_date: datetime.date) -> LeavePreview:
    """What leave_request_create would take and warn, without saving (HRError if it would be refused)."""
    days, current = _validated(employee, leave_type, start_date, end_date, lock=False)
    return LeavePreview(days=days, available=None if current is None else current.available - days,
                        warnings=team_warnings(employee, start_date, end_date))


@transaction.atomic
def leave_request_create(*, actor, employee: Employee, leave_type: LeaveType, start_date: datetime.date,
                         end_date: datetime.date, notes: str = "") -> LeaveResult:
    _may_request(actor, employee, leave_type)
    employee = Employee.objects.select_for_update(of=("self",)).select_related(
        "work_centre", "manager__user").get(pk=employee.pk)
    days, _current = _validated(employee, leave_type, start_date, end_date, lock=True)
    automatic = not leave_type.needs_approval
    leave = LeaveRequest.objects.create(
        employee=employee, leave_type=leave_type, start_date=start_date, end_date=end_date, days=days,
        notes=(notes or "").strip()[:250], state=State.APPROVED if automatic else State.REQUESTED,
        decided_by=_actor(actor) if automatic else None, decided_at=timezone.now() if automatic else None,
        created_by=_actor(actor), updated_by=_actor(actor))
    audit_event_record(actor=_actor(actor), action=AuditAction.CREATE, obj=leave, verb="hr_leave_request",
                       changes={"leave_type": [None, leave_type.code], "start_date": [None, start_date],
                                "end_date": [None, end_date], "days": [None, days], "state": [None, leave.state]})
    publish("hr.leave.requested", pk=leave.pk, employee=employee.pk, state=leave.state)
    warnings = team_warnings(employee, start_date, end_date, exclude_pk=leave.pk)
    if not automatic and employee.manager is not None:
        _notify(employee.manager.user, title=_("Solicitud de ausencia de %s") % employee.full_name,
                body=_summary(leave) + (f" · {leave.notes}" if leave.notes else ""),
                url=reverse("hr:leave-team"))
    return LeaveResult(request=leave, warnings=warnings)


def _decide(*, actor, leave: LeaveRequest, state: str, note: str, verb: str) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related(
        "employee__user", "leave_type").get(pk=leave.pk)
    own = employee_of(actor)
    if own is not None and own.pk == leave.employee_id:
        raise HRError(_("Nadie aprueba ni rechaza sus propias ausencias."), code="hr_leave_own_decision", status=403)
    if not manages(actor, leave.employee):
        raise HRError(_("Resuelve la solicitud el responsable de la persona o RRHH."), code="hr_leave_reach",
                      status=403)
    if leave.state != State.REQUESTED:
        raise HRError(_("La solicitud ya está %s.") % leave.get_state_display().lower(), code="hr_leave_state",
                      status=409)
    before = leave.state
    leave.state, leave.decided_by, leave.decided_at = state, actor, timezone.now()
    leave.decision_note, leave.updated_by = (note or "").strip()[:250], actor
    leave.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "updated_by", "updated_at"])
    audit_event_record(actor=actor, action=AuditAction.ACTION, obj=leave, verb=verb,
                       changes={"state": [before, state], "decision_note": [None, leave.decision_note]})
    publish(f"hr.leave.{state}", pk=leave.pk, employee=leave.employee_id)
    return leave


@transaction.atomic
def leave_request_approve(*, actor, leave: LeaveRequest, note: str = "") -> LeaveRequest:
    leave = _decide(actor=actor, leave=leave, state=State.APPROVED, note=note, verb="hr_leave_approve")
    _notify(leave.employee.user, title=_("Ausencia aprobada: %s") % _summary(leave),
            body=leave.decision_note, url=reverse("hr:leave-mine"))
    return leave


@transaction.atomic
def leave_request_reject(*, actor, leave: LeaveRequest, note: str) -> LeaveRequest:
    if not (note or "").strip():
        raise HRError(_("Indique el motivo del rechazo: se le comunica a la persona."), code="hr_leave_note",
                      field="note")
    leave = _decide(actor=actor, leave=leave, state=State.REJECTED, note=note, verb="hr_leave_reject")
    _notify(leave.employee.user, title=_("Ausencia rechazada: %s") % _summary(leave),
            body=leave.decision_note, url=reverse("hr:leave-mine"))
    return leave


@transaction.atomic
def leave_request_cancel(*, actor, leave: LeaveRequest, note: str = "") -> LeaveRequest:
    """The employee cancels their pending request; HR cancels a pending or an approved one (days given back)."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related(
        "employee__user", "employee__manager__user", "leave_type").get(pk=leave.pk)
    own = employee_of(actor)
    is_own = own is not None and own.pk == leave.employee_id
    hr = is_hr_staff(actor)
    if not (is_own or hr):
        raise HRError(_("Anula la solicitud la propia persona o RRHH."), code="hr_leave_cancel_reach", status=403)
    allowed = RESERVED if hr else (State.REQUESTED,)
    if leave.state not in allowed:
        message = (_("Una ausencia ya aprobada solo la puede anular RRHH.") if leave.state == State.APPROVED
                   else _("La solicitud ya está %s.") % leave.get_state_display().lower())
        raise HRError(message, code="hr_leave_state", status=409)
    before = leave.state
    leave.state, leave.updated_by = State.CANCELLED, actor
    if note:
        leave.decision_note = note.strip()[:250]
    leave.save(update_fields=["state", "decision_note", "updated_by", "updated_at"])
    audit_event_record(actor=actor, action=AuditAction.ACTION, obj=leave, verb="hr_leave_cancel",
                       changes={"state": [before, State.CANCELLED]})
    publish("hr.leave.cancelled", pk=leave.pk, employee=leave.employee_id)
    if not is_own:
        _notify(leave.employee.user, title=_("Ausencia anulada por RRHH: %s") % _summary(leave),
                body=leave.decision_note, url=reverse("hr:leave-mine"))
    elif before == State.REQUESTED and leave.employee.manager is not None:
        _notify(leave.employee.manager.user, title=_("%s retira su solicitud de ausencia") % leave.employee.full_name,
                body=_summary(leave), url=reverse("hr:leave-team"))
    return leave
