from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.audit.models import AuditEvent
from apps.audit.services import audit_chain_verify


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["id", "timestamp", "actor_label", "action", "verb", "content_type", "object_repr", "ip"]
    list_filter = ["action", "content_type", "timestamp"]
    search_fields = ["actor_label", "object_repr", "object_id", "request_id"]
    date_hierarchy = "timestamp"
    actions = ["verify_chain"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Verificar la cadena de hashes completa"))
    def verify_chain(self, request, queryset):
        report = audit_chain_verify()
        if report.ok:
            messages.success(request, _("Cadena íntegra: %d eventos verificados.") % report.checked)
        else:
            messages.error(request, _("Cadena ROTA en los eventos: %s") % ", ".join(str(i) for i, _r in report.broken[:20]))
