"""Thin tasks: load ids, call a service."""
from django.db import connection

from aitcore.celery import app
from apps.audit.services import audit_verification_run
from apps.jobs.services.runs import jobs_prune
from apps.jobs.tracking import tracked_task
from django.utils.translation import gettext as _


@tracked_task("apps.jobs.tasks.audit_verify_job", acks_late=True)
def audit_verify_job(job, progress):
    """Verifying the chain is read-only, so running it twice is harmless (acks_late is safe)."""
    progress(10, _("Leyendo eventos de auditoría"))
    verification = audit_verification_run(actor=job.user, job_id=job.pk)  # kept for the audit viewer
    progress(90, _("%d eventos comprobados") % verification.checked)
    return {"checked": verification.checked, "ok": verification.ok, "broken": verification.broken}


@app.task(name="apps.jobs.tasks.job_prune")
def job_prune():
    return {"schema": connection.schema_name, "deleted": jobs_prune()}


@app.task(name="apps.jobs.tasks.whereami")
def whereami():
    """Reports the schema the worker ran in; used by operators (and tests) to check routing."""
    from apps.identity.models import User

    return {"schema": connection.schema_name, "users": User.objects.count()}
