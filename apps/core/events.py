"""Domain events: published by services, delivered to subscribers after the commit.

Subscribers (realtime push, indexing, notifications) register with `subscribe`; a failing
subscriber is logged and never undoes the committed change.
"""
import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import connection, transaction

logger = logging.getLogger(__name__)
_subscribers: dict[str, list[Callable]] = defaultdict(list)


def subscribe(event_name: str, handler: Callable) -> None:
    if handler not in _subscribers[event_name]:
        _subscribers[event_name].append(handler)


def unsubscribe(event_name: str, handler: Callable) -> None:
    if handler in _subscribers[event_name]:
        _subscribers[event_name].remove(handler)


def publish(event_name: str, **payload) -> None:
    payload.setdefault("schema", connection.schema_name)

    def deliver():
        for handler in list(_subscribers[event_name]) + list(_subscribers["*"]):
            try:
                handler(event_name, payload)
            except Exception:
                logger.exception("Domain event subscriber failed", extra={"event": event_name})

    transaction.on_commit(deliver)
