"""«Formación LDS» supervisor report: HR sees everyone, a manager their team. Year selector, one row per person
with level, required, done and missing hours and a state badge; filters (department, level, only those who do not
comply), CSV export and a printable page. HR also edits the yearly hours of each level here (audited). And the
training page of one person (HR and their managers; 404 outside the reader's reach)."""
import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.views.list_pages import styled
from apps.hr.access import employee_of, is_hr_staff
from apps.hr.forms_training import LEVELS, TrainingReportFilterForm, TrainingRequirementsForm
from apps.hr.selectors_training import employee_records, employee_years, report_employees, requirements, \
    training_report
from apps.hr.services.training import training_requirement_update
from apps.hr.views.employees import employee_url, readable_employee, require_hr

SECTION = _l("Recursos humanos")
TITLE = _l("Formación LDS")


def _hours(value) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _csv(rows, year: int) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="formacion-lds-{year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Código"), _("Apellidos y nombre"), _("Departamento"), _("Nivel"), _("Horas exigidas"),
                     _("Horas realizadas"), _("Horas pendientes"), _("Estado")])
    for row in rows:
        e = row.employee
        writer.writerow([e.code, f"{e.last_name}, {e.first_name}", str(e.department or ""), row.level_label,
                         _hours(row.required), _hours(row.done), _hours(row.missing), row.state_label])
    return response


def _filters(request) -> dict:
    form = TrainingReportFilterForm(request.GET or None, initial={"year": timezone.localdate().year})
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return {"form": form, "year": data.get("year") or timezone.localdate().year,
            "department": data.get("department"), "level": data.get("level") or "",
            "pending": bool(data.get("pending"))}


def _with(params, **changes) -> str:
    params = params.copy()
    for name, value in changes.items():
        params[name] = value
    return params.urlencode()


def _requirements_form(data=None):
    return TrainingRequirementsForm(data, current=requirements())


@login_required
@require_GET
def report_view(request):
    employees = report_employees(request.user)
    chosen = _filters(request)
    year = chosen["year"]
    rows = [] if employees is None else training_report(
        employees, year, department=chosen["department"], level=chosen["level"], pending_only=chosen["pending"])
    export = request.GET.get("export", "")
    if export == "csv" and employees is not None:
        return _csv(rows, year)
    hr = is_hr_staff(request.user)
    params = request.GET.copy()
    params.pop("export", None)
    context = {"title": TITLE, "year": year, "rows": rows, "has_team": employees is not None,
               "filters": styled(chosen["form"]), "previous": year - 1, "next": year + 1,
               "previous_query": _with(params, year=year - 1), "next_query": _with(params, year=year + 1), "is_hr": hr,
               "pending": sum(row.compliant is False for row in rows), "query": params.urlencode(),
               "requirements_form": styled(_requirements_form()) if hr else None}
    template = "hr/training/report_print.html" if export == "print" else "hr/training/report.html"
    return render(request, template, context)


@login_required
@require_POST
def requirements_view(request):
    require_hr(request)
    form = _requirements_form(request.POST)
    if not form.is_valid():
        messages.error(request, _("Revise las horas: %s") % " ".join(
            f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()))
        return redirect(reverse("hr:training-report"))
    try:
        for level in LEVELS:
            training_requirement_update(actor=request.user, level=level.value,
                                        yearly_hours=form.cleaned_data[level.value])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Horas anuales exigidas guardadas."))
    return redirect(reverse("hr:training-report"))


@login_required
@require_GET
def employee_training_view(request, pk):
    employee = readable_employee(request, pk)
    own = employee_of(request.user)
    if own is not None and own.pk == employee.pk:
        return redirect(reverse("hr:my-training"))
    return render(request, "hr/training/employee.html", {
        "title": _("Formación · %s") % employee.full_name, "employee": employee,
        "employee_url": employee_url(employee), "years": employee_years(employee),
        "records": list(employee_records(employee)), "is_hr": is_hr_staff(request.user)})


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="hr:training-report", icon="bi-award", order=56)]

urlpatterns = [
    path("formacion/informe/", report_view, name="training-report"),
    path("formacion/informe/horas-exigidas/", requirements_view, name="training-requirements"),
    path("formacion/informe/empleados/<int:pk>/", employee_training_view, name="training-employee"),
]
