"""Pages of an employee's contracts: the contract page (terms, history timeline and, for HR, the extend /
change / terminate forms) and the new-contract form. Thin: every change is one call to services.contracts."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.hr.access import is_hr_staff, require_readable
from apps.hr.choices import ContractState
from apps.hr.forms_employees import ContractChangeForm, ContractExtendForm, ContractForm, ContractTerminateForm
from apps.hr.models import Contract
from apps.hr.selectors import event_rows
from apps.hr.services.contracts import contract_change, contract_create, contract_extend, contract_terminate
from apps.hr.views.employees import employee_url, readable_employee, require_hr

FORMS = {"extend_form": ContractExtendForm, "change_form": ContractChangeForm, "terminate_form": ContractTerminateForm}


def contract_url(contract) -> str:
    return reverse("hr:contract-detail", args=[contract.pk])


def readable_contract(request, pk) -> Contract:
    contract = get_object_or_404(Contract.objects.select_related("employee"), pk=pk)
    require_readable(request.user, contract.employee)
    return contract


def _events(contract, show_salary: bool) -> list:
    events = list(contract.events.select_related("created_by").order_by("pk"))  # in the order they were recorded
    for event in events:
        event.rows = event_rows(event, show_salary=show_salary)
    return events


def _detail(request, contract, *, status=200, **forms):
    hr = is_hr_staff(request.user)
    today = timezone.localdate()
    initial = {"extend_form": {}, "change_form": {"on_date": today}, "terminate_form": {"on_date": today}}
    context = {"object": contract, "employee": contract.employee, "title": str(contract), "is_hr": hr,
               "show_salary": hr or contract.employee.user_id == request.user.pk,
               "events": _events(contract, hr or contract.employee.user_id == request.user.pk),
               "can_change": hr and contract.state == ContractState.ACTIVE,
               "employee_url": employee_url(contract.employee), "history": history_for(contract) if hr else []}
    for key, form_class in FORMS.items():
        context[key] = styled(forms.get(key) or form_class(initial=initial[key]))
    return render(request, "hr/contracts/detail.html", context, status=status)


@login_required
@require_GET
def contract_detail_view(request, pk):
    return _detail(request, readable_contract(request, pk))


def _command(request, pk, key, run, done):
    contract = readable_contract(request, pk)
    require_hr(request)
    form = FORMS[key](request.POST)
    if not form.is_valid():
        return _detail(request, contract, status=400, **{key: form})
    try:
        contract = run(contract, form.cleaned_data)
    except DomainError as exc:
        status = form_error(form, exc)
        return _detail(request, contract, status=status, **{key: form})
    messages.success(request, done)
    return redirect(contract_url(contract))


@login_required
@require_POST
def contract_extend_view(request, pk):
    return _command(request, pk, "extend_form", lambda contract, data: contract_extend(
        actor=request.user, contract=contract, end_date=data["end_date"], reason=data["reason"]),
        _("Contrato prorrogado."))


def _changes(data: dict) -> dict:
    return {field: value for field, value in data.items()
            if field not in ("on_date", "reason") and value not in (None, "")}


@login_required
@require_POST
def contract_change_view(request, pk):
    return _command(request, pk, "change_form", lambda contract, data: contract_change(
        actor=request.user, contract=contract, on_date=data["on_date"], reason=data["reason"], **_changes(data)),
        _("Condiciones del contrato modificadas."))


@login_required
@require_POST
def contract_terminate_view(request, pk):
    return _command(request, pk, "terminate_form", lambda contract, data: contract_terminate(
        actor=request.user, contract=contract, on_date=data["on_date"], reason=data["reason"], note=data["note"]),
        _("Contrato extinguido."))


def _form_page(request, employee, form, status=200):
    return render(request, "hr/contracts/form.html", {
        "title": _("Nuevo contrato"), "employee": employee, "form": styled(form),
        "employee_url": employee_url(employee)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contract_create_view(request, employee_pk):
    employee = readable_employee(request, employee_pk)
    require_hr(request)
    if request.method == "GET":
        return _form_page(request, employee, ContractForm(initial={"start_date": timezone.localdate()}))
    form = ContractForm(request.POST)
    if not form.is_valid():
        return _form_page(request, employee, form, status=400)
    try:
        contract = contract_create(actor=request.user, employee=employee, **form.cleaned_data)
    except DomainError as exc:
        return _form_page(request, employee, form, status=form_error(form, exc))
    messages.success(request, _("Contrato de %s dado de alta.") % employee.full_name)
    return redirect(contract_url(contract))


urlpatterns = [
    path("empleados/<int:employee_pk>/contratos/nuevo/", contract_create_view, name="contract-create"),
    path("contratos/<int:pk>/", contract_detail_view, name="contract-detail"),
    path("contratos/<int:pk>/prorrogar/", contract_extend_view, name="contract-extend"),
    path("contratos/<int:pk>/modificar/", contract_change_view, name="contract-change"),
    path("contratos/<int:pk>/extinguir/", contract_terminate_view, name="contract-terminate"),
]
