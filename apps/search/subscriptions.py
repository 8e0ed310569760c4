"""Domain events -> the records to refresh. Every event "<app>.<model>.<verb>" with a pk queues that record
when a source indexes <app>.<model>; a source's `follows` queue the records that show another record's
text (a party renamed: its policies, receipts, claims); its `events` name records in bulk. The queue is
drained by the search_flush task (apps.search.tasks), once per burst of events."""
import logging

from django.core.cache import cache
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name, schema_context

from apps.core.events import subscribe
from apps.search.sources import sources

logger = logging.getLogger(__name__)
FLUSH_KEY = "search:flush-scheduled"
FLUSH_DEBOUNCE_SECONDS = 10
FLUSH_COUNTDOWN_SECONDS = 1


def _pks(result) -> list[int]:
    if hasattr(result, "values_list"):
        return list(result.values_list("pk", flat=True))
    return [int(pk) for pk in result or ()]


def keys_for_event(event_name: str, payload: dict) -> set[tuple[str, int]]:
    keys = set()
    pk = payload.get("pk")
    for source in sources():
        if pk is not None and event_name.startswith(source.event_prefix):
            keys.add((source.kind, int(pk)))
        for prefix, lookup in source.follows:
            if pk is not None and event_name.startswith(f"{prefix}."):
                keys.update((source.kind, related) for related in
                            _pks(source.model._default_manager.filter(**{lookup: pk})))
        if event_name in source.events:
            keys.update((source.kind, related) for related in _pks(source.events[event_name](payload)))
    return keys


def schedule_flush() -> None:
    """One search_flush per burst: the first event sends it (a second later), the next ones find it sent."""
    from apps.search.tasks import search_flush

    if search_flush.app.conf.task_always_eager:
        search_flush.apply()
        return
    if cache.add(FLUSH_KEY, 1, timeout=FLUSH_DEBOUNCE_SECONDS):
        try:
            search_flush.apply_async(countdown=FLUSH_COUNTDOWN_SECONDS)
        except Exception:
            cache.delete(FLUSH_KEY)
            raise


def on_event(event_name: str, payload: dict) -> None:
    schema = payload.get("schema") or connection.schema_name
    if schema == get_public_schema_name():
        return
    with schema_context(schema):
        keys = keys_for_event(event_name, payload)
        if not keys:
            return
        from apps.search.services.indexing import pending_add

        with transaction.atomic():  # a failure here never breaks the caller's transaction (tests run in one)
            pending_add(keys)
        schedule_flush()


def register() -> None:
    subscribe("*", on_event)
