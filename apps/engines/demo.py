"""Demo: runs chain-ladder and the loss ratio once on the demo brokerage (inline, not through Celery) so
results exist on /motores/historial/. Runs after the insurance and claims seeders (app order); skips
engines that already have a run."""
import datetime

from django.db import transaction

from aitcore.registry import registry
from apps.core.errors import DomainError


def _demo_params(today: datetime.date) -> dict:
    last = datetime.date(today.year, 12, 31)
    return {
        "actuarial.chain_ladder": {"source": "data", "kind": "paid", "unit": "quarter",
                                   "date_from": datetime.date(today.year - 2, 1, 1).isoformat(),
                                   "date_to": today.isoformat(), "mack": True, "bf": False, "line": None,
                                   "insurer": None, "csv_incremental": False, "expected_loss_ratio": "65"},
        "actuarial.loss_ratio": {"date_from": datetime.date(today.year - 1, 1, 1).isoformat(),
                                 "date_to": last.isoformat(), "group_by": ["line"], "period": "quarter",
                                 "line": None, "insurer": None},
    }


def engines_demo_seed(*, admin) -> dict:
    from apps.engines.models import EngineRun
    from apps.engines.services.runs import engine_run_start
    from apps.engines.tasks import engine_run_task

    done = {}
    for key, params in _demo_params(datetime.date.today()).items():
        if EngineRun.objects.filter(engine_key=key).exists():
            continue
        try:
            with transaction.atomic():
                run, _created = engine_run_start(actor=admin, engine_key=key, params=params, trigger="system")
            engine_run_task.apply(args=[run.job_id])  # inline: the demo has its results right away
            run.job.refresh_from_db()
            done[key] = run.job.status if not run.job.error else run.job.error
        except DomainError as exc:
            done[key] = exc.message
    return done


registry.register_demo_seeder(engines_demo_seed)
