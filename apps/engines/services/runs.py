"""Engine runs: start (idempotent while active), execute (the Celery task's body), cancel."""
import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import DomainError, PermissionDeniedError
from apps.engines import registry as engines
from apps.engines.choices import Trigger
from apps.engines.errors import EngineCancelled, EngineError
from apps.engines.models import EngineRun
from apps.engines.params import data_fingerprint, run_key
from apps.jobs.choices import ACTIVE_STATUSES
from apps.jobs.errors import JobCancelled
from apps.jobs.models import JobRun
from apps.jobs.services.runs import job_cancel, job_start

logger = logging.getLogger(__name__)


def can_run(user, engine) -> bool:
    return bool(user and getattr(user, "is_active", False) and user.has_perm(engine.permission)
                and user.has_perm("engines.run_engine"))


@transaction.atomic
def engine_run_start(*, actor, engine_key: str, params: dict, trigger: str = Trigger.PAGE,
                     schedule=None) -> tuple[EngineRun, bool]:
    """Queues a run of `engine_key` with `params` (JSON, see apps.engines.params.form_params).
    Idempotent: while a run with the same engine, inputs and data fingerprint is queued or running, that
    run is returned (created=False) instead of starting a second one."""
    engine = engines.get(engine_key)
    if not can_run(actor, engine):
        raise PermissionDeniedError(_("Su rol no permite ejecutar «%(engine)s».") % {"engine": engine.label})
    fingerprint = data_fingerprint()
    key = run_key(engine.key, params, fingerprint)
    with connection.cursor() as cursor:  # serialises concurrent starts of the same run (until commit)
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
    existing = (EngineRun.objects.select_related("job").filter(run_key=key, job__status__in=ACTIVE_STATUSES)
                .order_by("-id").first())
    if existing is not None:
        return existing, False
    from apps.engines.tasks import engine_run_task

    job = job_start(actor=actor, task=engine_run_task, label=str(engine.label)[:200],
                    params={"engine": engine.key})
    run = EngineRun.objects.create(engine_key=engine.key, engine_label=str(engine.label)[:200], params=params,
                                   run_key=key, data_fingerprint=fingerprint, job=job,
                                   user=actor if getattr(actor, "pk", None) else None, trigger=trigger,
                                   schedule=schedule)
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="engine_run_start", obj=run,
                       changes={"engine": [None, engine.key], "params": [None, params], "trigger": [None, trigger]})
    return run, True


@transaction.atomic
def engine_run_cancel(*, actor, run: EngineRun) -> EngineRun:
    """Cancels a queued or running run (its job): it stops at its next progress report and shows «Cancelado»."""
    if run.user_id != getattr(actor, "pk", None) and not actor.has_perm("jobs.change_jobrun"):
        raise PermissionDeniedError(_("Solo quien lanzó el cálculo puede cancelarlo."))
    job_cancel(actor=actor, job=run.job)
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="engine_run_cancel", obj=run,
                       changes={"engine": [None, run.engine_key]})
    run.job.refresh_from_db()
    return run


def engine_run_execute(job: JobRun, progress) -> dict:
    """The task's body: computes, checks the result is JSON, stores it on the run. Bad input ends the job
    FAILED with the engine's message; an unexpected error with a generic one (logged with its trace)."""
    run = EngineRun.objects.get(job=job)
    engine = engines.get(run.engine_key)

    def report(pct: int, message: str = "") -> None:
        try:
            progress(min(int(pct), 99), message)
        except JobCancelled:
            raise EngineCancelled(job.pk) from None

    report(1, _("Empezando «%(engine)s»…") % {"engine": engine.label})
    try:
        result = engine.compute(params=run.params, progress=report, actor=job.user)
        result = json.loads(json.dumps(result, cls=DjangoJSONEncoder))
    except (DomainError, JobCancelled):
        raise
    except Exception:
        logger.exception("Engine %s failed", run.engine_key, extra={"engine_run": run.pk})
        raise EngineError(_("El cálculo ha fallado por un error interno. El equipo técnico tiene el detalle; "
                            "revise los datos de entrada o vuelva a intentarlo.")) from None
    for key in ("summary", "tables", "charts", "messages"):
        result.setdefault(key, [])
    result.setdefault("data", {})
    report(99, _("Guardando el resultado…"))  # the last chance to notice a cancellation
    EngineRun.objects.filter(pk=run.pk).update(result=result)
    return {"engine_run": run.pk, "engine": run.engine_key}
