from django.utils.translation import gettext_lazy as _

from aitcore.registry import Widget, registry
from apps.core.resources import Resource
from apps.jobs.api.views import JobRunViewSet
from apps.jobs.models import JobRun
from apps.jobs.selectors import recent_jobs_widget

jobs = Resource(
    model=JobRun, section=_("Sistemas"), icon="bi-cpu",
    list_fields=["created_at", "label", "user", "status", "progress", "finished_at"],
    detail_fields=["label", "task_name", "user", "status", "progress", "message", "params", "result", "error",
                   "created_at", "started_at", "finished_at"],
    search_fields=["label", "task_name"], filter_fields=["status", "user"], owner_field="user",
    select_related=("user",), default_ordering=("-created_at",), can_create=False, can_edit=False, can_delete=False,
    menu_order=50, detail_template="jobs/jobrun_detail.html",
)
registry.register_resource(jobs)
registry.register_api("jobs", JobRunViewSet, "job")
registry.register_widget(Widget(title=_("Procesos recientes"), template="jobs/_widget.html",
                                context=recent_jobs_widget, permission="jobs.view_jobrun", order=50))
