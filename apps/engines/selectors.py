"""Reads of engine runs and schedules (a user without engines.view_enginerun sees only their own runs)."""
from apps.engines.models import EngineRun, EngineSchedule


def runs_visible_to(user):
    qs = EngineRun.objects.select_related("job", "user")
    if user.has_perm("engines.view_enginerun"):
        return qs
    return qs.filter(user=user)


def run_for(user, pk: int) -> EngineRun | None:
    return runs_visible_to(user).filter(pk=pk).first()


def schedules_visible_to(user):
    qs = EngineSchedule.objects.select_related("owner", "last_run__job")
    if user.has_perm("engines.view_engineschedule"):
        return qs
    return qs.filter(owner=user)


def engine_catalog(user) -> list[dict]:
    """Engines grouped by category, each with whether `user` may run it."""
    from apps.engines import registry as engines
    from apps.engines.services.runs import can_run

    return [{"key": category, "label": engines.CATEGORIES.get(category, category),
             "engines": [{"engine": e, "can_run": can_run(user, e)} for e in items]}
            for category, items in engines.by_category().items()]
