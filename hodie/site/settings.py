"""Django settings for Hodie, all taken from the environment through :mod:`hodie.config`."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from hodie import config

BASE_DIR = Path(__file__).resolve().parent.parent
HOME = config.home()

SECRET_KEY = config.secret_key()
DEBUG = config.get_bool("HODIE_DEBUG")
ALLOWED_HOSTS = [host.strip() for host in config.get("HODIE_ALLOWED_HOSTS").split(",") if host.strip()]
SITE_URL = config.get("HODIE_SITE_URL").rstrip("/")
HODIE_DEFAULT_COLLECTION = config.get("HODIE_DEFAULT_COLLECTION")
if HODIE_DEFAULT_COLLECTION.startswith("("):
    HODIE_DEFAULT_COLLECTION = ""
HODIE_LEAP_DAY_ON_FEB28 = config.get_bool("HODIE_LEAP_DAY_ON_FEB28")
HODIE_FEED_FULL_TEXT = config.get_bool("HODIE_FEED_FULL_TEXT")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "hodie.almanac",
    "hodie.social",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag from the response body, and 304 for a matching If-None-Match (API and pages alike).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hodie.social.middleware.WebmentionLinkMiddleware",
    "hodie.site.headers.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "hodie.site.urls"
WSGI_APPLICATION = "hodie.site.wsgi.application"

TEMPLATES = [
    {
        # Public pages: Jinja2 (measured 0.30 ms against 1.6 ms for Django templates on a 27 KB day page).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "hodie.site.jinja.environment",
            "autoescape": True,
            "context_processors": ["hodie.almanac.discovery.alternates", "hodie.almanac.discovery.preferences"],
        },
    },
    {
        # The admin keeps Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(config.database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer writes; IMMEDIATE transactions and a busy timeout
    # make concurrent writers wait their turn instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface speaks English or Russian: the reader's choice (a cookie, set in the footer), else
# the browser's Accept-Language. A collection's own language decides its headings and dates.
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = config.get("HODIE_TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS: what the public URL says decides it, so that `make run` (plain HTTP on 127.0.0.1) and a
# site behind TLS each work without further settings. `hodie manage check --deploy` passes with an
# https:// HODIE_SITE_URL and the HSTS settings (tests/test_deploy.py).
HTTPS = config.get("HODIE_SITE_URL").strip().lower().startswith("https://")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
if proxy_header := config.get("HODIE_PROXY_SSL_HEADER").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = config.get_int("HODIE_HSTS_SECONDS") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.get_bool("HODIE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = config.get_bool("HODIE_HSTS_PRELOAD")

# Background jobs (feed polling, Webmention, moderators' email): never inside a request.
HODIE_TASKS_BACKEND = config.get("HODIE_TASKS_BACKEND")
HODIE_PARTNER_POLL_MINUTES = config.get_int("HODIE_PARTNER_POLL_MINUTES")
if HODIE_TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif HODIE_TASKS_BACKEND == "redis":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": config.get("HODIE_REDIS_URL")}}
elif HODIE_TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ValueError(f"HODIE_TASKS_BACKEND={HODIE_TASKS_BACKEND!r} is not database, redis or immediate")
HODIE_JOB_LEASE_SECONDS = config.get_int("HODIE_JOB_LEASE_SECONDS")
HODIE_FETCH_ALLOW_LOOPBACK = config.get_bool("HODIE_FETCH_ALLOW_LOOPBACK")

HODIE_COMMENT_MODERATION = config.get("HODIE_COMMENT_MODERATION")
if HODIE_COMMENT_MODERATION not in ("always", "first-time", "older-than", "never"):
    raise ValueError(
        f"HODIE_COMMENT_MODERATION={HODIE_COMMENT_MODERATION!r}: use always, first-time, older-than, never"
    )
HODIE_COMMENT_MODERATE_AFTER_DAYS = config.get_int("HODIE_COMMENT_MODERATE_AFTER_DAYS")
HODIE_COMMENTS_CLOSE_AFTER_DAYS = config.get_int("HODIE_COMMENTS_CLOSE_AFTER_DAYS")
HODIE_COMMENT_MAX_LINKS = config.get_int("HODIE_COMMENT_MAX_LINKS")
HODIE_COMMENT_MODERATION_WORDS = config.get_list("HODIE_COMMENT_MODERATION_WORDS")
HODIE_COMMENT_DISALLOWED_WORDS = config.get_list("HODIE_COMMENT_DISALLOWED_WORDS")
HODIE_COMMENT_RATE_SECONDS = config.get_int("HODIE_COMMENT_RATE_SECONDS")
HODIE_COMMENT_MAX_DEPTH = config.get_int("HODIE_COMMENT_MAX_DEPTH")
HODIE_AKISMET_KEY = config.get("HODIE_AKISMET_KEY").strip()
HODIE_AKISMET_URL = config.get("HODIE_AKISMET_URL").strip()
HODIE_MODERATOR_EMAILS = config.get_list("HODIE_MODERATOR_EMAILS")

DEFAULT_FROM_EMAIL = SERVER_EMAIL = config.get("HODIE_EMAIL_FROM")
if config.get("HODIE_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = config.get("HODIE_SMTP_HOST")
    EMAIL_PORT = config.get_int("HODIE_SMTP_PORT")
    EMAIL_HOST_USER = config.get("HODIE_SMTP_USER")
    EMAIL_HOST_PASSWORD = config.get("HODIE_SMTP_PASSWORD")
    EMAIL_USE_TLS = config.get_bool("HODIE_SMTP_TLS")
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
