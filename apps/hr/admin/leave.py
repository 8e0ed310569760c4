"""Admin: leave types (configuration HR maintains here: days, carry-over, approval), yearly allowances and
holidays read-only (created through the services on first use / on the «Calendario laboral» page), and leave
requests read-only with actions that call the services (approve, cancel, load the national holidays)."""
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.hr.admin.employees import _ReadOnlyAdmin, _run
from apps.hr.models import Holiday, LeaveAllowance, LeaveRequest, LeaveType
from apps.hr.services.calendars import holiday_delete, holidays_load_national
from apps.hr.services.leave import leave_request_approve, leave_request_cancel
from apps.hr.services.leave_allowances import leave_types_ensure


@admin.register(LeaveType)
class LeaveTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "default_days", "max_carry_over", "uses_allowance", "needs_approval",
                    "counts_working_days", "paid", "is_active"]
    list_filter = ["uses_allowance", "needs_approval", "is_active"]
    search_fields = ["code", "name"]
    actions = ["ensure_defaults"]

    def has_delete_permission(self, request, obj=None):
        return False  # requests point to their type; deactivate it instead

    @admin.action(description=_l("Crear los tipos de ausencia por defecto que falten"))
    def ensure_defaults(self, request, queryset):
        created = leave_types_ensure(actor=request.user)
        self.message_user(request, _("Tipos creados: %d.") % len(created))


@admin.register(LeaveAllowance)
class LeaveAllowanceAdmin(_ReadOnlyAdmin):
    list_display = ["employee", "leave_type", "year", "days", "carried_over"]
    list_filter = ["year", "leave_type"]
    search_fields = ["employee__code", "employee__last_name"]
    list_select_related = ["employee", "leave_type"]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(_ReadOnlyAdmin):
    list_display = ["employee", "leave_type", "start_date", "end_date", "days", "state", "decided_by", "decided_at"]
    list_filter = ["state", "leave_type"]
    search_fields = ["employee__code", "employee__last_name"]
    list_select_related = ["employee", "leave_type", "decided_by"]
    date_hierarchy = "start_date"
    actions = ["approve", "cancel"]

    @admin.action(description=_l("Aprobar las solicitudes seleccionadas"))
    def approve(self, request, queryset):
        _run(self, request, queryset, lambda leave: leave_request_approve(actor=request.user, leave=leave),
             _("Solicitudes aprobadas: %d."))

    @admin.action(description=_l("Anular las ausencias seleccionadas (devuelve los días)"))
    def cancel(self, request, queryset):
        _run(self, request, queryset, lambda leave: leave_request_cancel(actor=request.user, leave=leave),
             _("Ausencias anuladas: %d."))


@admin.register(Holiday)
class HolidayAdmin(_ReadOnlyAdmin):
    list_display = ["date", "name", "scope", "region", "work_centre"]
    list_filter = ["scope", "region"]
    search_fields = ["name"]
    list_select_related = ["work_centre"]
    date_hierarchy = "date"
    actions = ["remove", "load_national"]

    @admin.action(description=_l("Eliminar los festivos seleccionados"))
    def remove(self, request, queryset):
        _run(self, request, queryset, lambda holiday: holiday_delete(actor=request.user, holiday=holiday),
             _("Festivos eliminados: %d."))

    @admin.action(description=_l("Cargar las fiestas nacionales del año en curso"))
    def load_national(self, request, queryset):
        _run(self, request, [timezone.localdate().year],
             lambda year: holidays_load_national(actor=request.user, year=year), _("Años cargados: %d."))
