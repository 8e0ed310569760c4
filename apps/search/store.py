"""Writing the index table: one INSERT … ON CONFLICT per batch, the tsvector computed in the same statement
(Spanish configuration over unaccented text; title weighs A, subtitle B, body C). Every path that writes
entries (an event's refresh, `reindex`, the bench) goes through here."""
from django.db import connection

from apps.search.models import SearchEntry

UNACCENT = "public.aitcore_unaccent"
TS_CONFIG = "spanish"


def fts_text(expr: str) -> str:
    """Unaccented, with - and / as spaces: «POL-2026-000123» is the words pol, 2026, 000123 (the parser would
    read «-2026» as a signed number), so a number matches whole or by its last digits."""
    return f"translate({UNACCENT}(coalesce({expr}, '')), '-/', '  ')"


def vector_sql(title: str, subtitle: str, body: str) -> str:
    """SQL of the weighted tsvector of three text expressions (column names or placeholders)."""
    return " || ".join(f"setweight(to_tsvector('{TS_CONFIG}', {fts_text(expr)}), '{weight}')"
                       for expr, weight in ((title, "A"), (subtitle, "B"), (body, "C")))


def _table() -> str:
    return connection.ops.quote_name(SearchEntry._meta.db_table)


UPSERT = """
INSERT INTO {table} (kind, object_id, title, subtitle, body, url, updated_at, search_vector)
SELECT d.kind, d.object_id, d.title, d.subtitle, d.body, d.url, now(), {vector}
FROM unnest(%s::varchar[], %s::bigint[], %s::varchar[], %s::varchar[], %s::text[], %s::varchar[])
     AS d(kind, object_id, title, subtitle, body, url)
ON CONFLICT (kind, object_id) DO UPDATE SET title = EXCLUDED.title, subtitle = EXCLUDED.subtitle,
    body = EXCLUDED.body, url = EXCLUDED.url, updated_at = EXCLUDED.updated_at, search_vector = EXCLUDED.search_vector
"""


def entries_write(documents: list[dict]) -> int:
    """Inserts or updates the entries of `documents` (dicts of SearchSource.document) in one statement."""
    if not documents:
        return 0
    columns = [[doc[name] for doc in documents] for name in ("kind", "object_id", "title", "subtitle", "body", "url")]
    sql = UPSERT.format(table=_table(), vector=vector_sql("d.title", "d.subtitle", "d.body"))
    with connection.cursor() as cursor:
        cursor.execute(sql, columns)
    return len(documents)


def entries_delete(kind: str, object_ids) -> int:
    ids = list(object_ids)
    if not ids:
        return 0
    deleted, _ = SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
    return deleted
