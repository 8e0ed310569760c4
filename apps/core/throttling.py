"""API rate limits: one counter per API key, per user, or per client address for anonymous calls.

Fixed windows aligned on the clock: the counter of a window is one atomic INCR in Redis (the
`throttle` cache, django-redis, when REDIS_URL is set; local memory otherwise), so every process
and replica shares it. Keys carry the brokerage's schema: `throttle:<schema>:<scope>:<id>:<window>`
(user and key ids repeat across schemas). Over the limit the API answers 429 with Retry-After (the
seconds left in the window) and the project's problem body (apps/core/api/problems.py).

Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]: "api_key", "user", "anon"
("api_key" falls back to "user" when missing). If the cache cannot be reached the request passes
(logged): the limiter protects the service, it must not take it down.
"""
import logging
import math
import time

from django.db import connection
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from apps.core.security import client_ip, counters

log = logging.getLogger("aitcore.throttling")

CACHE_ALIAS = "throttle"
DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def clock() -> float:
    """Seconds since the epoch (a function so tests can pin the window)."""
    return time.time()


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """'120/min' -> (120, 60); '10/5s' style is not needed. None or '' -> no limit."""
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), DURATIONS[period.strip()[0].lower()]


def rate_key(*, schema: str, scope: str, ident: str, window: int) -> str:
    return f"throttle:{schema}:{scope}:{ident}:{window}"


def _cache():
    return counters()


def hit(key: str, ttl: int) -> int:
    """Adds one to the counter `key` (created with `ttl` seconds to live) and returns its new value."""
    cache = _cache()
    client = getattr(getattr(cache, "client", None), "get_client", None)
    if client is not None:  # django-redis: INCR + EXPIRE in one round trip, atomic
        raw, full_key = client(write=True), cache.make_key(key)
        pipe = raw.pipeline(transaction=True)
        pipe.incr(full_key)
        pipe.expire(full_key, ttl)
        return int(pipe.execute()[0])
    if cache.add(key, 1, timeout=ttl):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=ttl)
        return 1


def identify(request) -> tuple[str, str]:
    """(scope, id) of the caller: its API key, else its user, else its address."""
    from apps.identity.models import ApiKey

    if isinstance(getattr(request, "auth", None), ApiKey):
        return "api_key", str(request.auth.pk)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "user", str(user.pk)
    return "anon", client_ip(request) or "unknown"


class ApiRateThrottle(BaseThrottle):
    """The default throttle of the API (REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"])."""

    def __init__(self):
        self.retry_after = None

    def rate_for(self, scope: str) -> tuple[int, int] | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES
        rate = rates.get(scope) if scope in rates else rates.get("user")
        return parse_rate(rate)

    def allow_request(self, request, view) -> bool:
        scope, ident = identify(request)
        limit = self.rate_for(scope)
        if limit is None:
            return True
        count_max, duration = limit
        now = clock()
        window = int(now // duration)
        key = rate_key(schema=connection.schema_name, scope=scope, ident=ident, window=window)
        try:
            count = hit(key, duration + 1)
        except Exception:  # noqa: BLE001 - fail open, but say so
            log.warning("rate limit cache unreachable; request let through", exc_info=True)
            return True
        request.rate_limit = {"limit": count_max, "remaining": max(0, count_max - count),
                              "reset": math.ceil((window + 1) * duration - now), "scope": scope}
        if count <= count_max:
            return True
        self.retry_after = max(1, math.ceil((window + 1) * duration - now))
        return False

    def wait(self):
        return self.retry_after
