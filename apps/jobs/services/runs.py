"""JobRun life cycle. Every change is pushed to the owner's channel group after commit."""
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.jobs.choices import JobStatus
from apps.jobs.models import JobRun
from apps.notifications.realtime import push_to_user


def _push(job: JobRun) -> None:
    if job.user_id:
        schema, message, user_id = connection.schema_name, job.as_message(), job.user_id
        transaction.on_commit(lambda: push_to_user(user_id, message, schema))


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


def job_fail(job: JobRun, error: str) -> None:
    with transaction.atomic():
        job.status, job.error, job.finished_at = JobStatus.FAILED, error[:5000], timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        _push(job)


@transaction.atomic
def jobs_prune(*, older_than_days: int = 90) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = JobRun.objects.filter(finished_at__lt=cutoff).delete()
    return deleted
