from aitcore.settings.base import *  # noqa: F403
import os


DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; Argon2 is tested explicitly
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "10000/min", "user": "10000/min", "api_key": "10000/min",  # noqa: F405
                                           "token": "10000/min"}
ALLOWED_HOSTS = ["*"]

# Each pytest-xdist worker has its own database, so it needs its own Celery queue and
# channel prefix on the shared Redis.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
CELERY_TASK_DEFAULT_QUEUE = f"aitcore-test-{_worker}"
if REDIS_URL:  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"aitcore-test-{_worker}"  # noqa: F405
    # Tests abandon event loops with a receive still waiting: with 5 s reads its lock is freed sooner for the
    # next test. tests/platform/test_channel_layer.py checks the production value on a layer of its own.
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["socket_timeout"] = 5  # noqa: F405

# Several people (or agents) running the suite at once on one server: AITCORE_TEST_DB names
# each run's test database (pytest-xdist still appends _gw0, _gw1).
if os.environ.get("AITCORE_TEST_DB"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["AITCORE_TEST_DB"]}  # noqa: F405
# Rate-limit counters of concurrent runs on the shared Redis must not meet (user ids repeat across databases).
CACHES["throttle"]["KEY_PREFIX"] = f"aitcore-test-{os.environ.get('AITCORE_TEST_DB', 'default')}-{_worker}"  # noqa: F405
