"""PostgreSQL backend (the default): full-text matches (websearch_to_tsquery on the Spanish configuration
over unaccented text, ranked by ts_rank) come before trigram matches of the unaccented title (typos:
«Mapfree» finds «Mapfre»), and each kind is filtered in the same SQL by the rows the user may read, so a
hit the user may not open is never counted, let alone shown. One query answers every group: the window
functions give each kind its page of hits and its total."""
from django.db import connection

from apps.search.backends.base import Hit
from apps.search.models import SearchEntry
from apps.search.store import TS_CONFIG, UNACCENT, fts_text

TSQUERY = f"websearch_to_tsquery('{TS_CONFIG}', {fts_text('%s::text')})"
FULL_TEXT = f"e.search_vector @@ {TSQUERY}"
TRIGRAM_WORD = f"{UNACCENT}(%s) <%% {UNACCENT}(e.title)"
SCORE_BOTH = (f"CASE WHEN {FULL_TEXT} THEN 1 + ts_rank(e.search_vector, {TSQUERY}, 32) "
              f"ELSE word_similarity({UNACCENT}(%s), {UNACCENT}(e.title)) END")
SCORE_FULL_TEXT = f"1 + ts_rank(e.search_vector, {TSQUERY}, 32)"
SEARCH_SQL = """
WITH hits AS (
  SELECT e.kind, e.object_id, e.title, e.subtitle, e.url, {score} AS score
  FROM {table} e
  WHERE {match} AND {scope}
), ranked AS (
  SELECT hits.*, row_number() OVER (PARTITION BY kind ORDER BY score DESC, title, object_id) AS rn,
         count(*) OVER (PARTITION BY kind) AS total
  FROM hits
)
SELECT kind, object_id, title, subtitle, url, score, total FROM ranked WHERE rn > %s AND rn <= %s ORDER BY kind, rn
"""
MIN_TRIGRAM_LETTERS = 3


def trigram_words(query: str) -> list[str]:
    """The words a typo may hide in: those of MIN_TRIGRAM_LETTERS letters or more and no digits (a number is
    found whole or by its last digits through the full text, never by resemblance). A title is a typo match
    when it resembles every one of them («Talleres Inaki» is not every title that says «Talleres»)."""
    words = [word.strip(".,;:()[]{}¿?¡!\"'") for word in query.split()]
    return [word for word in words if sum(char.isalpha() for char in word) >= MIN_TRIGRAM_LETTERS
            and not any(char.isdigit() for char in word)]


def scope_sql(scopes) -> tuple[str, list]:
    """`(kind = 'party' AND object_id IN (<parties the user may read>)) OR kind = 'invoice' OR …`."""
    parts, params = [], []
    for scope in scopes:
        if scope.visible is None:
            parts.append("e.kind = %s")
            params.append(scope.source.kind)
        else:
            sub_sql, sub_params = scope.visible.order_by().values("pk").query.sql_with_params()
            parts.append(f"(e.kind = %s AND e.object_id IN ({sub_sql}))")
            params.extend([scope.source.kind, *sub_params])
    return "(" + " OR ".join(parts) + ")", params


class PostgresBackend:
    name = "postgres"

    def search(self, *, query: str, scopes: list, per_kind: int, offset: int = 0) -> dict:
        """{kind: (total, [Hit, ...])} for the kinds with matches."""
        scope, scope_params = scope_sql(scopes)
        words = trigram_words(query)
        if words:
            trigram = " AND ".join([TRIGRAM_WORD] * len(words))
            score, match = SCORE_BOTH, f"({FULL_TEXT} OR ({trigram}))"
            params = [query, query, " ".join(words), query, *words]
        else:
            score, match, params = SCORE_FULL_TEXT, FULL_TEXT, [query, query]
        sql = SEARCH_SQL.format(table=connection.ops.quote_name(SearchEntry._meta.db_table), score=score,
                                match=match, scope=scope)
        params += [*scope_params, offset, offset + per_kind]
        found: dict = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for kind, object_id, title, subtitle, url, score, total in cursor.fetchall():
                hits = found.setdefault(kind, (total, []))[1]
                hits.append(Hit(kind, object_id, title, subtitle, url, float(score)))
        return found

    # The entries table is this backend's index: apps.search.store already wrote or deleted the rows.
    def index(self, documents: list[dict]) -> None:
        return None

    def delete(self, kind: str, object_ids) -> None:
        return None

    def rebuild(self, *, kinds=None, progress=None) -> None:
        return None
