"""Elasticsearch backend (SEARCH_BACKEND=elasticsearch, on by default when ELASTICSEARCH_URL is set), through
the DSL that now lives in `elasticsearch.dsl`. One alias per brokerage, named from its schema
(<SEARCH_INDEX_PREFIX>-<schema>), pointing at one concrete index; `reindex` builds a new index and swaps
the alias. Text is analysed in Spanish with ASCII folding (Martinez = Martínez); the query is an exact
multi_match boosted over a fuzzy one (Mapfree ≈ Mapfre); the user's permissions are a filter per kind.
The entries table (apps.search.store) stays the source of truth: this backend mirrors it."""
import logging
import time

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch.dsl import A, Index, Keyword, Long, Mapping, Q, Search, Text, analyzer, token_filter

from apps.search.backends.base import Hit
from apps.search.errors import SearchError
from apps.search.models import SearchEntry

FIELDS = ["title^3", "subtitle^2", "body"]
SOURCE_FIELDS = ["kind", "object_id", "title", "subtitle", "url"]
SPANISH_STOP = token_filter("aitcore_es_stop", "stop", stopwords="_spanish_")
SPANISH_STEM = token_filter("aitcore_es_stem", "stemmer", language="light_spanish")
SPANISH_FOLDED = analyzer("aitcore_es", tokenizer="standard",
                          filter=["lowercase", SPANISH_STOP, "asciifolding", SPANISH_STEM])
BULK_CHUNK = 1000
logger = logging.getLogger(__name__)
_clients: dict = {}


def alias_name(schema: str | None = None) -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-{schema or connection.schema_name}".lower()


def index_mapping() -> Mapping:
    mapping = Mapping()
    mapping.field("kind", Keyword())
    mapping.field("object_id", Long())
    mapping.field("title", Text(analyzer=SPANISH_FOLDED, fields={"raw": Keyword(ignore_above=300)}))
    mapping.field("subtitle", Text(analyzer=SPANISH_FOLDED))
    mapping.field("body", Text(analyzer=SPANISH_FOLDED))
    mapping.field("url", Keyword(index=False))
    return mapping


def index_definition(name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=int(getattr(settings, "SEARCH_INDEX_REPLICAS", 0)))
    index.mapping(index_mapping())
    return index


def scope_filter(scope) -> Q:
    kind = Q("term", kind=scope.source.kind)
    if scope.visible is None:
        return kind
    ids = list(scope.visible.order_by().values_list("pk", flat=True))
    return Q("bool", filter=[kind, Q("terms", object_id=ids)])


def search_request(*, alias: str, query: str, scopes: list, per_kind: int, offset: int = 0) -> Search:
    """The whole request: text query, permission filter, one bucket per kind with its page of top hits."""
    text = Q("bool", should=[
        Q("multi_match", query=query, fields=FIELDS, type="best_fields", boost=2),
        Q("multi_match", query=query, fields=FIELDS, fuzziness="AUTO", prefix_length=1),
        Q("multi_match", query=query, fields=FIELDS, type="bool_prefix"),  # «Mart» while typing
    ], minimum_should_match=1)
    permitted = Q("bool", should=[scope_filter(scope) for scope in scopes], minimum_should_match=1)
    request = Search(index=alias).query(Q("bool", must=[text], filter=[permitted])).extra(size=0, track_total_hits=True)
    top = A("top_hits", size=per_kind, _source=SOURCE_FIELDS, **{"from": offset})
    request.aggs.bucket("kinds", "terms", field="kind", size=max(len(scopes), 1)).metric("top", top)
    return request


def _concrete_name(alias: str) -> str:
    return f"{alias}-{time.time_ns() // 1_000_000}"


def _document_id(kind: str, object_id) -> str:
    return f"{kind}-{object_id}"


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch | None = None):
        self._client = client

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            url = settings.ELASTICSEARCH_URL
            if url not in _clients:
                _clients[url] = Elasticsearch(url, request_timeout=10)
            self._client = _clients[url]
        return self._client

    def search(self, *, query: str, scopes: list, per_kind: int, offset: int = 0) -> dict:
        alias = alias_name()
        body = search_request(alias=alias, query=query, scopes=scopes, per_kind=per_kind, offset=offset).to_dict()
        try:
            if not self.client.indices.exists_alias(name=alias):
                return {}
            response = self.client.search(index=alias, **body)
        except (ApiError, TransportError) as exc:
            logger.warning("Elasticsearch search failed: %s", exc)
            raise SearchError(_("La búsqueda no está disponible en este momento. Inténtelo de nuevo en unos minutos."),
                              code="search_unavailable", status=503) from exc
        found = {}
        for bucket in response["aggregations"]["kinds"]["buckets"]:
            hits = [Hit(h["_source"]["kind"], h["_source"]["object_id"], h["_source"]["title"],
                        h["_source"].get("subtitle", ""), h["_source"]["url"], float(h["_score"] or 0))
                    for h in bucket["top"]["hits"]["hits"]]
            found[bucket["key"]] = (bucket["doc_count"], hits)
        return found

    def ensure_index(self) -> str:
        alias = alias_name()
        if not self.client.indices.exists_alias(name=alias):
            concrete = _concrete_name(alias)
            self.client.indices.create(index=concrete, **index_definition(concrete).to_dict())
            self.client.indices.put_alias(index=concrete, name=alias)
        return alias

    def index(self, documents: list[dict]) -> None:
        if documents:
            alias = self.ensure_index()
            actions = ({"_index": alias, "_id": _document_id(d["kind"], d["object_id"]),
                        "_source": {k: d[k] for k in ("kind", "object_id", "title", "subtitle", "body", "url")}}
                       for d in documents)
            helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK)

    def delete(self, kind: str, object_ids) -> None:
        ids = list(object_ids)
        if ids:
            alias = self.ensure_index()
            actions = ({"_op_type": "delete", "_index": alias, "_id": _document_id(kind, pk)} for pk in ids)
            helpers.bulk(self.client, actions, raise_on_error=False, chunk_size=BULK_CHUNK)

    def _bulk_from_entries(self, index: str, kinds=None, progress=None) -> int:
        entries = SearchEntry.objects.order_by("pk")
        if kinds:
            entries = entries.filter(kind__in=kinds)
        total, done = entries.count(), 0
        rows = entries.values("kind", "object_id", "title", "subtitle", "body", "url").iterator(chunk_size=BULK_CHUNK)
        actions = ({"_index": index, "_id": _document_id(row["kind"], row["object_id"]), "_source": row} for row in rows)
        for ok, _item in helpers.streaming_bulk(self.client, actions, chunk_size=BULK_CHUNK):
            done += 1
            if progress and (done % BULK_CHUNK == 0 or done == total):
                progress("elasticsearch", done, total)
        return done

    def rebuild(self, *, kinds=None, progress=None) -> None:
        """Every kind: a new index filled from the entries, then the alias swapped and the old index dropped.
        Some kinds: their documents replaced in place."""
        alias = alias_name()
        if kinds:
            self.ensure_index()
            self.client.delete_by_query(index=alias, query={"terms": {"kind": list(kinds)}}, refresh=True)
            self._bulk_from_entries(alias, kinds, progress)
            return
        concrete = _concrete_name(alias)
        self.client.indices.create(index=concrete, **index_definition(concrete).to_dict())
        self._bulk_from_entries(concrete, None, progress)
        self.client.indices.refresh(index=concrete)
        old = list(self.client.indices.get_alias(name=alias).keys()) if self.client.indices.exists_alias(name=alias) else []
        actions = [{"remove": {"index": name, "alias": alias}} for name in old] + [{"add": {"index": concrete, "alias": alias}}]
        self.client.indices.update_aliases(actions=actions)
        for name in old:
            self.client.indices.delete(index=name)
