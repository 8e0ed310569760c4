"""Pages of continuing training (LDS): the course catalogue (HR: list, create, edit), a course's page with its
attendees and the «add attendance» form (HR; an optional certificate file goes to the person's documents),
removing an attendance (HR), «Mi formación» (self-service: my courses and my yearly hours against my level's
requirement) and the «Formación» panel of the employee's page. Thin: each change is one services.training call."""
from django.contrib import messages
from django.db.models import F, Q
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry, Panel
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, list_page, styled
from apps.hr.access import employee_of, is_hr_staff
from apps.hr.forms_training import TrainingAttendanceForm, TrainingCourseForm
from apps.hr.models import TrainingCourse, TrainingRecord
from apps.hr.panels import register_employee_panel
from apps.hr.selectors_training import course_attendees, employee_records, employee_years
from apps.hr.services.training import COURSE_FIELDS, course_create, course_update, training_record_add, \
    training_record_delete
from apps.hr.views.employees import require_hr

SECTION = _l("Recursos humanos")
TITLE = _l("Cursos de formación")
MY_TITLE = _l("Mi formación")
# "horas": the hours as an annotation, because the generic table shows a 2-decimal model field as euros.
LIST_FIELDS = ["title", "provider", "horas", "modality", "counts_for_distribution", "start_date", "end_date"]
PANEL_ROWS = 5


def course_url(course) -> str:
    return reverse("hr:training-course-detail", args=[course.pk])


@login_required
@require_GET
def course_list_view(request):
    require_hr(request)
    query = request.GET.get("q", "").strip()
    queryset = TrainingCourse.objects.annotate(horas=F("hours"))
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(provider__icontains=query))
    return list_page(request, queryset.order_by("-start_date", "title"), model=TrainingCourse, fields=LIST_FIELDS,
                     sortable={"title", "start_date"}, title=TITLE, list_url=reverse("hr:training-courses"),
                     row_url=course_url, create_url=reverse("hr:training-course-create"), can_create=True,
                     search_fields=("title", "provider"), wrapper_id="training-courses", query=query)


def _course_form_page(request, form, course=None, status=200):
    return render(request, "hr/training/course_form.html", {
        "title": _("Editar curso") if course else _("Nuevo curso"), "form": styled(form), "object": course,
        "cancel_url": course_url(course) if course else reverse("hr:training-courses")}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def course_edit_view(request, pk=None):
    require_hr(request)
    course = get_object_or_404(TrainingCourse, pk=pk) if pk else None
    if request.method == "GET":
        initial = {name: getattr(course, name) for name in COURSE_FIELDS} | {"version": course.version} \
            if course else {}
        return _course_form_page(request, TrainingCourseForm(initial=initial), course)
    form = TrainingCourseForm(request.POST)
    if not form.is_valid():
        return _course_form_page(request, form, course, status=400)
    values = {name: form.cleaned_data[name] for name in COURSE_FIELDS}
    try:
        if course:
            saved = course_update(actor=request.user, course=course,
                                  expected_version=form.cleaned_data["version"], **values)
        else:
            saved = course_create(actor=request.user, **values)
    except DomainError as exc:
        return _course_form_page(request, form, course, status=form_error(form, exc))
    messages.success(request, _("Curso «%s» guardado.") % saved.title)
    return redirect(course_url(saved))


def _course_page(request, course, form, status=200):
    return render(request, "hr/training/course_detail.html", {
        "title": course.title, "object": course, "attendees": list(course_attendees(course)),
        "form": styled(form), "today": timezone.localdate()}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def course_detail_view(request, pk):
    require_hr(request)
    course = get_object_or_404(TrainingCourse, pk=pk)
    if request.method == "GET":
        initial = {"completed_on": course.end_date} if course.end_date else {}
        return _course_page(request, course, TrainingAttendanceForm(course=course, initial=initial))
    form = TrainingAttendanceForm(request.POST, request.FILES, course=course)
    if not form.is_valid():
        return _course_page(request, course, form, status=400)
    data = form.cleaned_data
    try:
        record = training_record_add(actor=request.user, employee=data["employee"], course=course,
                                     completed_on=data["completed_on"], hours=data["hours"],
                                     certificate_file=data["certificate_file"])
    except DomainError as exc:
        return _course_page(request, course, form, status=form_error(form, exc))
    messages.success(request, _("Asistencia de %s registrada.") % record.employee.full_name)
    return redirect(course_url(course))


@login_required
@require_POST
def record_delete_view(request, pk):
    require_hr(request)
    record = get_object_or_404(TrainingRecord.objects.select_related("employee", "course"), pk=pk)
    try:
        training_record_delete(actor=request.user, record=record)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Asistencia de %(name)s a «%(course)s» eliminada.") % {
            "name": record.employee.full_name, "course": record.course.title})
    return redirect(course_url(record.course))


@login_required
@require_GET
def my_training_view(request):
    employee = employee_of(request.user)
    context = {"title": MY_TITLE, "employee": employee}
    if employee is not None:
        context.update({"years": employee_years(employee), "records": list(employee_records(employee))})
    return render(request, "hr/training/mine.html", context)


def training_panel(employee, request) -> dict:
    """The «Formación» panel of the employee's page (its reader already may read the employee)."""
    years = employee_years(employee)
    records = list(employee_records(employee)[:PANEL_ROWS + 1])
    own = employee.user_id is not None and employee.user_id == request.user.pk
    return {"current": years[0] if years else None, "records": records[:PANEL_ROWS],
            "more": len(records) > PANEL_ROWS, "is_hr": is_hr_staff(request.user),
            "url": reverse("hr:my-training") if own else reverse("hr:training-employee", args=[employee.pk])}


register_employee_panel(Panel(title=_l("Formación"), template="hr/training/_panel.html", context=training_panel,
                              order=40))

MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="hr:training-courses", icon="bi-mortarboard", order=55,
                  permission="hr.change_employee"),
        MenuEntry(section=_l("Mi espacio"), label=MY_TITLE, url_name="hr:my-training", icon="bi-mortarboard",
                  order=27)]

urlpatterns = [
    path("formacion/cursos/", course_list_view, name="training-courses"),
    path("formacion/cursos/nuevo/", course_edit_view, name="training-course-create"),
    path("formacion/cursos/<int:pk>/", course_detail_view, name="training-course-detail"),
    path("formacion/cursos/<int:pk>/editar/", course_edit_view, name="training-course-update"),
    path("formacion/asistencias/<int:pk>/eliminar/", record_delete_view, name="training-record-delete"),
    path("mi-formacion/", my_training_view, name="my-training"),
]
