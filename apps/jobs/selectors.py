from apps.core.permissions import visible_to
from apps.jobs.models import JobRun


def recent_jobs_widget(request) -> dict:
    jobs = visible_to(JobRun.objects.select_related("user"), request.user, "user").order_by("-created_at")[:5]
    return {"jobs": list(jobs)}
