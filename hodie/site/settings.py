"""Django settings for Hodie, all taken from the environment through :mod:`hodie.config`."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import dj_email_url

from hodie import config

BASE_DIR = Path(__file__).resolve().parent.parent
HOME = config.home()

SECRET_KEY = config.secret_key()
DEBUG = config.flag("HODIE_DEBUG")
ALLOWED_HOSTS = config.items("HODIE_ALLOWED_HOSTS")
SITE_URL = config.string("HODIE_SITE_URL").rstrip("/")
HODIE_DEFAULT_COLLECTION = config.string("HODIE_DEFAULT_COLLECTION").strip()
HODIE_LEAP_DAY_ON_FEB28 = config.flag("HODIE_LEAP_DAY_ON_FEB28")
HODIE_FEED_FULL_TEXT = config.flag("HODIE_FEED_FULL_TEXT")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    # An imported blog's old addresses, kept as 301s an editor can change in the admin
    # (hodie/site/redirects.py); redirects need the sites framework, with one site.
    "django.contrib.sites",
    "django.contrib.redirects",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "hodie.almanac",
    "hodie.social",
    "hodie.fediverse",
    "hodie.digest",
    "hodie.search",
    "hodie.media",
    "axes",  # admin logins throttled: see AXES_* below
]

SITE_ID = 1

MIDDLEWARE = [
    "hodie.site.proxy.TrustedProxyMiddleware",  # first: every later layer sees the reader's address
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # An imported blog's old links (/2008/02/post.html?m=1, /?p=123) answered with a 301 (before the page cache).
    "hodie.site.redirects.OldLinkMiddleware",
    # ETag from the response body, and 304 for a matching If-None-Match (API and pages alike).
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous GETs of public pages from the shared page cache; public Cache-Control (hodie/site/caching.py).
    "hodie.site.caching.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hodie.social.middleware.WebmentionLinkMiddleware",
    "hodie.site.headers.ContentSecurityPolicyMiddleware",
    "hodie.site.problems.ProblemMiddleware",  # a raised Problem answered in its view's shape
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Admin logins: after AXES_FAILURE_LIMIT wrong passwords from one address (the reader's own behind
# HODIE_TRUSTED_PROXIES, since axes reads REMOTE_ADDR), that address is refused (429) for an hour.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True

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
            "context_processors": [
                "hodie.almanac.discovery.alternates",
                "hodie.almanac.discovery.preferences",
                "hodie.social.context_processors.comments",
                "hodie.publish.render.static_site",
            ],
        },
    },
    {
        # The admin keeps Django templates; hodie/site/templates gives it Hodie's name and links.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
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
    busy = config.number("HODIE_SQLITE_BUSY_SECONDS")
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": busy,
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={busy * 1000};",
    }
    # Connections are kept between requests (conn_max_age above), as on PostgreSQL: opening one costs
    # 1.3 ms of CPU here (Django registers its SQL functions, the PRAGMAs run), more than a day
    # page's queries, and it was paid on every request (docs/benchmarks.md, *Render path*). Each
    # thread keeps its own; outside a transaction a kept connection holds no snapshot, so it does not
    # hold back WAL checkpoints, and `hodie restore` writes into the same file, which it then reads.
    # Created owner-only before SQLite makes it (0644 otherwise): it holds commenters' emails and
    # password hashes. SQLite gives its -wal and -shm files the same permissions.
    config.create_private(Path(DATABASES["default"]["NAME"]))

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
TIME_ZONE = config.string("HODIE_TIME_ZONE")
USE_I18N = True
USE_TZ = True

SITE_ID = 1

# Images and attachments copied from imported posts (hodie/media/), served by hodie.media.views.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(config.string("HODIE_MEDIA_ROOT") or HOME / "media").expanduser().resolve()
HODIE_MEDIA_MAX_BYTES = config.number("HODIE_MEDIA_MAX_BYTES")

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (site.3f2a....css), so whitenoise sends them with Cache-Control: immutable for a year.
    # `hodie serve` runs collectstatic; so does the test suite (tests/conftest.py).
    "staticfiles": {"BACKEND": "hodie.site.storage.HashedStaticFiles"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# The page cache (hodie/site/caching.py), shared by every granian worker process: files in HOME by
# default (nothing to install), Redis when HODIE_CACHE_URL names it.
HODIE_PAGE_MAX_AGE = config.number("HODIE_PAGE_MAX_AGE")
HODIE_PAGE_STALE_SECONDS = config.number("HODIE_PAGE_STALE_SECONDS")
_cache_url = config.string("HODIE_CACHE_URL").strip()
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    _pages: dict = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
elif _cache_url.startswith("locmem://"):
    _pages = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": _cache_url[9:] or "pages"}
elif _cache_url.startswith("file://") or not _cache_url:
    _pages = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": _cache_url[7:] or str(HOME / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
else:
    raise ValueError(f"HODIE_CACHE_URL={_cache_url!r}: use redis://, rediss://, unix://, file:///path or locmem://")
_pages["KEY_PREFIX"] = "hodie"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "pages": _pages}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS: what the public URL says decides it, so that `make run` (plain HTTP on 127.0.0.1) and a
# site behind TLS each work without further settings. `hodie manage check --deploy` passes with an
# https:// HODIE_SITE_URL and the HSTS settings (tests/test_deploy.py).
HTTPS = config.string("HODIE_SITE_URL").strip().lower().startswith("https://")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
if proxy_header := config.string("HODIE_PROXY_SSL_HEADER").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = config.number("HODIE_HSTS_SECONDS") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.flag("HODIE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = config.flag("HODIE_HSTS_PRELOAD")

# Background jobs (feed polling, Webmention, moderators' email): never inside a request.
HODIE_TASKS_BACKEND = config.string("HODIE_TASKS_BACKEND")  # one of the choices config.py declares
HODIE_PARTNER_POLL_MINUTES = config.number("HODIE_PARTNER_POLL_MINUTES")
if HODIE_TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif HODIE_TASKS_BACKEND == "redis":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": config.string("HODIE_REDIS_URL")}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HODIE_JOB_LEASE_SECONDS = config.number("HODIE_JOB_LEASE_SECONDS")
HODIE_FETCH_ALLOW_LOOPBACK = config.flag("HODIE_FETCH_ALLOW_LOOPBACK")
HODIE_TRUSTED_PROXIES = config.string("HODIE_TRUSTED_PROXIES")
HODIE_SQLITE_REQUEST_BUSY_MS = config.number("HODIE_SQLITE_REQUEST_BUSY_MS")
HODIE_REQUEST_BODY_SECONDS = config.number("HODIE_REQUEST_BODY_SECONDS")
HODIE_REQUEST_BODY_MAX_BYTES = config.number("HODIE_REQUEST_BODY_MAX_BYTES")

HODIE_COMMENT_MODERATION = config.string("HODIE_COMMENT_MODERATION")  # one of the choices config.py declares
HODIE_COMMENT_MODERATE_AFTER_DAYS = config.number("HODIE_COMMENT_MODERATE_AFTER_DAYS")
HODIE_COMMENTS_CLOSE_AFTER_DAYS = config.number("HODIE_COMMENTS_CLOSE_AFTER_DAYS")
HODIE_COMMENT_MAX_LINKS = config.number("HODIE_COMMENT_MAX_LINKS")
HODIE_COMMENT_MODERATION_WORDS = config.items("HODIE_COMMENT_MODERATION_WORDS")
HODIE_COMMENT_DISALLOWED_WORDS = config.items("HODIE_COMMENT_DISALLOWED_WORDS")
HODIE_COMMENT_RATE_SECONDS = config.number("HODIE_COMMENT_RATE_SECONDS")
HODIE_COMMENT_MAX_DEPTH = config.number("HODIE_COMMENT_MAX_DEPTH")
HODIE_ICS_MAX_EVENTS = config.number("HODIE_ICS_MAX_EVENTS")
HODIE_WEBMENTION_CLIENT_BUDGET = config.number("HODIE_WEBMENTION_CLIENT_BUDGET")
HODIE_WEBMENTION_SOURCE_BUDGET = config.number("HODIE_WEBMENTION_SOURCE_BUDGET")
HODIE_AKISMET_KEY = config.string("HODIE_AKISMET_KEY").strip()
HODIE_AKISMET_URL = config.string("HODIE_AKISMET_URL").strip()
HODIE_MODERATOR_EMAILS = config.items("HODIE_MODERATOR_EMAILS")

DEFAULT_FROM_EMAIL = SERVER_EMAIL = config.string("HODIE_EMAIL_FROM")
EMAIL_TIMEOUT = 10
# dj-email-url (the sibling of dj-database-url above) reads smtp://user:pass@host:587?tls=1,
# submission://, console:// ... into Django's EMAIL_* settings.
_email = dj_email_url.parse(config.email_url())
if "EMAIL_BACKEND" not in _email:
    raise ValueError(
        f"HODIE_EMAIL_URL={config.email_url().split('://')[0]}://...: use smtp://, submission://, console:// or memory://"
    )
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST, EMAIL_PORT = _email["EMAIL_HOST"] or "localhost", _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_USER"] or "", _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS, EMAIL_USE_SSL = _email["EMAIL_USE_TLS"], _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or EMAIL_TIMEOUT
HODIE_DIGEST_BATCH = config.number("HODIE_DIGEST_BATCH")
HODIE_DIGEST_CONFIRM_HOURS = config.number("HODIE_DIGEST_CONFIRM_HOURS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
