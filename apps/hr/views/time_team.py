"""Manager and HR pages of the working-time record: «Jornada del equipo» (the month of each person of the
team — HR: everyone — with worked and extra hours, signature and days needing a correction), the month
report of one person (with CSV/PDF) and the correction form (a new record, the original stays). A record
outside the reader's reach answers 404; a reader who does not manage the person may not correct (403)."""
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.hr.access import manages
from apps.hr.choices import TimeRecordKind
from apps.hr.models import TimeRecord
from apps.hr.selectors_time import day_summary, month_report, monthly_reports, team_employee_ids
from apps.hr.services.time import correction_create
from apps.hr.views.employees import readable_employee
from apps.hr.views.time import export_response, neighbours, period, report_context

SECTION = _l("Recursos humanos")
TITLE = _l("Jornada del equipo")


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=_l("Tipo de fichaje"), choices=[("", "—"), *TimeRecordKind.choices],
                             required=False)
    date = forms.DateField(label=_l("Fecha"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], required=False,
                           widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/aaaa"}))
    time = forms.TimeField(label=_l("Hora"), input_formats=["%H:%M"], required=False,
                           widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm"}))
    voids = forms.BooleanField(label=_l("Anular el fichaje (no lo sustituye ninguno)"), required=False)
    reason = forms.CharField(label=_l("Motivo"), max_length=250,
                             help_text=_l("Queda en el registro junto a la corrección y a quien la aprueba."))

    def moment(self) -> datetime.datetime | None:
        day, time = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        return timezone.make_aware(datetime.datetime.combine(day, time)) if day and time else None


@login_required
@require_GET
def team_view(request):
    year, month = period(request)
    ids = team_employee_ids(request.user)
    reports = list(monthly_reports(ids or [], year, month).values())
    return render(request, "hr/time/team.html", {
        "title": TITLE, "has_team": ids is not None, "reports": reports, "year": year, "month": month,
        "period": f"{month:02d}/{year}", "unsigned": sum(r.signoff is None for r in reports),
        "pending": sum(r.incomplete_days for r in reports), **neighbours(year, month)})


@login_required
@require_GET
def employee_report_view(request, pk):
    employee = readable_employee(request, pk)
    year, month = period(request)
    report = month_report(employee, year, month)
    exported = export_response(report, request.GET.get("export", ""))
    if exported is not None:
        return exported
    return render(request, "hr/time/employee_report.html", report_context(
        report, title=_("Registro de jornada · %s") % employee.full_name, employee=employee,
        can_correct=manages(request.user, employee), base_url=reverse("hr:time-employee", args=[employee.pk])))


def _initial(request, employee, record) -> dict:
    if record is not None:
        moment = timezone.localtime(record.at)
        return {"kind": record.kind, "date": moment.date(), "time": moment.time().replace(second=0, microsecond=0)}
    try:
        return {"date": datetime.datetime.strptime(request.GET.get("date", ""), "%Y-%m-%d").date()}
    except ValueError:
        return {}


@login_required
@require_http_methods(["GET", "POST"])
def correction_view(request, pk):
    employee = readable_employee(request, pk)
    if not manages(request.user, employee):
        raise PermissionDenied(_("Corrige el registro de jornada su responsable o RRHH."))
    record_id = request.POST.get("record") or request.GET.get("record")
    record = get_object_or_404(TimeRecord, pk=record_id, employee=employee) if record_id else None
    form = CorrectionForm(request.POST or None, initial=_initial(request, employee, record))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = correction_create(
                    actor=request.user, employee=employee, replaces=record, kind=form.cleaned_data["kind"] or None,
                    at=form.moment(), reason=form.cleaned_data["reason"], approver=request.user,
                    voids=form.cleaned_data["voids"])
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Corrección registrada; el fichaje original se conserva."))
                moment = timezone.localtime(created.at)
                return redirect(f"{reverse('hr:time-employee', args=[employee.pk])}?year={moment.year}"
                                f"&month={moment.month}")
        else:
            status = 400
    day = form.initial.get("date") or timezone.localdate()
    return render(request, "hr/time/correction.html", {
        "title": _("Corregir el registro de jornada · %s") % employee.full_name, "employee": employee,
        "record": record, "form": styled(form), "day": day_summary(employee, day)}, status=status)


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="hr:time-team", icon="bi-calendar-check", order=40)]

urlpatterns = [
    path("jornada/", team_view, name="time-team"),
    path("jornada/<int:pk>/", employee_report_view, name="time-employee"),
    path("jornada/<int:pk>/corregir/", correction_view, name="time-correction"),
]
