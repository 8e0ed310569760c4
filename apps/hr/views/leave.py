"""«Mis ausencias» (self-service): the balances of the year per type, my requests (cancel while pending) and
the request form, which shows the days it takes and the balance left (button «Calcular») before sending; team
overlaps come back as warnings, not refusals. A user without an employee record is told so, with 200."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.hr.access import employee_of
from apps.hr.models import LeaveRequest, LeaveType
from apps.hr.services.leave import leave_request_cancel, leave_request_create, leave_request_preview
from apps.hr.services.leave_allowances import balances, fmt_days

SECTION = _l("Mi espacio")
TITLE = _l("Mis ausencias")
DATE = {"input_formats": ["%d/%m/%Y", "%Y-%m-%d"],
        "widget": forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/aaaa"})}


class LeaveRequestForm(forms.Form):
    leave_type = forms.ModelChoiceField(label=_l("Tipo"), queryset=LeaveType.objects.none())
    start_date = forms.DateField(label=_l("Desde"), **DATE)
    end_date = forms.DateField(label=_l("Hasta (incluido)"), **DATE)
    notes = forms.CharField(label=_l("Observaciones"), max_length=250, required=False)

    def __init__(self, *args, requestable_only: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = LeaveType.objects.filter(is_active=True).order_by("-uses_allowance", "name")
        self.fields["leave_type"].queryset = queryset.filter(needs_approval=True) if requestable_only else queryset


def year_of(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def _context(employee, year, form, preview=None) -> dict:
    requests = list(LeaveRequest.objects.filter(employee=employee).select_related("leave_type", "decided_by")
                    .order_by("-start_date", "-pk")[:100])
    return {"title": TITLE, "employee": employee, "year": year, "balances": balances(employee, year),
            "requests": requests, "form": styled(form), "preview": preview, "previous": year - 1, "next": year + 1}


@login_required
@require_http_methods(["GET", "POST"])
def my_leave_view(request):
    employee = employee_of(request.user)
    year = year_of(request)
    if employee is None:
        return render(request, "hr/leave/mine.html", {"title": TITLE, "employee": None})
    form = LeaveRequestForm(request.POST or None)
    status, preview = 200, None
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            try:
                if "preview" in request.POST:
                    preview = leave_request_preview(employee=employee, leave_type=data["leave_type"],
                                                    start_date=data["start_date"], end_date=data["end_date"])
                else:
                    result = leave_request_create(actor=request.user, employee=employee, **data)
            except DomainError as exc:
                status = form_error(form, exc)
            else:
                if preview is None:
                    messages.success(request, _("Solicitud enviada: %(days)s días de %(type)s, pendiente de "
                                                "aprobación.") % {"days": fmt_days(result.request.days),
                                                                   "type": result.request.leave_type.name.lower()})
                    for warning in result.warnings:
                        messages.warning(request, warning)
                    return redirect(f"{reverse('hr:leave-mine')}?year={result.request.start_date.year}")
    return render(request, "hr/leave/mine.html", _context(employee, year, form, preview), status=status)


@login_required
@require_POST
def my_leave_cancel_view(request, pk):
    employee = employee_of(request.user)
    leave = get_object_or_404(LeaveRequest, pk=pk, employee=employee) if employee else None
    if leave is None:
        return redirect(reverse("hr:leave-mine"))
    try:
        leave_request_cancel(actor=request.user, leave=leave)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Solicitud anulada."))
    return redirect(f"{reverse('hr:leave-mine')}?year={leave.start_date.year}")


MENU = [MenuEntry(section=SECTION, label=TITLE, url_name="hr:leave-mine", icon="bi-airplane", order=3)]

urlpatterns = [
    path("mis-ausencias/", my_leave_view, name="leave-mine"),
    path("mis-ausencias/<int:pk>/anular/", my_leave_cancel_view, name="leave-mine-cancel"),
]
