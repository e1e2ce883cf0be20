"""Settings, read from the environment.

Development defaults make a fresh clone run with no services at all (SQLite, eager Celery,
database search, bank transfer, console e-mail). Production sets DEBUG=0 and must provide
SECRET_KEY: we refuse to start without it rather than run with a known key.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# A stale form gets a page in the visitor's language that says what to do, not Django's debug text.
CSRF_FAILURE_VIEW = "frontend.views.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "marketplace.accounts",
    "marketplace.core",
    "marketplace.addresses",
    "factories",
    "buyers",
    "partners",
    "conversations",
    "marketplace.notifications",
    "trials",
    "search",
    "tours",
    "frontend",
    "demo",
]

MIDDLEWARE = [
    # First: every line logged while serving the request carries its id.
    "marketplace.core.request_id.RequestIdMiddleware",
    # Where each request's time went, in its Server-Timing header (SERVER_TIMING=1; off by default).
    "marketplace.core.server_timing.ServerTimingMiddleware",
    # The client address for the audit rows of staff actions (API and pages; the admin's too).
    "marketplace.core.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app server (hashed names, cached forever, compressed), so the
    # production stack needs no separate file server (see deploy/ and `make serve`).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database down → 503 with Retry-After (JSON under /api/), not a 500.
    "marketplace.core.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "marketplace.api.middleware.ApiRequestGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into our 429 (accounts/throttling.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite file for a fresh clone; PostgreSQL (psycopg 3) in tests and production.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Reuse a connection across requests (opening one costs several ms, more than a search);
        # health checks replace one the server closed instead of failing the request.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# django-axes first: it refuses a sign-in while the account or the address is locked out.
AUTHENTICATION_BACKENDS = [
    "marketplace.accounts.throttling.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Caches: Redis in production (CACHE_URL=redis://…), local memory for `make run` and a fresh clone.
# Sign-in failure counts live here, so every app server sees the same counts in production.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "yt"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "yuantou"}
    )
}

# Content-Security-Policy on every response (django-csp). Pages load scripts and styles only from
# our static files (no inline <script>/<style>/style="…", no inline event handler: the language menu
# has a submit button); Stripe's card form is the one outside source.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "https://js.stripe.com"],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF, "https://api.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Sign-in throttling (all three entrances: API token, web sign-in, admin), see accounts/throttling.py.
# Counted per account and, separately, per address: either one reaching the limit locks for the cool-off.
# Anonymous reads of the public catalogue (search, product lists) served from the shared cache for
# this long at most (marketplace/core/public_cache.py); a catalogue change ends them at once.
# On by default only with a shared cache (CACHE_URL): each process's local memory would keep its
# own copies, which one process's change could not end. 0 turns it off.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "30" if CACHE_URL else "0"))

AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "marketplace.accounts.throttling.username_key"
AXES_LOCKOUT_CALLABLE = "marketplace.accounts.throttling.lockout_response"
AXES_ENABLE_ADMIN = False  # the cache handler writes no rows, so its admin pages would stay empty
AXES_VERBOSE = False
# django-axes warns that a per-process cache cannot share counts between servers: intended for `make run`.
SILENCED_SYSTEM_CHECKS = [] if CACHE_URL or not DEBUG else ["axes.W001"]
# Behind a reverse proxy set the number of proxies, so the client's address is read from X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ["PROXY_COUNT"]) if os.environ.get("PROXY_COUNT") else None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# With DEBUG off, collectstatic writes hashed, compressed copies that WhiteNoise serves with a
# far-future Cache-Control; in development the plain files are served as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files nobody may fetch by URL (factories' business licences): outside MEDIA_ROOT, served only by
# views that check who asks.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# Uploads above this are refused before Pillow ever sees them (see factories/images.py).
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# JSON bodies of the API are small (a product with its description is a few KB): 413 above this.
API_JSON_MAX_BYTES = int(os.environ.get("API_JSON_MAX_BYTES", str(1024 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # A user's token; a member's may name a streamer of their organization (partners/, issue 12).
        "partners.authentication.TokenAuthentication",
        # Organization keys (partners/, issue 12) and the older user-owned keys (accounts.ApiKey).
        "partners.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "marketplace.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "marketplace.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.api.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Yuantou API",
    "DESCRIPTION": "源头工厂 ↔ 主播: factories, products, streamers, search, trials (五折试销).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # Served from our own static files: the docs page must work without a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status` / `provider`: name their enums after what they are.
    # The drf-spectacular default, then which scope each operation needs from a partner key.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partners.schema.partner_scopes_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "BulkOrderStatusEnum": "trials.models.BulkStatus",
        "PaymentStatusEnum": "trials.models.PaymentStatus",
        "PaymentProviderEnum": "trials.models.PaymentProvider",
        "MemberRoleEnum": "partners.models.MemberRole",
        "ConversationReportReasonEnum": "conversations.models.ReportReason",
    },
}

# A factory verification holds this many days; its factory is reminded this many days before it
# lapses (factories/services/freshness.py, beat task factories-verification-freshness).
FACTORY_VERIFICATION_VALID_DAYS = int(os.environ.get("FACTORY_VERIFICATION_VALID_DAYS", "365"))
FACTORY_VERIFICATION_REMIND_DAYS = int(os.environ.get("FACTORY_VERIFICATION_REMIND_DAYS", "30"))

# The moderation dashboard's stuck flows (trials/moderation.py): a request still unanswered this
# long past its deadline (the timed transition should have closed it), a paid trial not shipped
# after this many days, a payment pending for this many hours.
MODERATION_STUCK_GRACE_HOURS = int(os.environ.get("MODERATION_STUCK_GRACE_HOURS", "2"))
MODERATION_TRIAL_SHIP_DAYS = int(os.environ.get("MODERATION_TRIAL_SHIP_DAYS", "5"))
MODERATION_PAYMENT_PENDING_HOURS = int(os.environ.get("MODERATION_PAYMENT_PENDING_HOURS", "48"))
# A bulk order waiting on one side this many days past the reminder that side was sent.
MODERATION_BULK_WAIT_DAYS = int(os.environ.get("MODERATION_BULK_WAIT_DAYS", "7"))

# Partner keys (partners/, issue 12): a rotated key keeps working this long beside its successor,
# so a tool can be redeployed with the new key without a moment of refused requests; requests per
# minute for a new key (each key has its own, counted in the cache: Redis in production).
PARTNER_KEY_ROTATION_GRACE = timedelta(hours=int(os.environ.get("PARTNER_KEY_ROTATION_GRACE_HOURS", "24")))
# An invitation to join an organization waits this long for the invitee's answer, then expires.
ORGANIZATION_INVITATION_DAYS = int(os.environ.get("ORGANIZATION_INVITATION_DAYS", "14"))
PARTNER_KEY_RATE_PER_MINUTE = int(os.environ.get("PARTNER_KEY_RATE_PER_MINUTE", "120"))
# Outbound webhooks (partners/webhooks): https only, except http://127.0.0.1 when this is on (tests,
# a receiver on the developer's machine); a short timeout; disabled after this many failures in a row.
WEBHOOK_ALLOW_LOCAL_HTTP = env_bool("WEBHOOK_ALLOW_LOCAL_HTTP", False)
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", "20"))
# With eager tasks (make run: no worker), a webhook's first attempt runs on a thread of the web
# process, never inside the request that caused the event (partners/webhooks/consumers.py says why).
# The tests turn it off: a thread cannot see the rows of a test's transaction, which never commits.
WEBHOOK_EAGER_IN_THREAD = env_bool("WEBHOOK_EAGER_IN_THREAD", True)
# Every event fans out to each matching subscription inside the write that caused it: bounded.
WEBHOOK_MAX_PER_ORGANIZATION = int(os.environ.get("WEBHOOK_MAX_PER_ORGANIZATION", "20"))
WEBHOOK_MAX_PER_FACTORY = int(os.environ.get("WEBHOOK_MAX_PER_FACTORY", "5"))
# A rotated signing secret still signs (a second v1 in the header) this long beside the new one,
# so a receiver can switch on the next working day without refusing a single delivery.
WEBHOOK_SECRET_ROTATION_GRACE = timedelta(
    hours=int(os.environ.get("WEBHOOK_SECRET_ROTATION_GRACE_HOURS", "24"))
)
# Signing secrets are stored encrypted (partners/webhooks/sealing.py): comma-separated Fernet keys,
# the first encrypts, all decrypt (rotation: docs/deploy.md). Unset: one derived from SECRET_KEY.
WEBHOOK_SECRET_KEYS = [k.strip() for k in os.environ.get("WEBHOOK_SECRET_KEYS", "").split(",") if k.strip()]

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
# Celery's Django fixup would close the database connection around every task; with this set it
# closes it only every so many tasks, and marketplace/celery.py applies CONN_MAX_AGE and the health
# check instead, as for a request.
CELERY_DB_REUSE_MAX = 1000
# Publishing happens after a request's commit (marketplace/core/outbox.py): one attempt with a
# short connect timeout, so a broker that is down costs a write milliseconds, not seconds; the
# outbox relay delivers what could not be published. (Kombu's default retries a refused
# connection for ~0.6 s; the worker's own reconnects use broker_connection_retry, not this.)
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1.0}
CELERY_BEAT_SCHEDULE: dict = {}
# Timed transitions of the trials app (flows/*.py) and the notification e-mail safety net.
CELERY_BEAT_SCHEDULE.update(
    {
        "trials-timed": {"task": "trials.tasks.trials_timed_transitions", "schedule": 300.0},
        "trials-reminders": {"task": "trials.tasks.trials_send_reminders", "schedule": 3600.0},
        "samples-timed": {"task": "trials.tasks.samples_timed_transitions", "schedule": 900.0},
        "bulk-orders-timed": {"task": "trials.tasks.bulk_orders_timed_transitions", "schedule": 300.0},
        "bulk-orders-reminders": {"task": "trials.tasks.bulk_orders_send_reminders", "schedule": 3600.0},
        "custom-requests-timed": {
            "task": "trials.tasks.custom_requests_timed_transitions",
            "schedule": 300.0,
        },
        "notifications-email-sweep": {
            "task": "marketplace.notifications.tasks.notifications_email_sweep",
            "schedule": 600.0,
        },
    }
)

# The outbox relay: what could not be published (broker down) or whose message was lost (a worker
# killed with acks_late messages unacknowledged) is delivered within this interval.
CELERY_BEAT_SCHEDULE["outbox-relay"] = {"task": "marketplace.core.tasks.outbox_relay_task", "schedule": 30.0}
# Webhook retries whose backoff is over (the first attempt goes through the outbox).
CELERY_BEAT_SCHEDULE["webhooks-send-due"] = {"task": "partners.tasks.webhooks_send_due", "schedule": 30.0}
# Organization invitations past their answer date become expired (accepting one is refused anyway).
CELERY_BEAT_SCHEDULE["partners-invitations-expire"] = {
    "task": "partners.tasks.member_invitations_expire",
    "schedule": 3600.0,
}
# Video tours: the reminder 30 minutes before a confirmed call (sent once), unanswered requests expire.
CELERY_BEAT_SCHEDULE["tours-reminders"] = {"task": "tours.tasks.tours_send_reminders", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["tours-timed"] = {"task": "tours.tasks.tours_timed_transitions", "schedule": 300.0}

# Search: anything a lost task or an outage left dirty is indexed by this sweep (search/tasks.py).
CELERY_BEAT_SCHEDULE["factories-verification-freshness"] = {
    "task": "factories.tasks.verification_freshness",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["search-sweep-dirty"] = {"task": "search.tasks.sweep_dirty", "schedule": 60.0}
# Idempotency keys are kept 24 hours (marketplace/core/idempotency.py).
CELERY_BEAT_SCHEDULE["idempotency-keys-purge"] = {
    "task": "marketplace.core.tasks.idempotency_keys_purge_expired",
    "schedule": 3600.0,
}

SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "database")
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
OPENSEARCH_URL = os.environ.get(
    "OPENSEARCH_URL", ""
)  # SEARCH_BACKEND=opensearch (index prefix, IK: as above)
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "yuantou")
ELASTICSEARCH_IK = env_bool("ELASTICSEARCH_IK", False)
# Counts are exact up to this many matching products and a lower bound beyond ("5,000+"): what a
# search does then is bounded by the page, not by its hits (search/README.md). Pages past it are
# not served. Chosen by measurement at 1M products (tests/bench).
SEARCH_COUNT_CAP = int(os.environ.get("SEARCH_COUNT_CAP", "5000"))
# SEARCH_BACKEND=tantivy: the folder of the embedded product index (search/backends/tantivy/), on a
# local disk of the one machine that runs web, worker and beat.
SEARCH_TANTIVY_PATH = Path(os.environ.get("SEARCH_TANTIVY_PATH", BASE_DIR / "var" / "tantivy"))

PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "bank_transfer")
STRIPE_API_KEY = os.environ.get("STRIPE_API_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Public key for Stripe.js on the trial page (the card form appears only when it is set).
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Yuantou <noreply@yuantou.example>")

LOGIN_URL = "admin:login"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Off only for the plain-HTTP loopback stack of `make serve` (devtools/serve); never in production.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Every line carries the request's id (marketplace/core/request_id.py); LOG_FORMAT=json writes
# one JSON object per line for a log collector, "text" (the default) a readable line.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
# Server-Timing on every response: app, CPU and database time (marketplace/core/server_timing.py).
SERVER_TIMING = env_bool("SERVER_TIMING", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "marketplace.core.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "marketplace.core.request_id.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
