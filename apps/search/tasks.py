"""Thin tasks: the search index refreshed in batches (the queue events filled), per brokerage schema."""
from django.core.cache import cache
from django.db import connection

from aitcore.celery import app


@app.task(name="apps.search.tasks.search_flush")
def search_flush():
    from apps.search.services.indexing import search_pending_flush
    from apps.search.subscriptions import FLUSH_KEY

    cache.delete(FLUSH_KEY)  # first: an event queued from now on schedules the next flush
    return {"schema": connection.schema_name, "indexed": search_pending_flush()}
