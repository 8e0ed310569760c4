"""Admin of the regulatory app: the LDS evidence (read only: it is recorded from the policy page or
the API through services.evidence) and the DGSFP mapping of lines (saved through services.mapping)."""
from django.contrib import admin

from apps.regulatory.models import DgsfpLineMapping, DistributionEvidence
from apps.regulatory.services.mapping import mapping_defaults_ensure, mapping_set


@admin.register(DistributionEvidence)
class DistributionEvidenceAdmin(admin.ModelAdmin):
    list_display = ["policy", "kind", "delivered_at", "channel", "remuneration_nature", "recorded_by"]
    list_filter = ["kind", "channel", "remuneration_nature"]
    search_fields = ["policy__number", "policy__policyholder__display_name"]
    date_hierarchy = "delivered_at"
    list_select_related = ["policy", "recorded_by"]
    readonly_fields = ["policy", "kind", "delivered_at", "channel", "document", "answers", "statement",
                       "remuneration_nature", "notes", "recorded_by", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DgsfpLineMapping)
class DgsfpLineMappingAdmin(admin.ModelAdmin):
    list_display = ["line", "ramo"]
    list_select_related = ["line"]
    fields = ["line", "ramo"]
    actions = ["create_defaults"]

    def get_readonly_fields(self, request, obj=None):
        return ["line"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = mapping_set(actor=request.user, line=obj.line, ramo=obj.ramo)
        obj.pk, obj.version = saved.pk, saved.version

    @admin.action(description="Crear las correspondencias por defecto de los ramos sin ella")
    def create_defaults(self, request, queryset):
        made = mapping_defaults_ensure(actor=request.user)
        self.message_user(request, f"Correspondencias creadas: {made}.")
