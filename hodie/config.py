"""Hodie's settings, read from the environment.

One table of (name, default, help): the README documents exactly these (a test fails when a
setting is undocumented). Values are read when the settings module loads, i.e. when a process
starts, never cached at import of any other module.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "HODIE_HOME", "./var", "Data folder: the SQLite database, the generated secret key, collected static files."
    ),
    Setting(
        "HODIE_DATABASE_URL",
        "sqlite:///$HODIE_HOME/hodie.sqlite3",
        "Database URL. `sqlite:////abs/path.db` or `postgresql://user@host:5432/name`.",
    ),
    Setting(
        "HODIE_SECRET_KEY",
        "(generated)",
        "Django's secret key. When unset, one is generated once and kept in `$HODIE_HOME/secret_key`.",
    ),
    Setting("HODIE_DEBUG", "false", "`true` turns on Django's debug pages. Never in production."),
    Setting("HODIE_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the site answers to."),
    Setting("HODIE_TIME_ZONE", "UTC", 'The site\'s time zone, which decides what "today" is (e.g. `Europe/Moscow`).'),
    Setting("HODIE_DEFAULT_COLLECTION", "(first collection)", "Slug of the collection shown on `/`."),
    Setting(
        "HODIE_LEAP_DAY_ON_FEB28",
        "true",
        "In a non-leap year, today's page for 28 February also lists the 29 February entries.",
    ),
    Setting(
        "HODIE_FEED_FULL_TEXT",
        "false",
        "`true` puts whole articles in feeds; otherwise feeds carry excerpts with a link to the page.",
    ),
    Setting(
        "HODIE_TASKS_BACKEND",
        "database",
        "Job queue for feed polling, Webmention and moderators' email: `database` (needs nothing more), "
        "`redis` (many workers; `pip install hodie[redis]`) or `immediate` (runs jobs at once; tests only).",
    ),
    Setting("HODIE_REDIS_URL", "redis://127.0.0.1:6379/0", "The Redis server of the `redis` job queue."),
    Setting(
        "HODIE_JOB_LEASE_SECONDS",
        "600",
        "A job still running after this long is taken to be from a killed worker and queued again.",
    ),
    Setting(
        "HODIE_PARTNER_POLL_MINUTES",
        "60",
        "`hodie worker` polls each partner feed this often (0: never; poll from cron with `hodie partners poll`).",
    ),
    Setting(
        "HODIE_FETCH_ALLOW_LOOPBACK",
        "false",
        "`true` lets feed polling and Webmention fetch 127.0.0.1 and ::1 (a partner on the same machine, tests). "
        "Private and link-local addresses are always refused.",
    ),
    Setting(
        "HODIE_COMMENT_MODERATION",
        "first-time",
        "Which comments wait for a moderator: `always`, `first-time` (until a commenter has one approved), "
        "`older-than` (on posts older than HODIE_COMMENT_MODERATE_AFTER_DAYS) or `never`.",
    ),
    Setting("HODIE_COMMENT_MODERATE_AFTER_DAYS", "30", "For `older-than` moderation: the age of a post, in days."),
    Setting(
        "HODIE_COMMENTS_CLOSE_AFTER_DAYS",
        "0",
        "Close comments on articles this many days after publication (0: never).",
    ),
    Setting("HODIE_COMMENT_MAX_LINKS", "2", "A comment with this many links or more waits for a moderator."),
    Setting("HODIE_COMMENT_MODERATION_WORDS", "", "Comma-separated words that send a comment to moderation."),
    Setting("HODIE_COMMENT_DISALLOWED_WORDS", "", "Comma-separated words that mark a comment as spam."),
    Setting(
        "HODIE_COMMENT_RATE_SECONDS",
        "15",
        "A second comment from the same address or email within this many seconds is refused (429).",
    ),
    Setting("HODIE_COMMENT_MAX_DEPTH", "3", "How deep replies to replies go."),
    Setting(
        "HODIE_AKISMET_KEY",
        "",
        "An Akismet API key: each comment the other layers let through is also checked by the spam service "
        "(see docs/partners.md). Empty: no spam service.",
    ),
    Setting(
        "HODIE_AKISMET_URL",
        "https://rest.akismet.com/1.1/",
        "The spam service's API: Akismet's, or another that speaks its `comment-check`.",
    ),
    Setting(
        "HODIE_MODERATOR_EMAILS",
        "",
        "Comma-separated addresses told about comments waiting for moderation (default: the staff's emails).",
    ),
    Setting("HODIE_EMAIL_FROM", "hodie@localhost", "The sender of moderators' email."),
    Setting("HODIE_SMTP_HOST", "", "SMTP server for email; empty prints email to the console instead."),
    Setting("HODIE_SMTP_PORT", "587", "SMTP port."),
    Setting("HODIE_SMTP_USER", "", "SMTP user name."),
    Setting("HODIE_SMTP_PASSWORD", "", "SMTP password."),
    Setting("HODIE_SMTP_TLS", "true", "`true` uses STARTTLS with the SMTP server."),
    Setting(
        "HODIE_SITE_URL",
        "http://127.0.0.1:8000",
        "The public base URL, used in canonical links and the API. An `https://` URL also makes the session "
        "and CSRF cookies secure-only and redirects plain HTTP requests to HTTPS.",
    ),
    Setting(
        "HODIE_PROXY_SSL_HEADER",
        "",
        "Behind a proxy that ends TLS: the header it sets to `https` (e.g. `X-Forwarded-Proto`), so that a "
        "request it passed on counts as secure. The proxy must overwrite the header a client sends.",
    ),
    Setting(
        "HODIE_HSTS_SECONDS",
        "0",
        "With an `https://` site URL: how long browsers are told to use HTTPS only (Strict-Transport-Security; "
        "0: not sent). Start small; a year is 31536000.",
    ),
    Setting("HODIE_HSTS_INCLUDE_SUBDOMAINS", "false", "`true` extends Strict-Transport-Security to every subdomain."),
    Setting("HODIE_HSTS_PRELOAD", "false", "`true` asks to be on the browsers' built-in HTTPS-only list."),
    Setting(
        "HODIE_TEST_POSTGRES",
        "postgresql://postgres@127.0.0.1:5432/test",
        "Tests only: the PostgreSQL server the suite also runs against when it is reachable.",
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: the environment, else its default."""
    setting = _BY_NAME[name]
    return os.environ.get(name, setting.default)


def get_bool(name: str) -> bool:
    value = get(name).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name}={value!r} is not a boolean; use true or false")


def get_int(name: str) -> int:
    value = get(name).strip()
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a whole number") from None


def get_list(name: str) -> list[str]:
    return [item.strip() for item in get(name).split(",") if item.strip()]


def home() -> Path:
    path = Path(get("HODIE_HOME")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = os.environ.get("HODIE_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{home() / 'hodie.sqlite3'}"


def secret_key() -> str:
    key = os.environ.get("HODIE_SECRET_KEY")
    if key:
        return key
    path = home() / "secret_key"
    if not path.exists():
        # Written once with owner-only permissions; later processes read the same key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
