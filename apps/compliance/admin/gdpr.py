"""Admin of the GDPR side: the register (editable, audited through the services), retention rules, legal
holds (placed and released through the services), the runs' log (read-only) and data subject requests
(read-only: the «Cumplimiento» pages and the API move them)."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.admin import OneRowPerBrokerageAdmin
from apps.compliance.models import (
    ComplianceSettings, DataSubjectRequest, LegalHold, ProcessingActivity, RetentionRule, RetentionRun,
)
from apps.compliance.services.activities import processing_activity_create, processing_activity_update
from apps.compliance.services.holds import legal_hold_release
from apps.compliance.services.retention import retention_rule_save
from apps.core.errors import DomainError

FIELDS = ["code", "name", "purpose", "legal_basis", "legal_basis_detail", "subject_categories", "data_categories",
          "special_categories", "special_categories_detail", "recipients", "international_transfers",
          "retention_period", "security_measures", "is_active", "order"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_basis", "special_categories", "is_active", "order"]
    list_filter = ["legal_basis", "special_categories", "is_active"]
    search_fields = ["name", "code", "purpose"]
    fields = FIELDS

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in FIELDS if name in form.cleaned_data}
        if change:
            processing_activity_update(actor=request.user, activity=ProcessingActivity.objects.get(pk=obj.pk),
                                       data=data)
        else:
            obj.pk = processing_activity_create(actor=request.user, data=data).pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["record_type", "period_months", "action", "is_active"]
    fields = ["record_type", "period_months", "action", "legal_reference", "is_active"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in self.fields if name in form.cleaned_data}
        rule = RetentionRule.objects.get(pk=obj.pk) if change else None
        try:
            obj.pk = retention_rule_save(actor=request.user, data=data, rule=rule).pk
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "reason", "held_by", "until", "released_at"]
    list_filter = ["content_type", "released_at"]
    search_fields = ["reason", "object_id"]
    list_select_related = ["content_type", "held_by"]
    actions = ["release"]

    @admin.action(description=_l("Levantar las retenciones seleccionadas"), permissions=["view"])
    def release(self, request, queryset):
        if not request.user.has_perm("compliance.change_legalhold"):
            self.message_user(request, _("Su rol no permite esta operación."), messages.ERROR)
            return
        for hold in queryset:
            try:
                legal_hold_release(actor=request.user, hold=hold)
            except DomainError as exc:
                self.message_user(request, f"{hold}: {exc.message}", messages.ERROR)


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "today", "trigger", "state", "actor", "processed"]
    list_filter = ["state", "trigger"]


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "party", "received_on", "deadline", "extended_deadline", "state", "handler"]
    list_filter = ["kind", "state"]
    search_fields = ["number", "party__display_name"]
    list_select_related = ["party", "handler"]
    date_hierarchy = "received_on"


@admin.register(ComplianceSettings)
class ComplianceSettingsAdmin(OneRowPerBrokerageAdmin):
    list_display = ["__str__", "complaint_months", "consumer_complaint_months", "warning_days"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from apps.audit.choices import AuditAction
        from apps.audit.services import audit_event_record

        obj.pk = 1
        super().save_model(request, obj, form, change)
        audit_event_record(actor=request.user, action=AuditAction.UPDATE, obj=obj,
                           changes={name: [None, form.cleaned_data.get(name)] for name in form.changed_data})
