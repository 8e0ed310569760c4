"""Payroll pages: the runs list with the calculate form and the run detail (payslips with totals, post and
pay with confirmation, the transfer file) for HR; «Mis nóminas» for every employee; the payslip PDF (the
employee their own, HR all, 404 to anyone else, managers included). Every change is one service call."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error, styled
from apps.hr.access import employee_of, is_hr_staff
from apps.hr.models import Employee, PayrollRun
from apps.hr.selectors_payroll import readable_payslip, readable_payslips, run_payslips, runs
from apps.hr.services.payroll import payroll_run_calculate, payroll_run_post
from apps.hr.services.payroll_pdf import payslip_pdf, payslip_pdf_name
from apps.hr.services.payroll_posting import payee_rows, payroll_run_pay
from apps.hr.views.employees import require_hr

SECTION = _l("Recursos humanos")
TITLE = _l("Nóminas")
MY_TITLE = _l("Mis nóminas")
TOTALS = ["gross", "irpf", "ss_employee", "ss_employer", "net"]


class CalculateForm(forms.Form):
    year = forms.IntegerField(label=_l("Año"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_l("Mes"), min_value=1, max_value=12)
    payment_date = forms.DateField(label=_l("Fecha de pago"), widget=forms.DateInput(attrs={"type": "date"}))


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_l("Confirmo la operación"), required=True)


def run_url(run) -> str:
    return reverse("hr:payroll-run-detail", args=[run.pk])


def _list(request, form=None, status=200):
    today = timezone.localdate()
    initial = {"year": today.year, "month": today.month, "payment_date": today}
    return render(request, "hr/payroll/run_list.html", {
        "title": TITLE, "runs": list(runs().order_by("-year", "-month")[:60]),
        "form": styled(form or CalculateForm(initial=initial))}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def payroll_run_list_view(request):
    require_hr(request)
    if request.method == "GET":
        return _list(request)
    form = CalculateForm(request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    try:
        run = payroll_run_calculate(actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        return _list(request, form, status=form_error(form, exc))
    messages.success(request, _("Nómina de %(run)s calculada: %(count)s recibos.") % {
        "run": run, "count": run.payslips.count()})
    for employee in run.skipped:
        messages.warning(request, _("%s no tiene contrato en vigor ese mes: sin nómina.") % employee)
    return redirect(run_url(run))


def _detail(request, run, *, status=200, error=""):
    slips = list(run_payslips(run))
    paid = {slip.employee_id for slip in slips}
    totals = {name: sum((getattr(slip, name) for slip in slips), 0) for name in TOTALS}
    refused = payee_rows(run)[1] if run.state != "paid" else []
    if run.state == "paid" and run.transfer_order_id:
        in_order = set(run.transfer_order.items.values_list("target_id", flat=True))
        refused = [(slip, _("Sin IBAN válido: no incluido en la orden.")) for slip in slips if slip.pk not in in_order]
    skipped = Employee.objects.filter(is_active=True).exclude(pk__in=paid).order_by("last_name", "first_name")
    return render(request, "hr/payroll/run_detail.html", {
        "title": _("Nómina de %s") % run, "run": run, "slips": slips, "totals": totals, "refused": refused,
        "skipped": list(skipped) if run.state == "calculated" else [], "error": error,
        "confirm_form": styled(ConfirmForm())}, status=status)


@login_required
@require_GET
def payroll_run_detail_view(request, pk):
    require_hr(request)
    return _detail(request, get_object_or_404(runs(), pk=pk))


def _command(request, pk, run_command, done):
    require_hr(request)
    run = get_object_or_404(PayrollRun, pk=pk)
    if not ConfirmForm(request.POST).is_valid():
        return _detail(request, run, status=400, error=_("Marque la casilla de confirmación."))
    try:
        run = run_command(run)
    except DomainError as exc:
        return _detail(request, get_object_or_404(runs(), pk=pk), status=exc.status, error=exc.message)
    messages.success(request, done)
    for _slip, reason in getattr(run, "refused", []):
        messages.warning(request, reason)
    return redirect(run_url(run))


@login_required
@require_POST
def payroll_run_post_view(request, pk):
    return _command(request, pk, lambda run: payroll_run_post(actor=request.user, run=run),
                    _("Nómina contabilizada."))


@login_required
@require_POST
def payroll_run_pay_view(request, pk):
    return _command(request, pk, lambda run: payroll_run_pay(actor=request.user, run=run),
                    _("Orden de transferencias de la nómina generada."))


@login_required
@require_GET
def my_payslips_view(request):
    employee = employee_of(request.user)
    slips = list(readable_payslips(request.user).filter(employee=employee).order_by("-run__year", "-run__month")
                 ) if employee is not None else []
    year_totals = (readable_payslips(request.user).filter(employee=employee, run__year=timezone.localdate().year)
                   .aggregate(gross=Sum("gross"), irpf=Sum("irpf"), net=Sum("net"))) if employee else {}
    return render(request, "hr/payroll/my_payslips.html", {
        "title": MY_TITLE, "employee": employee, "slips": slips, "year_totals": year_totals,
        "is_hr": is_hr_staff(request.user)})


@login_required
@require_GET
def payslip_pdf_view(request, pk):
    slip = readable_payslip(request.user, pk)
    response = HttpResponse(payslip_pdf(slip), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{payslip_pdf_name(slip)}"'
    return response


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="hr:payroll-run-list", icon="bi-cash-stack", order=60,
              permission="hr.change_employee"),
    MenuEntry(section=_l("Mi espacio"), label=MY_TITLE, url_name="hr:my-payslips", icon="bi-receipt", order=20),
]

urlpatterns = [
    path("nominas/", payroll_run_list_view, name="payroll-run-list"),
    path("nominas/<int:pk>/", payroll_run_detail_view, name="payroll-run-detail"),
    path("nominas/<int:pk>/contabilizar/", payroll_run_post_view, name="payroll-run-post"),
    path("nominas/<int:pk>/pagar/", payroll_run_pay_view, name="payroll-run-pay"),
    path("nominas/recibos/<int:pk>/pdf/", payslip_pdf_view, name="payslip-pdf"),
    path("mis-nominas/", my_payslips_view, name="my-payslips"),
]
