"""JobRun life cycle. Every change is pushed to the owner's channel group after commit."""
from datetime import timedelta

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.jobs.choices import ACTIVE_STATUSES, JobStatus
from apps.jobs.errors import JobCancelled  # noqa: F401 (raised by job_progress; re-exported)
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
    """Reports progress; raises JobCancelled when the job was cancelled meanwhile (cooperative cancel)."""
    with transaction.atomic():
        job.progress, job.message = max(0, min(100, int(progress))), str(message)[:300]
        updated = JobRun.objects.filter(pk=job.pk, status__in=ACTIVE_STATUSES).update(
            progress=job.progress, message=job.message)
        if not updated:
            raise JobCancelled(job.pk)
        _push(job)


def _finish(job: JobRun, **fields) -> bool:
    """Ends an active job with `fields`; False when it was cancelled (or ended) meanwhile: nothing changes."""
    with transaction.atomic():
        fields["finished_at"] = timezone.now()
        if not JobRun.objects.filter(pk=job.pk, status__in=ACTIVE_STATUSES).update(**fields):
            job.refresh_from_db()
            return False
        for name, value in fields.items():
            setattr(job, name, value)
        _push(job)
        _notify_result(job)
    return True


def job_succeed(job: JobRun, result) -> bool:
    return _finish(job, status=JobStatus.SUCCEEDED, progress=100, result=result)


def job_fail(job: JobRun, error: str) -> bool:
    return _finish(job, status=JobStatus.FAILED, error=str(error)[:5000])


@transaction.atomic
def job_cancel(*, actor, job: JobRun) -> JobRun:
    """Cancels a queued or running job: a queued one never starts (its Celery message is revoked and
    job_begin skips finished jobs), a running one stops at its next progress report. Finished: refused."""
    from apps.core.errors import DomainError

    job = JobRun.objects.select_for_update().get(pk=job.pk)
    if not job.can_cancel:
        raise DomainError(_("El proceso ya ha terminado (%(status)s): no se puede cancelar.")
                          % {"status": job.get_status_display()}, code="job_finished", status=409)
    job.status, job.finished_at = JobStatus.CANCELLED, timezone.now()
    job.message = (_("Cancelado por %(who)s") % {"who": getattr(actor, "email", "") or _("el sistema")})[:300]
    job.save(update_fields=["status", "finished_at", "message"])
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="job_cancel", obj=job,
                       changes={"status": ["", JobStatus.CANCELLED]})
    _push(job)
    celery_id = job.celery_id

    def revoke():
        if celery_id:
            try:
                from aitcore.celery import app

                app.control.revoke(celery_id)
            except Exception:  # noqa: BLE001 - the broker may be unreachable; job_begin skips it anyway
                pass

    transaction.on_commit(revoke)
    return job


@transaction.atomic
def jobs_prune(*, older_than_days: int = 90) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = JobRun.objects.filter(finished_at__lt=cutoff).delete()
    return deleted
