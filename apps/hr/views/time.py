"""Self-service pages of the working-time record: «Fichar» (one big button per allowed next action, today's
records and the time worked so far; always at the server's time) and «Mi registro» (the month report with
the signature and CSV/PDF export). A user without an employee record is told so, with 200."""
import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.hr.access import employee_of
from apps.hr.choices import TimeRecordKind, TimeRecordSource
from apps.hr.selectors_time import day_summary, month_report
from apps.hr.services.time import clock, next_actions, timesheet_sign
from apps.hr.services.time_export import report_csv_rows, report_file_name, report_pdf, signoff_note

SECTION = _l("Mi espacio")
CLOCK_TITLE = _l("Fichar")
REPORT_TITLE = _l("Mi registro de jornada")
BUTTONS = {TimeRecordKind.CLOCK_IN: (_l("Fichar entrada"), "btn-success", "bi-box-arrow-in-right"),
           TimeRecordKind.CLOCK_OUT: (_l("Fichar salida"), "btn-danger", "bi-box-arrow-right"),
           TimeRecordKind.BREAK_START: (_l("Iniciar pausa"), "btn-warning", "bi-cup-hot"),
           TimeRecordKind.BREAK_END: (_l("Terminar pausa"), "btn-primary", "bi-play-circle")}


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def period(request) -> tuple[int, int]:
    """?month=MM&year=YYYY, else the current month."""
    today = timezone.localdate()
    try:
        year, month = int(request.GET.get("year") or today.year), int(request.GET.get("month") or today.month)
        datetime.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return (year, month) if 2000 <= year <= 2100 else (today.year, today.month)


def neighbours(year: int, month: int) -> dict:
    previous = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    following = datetime.date(year, month, 28) + datetime.timedelta(days=4)
    return {"previous": {"year": previous.year, "month": previous.month},
            "next": {"year": following.year, "month": following.month}}


def export_response(report, kind: str) -> HttpResponse | None:
    """The CSV or PDF of the report when ?export=csv|pdf, else None."""
    if kind == "pdf":
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report_file_name(report, "pdf")}"'
        return response
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{report_file_name(report, "csv")}"'
        response.write("\ufeff")
        csv.writer(response, delimiter=";").writerows(report_csv_rows(report))
        return response
    return None


def report_context(report, **extra) -> dict:
    return {"report": report, "signoff_note": signoff_note(report), **neighbours(report.year, report.month),
            **extra}


@login_required
@require_http_methods(["GET", "POST"])
def clock_view(request):
    employee = employee_of(request.user)
    status = 200
    if request.method == "POST" and employee is not None:
        try:
            record = clock(actor=request.user, employee=employee, kind=request.POST.get("kind", ""),
                           source=TimeRecordSource.WEB, ip=client_ip(request))
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, _("%(kind)s registrada a las %(time)s.") % {
                "kind": record.get_kind_display(), "time": timezone.localtime(record.at).strftime("%H:%M")})
            return redirect(reverse("hr:time-clock"))
    context = {"title": CLOCK_TITLE, "employee": employee, "now": timezone.localtime()}
    if employee is not None:
        today = day_summary(employee, timezone.localdate(), until=timezone.now())
        context.update({"today": today, "buttons": [(kind, *BUTTONS[kind]) for kind in next_actions(today.state)]})
    return render(request, "hr/time/clock.html", context, status=status)


@login_required
@require_GET
def my_report_view(request):
    employee = employee_of(request.user)
    year, month = period(request)
    if employee is None:
        return render(request, "hr/time/my_report.html", {"title": REPORT_TITLE, "employee": None})
    report = month_report(employee, year, month)
    exported = export_response(report, request.GET.get("export", ""))
    if exported is not None:
        return exported
    return render(request, "hr/time/my_report.html", report_context(
        report, title=REPORT_TITLE, employee=employee, own=True, base_url=reverse("hr:time-my-report")))


@login_required
@require_POST
def my_report_sign_view(request):
    employee = employee_of(request.user)
    try:
        year, month = int(request.POST.get("year", "")), int(request.POST.get("month", ""))
    except ValueError:
        year, month = period(request)
    target = f"{reverse('hr:time-my-report')}?year={year}&month={month}"
    if employee is None:
        return redirect(target)
    try:
        signoff = timesheet_sign(actor=request.user, employee=employee, year=year, month=month)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ha firmado su registro de jornada de %(month)02d/%(year)d.") % {
            "month": signoff.month, "year": signoff.year})
    return redirect(target)


MENU = [MenuEntry(section=SECTION, label=CLOCK_TITLE, url_name="hr:time-clock", icon="bi-stopwatch", order=1),
        MenuEntry(section=SECTION, label=REPORT_TITLE, url_name="hr:time-my-report", icon="bi-calendar-week",
                  order=2)]

urlpatterns = [
    path("fichar/", clock_view, name="time-clock"),
    path("mi-registro/", my_report_view, name="time-my-report"),
    path("mi-registro/firmar/", my_report_sign_view, name="time-my-report-sign"),
]
