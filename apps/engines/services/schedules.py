"""Engine schedules: run an engine daily, weekly or monthly with fixed inputs, as the schedule's owner."""
import calendar
import datetime
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import DomainError
from apps.engines import registry as engines
from apps.engines.choices import Frequency, Trigger
from apps.engines.models import EngineSchedule

logger = logging.getLogger(__name__)


def next_after(moment: datetime.datetime, frequency: str) -> datetime.datetime:
    if frequency == Frequency.DAILY:
        return moment + datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        return moment + datetime.timedelta(weeks=1)
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def schedule_create(*, actor, engine_key: str, name: str, params: dict, frequency: str,
                    next_run_at: datetime.datetime) -> EngineSchedule:
    from apps.engines.services.runs import can_run

    engine = engines.get(engine_key)
    if not can_run(actor, engine):
        raise DomainError(_("Su rol no permite ejecutar «%(engine)s».") % {"engine": engine.label}, status=403,
                          code="permission_denied")
    if frequency not in Frequency.values:
        raise DomainError(_("Frecuencia no válida."), field="frequency")
    schedule = EngineSchedule.objects.create(engine_key=engine_key, name=name[:150], params=params,
                                             frequency=frequency, next_run_at=next_run_at, owner=actor)
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=schedule,
                       changes={"engine": [None, engine_key], "frequency": [None, frequency]})
    return schedule


def schedules_run_due(*, now: datetime.datetime) -> list[int]:
    """Starts every active schedule whose time came (one transaction each) and moves it to its next time.
    A schedule whose run cannot start (owner lost the permission, engine gone) is logged and still moved."""
    from apps.engines.services.runs import engine_run_start

    started = []
    for pk in EngineSchedule.objects.filter(is_active=True, next_run_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            schedule = EngineSchedule.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if schedule is None or schedule.next_run_at > now:
                continue
            try:
                with transaction.atomic():
                    run, _created = engine_run_start(actor=schedule.owner, engine_key=schedule.engine_key,
                                                     params=schedule.params, trigger=Trigger.SCHEDULE,
                                                     schedule=schedule)
                schedule.last_run = run
                started.append(run.pk)
            except DomainError as exc:
                logger.warning("Schedule %s not run: %s", schedule.pk, exc.message)
            moment = schedule.next_run_at
            while moment <= now:
                moment = next_after(moment, schedule.frequency)
            schedule.next_run_at = moment
            schedule.save(update_fields=["next_run_at", "last_run"])
    return started
