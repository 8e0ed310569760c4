"""Production settings: base.py, tightened. Fails fast when required configuration is missing."""
import os
import socket

from django.core.exceptions import ImproperlyConfigured


def _require_env(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is not set. aitcore.settings.production requires it: {hint}")
    return value


# Checked before base.py is imported: without DATABASE_URL base.py would start the embedded
# development PostgreSQL, and without DJANGO_SECRET_KEY it would fall back to the public dev key.
_require_env(
    "DJANGO_SECRET_KEY",
    "set it to a random string of at least 50 characters, e.g. "
    "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`.",
)
_require_env("DATABASE_URL", "e.g. postgres://aitcore:PASSWORD@db-host:5432/aitcore.")
_require_env("DJANGO_ALLOWED_HOSTS", "a comma list such as `.aitcore.example.com,aitcore.example.com`.")
_require_env(
    "FIELD_ENCRYPTION_KEYS",
    "comma-separated Fernet keys (the first encrypts, all decrypt), e.g. "
    "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`.",
)
_require_env("FIELD_HASH_KEY", "at least 32 random characters for the blind indexes (HMAC-SHA256).")

from aitcore.settings.base import *  # noqa: E402,F401,F403
from aitcore.settings.base import DATABASES, LOGGING, PLATFORM_DOMAIN, STORAGES, env_list  # noqa: E402

DEBUG = False
FIELD_ENCRYPTION_REQUIRED = True  # never the development keys of apps/core/encryption.py
try:
    from cryptography.fernet import Fernet as _Fernet

    for _key in env_list("FIELD_ENCRYPTION_KEYS"):
        _Fernet(_key.encode())
except ValueError:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key.") from None
if len(os.environ["FIELD_HASH_KEY"].strip()) < 32:
    raise ImproperlyConfigured("FIELD_HASH_KEY must hold at least 32 random characters.")
# Links in e-mails: https and the standard port unless told otherwise.
SITE_PORT = os.environ.get("SITE_PORT", "")
SITE_HTTPS = os.environ.get("SITE_HTTPS", "true").strip().lower() in {"1", "true", "yes", "on"}
# The CSP's websocket sources follow the public scheme and port (wss://*.<domain>).
CONTENT_SECURITY_POLICY = content_security_policy(PLATFORM_DOMAIN, SITE_HTTPS, SITE_PORT)  # noqa: F405
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"].strip()
if SECRET_KEY.startswith("dev-only-insecure"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY still holds the development key; generate a new one.")

# An empty JWT_SIGNING_KEY (set but blank) would sign tokens with an empty key.
SIMPLE_JWT = {**SIMPLE_JWT, "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY", "").strip() or SECRET_KEY}  # noqa: F405

# --- Hosts -------------------------------------------------------------------------------
# Probes (Docker HEALTHCHECK, kubelet) and Prometheus reach a replica by loopback or by its own
# pod/container IP, never by a public name; those Host headers must not be rejected.
# Reverse proxies only forward the platform's own names, so these are unreachable from outside.
def _own_addresses() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, proto=socket.IPPROTO_TCP)
    except OSError:
        return []
    return sorted({info[4][0] for info in infos})


ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") + env_list("DJANGO_INTERNAL_HOSTS", "127.0.0.1,[::1]")
if os.environ.get("DJANGO_ALLOW_OWN_IP", "true").strip().lower() in {"1", "true", "yes", "on"}:
    ALLOWED_HOSTS += [f"[{addr}]" if ":" in addr else addr for addr in _own_addresses()]
ALLOWED_HOSTS = list(dict.fromkeys(ALLOWED_HOSTS))

if "DJANGO_CSRF_TRUSTED_ORIGINS" not in os.environ:
    CSRF_TRUSTED_ORIGINS = [f"https://{PLATFORM_DOMAIN}", f"https://*.{PLATFORM_DOMAIN}"]

# --- Transport security -------------------------------------------------------------------
# TLS ends at nginx / the ingress controller, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# Probes and Prometheus talk plain HTTP to the pod directly.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True

# --- Database ------------------------------------------------------------------------------
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Static files: hashed names + pre-compressed copies, built by collectstatic ------------
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").strip().lower() in {"1", "true", "yes", "on"}
EMAIL_TIMEOUT = 15
SERVER_EMAIL = DEFAULT_FROM_EMAIL  # noqa: F405

# --- Celery ----------------------------------------------------------------------------------
# Keep Celery from replacing the root logger so worker/beat logs stay JSON like the web's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Logging: JSON lines (formatter from base.py) --------------------------------------------
LOGGING = {
    **LOGGING,
    "loggers": {
        **LOGGING["loggers"],
        "celery": {"level": LOG_LEVEL},  # noqa: F405
    },
}
