"""One settings module for every environment, configured by environment variables.

Every variable is documented in README.md and `.env.example`. Bad values stop start-up with a
message naming the variable (never a traceback deep inside Django).
"""

import os
import re
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Repository root (the folder holding manage.py, packs/ and var/).
BASE_DIR = Path(__file__).resolve().parent.parent
# Where the demo keeps its SQLite database, generated secret key and uploads.
VAR_DIR = Path(os.environ.get("MOSTY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.")
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Production mode: secure cookies, HSTS, MFA for staff; requires SECRET_KEY and ALLOWED_HOSTS.
PRODUCTION = env_bool("MOSTY_PRODUCTION", False)
# Django's debug mode (tracebacks in the browser); never on in production.
DEBUG = env_bool("MOSTY_DEBUG", False) and not PRODUCTION
# Running under pytest or CI; lets tests relax nothing but speed-only settings.
TESTING = "pytest" in sys.modules or env_bool("MOSTY_TESTING", False)


def demo_secret(name: str, file_name: str, generate: Callable[[], str]) -> str:
    """A secret the environment variable `name` must give in production; elsewhere the demo's
    own, generated once by `generate()` into var/`file_name` (readable by its owner only) and
    read back at every start."""
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when MOSTY_PRODUCTION=1.")
    path = VAR_DIR / file_name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(generate())
        path.chmod(0o600)
    return path.read_text()


def _fernet_key() -> str:
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# The secret key signs sessions and tokens; the demo generates one under var/.
SECRET_KEY = os.environ.get("MOSTY_SECRET_KEY", "")
if not SECRET_KEY:
    SECRET_KEY = demo_secret(
        "MOSTY_SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50)
    ).strip()

# Fernet keys for encryption at rest, comma-separated: the first encrypts, all decrypt.
MOSTY_ENCRYPTION_KEYS = env_list("MOSTY_ENCRYPTION_KEYS", [])
if not MOSTY_ENCRYPTION_KEYS:
    _keys = demo_secret("MOSTY_ENCRYPTION_KEYS", "encryption_keys", _fernet_key)
    MOSTY_ENCRYPTION_KEYS = [k.strip() for k in _keys.split(",") if k.strip()]

# Host names this installation answers to, comma-separated.
ALLOWED_HOSTS = env_list(
    "MOSTY_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("MOSTY_ALLOWED_HOSTS must be set when MOSTY_PRODUCTION=1.")
# Origins trusted for CSRF behind a proxy, e.g. https://mosty.example.org (comma-separated).
CSRF_TRUSTED_ORIGINS = env_list("MOSTY_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Mosty's apps first: apps listed first win when two catalogues translate the same
    # string (allauth's Polish "Note" is "Uwaga", a warning, not a note).
    "mosty.core",
    "mosty.access",
    "mosty.accounts",
    "mosty.organisations",
    "mosty.people",
    "mosty.cases",
    "mosty.mentoring",
    "mosty.directory",
    "mosty.networks",
    "mosty.events",
    "mosty.knowledge",
    "mosty.assistance",
    "mosty.research",
    "mosty.messaging",
    "mosty.portal",
    "mosty.participation",
    "mosty.reports",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_countries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mosty.access.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication and the language: the 400 page is the reader's.
    "mosty.core.middleware.NulQueryMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mosty.accounts.middleware.RequireMfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mosty.access.middleware.AuditDenialMiddleware",
    "mosty.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "mosty.urls"
WSGI_APPLICATION = "mosty.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mosty" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mosty.core.context_processors.mosty",
                "mosty.messaging.context_processors.bell",
            ],
            # {% icon "name" %} in every template without a {% load %} line.
            "builtins": ["mosty.core.templatetags.icons"],
        },
    },
]

# The database: SQLite under var/ by default, PostgreSQL in production (postgres://...).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'mosty.sqlite3'}",
        conn_max_age=env_int("MOSTY_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and WAL let concurrent writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The test database is a file, not Django's default shared-cache memory database: there,
    # threads (the live server's requests, the concurrency tests) share one cache and its
    # mutex, and a query calling back into Python (`mosty.core.sqlite`'s LIKE, the names
    # collation's key) deadlocks with a thread holding the GIL while it waits for that
    # mutex. With a file each connection has its own, as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds rate-limit and lockout counters, so every app-server process must share it:
# Redis when MOSTY_REDIS_URL is set, else a table in the database (created by `migrate`).
REDIS_URL = os.environ.get("MOSTY_REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "mosty.core.cache.MostyDatabaseCache",
            "LOCATION": "mosty_cache",
            # Counters must not be culled while they still count (Django's default is 300).
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Sessions end after this many minutes without a request.
SESSION_IDLE_MINUTES = env_int("MOSTY_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-allauth: e-mail login, no public sign-up (staff accounts are created by admins).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "mosty.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
# Failed logins: at most N per 15 minutes per e-mail address (then locked) and 4N per IP.
LOGIN_FAILURES_ALLOWED = env_int("MOSTY_LOGIN_FAILURES_ALLOWED", 5, minimum=1)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_FAILURES_ALLOWED * 4}/15m/ip,{LOGIN_FAILURES_ALLOWED}/15m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Public forms (mentor sign-up, event registration without an account): accepted submissions
# per client address, as "N/period" (s, m, h or d), counted in the cache (django-ratelimit).
MOSTY_PUBLIC_FORM_RATE = os.environ.get("MOSTY_PUBLIC_FORM_RATE", "30/h")
if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", MOSTY_PUBLIC_FORM_RATE):
    raise ImproperlyConfigured(
        f"MOSTY_PUBLIC_FORM_RATE must look like 30/h, not {MOSTY_PUBLIC_FORM_RATE!r}."
    )
# Behind a reverse proxy: the request header holding the client's address (e.g. HTTP_X_REAL_IP);
# rate limits, login lockout, API throttling and the audit log all read it (mosty.core.ratelimit).
MOSTY_CLIENT_IP_HEADER = os.environ.get("MOSTY_CLIENT_IP_HEADER", "")
if MOSTY_CLIENT_IP_HEADER and not re.fullmatch(r"[A-Z0-9_]+", MOSTY_CLIENT_IP_HEADER):
    raise ImproperlyConfigured(
        "MOSTY_CLIENT_IP_HEADER must be a request.META key such as HTTP_X_REAL_IP, "
        f"not {MOSTY_CLIENT_IP_HEADER!r}."
    )
RATELIMIT_IP_META_KEY = "mosty.core.ratelimit.client_ip"
# API calls per client address (anonymous: the public HSDS API) and per user (token or session).
MOSTY_API_ANON_RATE = os.environ.get("MOSTY_API_ANON_RATE", "120/m")
MOSTY_API_USER_RATE = os.environ.get("MOSTY_API_USER_RATE", "600/m")
for _name in ("MOSTY_API_ANON_RATE", "MOSTY_API_USER_RATE"):
    if not re.fullmatch(r"[1-9][0-9]*/[smhd]", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must look like 120/m, not {globals()[_name]!r}.")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MOSTY_MFA_ISSUER", "Mosty")
# Staff roles (admin, coordinator, caseworker) must enrol MFA; on by default in production.
REQUIRE_MFA = env_bool("MOSTY_REQUIRE_MFA", PRODUCTION)
# Days an API token works after it was created; then its owner creates a new one.
MOSTY_API_TOKEN_DAYS = env_int("MOSTY_API_TOKEN_DAYS", 90, minimum=1)
# Days the link in a registration mail (status, cancel, certificate) keeps working.
MOSTY_REGISTRATION_LINK_DAYS = env_int("MOSTY_REGISTRATION_LINK_DAYS", 365, minimum=1)
# Days a participant's portal invitation (e-mail link or text-message code) can be accepted.
MOSTY_PORTAL_INVITATION_DAYS = env_int("MOSTY_PORTAL_INVITATION_DAYS", 7, minimum=1)
# Text messages go through SMSAPI.pl when a token is set; otherwise to the console (demo).
MOSTY_SMSAPI_TOKEN = os.environ.get("MOSTY_SMSAPI_TOKEN", "")
# Sender name registered with SMSAPI.pl (empty: the gateway's default).
MOSTY_SMSAPI_SENDER = os.environ.get("MOSTY_SMSAPI_SENDER", "")
# SMSAPI.pl endpoint (change only for SMSAPI.com or a test server).
MOSTY_SMSAPI_URL = os.environ.get("MOSTY_SMSAPI_URL", "https://api.smsapi.pl/sms.do")
# WhatsApp Cloud API (Meta): messages to people who prefer WhatsApp go there when both the
# access token and the sending phone number's id are set; otherwise they fall back to SMS.
MOSTY_WHATSAPP_TOKEN = os.environ.get("MOSTY_WHATSAPP_TOKEN", "")
MOSTY_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("MOSTY_WHATSAPP_PHONE_NUMBER_ID", "")
# Approved utility template with one body parameter, sent outside the 24-hour window.
MOSTY_WHATSAPP_TEMPLATE = os.environ.get("MOSTY_WHATSAPP_TEMPLATE", "")
MOSTY_WHATSAPP_URL = os.environ.get("MOSTY_WHATSAPP_URL", "https://graph.facebook.com/v21.0")
# Self-hosted signal-cli REST API: its base URL and the registered sending number.
MOSTY_SIGNAL_URL = os.environ.get("MOSTY_SIGNAL_URL", "")
MOSTY_SIGNAL_NUMBER = os.environ.get("MOSTY_SIGNAL_NUMBER", "")
MOSTY_SIGNAL_TOKEN = os.environ.get("MOSTY_SIGNAL_TOKEN", "")
# Attempts before a message is marked failed.
MOSTY_MESSAGE_ATTEMPTS = env_int("MOSTY_MESSAGE_ATTEMPTS", 5, minimum=1)

# Languages shipped from day one; the city pack chooses which of them it offers.
LANGUAGE_CODE = "pl"
LANGUAGES = [
    ("pl", _("Polish")),
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("fr", _("French")),
]
# Right-to-left languages; mosty.core.i18n reads direction from here only.
LANGUAGES_BIDI = ["ar", "fa", "he", "ur"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and time formats that differ from Django's for some languages (mosty/formats/).
FORMAT_MODULE_PATH = ["mosty.formats"]
USE_I18N = True
USE_TZ = True
# The installation's time zone.
TIME_ZONE = os.environ.get("MOSTY_TIME_ZONE", "Europe/Warsaw")
LANGUAGE_COOKIE_NAME = "mosty_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("MOSTY_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MOSTY_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Mail: printed on the console in the demo; SMTP when MOSTY_EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("MOSTY_EMAIL_HOST", "")
EMAIL_PORT = env_int("MOSTY_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("MOSTY_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MOSTY_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MOSTY_EMAIL_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# Sender address of every mail.
DEFAULT_FROM_EMAIL = os.environ.get("MOSTY_FROM_EMAIL", "mosty@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's public address, for links in mails sent by daily jobs (no request to ask).
MOSTY_SITE_URL = os.environ.get("MOSTY_SITE_URL", "http://localhost:8000")

# Background tasks through the Django Tasks API; the database backend needs no extra server.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("MOSTY_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# What `mosty daily` (run once a day from cron or a timer) hands to the worker.
MOSTY_DAILY_TASKS = [
    "mosty.cases.tasks.task_reminders_sweep",  # reminders no scheduled run caught
    "mosty.people.tasks.participant_retention_run",  # anonymise after MOSTY_RETENTION_DAYS
    "mosty.people.tasks.import_rows_purge",  # drop uploaded rows after MOSTY_IMPORT_ROWS_DAYS
    "mosty.people.tasks.participant_import_stale_sweep",  # imports whose worker died
    "mosty.mentoring.tasks.matching_run_stale_sweep",  # matching runs whose worker died
    "mosty.assistance.tasks.assignment_reminders_send",  # assistants booked for tomorrow
    "mosty.participation.tasks.call_alerts_send",  # alerts: new calls, deadlines in a week
    "mosty.reports.tasks.rollups_refresh",  # the figures the report pages read
    "mosty.reports.tasks.city_report_stale_sweep",  # city reports whose worker died
    "mosty.assistance.tasks.service_level_refresh",  # the service-level page's figures
    "mosty.events.tasks.report_figures_refresh",  # the events report's totals
    "mosty.assistance.tasks.hours_figures_refresh",  # the hours report's figures
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call gets 401 with WWW-Authenticate rather than 403.
        "mosty.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "mosty.core.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "mosty.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # JSON nested too deep for the parser is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "mosty.core.api_limits.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "mosty.core.api_limits.AnonymousApiThrottle",
        "mosty.core.api_limits.UserApiThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": MOSTY_API_ANON_RATE, "user": MOSTY_API_USER_RATE},
}
# Days after a participant's last case closed before retention anonymises them (0 disables).
MOSTY_RETENTION_DAYS = env_int("MOSTY_RETENTION_DAYS", 3 * 365, minimum=0)
# Smallest count of people a published or shared figure may show (small-cell suppression).
MOSTY_STATS_MIN_CELL = env_int("MOSTY_STATS_MIN_CELL", 5, minimum=2)
# Days an uploaded participant list keeps its rows (for mapping and restarting) before the daily
# job deletes them; an import that is done drops them at once.
MOSTY_IMPORT_ROWS_DAYS = env_int("MOSTY_IMPORT_ROWS_DAYS", 7, minimum=1)
# Prefix of participants' pseudonymous codes; empty = from the city's short name (GDA-…).
MOSTY_PARTICIPANT_CODE_PREFIX = os.environ.get("MOSTY_PARTICIPANT_CODE_PREFIX", "")

SPECTACULAR_SETTINGS = {
    "TITLE": "Mosty API",
    "DESCRIPTION": "REST API of a Mosty installation. Every endpoint applies the same access policy as the web pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Open Referral's schemas document the /hsds/ operations; added after the enum hook,
    # which would rename their enums (mosty/directory/hsds/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mosty.directory.hsds.openapi.add_components",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status` or `gender`: give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "mosty.cases.models.CaseStatus",
        "PlanStatusEnum": "mosty.cases.models.PlanStatus",
        "GoalStatusEnum": "mosty.cases.models.GoalStatus",
        "TaskStatusEnum": "mosty.cases.models.TaskStatus",
        "ReferralStatusEnum": "mosty.cases.models.ReferralStatus",
        "TranslationStatusEnum": "mosty.core.models.TranslationStatus",
        "ServiceStatusEnum": "mosty.directory.models.ServiceStatus",
        "HousingStatusEnum": "mosty.directory.models.HousingStatus",
        "RegistrationStatusEnum": "mosty.events.models.RegistrationStatus",
        "VettingStatusEnum": "mosty.mentoring.models.VettingStatus",
        "MatchStatusEnum": "mosty.mentoring.models.MatchStatus",
        "MentorGenderEnum": "mosty.mentoring.models.MentorGender",
        "ParticipantGenderEnum": "mosty.people.models.Gender",
        "LegalStatusEnum": "mosty.people.models.LegalStatus",
        # The knowledge base had this name alone before surveys brought their own audience.
        "AudienceEnum": "mosty.knowledge.models.Audience",
        "SurveyAudienceEnum": "mosty.research.models.Audience",
        "SurveyStatusEnum": "mosty.research.models.SurveyStatus",
        "ProgrammeKindEnum": "mosty.participation.models.ProgrammeKind",
        "IdeaKindEnum": "mosty.participation.models.IdeaKind",
        "IdeaStatusEnum": "mosty.participation.models.IdeaStatus",
    },
}

# Content Security Policy: everything from this host only (no CDN leaks readers' addresses).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# State or province of this installation's addresses (a voivodeship, e.g. "pomorskie"): HSDS
# 3.0 requires one on every exported address; imported addresses keep their own.
MOSTY_HSDS_STATE_PROVINCE = os.environ.get("MOSTY_HSDS_STATE_PROVINCE", "")
# Map tiles for the directory map, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (off: no tiles).
MOSTY_TILE_URL = os.environ.get("MOSTY_TILE_URL", "")
if MOSTY_TILE_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(MOSTY_TILE_URL)
    # "{s}" subdomains (a., b., c.) become a CSP wildcard.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
    )
# Attribution shown under the map when tiles are used (the tile provider's licence).
MOSTY_TILE_ATTRIBUTION = os.environ.get("MOSTY_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    # TLS is terminated by the proxy in front; it must set X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("MOSTY_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("MOSTY_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("MOSTY_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOSTY_LOG_LEVEL", "WARNING")},
}

# The city pack `mosty demo` loads.
DEMO_PACK = BASE_DIR / "packs" / "demo-gdansk.yaml"

# Machine translation for knowledge articles: a LibreTranslate-compatible URL (empty = off).
MOSTY_MT_URL = os.environ.get("MOSTY_MT_URL", "")
# API key for the machine-translation service, if it requires one.
MOSTY_MT_API_KEY = os.environ.get("MOSTY_MT_API_KEY", "")
# Machine translation is on only when a service URL is configured.
MT_ENABLED = bool(MOSTY_MT_URL)
# Largest upload accepted (participant lists, HSDS files, XLIFF), in megabytes.
MOSTY_MAX_UPLOAD_MB = env_int("MOSTY_MAX_UPLOAD_MB", 20, minimum=1)
# Largest size an uploaded archive (ZIP data package, XLSX) may unpack to, in megabytes.
MOSTY_MAX_UNPACKED_MB = env_int("MOSTY_MAX_UNPACKED_MB", 100, minimum=1)
# Percentage of a course's sessions a person must attend to receive a certificate.
MOSTY_EVENTS_COMPLETION_PERCENT = env_int("MOSTY_EVENTS_COMPLETION_PERCENT", 80, minimum=1)
