"""Hodie's settings, read from the environment.

One table, in the manner of Datasette's settings: each :class:`Setting` has a name, a typed default
(its Python type is the setting's type: ``str``, ``bool``, ``int`` or a tuple of strings for a
comma-separated list), the choices it allows, and one line of help. ``hodie settings`` prints the
table, the README's table repeats it row for row (``tests/test_settings_documented.py``), and
``hodie/site/settings.py`` reads every value through :func:`value`, nowhere else. Values are read
when the settings module loads, i.e. when a process starts.

An empty default means "work it out": the help says how (the database in ``$HODIE_HOME``, a
generated secret key, the first collection).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

Value = str | bool | int | tuple[str, ...]
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Value
    help: str
    choices: tuple[str, ...] = ()

    @property
    def type_name(self) -> str:
        return "list" if isinstance(self.default, tuple) else type(self.default).__name__

    @property
    def default_text(self) -> str:
        """The default as one would write it in the environment."""
        return _text(self.default)

    def parse(self, text: str) -> Value:
        """The typed value of ``text``; a ValueError names the setting and what it takes."""
        value: Value
        if isinstance(self.default, bool):
            lowered = text.strip().lower()
            if lowered not in TRUE + FALSE:
                raise ValueError(f"{self.name}={text!r} is not a boolean; use true or false")
            value = lowered in TRUE
        elif isinstance(self.default, int):
            try:
                value = int(text.strip())
            except ValueError:
                raise ValueError(f"{self.name}={text!r} is not a whole number") from None
        elif isinstance(self.default, tuple):
            value = tuple(item.strip() for item in text.split(",") if item.strip())
        else:
            value = text
        if self.choices and value not in self.choices:
            raise ValueError(f"{self.name}={text!r}: use {', '.join(self.choices)}")
        return value


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "HODIE_HOME", "./var", "Data folder: the SQLite database, the generated secret key, collected static files."
    ),
    Setting(
        "HODIE_DATABASE_URL",
        "",
        "Database URL. `sqlite:////abs/path.db` or `postgresql://user@host:5432/name`. "
        "Empty: `sqlite:///$HODIE_HOME/hodie.sqlite3`.",
    ),
    Setting(
        "HODIE_SECRET_KEY",
        "",
        "Django's secret key. Empty: one is generated once and kept in `$HODIE_HOME/secret_key`.",
    ),
    Setting("HODIE_DEBUG", False, "`true` turns on Django's debug pages. Never in production."),
    Setting("HODIE_ALLOWED_HOSTS", ("127.0.0.1", "localhost"), "Comma-separated host names the site answers to."),
    Setting("HODIE_TIME_ZONE", "UTC", 'The site\'s time zone, which decides what "today" is (e.g. `Europe/Moscow`).'),
    Setting("HODIE_DEFAULT_COLLECTION", "", "Slug of the collection shown on `/`. Empty: the first collection."),
    Setting(
        "HODIE_LEAP_DAY_ON_FEB28",
        True,
        "In a non-leap year, today's page for 28 February also lists the 29 February entries.",
    ),
    Setting(
        "HODIE_FEED_FULL_TEXT",
        False,
        "`true` puts whole articles in feeds; otherwise feeds carry excerpts with a link to the page.",
    ),
    Setting(
        "HODIE_TASKS_BACKEND",
        "database",
        "Job queue for feed polling, Webmention and moderators' email: `database` (needs nothing more), "
        "`redis` (many workers; `pip install hodie[redis]`) or `immediate` (runs jobs at once; tests only).",
        choices=("database", "redis", "immediate"),
    ),
    Setting("HODIE_REDIS_URL", "redis://127.0.0.1:6379/0", "The Redis server of the `redis` job queue."),
    Setting(
        "HODIE_CACHE_URL",
        "",
        "The page cache every worker shares. Empty: files in `$HODIE_HOME/cache` (nothing to install); "
        "`redis://host:6379/1` for Redis (`pip install hodie[redis]`); `locmem://` for one process only.",
    ),
    Setting(
        "HODIE_PAGE_MAX_AGE",
        300,
        "Seconds a public page may be kept by Hodie's page cache and by shared caches (nginx, a CDN): "
        "`Cache-Control: public, max-age`. An edit shows at once on Hodie, within this long through a proxy. "
        "`0`: no page is kept (every request renders).",
    ),
    Setting(
        "HODIE_PAGE_STALE_SECONDS",
        60,
        "`stale-while-revalidate`: how long after max-age a shared cache may still answer with the old page "
        "while it fetches the new one.",
    ),
    Setting(
        "HODIE_JOB_LEASE_SECONDS",
        600,
        "A job still running after this long is taken to be from a killed worker and queued again.",
    ),
    Setting(
        "HODIE_PARTNER_POLL_MINUTES",
        60,
        "`hodie worker` polls each partner feed this often (0: never; poll from cron with `hodie partners poll`).",
    ),
    Setting(
        "HODIE_FETCH_ALLOW_LOOPBACK",
        False,
        "`true` lets feed polling and Webmention fetch 127.0.0.1 and ::1 (a partner on the same machine, tests). "
        "Private and link-local addresses are always refused.",
    ),
    Setting(
        "HODIE_MEDIA_ROOT",
        "",
        "Folder of the images and attachments copied from imported posts, served at `/media/` "
        "(or by a proxy: docs/deploy.md). Empty: `$HODIE_HOME/media`.",
    ),
    Setting(
        "HODIE_MEDIA_MAX_BYTES",
        10485760,
        "The largest image or attachment an import copies (bytes); a larger one keeps its remote address.",
    ),
    Setting(
        "HODIE_COMMENT_MODERATION",
        "first-time",
        "Which comments wait for a moderator: `always`, `first-time` (until a commenter has one approved), "
        "`older-than` (on posts older than HODIE_COMMENT_MODERATE_AFTER_DAYS) or `never`.",
        choices=("always", "first-time", "older-than", "never"),
    ),
    Setting("HODIE_COMMENT_MODERATE_AFTER_DAYS", 30, "For `older-than` moderation: the age of a post, in days."),
    Setting(
        "HODIE_COMMENTS_CLOSE_AFTER_DAYS",
        0,
        "Close comments on articles this many days after publication (0: never).",
    ),
    Setting("HODIE_COMMENT_MAX_LINKS", 2, "A comment with this many links or more waits for a moderator."),
    Setting("HODIE_COMMENT_MODERATION_WORDS", (), "Comma-separated words that send a comment to moderation."),
    Setting("HODIE_COMMENT_DISALLOWED_WORDS", (), "Comma-separated words that mark a comment as spam."),
    Setting(
        "HODIE_COMMENT_RATE_SECONDS",
        15,
        "A second comment from the same address or email within this many seconds is refused (429).",
    ),
    Setting("HODIE_COMMENT_MAX_DEPTH", 3, "How deep replies to replies go."),
    Setting(
        "HODIE_ICS_MAX_EVENTS",
        5000,
        "A calendar (`/<collection>.ics`, `/tags/<tag>.ics`) holds at most this many entries, the first by number.",
    ),
    Setting(
        "HODIE_WEBMENTION_CLIENT_BUDGET",
        20,
        "Webmentions one client address may send in an hour; more are refused (429). 0: no budget.",
    ),
    Setting(
        "HODIE_WEBMENTION_SOURCE_BUDGET",
        20,
        "Webmentions whose source is on one host that may arrive in an hour; more are refused (429). 0: no budget.",
    ),
    Setting(
        "HODIE_AKISMET_KEY",
        "",
        "An Akismet API key: each comment the other defences let through is also checked by the spam service; "
        "spam is stored as spam, and a comment the service could not check is held. Empty: no spam service.",
    ),
    Setting(
        "HODIE_AKISMET_URL",
        "https://rest.akismet.com/1.1/",
        "The spam service's API: Akismet's, or another that speaks its `comment-check`. Fetched under the "
        "outbound policy (no private addresses; 2 s to connect, 5 s in all).",
    ),
    Setting(
        "HODIE_MODERATOR_EMAILS",
        (),
        "Comma-separated addresses told about comments waiting for moderation (default: the staff's emails).",
    ),
    Setting("HODIE_EMAIL_FROM", "hodie@localhost", "The sender of moderators' email."),
    Setting("HODIE_SMTP_HOST", "", "SMTP server for email; empty prints email to the console instead."),
    Setting("HODIE_SMTP_PORT", 587, "SMTP port."),
    Setting("HODIE_SMTP_USER", "", "SMTP user name."),
    Setting("HODIE_SMTP_PASSWORD", "", "SMTP password."),
    Setting("HODIE_SMTP_TLS", True, "`true` uses STARTTLS with the SMTP server."),
    Setting(
        "HODIE_SITE_URL",
        "",
        "The public base URL, used in canonical links and the API. An `https://` URL also makes the session "
        "and CSRF cookies secure-only and redirects plain HTTP requests to HTTPS. Empty: each page takes its "
        "address from the request (its host must be in HODIE_ALLOWED_HOSTS), and work done outside a request "
        "(the worker's email and Webmentions) uses the address `hodie serve` listens on.",
    ),
    Setting(
        "HODIE_PROXY_SSL_HEADER",
        "",
        "Behind a proxy that ends TLS: the header it sets to `https` (e.g. `X-Forwarded-Proto`), so that a "
        "request it passed on counts as secure. The proxy must overwrite the header a client sends.",
    ),
    Setting(
        "HODIE_HSTS_SECONDS",
        0,
        "With an `https://` site URL: how long browsers are told to use HTTPS only (Strict-Transport-Security; "
        "0: not sent). Start small; a year is 31536000.",
    ),
    Setting("HODIE_HSTS_INCLUDE_SUBDOMAINS", False, "`true` extends Strict-Transport-Security to every subdomain."),
    Setting("HODIE_HSTS_PRELOAD", False, "`true` asks to be on the browsers' built-in HTTPS-only list."),
    Setting(
        "HODIE_TEST_POSTGRES",
        "postgresql://postgres@127.0.0.1:5432/test",
        "Tests only: the PostgreSQL server the suite also runs against when it is reachable.",
    ),
    Setting(
        "HODIE_EMAIL_URL",
        "",
        "Where email goes (moderators' email and the daily digest), as a URL: `smtp://user:pass@host:587?tls=1` "
        "(STARTTLS), `?ssl=1` (TLS from the start), `submission://user:pass@host` (587 with STARTTLS) or "
        "`console://`. Empty: the `HODIE_SMTP_*` settings if `HODIE_SMTP_HOST` is set, else email is printed to "
        "the console. See docs/reach.md.",
    ),
    Setting(
        "HODIE_DIGEST_BATCH",
        100,
        "Email digests sent per job and per SMTP connection.",
    ),
    Setting(
        "HODIE_DIGEST_CONFIRM_HOURS",
        72,
        "How long the link that confirms a digest subscription stays valid.",
    ),
    Setting(
        "HODIE_REQUEST_BODY_SECONDS",
        10,
        "`hodie serve` answers 408 to a request whose body has not fully arrived after this many seconds "
        "(a slow client never holds a worker: bodies are read before Django runs).",
    ),
    Setting(
        "HODIE_REQUEST_BODY_MAX_BYTES",
        2621440,
        "`hodie serve` answers 413 to a request body larger than this (2.5 MB, Django's form-data limit).",
    ),
    Setting(
        "HODIE_SQLITE_BUSY_SECONDS",
        20,
        "SQLite: how long a write waits for another writer (an import, the worker) before it gives up "
        "with `database is locked`.",
    ),
    Setting(
        "HODIE_TRUSTED_PROXIES",
        "",
        "Behind proxies: their number (`1` for one nginx or Caddy) or their addresses and networks "
        "(`10.0.0.5,172.16.0.0/12`), so that the reader's address is read from `X-Forwarded-For` for the "
        "comment rate limit, the spam service and admin login throttling. Empty: the header is ignored.",
    ),
    Setting(
        "HODIE_SQLITE_REQUEST_BUSY_MS",
        5000,
        "SQLite under `hodie serve`: how long a request that writes (a comment) waits for another writer, "
        "such as a running import, before it is refused with 503 and Retry-After (readers do not wait behind it).",
    ),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}


def value(name: str) -> Value:
    """The typed value of a setting: the environment's, else its default."""
    setting = BY_NAME[name]
    text = os.environ.get(name)
    return setting.default if text is None else setting.parse(text)


def _typed(name: str, wanted: str) -> Value:
    if BY_NAME[name].type_name != wanted:
        raise TypeError(f"{name} is a {BY_NAME[name].type_name} setting, not a {wanted}")
    return value(name)


def string(name: str) -> str:
    return str(_typed(name, "str"))


def flag(name: str) -> bool:
    return bool(_typed(name, "bool"))


def number(name: str) -> int:
    result = _typed(name, "int")
    assert isinstance(result, int)  # for mypy: _typed checked the type
    return result


def items(name: str) -> list[str]:
    return list(_typed(name, "list"))  # type: ignore[arg-type]


def home() -> Path:
    path = Path(string("HODIE_HOME")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """HODIE_DATABASE_URL, or when empty the SQLite file in HODIE_HOME."""
    return string("HODIE_DATABASE_URL") or f"sqlite:///{home() / 'hodie.sqlite3'}"


def email_url() -> str:
    """HODIE_EMAIL_URL; when empty, the same URL built from the older ``HODIE_SMTP_*`` settings if
    ``HODIE_SMTP_HOST`` is set (so one parser reads either), else ``console://``."""
    url = string("HODIE_EMAIL_URL").strip()
    if url or not string("HODIE_SMTP_HOST"):
        return url or "console://"
    user, password = quote(string("HODIE_SMTP_USER"), safe=""), quote(string("HODIE_SMTP_PASSWORD"), safe="")
    login = f"{user}:{password}@" if user or password else ""
    tls = "?tls=True" if flag("HODIE_SMTP_TLS") else ""
    host = string("HODIE_SMTP_HOST")
    host = f"[{host}]" if ":" in host else host  # an IPv6 address, bracketed as in any URL
    return f"smtp://{login}{host}:{number('HODIE_SMTP_PORT')}{tls}"


def secret_key() -> str:
    """HODIE_SECRET_KEY, or when empty the key kept in HODIE_HOME (generated on first use)."""
    key = string("HODIE_SECRET_KEY")
    if key:
        return key
    path = home() / "secret_key"
    if not path.exists():
        # Written once with owner-only permissions; later processes read the same key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def create_private(path: Path) -> None:
    """Create ``path`` readable by its owner only (0600), unless it exists or is SQLite's ``:memory:``."""
    if str(path) != ":memory:" and not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
