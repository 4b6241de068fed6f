"""The portal's one settings module: every value that differs between machines comes from the environment.

Unset DATABASE_URL means a SQLite file and unset REDIS_URL means eager Celery with a local-memory cache:
that is the demo. Tests and production set both (see .env.example). DEBUG is off unless DEBUG=true is set
(`make demo` sets it), and then SECRET_KEY must be set too.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Off unless asked for, or unless nothing at all is configured: a bare checkout (no SECRET_KEY, no
# DATABASE_URL) is the SQLite demo, so `manage.py` works there. A server sets at least one of the two, and
# then a forgotten DEBUG never shows tracebacks and settings. `make demo` passes DEBUG=true explicitly.
DEBUG = env.bool("DEBUG", default=not (env("SECRET_KEY", default="") or env("DATABASE_URL", default="")))
# An empty SECRET_KEY counts as unset, like an empty DATABASE_URL below.
SECRET_KEY = env("SECRET_KEY", default="") or ("insecure-demo-key-do-not-use-in-production" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set the SECRET_KEY environment variable (50+ random characters; see .env.example). Only DEBUG=true, "
        "as `make demo` sets it (or a bare checkout with neither SECRET_KEY nor DATABASE_URL), runs with a "
        "built-in key."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before the admin so the admin gets its language tabs.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    # The portal's apps come before allauth so their templates (account/*.html) override allauth's.
    "gcm_portal",
    "reviews",
    "stakeholders",
    "consultations",
    "pledges",
    "reports",
    "allauth",
    "allauth.account",
    "django_countries",
    "django_filters",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before sessions, locale and authentication, so a cached public page skips them (gcm_portal/cache.py).
    "gcm_portal.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "gcm_portal.urls"
WSGI_APPLICATION = "gcm_portal.wsgi.application"
SITE_ID = 1

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
                "gcm_portal.context_processors.languages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
# An empty DATABASE_URL counts as unset, so `DATABASE_URL= make demo` style overrides fall back to SQLite.
DATABASE_URL = env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}"
DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="gcm"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker (the demo) tasks run in-process, so the demo needs no worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A worker killed mid-task must not lose the task: ack only after it finished, requeue on worker loss.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest task (a 3-language outcome document PDF) takes well under 15 minutes; Redis redelivers an
# unacknowledged task after the visibility timeout, so it is set to about twice that.
CELERY_LONGEST_TASK_SECONDS = env.int("CELERY_LONGEST_TASK_SECONDS", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800)}
CELERY_TASK_TIME_LIMIT = CELERY_LONGEST_TASK_SECONDS
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_LONGEST_TASK_SECONDS - 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Periodic tasks: each app's section further down adds its entries; beat reads them from here.
CELERY_BEAT_SCHEDULE: dict = {}

# --- Auth and accounts ----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# allauth keeps its counters in the default cache (Redis outside the demo), so limits hold across workers.
# Sign-ups and reset e-mails are limited tightly: each one sends an e-mail, so a loose limit would let anyone
# use the portal to flood an inbox or burn the mail server's reputation. The per-IP limits leave room for a
# workshop signing up from one office network; the per-address reset limit protects each inbox.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "5/10m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
}

# --- Languages ------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English")), ("fr", _("French"))]
LANGUAGE_SELF_NAMES = {"ar": "العربية", "en": "English", "fr": "Français"}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("ar", "en", "fr")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
COUNTRIES_FIRST_REPEAT = False

# --- Static and uploaded files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads live outside the web root and have no public URL: views serve them as attachments after a
# permission check.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = None
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="GCM Regional Reviews <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# The preload directive only states consent; the domain enters browsers' lists when someone submits it at
# hstspreload.org. Set SECURE_HSTS_PRELOAD=false for a host whose subdomains cannot all serve HTTPS.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Load balancers and the compose healthcheck probe plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# The same middleware with the settings' policy header built once per process instead of per response (see
# gcm_portal/csp.py); per-view decorators and nonces still go through django-csp.
MIDDLEWARE[MIDDLEWARE.index("csp.middleware.CSPMiddleware")] = "gcm_portal.csp.CSPMiddleware"

# --- API ------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The API is public and read-only, so it never needs to know who asks. DRF's default Basic
    # authentication would let anyone test e-mail/password pairs against it, outside allauth's rate limits;
    # with no authentication classes every request, credentials or not, is served as anonymous.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_RATES": {"anon": "600/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GCM Regional Review Portal — open data API",
    "DESCRIPTION": "Read-only access to published reviews, timeline events, consultations and pledges.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Portal ---------------------------------------------------------------------------------------------
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)
# Only the registration race test's control run turns this on, through the `settings` fixture, to show the
# race the lock prevents. It is deliberately not read from the environment, so no deployment can disable
# the lock.
REGISTRATION_LOCK_DISABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- Admin assets served locally (added for the CSP, script-src 'self') ----------------------------------
# modeltranslation's language tabs need jQuery UI, which it would load from a Google CDN by default: the
# Content-Security-Policy blocks that, and the portal must not depend on a third-party host. The file is
# vendored under static/vendor/ (jQuery UI 1.13.2, MIT licence).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Accounts (stakeholders app) ------------------------------------------------------------------------
# E-mails and their links in the person's language, random usernames, landing in the preferred language.
ACCOUNT_ADAPTER = "stakeholders.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "stakeholders.adapter.user_display"
# Limits "per ip" see the proxy's address unless allauth knows how many proxies to trust (1 behind one
# nginx). At 0, X-Forwarded-For, which any client can forge, is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# Someone who changes a password because it leaked wants the other sessions ended too.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True

# --- Consultations (consultations app) ------------------------------------------------------------------
# E-mails sent by Celery have no request to take the host from: links in them start with this.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Reminders go out the day before (the task picks consultations starting within 24 hours; hourly runs mean
# each person gets one between 23 and 24 hours ahead); the retention purge runs nightly.
CELERY_BEAT_SCHEDULE["consultations-day-before-reminders"] = {
    "task": "consultations.queue_day_before_reminders",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["consultations-purge-expired-personal-data"] = {
    "task": "consultations.purge_expired_personal_data",
    "schedule": 24 * 3600.0,
}

# --- Cache client reuse (cached public pages, see gcm_portal/cache_backend.py and `make bench`) ------------
if REDIS_URL:
    CACHES["default"]["BACKEND"] = "gcm_portal.cache_backend.RedisCache"

# --- Reports: recovering renders whose worker died -----------------------------------------------------
# A worker sweeps Redis for messages whose worker died every interval × throttle seconds and requeues those
# older than the visibility timeout. Kombu's defaults (10 s × 10) are kept; the kill test (bench/reports_kill.py)
# shortens both through the environment so a killed render comes back within seconds.
CELERY_BROKER_TRANSPORT_OPTIONS |= {
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}

# --- Broker outages ------------------------------------------------------------------------------------
# Services queue tasks after commit through gcm_portal.tasks.enqueue_on_commit, which logs and swallows a
# broker error. Publishing gives up after about a second instead of kombu's retries with a 4 s connect
# timeout each, so a request does not hang on a broker that is down; e-mails owed meanwhile stay in the
# consultations' outbox (RegistrationNotice.sent_at empty) and this sweep queues them again.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE["consultations-queue-unsent-notices"] = {
    "task": "consultations.queue_unsent_notices",
    "schedule": 300.0,
}
