"""`tracked_task`: a Celery task whose progress and outcome live in a JobRun."""
import functools
import logging

from aitcore.celery import app
from apps.core.errors import DomainError
from apps.jobs.services.runs import JobCancelled, job_begin, job_fail, job_progress, job_succeed

logger = logging.getLogger(__name__)


def tracked_task(name: str, **options):
    """The wrapped function gets (job, progress) where progress(pct, message) reports live.

    A cancelled job (apps.jobs.services.runs.job_cancel) is not started, and a running one stops at its
    next progress() call (JobCancelled). A DomainError ends the job FAILED with its message alone.
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
            except JobCancelled:
                logger.info("Job cancelled", extra={"job": job_id})
                return None
            except DomainError as exc:  # a clear message for people, no stack trace
                job_fail(job, str(exc.message))
                return None
            except Exception as exc:
                logger.exception("Job failed", extra={"job": job_id})
                job_fail(job, f"{type(exc).__name__}: {exc}")
                return None
            job_succeed(job, result)
            return result

        return task

    return decorator
