from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.jobs.models import JobRun
from apps.jobs.services.runs import jobs_prune


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "label", "user", "status", "progress", "finished_at"]
    list_filter = ["status", "task_name"]
    search_fields = ["label", "task_name", "user__email"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
    actions = ["prune"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Borrar procesos terminados hace más de 90 días"))
    def prune(self, request, queryset):
        messages.success(request, _("%d procesos borrados.") % jobs_prune())
