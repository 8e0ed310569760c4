"""JobRun life cycle. Every change is pushed to the owner's channel group after commit."""
from datetime import timedelta

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.jobs.choices import JobStatus
from apps.jobs.models import JobRun
from apps.notifications.choices import NotificationKind
from apps.notifications.realtime import push_to_user
from apps.notifications.services.notifications import notification_send


def _push(job: JobRun) -> None:
    if job.user_id:
        schema, message, user_id = connection.schema_name, job.as_message(), job.user_id
        transaction.on_commit(lambda: push_to_user(user_id, message, schema))


def _notify_result(job: JobRun) -> None:
    """The person who started the job hears how it ended (kind «job_result»)."""
    if job.user_id is None:
        return
    failed = job.status == JobStatus.FAILED
    title = (_("Proceso con error: %(label)s") if failed else _("Proceso terminado: %(label)s")) % {"label": job.label}
    notification_send(recipient=job.user, title=title[:200], body=(job.error if failed else job.message)[:500],
                      url=reverse("ui:jobs-jobrun-detail", args=[job.pk]), kind=NotificationKind.JOB_RESULT)


@transaction.atomic
def job_start(*, actor, task, label: str, params: dict | None = None) -> JobRun:
    """Records the job and enqueues `task` (a tracked Celery task) once the record is committed."""
    job = JobRun.objects.create(user=actor if getattr(actor, "pk", None) else None, task_name=task.name,
                                label=label, params=params or {})
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="job_start", obj=job, changes={"params": params or {}})

    def enqueue():
        result = task.delay(job.pk)
        JobRun.objects.filter(pk=job.pk, celery_id="").update(celery_id=result.id or "")

    transaction.on_commit(enqueue)
    return job


def job_begin(job_id: int) -> JobRun | None:
    """Marks the job running; None when it already finished (a redelivered task does nothing)."""
    with transaction.atomic():
        job = JobRun.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        job.status, job.started_at, job.progress = JobStatus.RUNNING, timezone.now(), 0
        job.save(update_fields=["status", "started_at", "progress"])
        _push(job)
    return job


def job_progress(job: JobRun, progress: int, message: str = "") -> None:
    with transaction.atomic():
        job.progress, job.message = max(0, min(100, int(progress))), message[:300]
        JobRun.objects.filter(pk=job.pk).update(progress=job.progress, message=job.message)
        _push(job)


def job_succeed(job: JobRun, result) -> None:
    with transaction.atomic():
        job.status, job.progress, job.result, job.finished_at = JobStatus.SUCCEEDED, 100, result, timezone.now()
        job.save(update_fields=["status", "progress", "result", "finished_at"])
        _push(job)
        _notify_result(job)


def job_fail(job: JobRun, error: str) -> None:
    with transaction.atomic():
        job.status, job.error, job.finished_at = JobStatus.FAILED, error[:5000], timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        _push(job)
        _notify_result(job)


@transaction.atomic
def jobs_prune(*, older_than_days: int = 90) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = JobRun.objects.filter(finished_at__lt=cutoff).delete()
    return deleted
