"""Pages of «Empleados»: the list (HR all, a manager their team; department, centre, active; CSV/XLSX), the
employee's page (data, contracts with their history, the panels other HR areas register) and the HR-only
create/edit forms and deactivation. A record outside the reader's reach answers 404 (apps.hr.access)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.audit.selectors import history_for
from apps.core.edit_conflicts import edit_conflict, edit_guard, posted_version
from apps.core.errors import DomainError, StaleObjectError
from apps.core.views.list_pages import form_error, list_page, styled
from apps.hr.access import employee_of, is_hr_staff, require_readable, visible_employees
from apps.hr.filtersets_employees import EmployeeFilterSet
from apps.hr.forms_employees import EmployeeForm
from apps.hr.models import Employee
from apps.hr.panels import employee_panels
from apps.hr.selectors import contracts_with_history
from apps.hr.services.employees import employee_create, employee_deactivate, employee_update
from apps.hr.validators import iban_masked

SECTION = _l("Recursos humanos")
TITLE = _l("Empleados")
LIST_FIELDS = ["code", "last_name", "first_name", "tax_id", "department", "position", "manager", "work_centre",
               "is_active"]
SORTABLE = {"code", "last_name", "first_name"}


def employee_url(employee) -> str:
    return reverse("hr:employee-detail", args=[employee.pk])


def readable_employee(request, pk) -> Employee:
    """The employee `pk` if the user may read them, else 404 (whether or not the record exists)."""
    employee = get_object_or_404(Employee.objects.select_related("department", "work_centre", "manager", "user"),
                                 pk=pk)
    return require_readable(request.user, employee)


def require_hr(request) -> None:
    if not is_hr_staff(request.user):
        raise PermissionDenied(_("Su rol no permite esta operación."))


@login_required
@require_GET
def employee_list_view(request):
    queryset = visible_employees(request.user).select_related("department", "work_centre", "manager")
    filterset = EmployeeFilterSet(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    return list_page(request, EmployeeFilterSet.search(qs, query), model=Employee, fields=LIST_FIELDS,
                     sortable=SORTABLE, title=TITLE, list_url=reverse("hr:employee-list"), row_url=employee_url,
                     filterset=filterset, create_url=reverse("hr:employee-create"),
                     can_create=is_hr_staff(request.user), search_fields=("code", "last_name", "tax_id"),
                     wrapper_id="employee-list", query=query)


def employee_page_context(request, employee) -> dict:
    hr = is_hr_staff(request.user)
    own = employee.user_id is not None and employee.user_id == request.user.pk
    contracts = contracts_with_history(employee, show_salary=hr or own)
    return {"object": employee, "title": employee.full_name, "list_url": reverse("hr:employee-list"),
            "is_hr": hr, "is_own": own, "show_salary": hr or own,
            "contracts": contracts, "record_panels": employee_panels(employee, request),
            "history": history_for(employee) if hr else []}


@login_required
@require_GET
def employee_detail_view(request, pk):
    employee = readable_employee(request, pk)
    return render(request, "hr/employees/detail.html", employee_page_context(request, employee))


def _form_page(request, form, *, employee=None, status=200, conflict=None):
    return render(request, "hr/employees/form.html", {
        "title": _("Editar empleado") if employee else _("Nuevo empleado"), "form": styled(form), "object": employee,
        "list_url": reverse("hr:employee-list"),
        "edit_guard": edit_guard(request, employee, conflict=conflict, form=form) if employee else None,
        "cancel_url": employee_url(employee) if employee else reverse("hr:employee-list")}, status=status)


def _save(request, form, save, employee=None):
    valid = form.is_valid()
    conflict = edit_conflict(request, form=form, instance=employee) if employee else None
    if conflict:  # someone saved meanwhile (or «Comparar»): the comparison, nothing saved
        return _form_page(request, form, employee=employee, status=conflict.status, conflict=conflict)
    if not valid:
        return _form_page(request, form, employee=employee, status=400)
    try:
        saved = save(dict(form.cleaned_data))
    except StaleObjectError:
        conflict = edit_conflict(request, form=form, instance=employee, stale=True)
        return _form_page(request, form, employee=employee, status=conflict.status, conflict=conflict)
    except DomainError as exc:
        return _form_page(request, form, employee=employee, status=form_error(form, exc))
    messages.success(request, _("Empleado %s guardado.") % saved.full_name)
    return redirect(employee_url(saved))


@login_required
@require_http_methods(["GET", "POST"])
def employee_create_view(request):
    require_hr(request)
    if request.method == "GET":
        return _form_page(request, EmployeeForm())
    return _save(request, EmployeeForm(request.POST), lambda values: employee_create(actor=request.user, **values))


@login_required
@require_http_methods(["GET", "POST"])
def employee_update_view(request, pk):
    employee = readable_employee(request, pk)
    require_hr(request)
    if request.method == "GET":
        return _form_page(request, EmployeeForm(instance=employee), employee=employee)
    return _save(request, EmployeeForm(request.POST, instance=employee),
                 lambda values: employee_update(actor=request.user, employee=employee,
                                                expected_version=posted_version(request), **values), employee)


@login_required
@require_POST
def employee_deactivate_view(request, pk):
    employee = readable_employee(request, pk)
    require_hr(request)
    try:
        employee_deactivate(actor=request.user, employee=employee)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%s ha causado baja en la plantilla.") % employee.full_name)
    return redirect(employee_url(employee))


def has_employee_or_hr(user) -> bool:
    return is_hr_staff(user) or employee_of(user) is not None


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="hr:employee-list", icon="bi-people", order=10),
]

urlpatterns = [
    path("empleados/", employee_list_view, name="employee-list"),
    path("empleados/nuevo/", employee_create_view, name="employee-create"),
    path("empleados/<int:pk>/", employee_detail_view, name="employee-detail"),
    path("empleados/<int:pk>/editar/", employee_update_view, name="employee-update"),
    path("empleados/<int:pk>/baja/", employee_deactivate_view, name="employee-deactivate"),
]
