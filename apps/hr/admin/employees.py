"""Admin: employees, departments, work centres and contracts (with their history inline). Records are
read-only here — the «Recursos humanos» pages and the API change them through the services; the actions
below call the same services (deactivate employees, terminate contracts at their end date)."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.hr.access import is_hr_staff
from apps.hr.choices import TerminationReason
from apps.hr.models import Contract, ContractEvent, Department, Employee, WorkCentre
from apps.hr.services.contracts import contract_terminate
from apps.hr.services.employees import employee_deactivate


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, queryset, call, done: str) -> None:
    if not is_hr_staff(request.user):
        modeladmin.message_user(request, _("Su rol no permite esta operación."), messages.ERROR)
        return
    count = 0
    for obj in queryset:
        try:
            call(obj)
            count += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.WARNING)
    modeladmin.message_user(request, done % count)


@admin.register(Employee)
class EmployeeAdmin(_ReadOnlyAdmin):
    list_display = ["code", "last_name", "first_name", "tax_id", "department", "position", "manager", "work_centre",
                    "is_active"]
    list_filter = ["is_active", "department", "work_centre", "distribution_role"]
    search_fields = ["code", "first_name", "last_name", "tax_id", "ss_number"]
    list_select_related = ["department", "manager", "work_centre"]
    exclude = ["iban"]
    actions = ["deactivate"]

    @admin.action(description=_l("Dar de baja a los empleados elegidos"), permissions=["view"])
    def deactivate(self, request, queryset):
        _run(self, request, queryset, lambda employee: employee_deactivate(actor=request.user, employee=employee),
             _("Empleados dados de baja: %d."))


@admin.register(Department)
class DepartmentAdmin(_ReadOnlyAdmin):
    list_display = ["code", "name", "parent", "cost_centre", "head"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "head"]


@admin.register(WorkCentre)
class WorkCentreAdmin(_ReadOnlyAdmin):
    list_display = ["code", "name", "municipality", "region", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["code", "name", "municipality"]


class ContractEventInline(admin.TabularInline):
    model = ContractEvent
    fields = ["date", "kind", "changes", "reason", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(_ReadOnlyAdmin):
    list_display = ["employee", "kind", "sepe_code", "start_date", "end_date", "full_time", "weekly_hours", "state",
                    "termination_date"]
    list_filter = ["state", "kind", "full_time"]
    search_fields = ["employee__first_name", "employee__last_name", "employee__code", "sepe_code"]
    list_select_related = ["employee"]
    date_hierarchy = "start_date"
    inlines = [ContractEventInline]
    actions = ["terminate_at_end"]

    @admin.action(description=_l("Extinguir en su fecha de fin (fin del contrato temporal)"), permissions=["view"])
    def terminate_at_end(self, request, queryset):
        def terminate(contract):
            if contract.end_date is None:
                raise DomainError(_("Un contrato indefinido no tiene fecha de fin: extíngalo desde su página."))
            contract_terminate(actor=request.user, contract=contract, on_date=contract.end_date,
                               reason=TerminationReason.END_OF_TERM)

        _run(self, request, queryset, terminate, _("Contratos extinguidos: %d."))
