"""Settings for the server bench/run.py starts: the test settings plus the bench-only URLs.

What changes, and why:
- the URL confs add the bare views from bench/views.py;
- throttling is lifted so the load generator measures the code, not the rate limiter;
- CONN_MAX_AGE is 0. Under ASGI Django runs each request's sync code on a fresh thread and
  connections are per thread, so a persistent connection is never reused: it is left open
  until the garbage collector finds it (Django docs, "Persistent connections": disable them
  under ASGI). Any DB_CONN_MAX_AGE above 0 (the app defaults to 0) exhausts the
  server's max_connections within a few hundred requests. Since such a connection is never
  reused, 0 costs the same per request; bench/run.py prints the app's own value next to it.
"""
from aitcore.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
PUBLIC_SCHEMA_URLCONF = "bench.urls_public"
DEBUG = False
ALLOWED_HOSTS = ["*"]
REST_FRAMEWORK = {  # noqa: F405 - a copy, so the imported dict stays as test.py left it
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min", "token": "1000000/min"},
}
DATABASES = {"default": {**DATABASES["default"], "CONN_MAX_AGE": 0}}  # noqa: F405
