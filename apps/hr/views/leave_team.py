"""«Ausencias del equipo» (managers and HR): the requests awaiting the reader's decision (approve, or reject with
the reason), the month calendar of the team — HR: everyone, by department — with holidays shaded and leave
coloured by type, the month's leave (HR cancels an approved one) and, for HR, «Todas las ausencias» (the list with
filters and CSV/XLSX) and the form to register leave for someone (incapacidad temporal). Outside the reader's
reach a request answers 404; a reader who may see it but not decide it, 403."""
import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, list_page, styled
from apps.hr.access import employee_of, is_hr_staff, team_ids
from apps.hr.choices import LeaveRequestState
from apps.hr.models import Department, Employee, LeaveRequest, LeaveType
from apps.hr.selectors_leave import month_bounds, pending_for, team_calendar, visible_requests
from apps.hr.services.leave import (leave_request_approve, leave_request_cancel, leave_request_create,
                                    leave_request_reject)
from apps.hr.services.leave_allowances import RESERVED, fmt_days
from apps.hr.views.employees import require_hr
from apps.hr.views.leave import LeaveRequestForm
from apps.hr.views.time import neighbours, period

SECTION = _l("Recursos humanos")
TITLE = _l("Ausencias del equipo")
ALL_TITLE = _l("Todas las ausencias")


def _team(request):
    """(employees of the calendar, is HR); None when the reader has no team and is not HR."""
    if is_hr_staff(request.user):
        queryset = Employee.objects.filter(is_active=True)
        department = request.GET.get("department", "")
        return (queryset.filter(department_id=int(department)) if department.isdigit() else queryset), True
    me = employee_of(request.user)
    ids = team_ids(me)
    return (Employee.objects.filter(pk__in=ids | {me.pk}, is_active=True) if ids else None), False


@login_required
@require_GET
def team_view(request):
    year, month = period(request)
    employees, hr = _team(request)
    context = {"title": TITLE, "has_team": employees is not None, "is_hr": hr, "year": year, "month": month,
               "period": f"{month:02d}/{year}", **neighbours(year, month)}
    if employees is not None:
        first, last = month_bounds(year, month)
        calendar = team_calendar(employees, year, month)
        ids = [row.employee.pk for row in calendar["rows"]]
        context.update({
            "calendar": calendar, "pending": list(pending_for(request.user)),
            "month_leave": list(LeaveRequest.objects.filter(employee_id__in=ids, state__in=RESERVED,
                                                            start_date__lte=last, end_date__gte=first)
                                .select_related("employee", "leave_type").order_by("start_date", "pk")),
            "departments": list(Department.objects.order_by("name")) if hr else [],
            "department": request.GET.get("department", "")})
    return render(request, "hr/leave/team.html", context)


def _back(request, leave) -> str:
    return f"{reverse('hr:leave-team')}?year={leave.start_date.year}&month={leave.start_date.month}"


@login_required
@require_POST
def decide_view(request, pk, decision):
    leave = get_object_or_404(visible_requests(request.user), pk=pk)  # outside the reader's reach: 404
    note = request.POST.get("note", "")
    service = {"approve": leave_request_approve, "reject": leave_request_reject, "cancel": leave_request_cancel}
    if decision not in service:
        raise Http404
    try:
        done = service[decision](actor=request.user, leave=leave, note=note)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s: %(type)s, %(days)s días · %(state)s.") % {
            "name": done.employee.full_name, "type": done.leave_type.name, "days": fmt_days(done.days),
            "state": done.get_state_display().lower()})
    return redirect(_back(request, leave))


class RegisterForm(LeaveRequestForm):
    employee = forms.ModelChoiceField(label=_l("Persona"), queryset=Employee.objects.none())
    field_order = ["employee", "leave_type", "start_date", "end_date", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, requestable_only=False, **kwargs)
        self.fields["employee"].queryset = Employee.objects.filter(is_active=True).order_by("last_name", "first_name")
        self.order_fields(self.field_order)


@login_required
@require_http_methods(["GET", "POST"])
def register_view(request):
    require_hr(request)
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = leave_request_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, _("Registrada: %s.") % result.request)
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect(_back(request, result.request))
        else:
            status = 400
    return render(request, "hr/leave/register.html", {"title": _("Registrar una ausencia"), "form": styled(form)},
                  status=status)


class LeaveFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_l("Estado"), choices=LeaveRequestState.choices)
    leave_type = django_filters.ModelChoiceFilter(label=_l("Tipo"), queryset=LeaveType.objects.all())
    employee__department = django_filters.ModelChoiceFilter(label=_l("Departamento"),
                                                            queryset=Department.objects.all())
    start_date__year = django_filters.NumberFilter(field_name="start_date", lookup_expr="year", label=_l("Año"))

    class Meta:
        model = LeaveRequest
        fields = ["state", "leave_type", "employee__department"]


@login_required
@require_GET
def all_view(request):
    require_hr(request)
    queryset = visible_requests(request.user).order_by("-start_date", "-pk")
    filterset = LeaveFilterSet(request.GET or None, queryset=queryset)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    query = request.GET.get("q", "").strip()
    for word in query.split():
        qs = qs.filter(Q(employee__last_name__icontains=word) | Q(employee__first_name__icontains=word))
    return list_page(request, qs, model=LeaveRequest, fields=["employee", "leave_type", "start_date", "end_date",
                                                              "days", "state", "decided_by"],
                     sortable={"start_date", "end_date", "days", "state"}, title=ALL_TITLE,
                     list_url=reverse("hr:leave-all"), row_url=lambda leave: _back(request, leave),
                     filterset=filterset, create_url=reverse("hr:leave-register"), can_create=True,
                     search_fields=("employee__last_name",), wrapper_id="leave-all", query=query)


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="hr:leave-team", icon="bi-calendar2-week", order=45),
        MenuEntry(section=SECTION, label=ALL_TITLE, url_name="hr:leave-all", icon="bi-list-check", order=46,
                  permission="hr.change_employee")]

urlpatterns = [
    path("ausencias/", team_view, name="leave-team"),
    path("ausencias/todas/", all_view, name="leave-all"),
    path("ausencias/registrar/", register_view, name="leave-register"),
    path("ausencias/<int:pk>/<str:decision>/", decide_view, name="leave-decide"),
]
