"""kepu settings, read from the environment.

KEPU_ENV chooses the profile: ``production`` (the default: secure, strict), ``development``
(``make run``: debug pages, a local secret) or ``test``. Everything a deployment changes comes from
environment variables, documented in docs/deploy.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets generic Django classes be subscripted at run time (ModelAdmin[Model]) for the type checker.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
# Where the embedded database and the demo's data key live: the working directory by default.
WORK_DIR = Path(os.environ.get("KEPU_HOME") or Path.cwd())

KEPU_ENV = os.environ.get("KEPU_ENV", "production")
if KEPU_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"KEPU_ENV is {KEPU_ENV!r}; use 'production', 'development' or 'test'."
    )
PRODUCTION = KEPU_ENV == "production"


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("KEPU_DEBUG", KEPU_ENV == "development")

SECRET_KEY = os.environ.get("KEPU_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "KEPU_SECRET_KEY is not set. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "django-insecure-kepu-development-only-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = _env_list(
    "KEPU_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = _env_list("KEPU_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "kepu.core",
    "kepu.network",
    "kepu.visits",
    "kepu.programs",
    "kepu.touring",
    "kepu.volunteers",
    "kepu.stats",
    "kepu.api",
    "kepu.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kepu.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kepu.core.middleware.LanguageMiddleware",
    "kepu.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kepu.core.middleware.ApplicationErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "kepu.urls"
WSGI_APPLICATION = "kepu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kepu.core.context_processors.navigation",
            ],
        },
    },
]


def database_from_url(url: str) -> dict[str, Any]:
    """A Django database configuration from a URL; SQLite gets WAL and serialised writers."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
            # BEGIN, so two writers never both read-then-write (select_for_update is a no-op here).
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_MAX_AGE"] = int(os.environ.get("KEPU_DB_CONN_MAX_AGE", "60"))
    return config


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{WORK_DIR / 'kepu.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kepu.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kepu",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Chinese first, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "kepu_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Collected static files (`kepu collectstatic`) are served from here in production; elsewhere
# WhiteNoise serves them straight from the packages.
STATIC_ROOT: Path | None = (
    Path(os.environ.get("KEPU_STATIC_ROOT") or WORK_DIR / "staticfiles") if PRODUCTION else None
)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
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
WHITENOISE_USE_FINDERS = not PRODUCTION

# Personal data (PIPL): the key that encrypts ID and phone numbers, and keys their search hashes.
# In development the demo writes one to a git-ignored file in the working directory.
KEPU_DATA_KEY = os.environ.get("KEPU_DATA_KEY", "")
KEPU_DATA_KEY_FILE = WORK_DIR / ".kepu-data-key"

# Abuse control at the booking endpoints (django-ratelimit rates: "N/s|m|h|d"), counted in the
# shared cache (Redis in production). Behind a proxy, name the header that carries the client's
# address, e.g. KEPU_CLIENT_IP_HEADER=HTTP_X_REAL_IP.
KEPU_BOOKING_RATE_PER_IP = os.environ.get("KEPU_BOOKING_RATE_PER_IP", "30/m")
KEPU_BOOKING_RATE_PER_ID = os.environ.get("KEPU_BOOKING_RATE_PER_ID", "10/h")
RATELIMIT_IP_META_KEY = os.environ.get("KEPU_CLIENT_IP_HEADER") or None
RATELIMIT_ENABLE = _env_bool("KEPU_RATELIMIT", True)

# Security: strict in production, relaxed only where a plain-HTTP laptop needs it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("KEPU_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("KEPU_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _env_bool("KEPU_HSTS_PRELOAD", True)
    # /healthz is probed by load balancers over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "kepu.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kepu.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "kepu API",
    "DESCRIPTION": (
        "The REST API of kepu, the platform of China's modern science & technology museum "
        "system. Every endpoint obeys the caller's role scope: a venue outside it answers 404, "
        "exactly like one that does not exist. Errors share one format: "
        '{"error": {"code", "message", "fields": {field: [reasons]}}}; invalid input is 422.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VenueLevelEnum": "kepu.network.models.VenueLevel",
        "DivisionLevelEnum": "kepu.network.models.DivisionLevel",
        "HallKindEnum": "kepu.network.models.HallKind",
        "VenueKindEnum": "kepu.network.models.VenueKind",
        "ExceptionKindEnum": "kepu.network.models.ExceptionKind",
        "BookingKindEnum": "kepu.visits.models.BookingKind",
        "GateEventKindEnum": ["walk_in", "exit"],
        "BookingStatusEnum": "kepu.visits.models.BookingStatus",
    },
}

LOG_FORMAT = os.environ.get("KEPU_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"()": "kepu.core.logging.KeyValueFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("KEPU_LOG_LEVEL", "INFO")},
    "loggers": {
        # RequestLogMiddleware writes one structured line per request instead.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # WeasyPrint narrates every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
