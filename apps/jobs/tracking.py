"""`tracked_task`: a Celery task whose progress and outcome live in a JobRun."""
import functools
import logging

from aitcore.celery import app
from apps.jobs.services.runs import job_begin, job_fail, job_progress, job_succeed

logger = logging.getLogger(__name__)


def tracked_task(name: str, **options):
    """The wrapped function gets (job, progress) where progress(pct, message) reports live.

    Redelivery of a finished job is a no-op, so tasks may use acks_late when their own work
    is idempotent (say so in the options where it is).
    """

    def decorator(func):
        @app.task(name=name, bind=True, **options)
        @functools.wraps(func)
        def task(self, job_id: int):
            job = job_begin(job_id)
            if job is None:
                return None
            try:
                result = func(job, lambda pct, msg="": job_progress(job, pct, msg))
            except Exception as exc:
                logger.exception("Job failed", extra={"job": job_id})
                job_fail(job, f"{type(exc).__name__}: {exc}")
                return None
            job_succeed(job, result)
            return result

        return task

    return decorator
