from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.engines.models import EngineRun, EngineSchedule
from apps.engines.services.runs import engine_run_cancel


@admin.register(EngineRun)
class EngineRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "engine_label", "user", "trigger", "status_label"]
    list_filter = ["engine_key", "trigger", "job__status"]
    search_fields = ["engine_key", "engine_label", "user__email"]
    list_select_related = ["job", "user"]
    readonly_fields = [f.name for f in EngineRun._meta.fields]
    actions = ["cancel"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("estado"))
    def status_label(self, obj):
        return obj.job.get_status_display()

    @admin.action(description=_("Cancelar las ejecuciones en curso"))
    def cancel(self, request, queryset):
        done = 0
        for run in queryset.select_related("job"):
            if run.job.can_cancel:
                try:
                    engine_run_cancel(actor=request.user, run=run)
                    done += 1
                except DomainError as exc:
                    messages.error(request, exc.message)
        messages.success(request, _("%d ejecuciones canceladas.") % done)


@admin.register(EngineSchedule)
class EngineScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "engine_key", "frequency", "next_run_at", "owner", "is_active"]
    list_filter = ["frequency", "is_active", "engine_key"]
    search_fields = ["name", "engine_key"]
    raw_id_fields = ["owner", "last_run"]
