"""Admin: payroll runs with their payslips inline and the yearly contribution settings, read-only; the
actions post a calculated run and pay a posted one through the same services as the pages."""
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.hr.admin.employees import _ReadOnlyAdmin, _run
from apps.hr.models import PayrollRun, PayrollSettings, Payslip
from apps.hr.services.payroll import payroll_run_post
from apps.hr.services.payroll_posting import payroll_run_pay


class PayslipInline(admin.TabularInline):
    model = Payslip
    extra = 0
    can_delete = False
    fields = ["employee", "days", "gross", "contribution_base", "irpf", "ss_employee", "ss_employer", "net"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PayrollRun)
class PayrollRunAdmin(_ReadOnlyAdmin):
    list_display = ["__str__", "state", "payment_date", "gross_total", "irpf_total", "net_total"]
    list_filter = ["state", "year"]
    inlines = [PayslipInline]
    actions = ["post_runs", "pay_runs"]

    @admin.action(description=_l("Contabilizar las nóminas calculadas"))
    def post_runs(self, request, queryset):
        _run(self, request, queryset, lambda run: payroll_run_post(actor=request.user, run=run),
             _("%s nóminas contabilizadas."))

    @admin.action(description=_l("Pagar las nóminas contabilizadas (orden de transferencias)"))
    def pay_runs(self, request, queryset):
        _run(self, request, queryset, lambda run: payroll_run_pay(actor=request.user, run=run),
             _("%s nóminas pagadas."))


@admin.register(PayrollSettings)
class PayrollSettingsAdmin(_ReadOnlyAdmin):
    list_display = ["year", "employee_common", "employer_common", "min_base", "max_base"]
