"""The search backend chosen by settings.SEARCH_BACKEND: "postgres" (default) or "elasticsearch"."""
from django.conf import settings


def get_backend():
    if settings.SEARCH_BACKEND == "elasticsearch":
        from apps.search.backends.elastic import ElasticsearchBackend

        return ElasticsearchBackend()
    from apps.search.backends.postgres import PostgresBackend

    return PostgresBackend()
