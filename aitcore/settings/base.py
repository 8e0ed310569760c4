"""AIT-CORE settings: everything lives here and is read from the environment.

test.py and production.py only adjust what differs.
"""
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("AITCORE_VAR_DIR", BASE_DIR / ".var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,.test")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "http://localhost:8000,http://*.localhost:8000")
# Field encryption (apps/core/encryption.py): Fernet keys, first encrypts, all decrypt; HMAC key of the
# blind indexes. Blank: fixed development keys with a loud warning (production.py refuses to start).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY", "").strip()
FIELD_ENCRYPTION_REQUIRED = False

# --- Tenancy -------------------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "daphne",
    "apps.tenancy",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_prometheus",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "apps.core",
    "apps.identity",
    "apps.audit",
    "django.contrib.postgres",
    # Identity hardening (apps.identity): TOTP devices and login lockouts; the tenant schemas hold the
    # brokerage users' rows, the public schema the platform staff's.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "apps.core",
    "apps.identity",
    "apps.audit",
    "apps.notifications",
    "apps.jobs",
    "apps.crm",
    "apps.accounting",
    "apps.insurance",
    "apps.collections",
    "apps.claims",
    "apps.treasury",
    "apps.hr",
    "apps.collaboration",
    "apps.documents",
    "apps.search",
    "apps.engines",
    "apps.analytics",
    "apps.predictive",
    "apps.regulatory",
    "apps.compliance",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]
# Every package under apps/lines/ is a line of business app: adding a line is adding a folder.
TENANT_APPS += sorted(
    f"apps.lines.{entry.name}" for entry in (BASE_DIR / "apps" / "lines").iterdir()
    if entry.is_dir() and (entry / "apps.py").exists()
)
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenancy.Tenant"
TENANT_DOMAIN_MODEL = "tenancy.Domain"
PUBLIC_SCHEMA_NAME = "public"
TENANT_BASE_SCHEMA = os.environ.get("TENANT_BASE_SCHEMA", "tenant_template")
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "aitcore.urls_public"
ROOT_URLCONF = "aitcore.urls"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Paths served on any host, even one that names no brokerage (probes, Prometheus).
PLATFORM_PATHS = ("/health/", "/metrics")
# Public site domain; tenants live on subdomains of it. Links in e-mails use these too.
PLATFORM_DOMAIN = os.environ.get("PLATFORM_DOMAIN", "localhost")
SITE_PORT = os.environ.get("SITE_PORT", "8000" if env_bool("DJANGO_DEBUG", True) else "")
SITE_HTTPS = env_bool("SITE_HTTPS", not env_bool("DJANGO_DEBUG", True))

# --- Database --------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    # ASGI runs each request on a new thread, so persistent connections are never reused
    # there and pile up until the server refuses clients: keep 0 (use pgbouncer for pooling).
    _db = dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")))
else:
    from aitcore.embedded import embedded_database_settings

    _db = embedded_database_settings(BASE_DIR)
_db["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES = {"default": _db}
ORIGINAL_BACKEND = "django_prometheus.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, channel layer, Celery broker ---------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Channel layer sizing, chosen for 1,000 sockets on one record (deploy/README.md "Channel layer sizing"):
# capacity = messages a process's queue holds (a joiner receives one presence.here per member), expiry =
# seconds an undelivered message lives, group_expiry = seconds a channel stays in a group (> longest socket).
CHANNELS_CAPACITY = int(os.environ.get("CHANNELS_CAPACITY", "1500"))
CHANNELS_EXPIRY = int(os.environ.get("CHANNELS_EXPIRY", "10"))
CHANNELS_GROUP_EXPIRY = int(os.environ.get("CHANNELS_GROUP_EXPIRY", "86400"))
# A process's receive loop waits on Redis with BZPOPMIN for 5 s (channels-redis' brpop_timeout); redis-py 8 reads
# with a 5 s socket timeout by default, so a quiet second could raise TimeoutError in the consumer that runs
# the loop and close its socket. Reads wait longer than the server-side wait.
CHANNELS_SOCKET_TIMEOUT = float(os.environ.get("CHANNELS_SOCKET_TIMEOUT", "15"))
# The collaboration socket (/ws/collab/, apps.collaboration.consumers): per-socket limits and presence timing.
COLLAB_MAX_FRAME_BYTES = int(os.environ.get("COLLAB_MAX_FRAME_BYTES", str(16 * 1024)))
COLLAB_RATE_PER_SECOND = float(os.environ.get("COLLAB_RATE_PER_SECOND", "10"))
COLLAB_RATE_BURST = int(os.environ.get("COLLAB_RATE_BURST", "30"))
COLLAB_HEARTBEAT_SECONDS = float(os.environ.get("COLLAB_HEARTBEAT_SECONDS", "20"))
COLLAB_SILENCE_SECONDS = float(os.environ.get("COLLAB_SILENCE_SECONDS", "50"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_prometheus.cache.backends.redis.NativeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": CHANNELS_SOCKET_TIMEOUT}],
                       "prefix": os.environ.get("CHANNELS_PREFIX", "aitcore"),
                       "capacity": CHANNELS_CAPACITY, "expiry": CHANNELS_EXPIRY, "group_expiry": CHANNELS_GROUP_EXPIRY},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Madrid"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "crm-activity-reminders": {"task": "apps.tenancy.tasks.fan_out", "args": ["apps.crm.tasks.activity_reminders_send"],
                               "schedule": 15 * 60},
    "jobs-prune-finished": {"task": "apps.tenancy.tasks.fan_out", "args": ["apps.jobs.tasks.job_prune"], "schedule": 24 * 3600},
    "insurance-policies-expire": {"task": "apps.tenancy.tasks.fan_out",
                                  "args": ["apps.insurance.tasks.policies_expire_due"], "schedule": 24 * 3600},
    "insurance-quotes-expire": {"task": "apps.tenancy.tasks.fan_out",
                                "args": ["apps.insurance.tasks.quotes_expire"], "schedule": 24 * 3600},
    "insurance-renewals-build": {"task": "apps.tenancy.tasks.fan_out",
                                 "args": ["apps.insurance.tasks.renewals_build"], "schedule": 24 * 3600},
    "claims-tasks-due": {"task": "apps.tenancy.tasks.fan_out", "args": ["apps.claims.tasks.claim_tasks_due"],
                         "schedule": 24 * 3600},
    "collections-cover-review": {"task": "apps.tenancy.tasks.fan_out",
                                 "args": ["apps.collections.tasks.cover_review"], "schedule": 3600},
    "notifications-daily-digest": {"task": "apps.tenancy.tasks.fan_out",
                                   "args": ["apps.notifications.tasks.notifications_digest_send"],
                                   "schedule": 24 * 3600},
    "documents-expiry-reminders": {"task": "apps.tenancy.tasks.fan_out",
                                   "args": ["apps.documents.tasks.documents_expiry_remind"], "schedule": 24 * 3600},
    "documents-retention-purge": {"task": "apps.tenancy.tasks.fan_out",
                                  "args": ["apps.documents.tasks.documents_retention_purge"], "schedule": 24 * 3600},
    "analytics-reports-send": {"task": "apps.tenancy.tasks.fan_out",
                               "args": ["apps.analytics.tasks.analytics_reports_send"], "schedule": 24 * 3600},
    "engines-schedules-run": {"task": "apps.tenancy.tasks.fan_out",
                              "args": ["apps.engines.tasks.engines_schedules_run"], "schedule": 3600},
    # GDPR retention (anonymise/delete what expired, legal holds stop it) and DSR/complaint deadline warnings.
    "compliance-retention-run": {"task": "apps.tenancy.tasks.fan_out",
                                 "args": ["apps.compliance.tasks.retention_run"], "schedule": 24 * 3600},
    "compliance-deadlines-warn": {"task": "apps.tenancy.tasks.fan_out",
                                  "args": ["apps.compliance.tasks.deadlines_warn"], "schedule": 24 * 3600},
}

# --- Middleware, templates, apps -------------------------------------------------------
MIDDLEWARE = [
    "apps.tenancy.middleware.TenantMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.core.security.RequestSizeLimitMiddleware",
    "apps.core.security.AdminIpAllowlistMiddleware",
    "apps.identity.middleware.UserLanguageMiddleware",
    "apps.identity.middleware.IdleTimeoutMiddleware",
    "apps.identity.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.shell",
            ],
        },
    }
]
WSGI_APPLICATION = "aitcore.wsgi.application"
ASGI_APPLICATION = "aitcore.asgi.application"

# --- Identity --------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "identity:login"
SESSION_COOKIE_AGE = 12 * 3600
# Login hardening (apps.identity, docs in README "Acceso"): lockout by user + IP (django-axes), idle sign-out,
# TOTP second step. The client IP follows TRUSTED_PROXIES (apps.core.security.client_ip): X-Forwarded-For from
# anyone else is ignored, so nobody can pick their own IP to dodge the lockout.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = __import__("datetime").timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the retry time shown stays true
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit log and in identity.UserSession
AXES_USERNAME_CALLABLE = "apps.identity.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "apps.identity.security.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.identity.views.login.lockout_response"
IDLE_TIMEOUT_MINUTES = int(os.environ.get("IDLE_TIMEOUT", "30"))
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "AIT-CORE")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "AIT-CORE <no-reply@aitcore.local>")

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Madrid"
USE_I18N = True
USE_TZ = True
# Grouping is applied where amounts are shown (format_eur, floatformat:"2g"); a global
# separator would also turn ids in templates into "2 670".
USE_THOUSAND_SEPARATOR = False

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files (apps.core.storage keeps every key under "<schema>/"). STORAGE_BACKEND picks
# "filesystem" (MEDIA_ROOT, the embedded default) or "s3" (S3/MinIO, one bucket per
# installation); setting AWS_STORAGE_BUCKET_NAME alone also means "s3". See deploy/README.md.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "s3" if AWS_STORAGE_BUCKET_NAME else "filesystem").strip().lower()
DOCUMENTS_URL_SECONDS = int(os.environ.get("DOCUMENTS_URL_SECONDS", "300"))  # presigned download URLs
if STORAGE_BACKEND not in {"filesystem", "s3"} or (STORAGE_BACKEND == "s3" and not AWS_STORAGE_BUCKET_NAME):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("STORAGE_BACKEND must be 'filesystem' or 's3' (with AWS_STORAGE_BUCKET_NAME).")
if STORAGE_BACKEND == "s3":
    # Credentials come from boto3's chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, IAM role).
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None  # MinIO or another S3 service
    # Where browsers reach that endpoint, for presigned downloads (else Django streams the file).
    AWS_S3_PUBLIC_ENDPOINT_URL = os.environ.get("AWS_S3_PUBLIC_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME", "eu-south-2")
    AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or ("path" if AWS_S3_ENDPOINT_URL else None)
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_DEFAULT_ACL = None  # objects stay private; the bucket policy decides, never a public ACL
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = DOCUMENTS_URL_SECONDS
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_SSE_KMS_KEY_ID = os.environ.get("AWS_S3_SSE_KMS_KEY_ID", "")
    AWS_S3_OBJECT_PARAMETERS = (
        {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": AWS_S3_SSE_KMS_KEY_ID}
        if AWS_S3_SSE_KMS_KEY_ID
        else {"ServerSideEncryption": "AES256"}
    )
    _default_storage = {"BACKEND": "apps.core.storage.TenantS3Storage"}
else:
    _default_storage = {"BACKEND": "apps.core.storage.TenantFileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Search ------------------------------------------------------------------------------
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# "postgres" (full-text + trigram in each brokerage's schema) or "elasticsearch" (one index alias per brokerage).
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "postgres")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "aitcore")

# --- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.identity.authentication.TenantJWTAuthentication",
        "apps.identity.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.api.permissions.ModulePermission"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.problems.problem_exception_handler",
    # Per API key, per user, per address (anonymous): apps/core/throttling.py, 429 + Retry-After.
    # API_RATE_LIMITS=false leaves limits to the gateway in front (the bench compares both).
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.throttling.ApiRateThrottle"] if env_bool("API_RATE_LIMITS", True) else [],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
        "api_key": os.environ.get("API_THROTTLE_API_KEY", "600/min"),
        "token": os.environ.get("API_THROTTLE_TOKEN", "20/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": __import__("datetime").timedelta(minutes=int(os.environ.get("JWT_ACCESS_MINUTES", "15"))),
    "REFRESH_TOKEN_LIFETIME": __import__("datetime").timedelta(days=1),
    "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY", SECRET_KEY),
    "USER_ID_CLAIM": "user_id",
    "UPDATE_LAST_LOGIN": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AIT-CORE API",
    "DESCRIPTION": "API REST de AIT-CORE para integradores. Cada correduría usa su propio dominio.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models share field names ("kind", "status") with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "apps.crm.choices.Channel",
        "PartyKindEnum": "apps.crm.choices.PartyKind",
        "PartyStatusEnum": "apps.crm.choices.PartyStatus",
        "ContactKindEnum": "apps.crm.choices.ContactKind",
        "AddressKindEnum": "apps.crm.choices.AddressKind",
        "RelationKindEnum": "apps.crm.choices.RelationKind",
        "ActivityKindEnum": "apps.crm.choices.ActivityKind",
        "LeadStatusEnum": "apps.crm.choices.LeadStatus",
        "CampaignStatusEnum": "apps.crm.choices.CampaignStatus",
        "JobStatusEnum": "apps.jobs.choices.JobStatus",
        "JournalKindEnum": "apps.accounting.choices.JournalKind",
        "EntryKindEnum": "apps.accounting.choices.EntryKind",
        "EntryStateEnum": "apps.accounting.choices.EntryState",
        "PeriodStateEnum": "apps.accounting.choices.PeriodState",
        "TaxKindEnum": "apps.accounting.choices.TaxKind",
        "InvoiceKindEnum": "apps.accounting.choices.InvoiceKind",
        "InvoiceStateEnum": "apps.accounting.choices.InvoiceState",
        "QuoteStateEnum": "apps.insurance.choices.QuoteState",
        "PolicyStateEnum": "apps.insurance.choices.PolicyState",
        "CancellationReasonEnum": "apps.insurance.choices.CancellationReason",
        "PaymentFrequencyEnum": "apps.insurance.choices.PaymentFrequency",
        "PaymentMethodEnum": "apps.insurance.choices.PaymentMethod",
        "RenewalStateEnum": "apps.insurance.choices.RenewalState",
        "RenewalPremiumSourceEnum": "apps.insurance.choices.RenewalPremiumSource",
        "NonRenewalReasonEnum": "apps.insurance.choices.NonRenewalReason",
        "ComplianceChannelEnum": "apps.compliance.choices.Channel",
        "ComplaintKindEnum": "apps.compliance.choices.ComplaintKind",
        "ComplaintReasonEnum": "apps.compliance.choices.ComplaintReason",
        "ComplaintOutcomeEnum": "apps.compliance.choices.ComplaintOutcome",
        "DataSubjectRequestKindEnum": "apps.compliance.choices.RequestKind",
        "EvidenceKindEnum": "apps.regulatory.choices.EvidenceKind",
        "DeliveryChannelEnum": "apps.regulatory.choices.DeliveryChannel",
        "ModelKindEnum": "apps.predictive.choices.ModelKind",
        "ReceiptKindEnum": "apps.collections.choices.ReceiptKind",
        "ReceiptStateEnum": "apps.collections.choices.ReceiptState",
        "ReceiptCollectorEnum": "apps.collections.choices.ReceiptCollector",
        "CollectionChannelEnum": "apps.collections.choices.CollectionChannel",
        "ReceiptMovementKindEnum": "apps.collections.choices.ReceiptMovementKind",
        "CommissionMovementKindEnum": "apps.collections.choices.CommissionMovementKind",
        "CoverStateEnum": "apps.collections.choices.CoverState",
        "CollaboratorKindEnum": "apps.collections.choices.CollaboratorKind",
        "SettlementStateEnum": "apps.collections.choices.SettlementState",
        "ClaimStateEnum": "apps.claims.choices.ClaimState",
        "ClaimCauseEnum": "apps.claims.choices.ClaimCause",
        "PaymentPayeeEnum": "apps.claims.choices.PaymentPayee",
        "ThirdPartyRoleEnum": "apps.claims.choices.ThirdPartyRole",
        "MandateSchemeEnum": "apps.treasury.choices.MandateScheme",
        "MandateKindEnum": "apps.treasury.choices.MandateKind",
        "MandateStateEnum": "apps.treasury.choices.MandateState",
        "SequenceTypeEnum": "apps.treasury.choices.SequenceType",
        "RemittanceStateEnum": "apps.treasury.choices.RemittanceState",
        "RemittanceItemStateEnum": "apps.treasury.choices.RemittanceItemState",
        "StatementLineStateEnum": "apps.treasury.choices.StatementLineState",
        "TransferOrderStateEnum": "apps.treasury.choices.TransferOrderState",
        "TransferItemKindEnum": "apps.treasury.choices.TransferItemKind",
        "DistributionRoleEnum": "apps.hr.choices.DistributionRole",
        "ContractKindEnum": "apps.hr.choices.ContractKind",
        "ContractStateEnum": "apps.hr.choices.ContractState",
        "ContractEventKindEnum": "apps.hr.choices.ContractEventKind",
        "TerminationReasonEnum": "apps.hr.choices.TerminationReason",
        "HolidayScopeEnum": "apps.hr.choices.HolidayScope",
        "TimeRecordKindEnum": "apps.hr.choices.TimeRecordKind",
        "TimeRecordSourceEnum": "apps.hr.choices.TimeRecordSource",
        "LeaveRequestStateEnum": "apps.hr.choices.LeaveRequestState",
        "PayrollRunStateEnum": "apps.hr.choices.PayrollRunState",
        "TrainingModalityEnum": "apps.hr.choices.TrainingModality",
        "EmployeeDocumentKindEnum": "apps.hr.choices.EmployeeDocumentKind",
    },
}

# --- Logging: JSON lines carrying the request id ----------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "apps.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(schema)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
    },
}

# --- Security defaults (production.py tightens) ---------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Abuse limits and web hardening (apps/core/security.py, apps/core/throttling.py) -----------
# Bodies over this are refused with 413 (problem body under /api/, a page for staff) and audited, before
# any view reads them; nginx's client_max_body_size (deploy/nginx) is the same number. Uploaded files
# above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file instead of memory.
REQUEST_MAX_BODY_BYTES = int(os.environ.get("REQUEST_MAX_BODY_BYTES", str(25 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))
# Proxies (CIDRs) whose X-Forwarded-For is believed; the client is the nearest address not among them.
# Production: the address range nginx / the ingress controller connects from.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1/32,::1/128")
# /admin/ of the platform (public) site only from these networks; empty: any. Each brokerage has its
# own list (Tenant.admin_allowed_networks, edited in the platform admin).
PLATFORM_ADMIN_ALLOWED_NETWORKS = env_list("PLATFORM_ADMIN_ALLOWED_NETWORKS")
# API rate-limit counters (apps/core/throttling.py): Redis through django-redis when REDIS_URL is set.
if REDIS_URL:
    CACHES["throttle"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("THROTTLE_KEY_PREFIX", "aitcore"),
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
else:
    CACHES["throttle"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
# Content-Security-Policy (django-csp): no inline scripts anywhere, no inline styles, no framing.
# Websockets are same-origin ('self' covers ws:/wss: to the same host in CSP3; the platform's hosts
# are named too for browsers that do not). production.py rebuilds it with its https/port.
from csp.constants import NONCE  # noqa: E402


def content_security_policy(domain: str, https: bool, port: str) -> dict:
    ws = f"{'wss' if https else 'ws'}://{{host}}{f':{port}' if port else ''}"
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'", NONCE],  # NONCE: only on pages that use request.csp_nonce (IPID page)
            "img-src": ["'self'", "data:", "blob:"],
            "font-src": ["'self'", "data:"],
            "connect-src": ["'self'", ws.format(host=domain), ws.format(host=f"*.{domain}")],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
            "frame-src": ["'self'"],
            "worker-src": ["'self'", "blob:"],
        },
    }


CONTENT_SECURITY_POLICY = content_security_policy(PLATFORM_DOMAIN, SITE_HTTPS, SITE_PORT)

# --- Treasury forecast (apps.treasury.selectors_forecast) ---------------------------------
# A closed settlement the brokerage owes is expected to be paid this many days after its date;
# a received invoice without due date, this many days after it was issued.
TREASURY_SETTLEMENT_PAYMENT_DAYS = int(os.environ.get("TREASURY_SETTLEMENT_PAYMENT_DAYS", "10"))
TREASURY_INVOICE_PAYMENT_DAYS = int(os.environ.get("TREASURY_INVOICE_PAYMENT_DAYS", "30"))
