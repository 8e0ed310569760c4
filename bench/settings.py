"""Settings for the server bench/run.py starts: the test settings plus the bench-only URLs.

Only the URL confs change (they add the bare views from bench/views.py) and throttling is
lifted so the load generator measures the code, not the rate limiter refusing it.
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
