"""Per-request context (request id, client, actor) that services and logs read.

contextvars work in threads and in asyncio tasks alike, so consumers and Celery tasks can
set the same values the HTTP middleware sets.
"""
import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    user_agent: str = ""


_current = contextvars.ContextVar("aitcore_request_context", default=RequestContext())


def current() -> RequestContext:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def request_context(*, request_id: str | None = None, ip: str | None = None, user_agent: str = ""):
    token = _current.set(RequestContext(request_id=request_id or new_request_id(), ip=ip, user_agent=user_agent[:300]))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
