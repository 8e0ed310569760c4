"""Admin: the working-time record and the monthly sign-offs, read-only (no add, change or delete: the record is
append-only — a correction is a new record made on the «Jornada del equipo» pages or the API)."""
from django.contrib import admin

from apps.hr.admin.employees import _ReadOnlyAdmin
from apps.hr.models import TimeRecord, TimeSheetSignoff


@admin.register(TimeRecord)
class TimeRecordAdmin(_ReadOnlyAdmin):
    list_display = ["employee", "kind", "at", "source", "replaces", "voids", "approved_by", "created_at"]
    list_filter = ["kind", "source", "voids"]
    search_fields = ["employee__code", "employee__last_name", "reason"]
    list_select_related = ["employee", "approved_by", "replaces__employee"]
    date_hierarchy = "at"
    actions = None


@admin.register(TimeSheetSignoff)
class TimeSheetSignoffAdmin(_ReadOnlyAdmin):
    list_display = ["employee", "year", "month", "worked_minutes", "days_worked", "signed_at", "signed_by"]
    list_filter = ["year", "month"]
    search_fields = ["employee__code", "employee__last_name"]
    list_select_related = ["employee", "signed_by"]
    actions = None
