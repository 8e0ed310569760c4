"""Thin Celery tasks: an engine run (a tracked job) and the per-tenant schedule sweep (beat fans it out)."""
from django.utils import timezone

from aitcore.celery import app
from apps.jobs.tracking import tracked_task


@tracked_task("apps.engines.tasks.engine_run", acks_late=True)
def engine_run_task(job, progress):
    """Idempotent: a redelivered message of a finished job does nothing (tracked_task)."""
    from apps.engines.services.runs import engine_run_execute

    return engine_run_execute(job, progress)


@app.task(name="apps.engines.tasks.engines_schedules_run")
def engines_schedules_run():
    from apps.engines.services.schedules import schedules_run_due

    return schedules_run_due(now=timezone.now())
