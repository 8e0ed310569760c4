"""The Elasticsearch backend: its index definition (Spanish analysis with ASCII folding) and its request
(fuzzy multi_match, permission filter per kind, one bucket of top hits per kind) checked as the bodies sent,
without a server; the answer parsed from a canned response; and, whenever an Elasticsearch is reachable at
ELASTICSEARCH_URL, a real round trip (index, search with typos and accents, permissions, alias swap)."""
import uuid

import pytest
from django.conf import settings

from apps.crm.models import Party
from apps.search.backends.base import Scope
from apps.search.backends.elastic import ElasticsearchBackend, alias_name, index_definition, search_request
from apps.search.sources import source_for


def test_the_index_analyses_spanish_text_with_ascii_folding():
    body = index_definition("aitcore-alfa-1").to_dict()
    analyzer = body["settings"]["analysis"]["analyzer"]["aitcore_es"]
    assert analyzer["tokenizer"] == "standard"
    assert analyzer["filter"] == ["lowercase", "aitcore_es_stop", "asciifolding", "aitcore_es_stem"]
    assert body["settings"]["analysis"]["filter"] == {
        "aitcore_es_stop": {"type": "stop", "stopwords": "_spanish_"},
        "aitcore_es_stem": {"type": "stemmer", "language": "light_spanish"}}
    fields = body["mappings"]["properties"]
    assert fields["kind"] == {"type": "keyword"} and fields["object_id"] == {"type": "long"}
    assert fields["title"]["analyzer"] == fields["subtitle"]["analyzer"] == fields["body"]["analyzer"] == "aitcore_es"
    assert fields["url"] == {"type": "keyword", "index": False}


def test_one_alias_per_brokerage_named_from_its_schema(tenant_a):
    assert alias_name() == "aitcore-alfa"
    assert alias_name("Beta") == "aitcore-beta"


def test_the_request_is_fuzzy_filtered_per_kind_and_grouped(users_a):
    comercial = users_a["comercial"]
    mine = Party.objects.create(kind="person", first_name="Rosa", last_name="Mínguez", display_name="Rosa Mínguez",
                                account_manager=comercial)
    Party.objects.create(kind="person", first_name="Raúl", last_name="Ortiz", display_name="Raúl Ortiz")
    scopes = [Scope(source_for("party"), source_for("party").visible_queryset(comercial)),
              Scope(source_for("insurer"), None)]
    body = search_request(alias="aitcore-alfa", query="Martinez", scopes=scopes, per_kind=5, offset=10).to_dict()
    text = body["query"]["bool"]["must"][0]["bool"]["should"]
    assert text[0]["multi_match"] == {"query": "Martinez", "fields": ["title^3", "subtitle^2", "body"],
                                      "type": "best_fields", "boost": 2}
    assert text[1]["multi_match"]["fuzziness"] == "AUTO"
    permitted = body["query"]["bool"]["filter"][0]["bool"]["should"]
    assert permitted == [{"bool": {"filter": [{"term": {"kind": "party"}}, {"terms": {"object_id": [mine.pk]}}]}},
                         {"term": {"kind": "insurer"}}]
    assert body["size"] == 0
    assert body["aggs"]["kinds"]["terms"] == {"field": "kind", "size": 2}
    assert body["aggs"]["kinds"]["aggs"]["top"]["top_hits"] == {
        "size": 5, "from": 10, "_source": ["kind", "object_id", "title", "subtitle", "url"]}


class CannedClient:
    """Stands in for the server (the network boundary): answers one search with a fixed body."""

    def __init__(self, answer):
        self.answer, self.sent = answer, []
        self.indices = self

    def exists_alias(self, name):
        return True

    def search(self, index, **body):
        self.sent.append((index, body))
        return self.answer


def test_the_answer_becomes_groups_of_hits(tenant_a):
    hit = {"_score": 7.5, "_source": {"kind": "party", "object_id": 4, "title": "Mapfre España", "subtitle": "A28141935",
                                      "url": "/r/crm-party/4/"}}
    client = CannedClient({"aggregations": {"kinds": {"buckets": [
        {"key": "party", "doc_count": 3, "top": {"hits": {"hits": [hit]}}}]}}})
    found = ElasticsearchBackend(client).search(query="mapfree", scopes=[Scope(source_for("party"), None)], per_kind=1)
    total, hits = found["party"]
    assert total == 3 and (hits[0].object_id, hits[0].title, hits[0].score) == (4, "Mapfre España", 7.5)
    assert client.sent[0][0] == "aitcore-alfa"


class DownClient:
    """A server that refuses the connection."""

    def __init__(self):
        self.indices = self

    def exists_alias(self, name):
        from elastic_transport import ConnectionError as Refused

        raise Refused("Connection refused")


def test_a_search_server_that_is_down_answers_a_message_not_an_error(admin_a, monkeypatch):
    from apps.search import selectors

    monkeypatch.setattr(selectors, "get_backend", lambda: ElasticsearchBackend(DownClient()))
    results = selectors.search_for(admin_a, "mapfre")
    assert results.groups == [] and "no está disponible" in results.message


def _reachable() -> str:
    if not settings.ELASTICSEARCH_URL:
        return "ELASTICSEARCH_URL is not set"
    try:
        from elasticsearch import Elasticsearch

        Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=3).info()
    except Exception as exc:  # noqa: BLE001  (any failure means: no server to test against)
        return f"no Elasticsearch answers at ELASTICSEARCH_URL ({type(exc).__name__})"
    return ""


@pytest.mark.skipif(bool(_reachable()), reason=_reachable() or "reachable")
def test_a_real_elasticsearch_round_trip(settings, users_a, admin_a):
    from apps.search.selectors import search_for
    from apps.search.services.indexing import search_reindex

    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_INDEX_PREFIX = f"aitcore-test-{uuid.uuid4().hex[:8]}"
    Party.objects.create(kind="company", company_name="Mapfre España", display_name="Mapfre España")
    Party.objects.create(kind="person", first_name="Lucía", last_name="Martínez", display_name="Lucía Martínez",
                         account_manager=users_a["comercial"])
    Party.objects.create(kind="person", first_name="Luis", last_name="Martínez", display_name="Luis Martínez")
    backend = ElasticsearchBackend()
    try:
        search_reindex(kinds=None)  # new index, alias swapped
        search_reindex(kinds=None)  # again: the old index is dropped
        assert len(backend.client.indices.get_alias(name=alias_name())) == 1
        assert [h.title for g in search_for(admin_a, "mapfree").groups for h in g.hits] == ["Mapfre España"]
        assert sorted(h.title for g in search_for(admin_a, "Martinez").groups for h in g.hits) == [
            "Lucía Martínez", "Luis Martínez"]
        assert [h.title for g in search_for(users_a["comercial"], "Martinez").groups for h in g.hits] == ["Lucía Martínez"]
    finally:
        backend.client.indices.delete(index=f"{alias_name()}-*", ignore_unavailable=True)
