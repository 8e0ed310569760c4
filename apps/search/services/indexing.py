"""Keeping the index in step with the records: a refresh of some records of one kind (what events ask
for, drained from SearchPending in batches by the search_flush task) and the full `reindex`.

A refresh reads the records through their source, writes the entries of those that exist and deletes
the entries of those that are gone, then mirrors the same change into the backend (a no-op for
PostgreSQL, whose index is the entries table; bulk requests for Elasticsearch)."""
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.search.backends import get_backend
from apps.search.errors import SearchError
from apps.search.models import SearchEntry, SearchPending
from apps.search.sources import source_for, sources
from apps.search.store import entries_delete, entries_write

FLUSH_BATCH = 500
REINDEX_CHUNK = 2000
VERB_LABELS.setdefault("search_reindex", gettext_lazy("reconstrucción del índice de búsqueda"))


def _documents(source, records) -> list[dict]:
    """The index is in the brokerage's language whoever triggered the change (labels such as «Activa»)."""
    with translation.override(settings.LANGUAGE_CODE):
        return [source.document(obj) for obj in records]


@transaction.atomic
def index_refresh(*, kind: str, object_ids: Iterable[int]) -> dict:
    """Entries of these records written again (or deleted when the record is gone); {"indexed", "deleted"}."""
    ids = {int(pk) for pk in object_ids}
    source = source_for(kind)
    documents = _documents(source, source.queryset().filter(pk__in=ids)) if source else []
    missing = ids - {doc["object_id"] for doc in documents}
    entries_write(documents)
    entries_delete(kind, missing)
    backend = get_backend()
    backend.index(documents)
    backend.delete(kind, missing)
    return {"indexed": len(documents), "deleted": len(missing)}


def pending_add(keys: Iterable[tuple[str, int]]) -> int:
    """Queues records for the next flush (a record queued twice is refreshed once)."""
    rows = [SearchPending(kind=kind, object_id=pk) for kind, pk in set(keys)]
    SearchPending.objects.bulk_create(rows, ignore_conflicts=True, batch_size=FLUSH_BATCH)
    return len(rows)


def search_pending_flush(*, batch: int = FLUSH_BATCH) -> int:
    """Refreshes every queued record, `batch` at a time; two workers never take the same rows."""
    done = 0
    while True:
        with transaction.atomic():
            rows = list(SearchPending.objects.select_for_update(skip_locked=True).order_by("pk")
                        .values_list("pk", "kind", "object_id")[:batch])
            if not rows:
                return done
            SearchPending.objects.filter(pk__in=[row[0] for row in rows]).delete()
            by_kind = defaultdict(set)
            for _pk, kind, object_id in rows:
                by_kind[kind].add(object_id)
            for kind, ids in by_kind.items():
                index_refresh(kind=kind, object_ids=ids)
        done += len(rows)


def _chosen_sources(kinds):
    if not kinds:
        return sources()
    unknown = sorted(set(kinds) - {source.kind for source in sources()})
    if unknown:
        raise SearchError(_("Tipos de búsqueda desconocidos: %s.") % ", ".join(unknown), code="search_unknown_kind")
    return [source for source in sources() if source.kind in set(kinds)]


def index_source(source, *, progress=None) -> int:
    """Writes the entries of every record of `source`, REINDEX_CHUNK records per transaction (a million
    records are not one lock). Returns how many."""
    queryset = source.queryset().order_by("pk")
    total, done, last = queryset.count(), 0, 0
    while chunk := list(queryset.filter(pk__gt=last)[:REINDEX_CHUNK]):
        with transaction.atomic():
            entries_write(_documents(source, chunk))
        done, last = done + len(chunk), chunk[-1].pk
        if progress:
            progress(source.kind, done, total)
    return done


def search_reindex(*, kinds: Iterable[str] | None = None, actor=None,
                   progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Rebuilds the entries of `kinds` (every registered kind by default) from the records (index_source),
    drops the entries of records that no longer exist, then rebuilds the backend's index. Returns
    {kind: records indexed}."""
    chosen = _chosen_sources(list(kinds) if kinds else None)
    counts = {}
    for source in chosen:
        counts[source.kind] = index_source(source, progress=progress)
        SearchEntry.objects.filter(kind=source.kind).exclude(
            object_id__in=source.model._default_manager.values("pk")).delete()
    if not kinds:  # kinds nobody registers any more
        SearchEntry.objects.exclude(kind__in=[source.kind for source in chosen]).delete()
    get_backend().rebuild(kinds=list(kinds) if kinds else None, progress=progress)
    if actor is not None:
        with transaction.atomic():
            audit_event_record(actor=actor, action=AuditAction.ACTION, verb="search_reindex",
                               changes={"tipos": [None, counts]})
    return counts
