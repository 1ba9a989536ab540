"""Reading a Webmention's source: its first h-entry (microformats2, parsed by mf2py), what kind of
response it is, its author and its published date (refused when out of range, clamped when in the
future)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import mf2py
from django.utils import timezone

from hodie.importers.html import clean_html, html_to_text

DEFAULT_PORTS = {"http": 80, "https": 443}
#: A ``dt-published`` before this is refused (the Web began in 1991); one in the future is clamped to now.
EARLIEST_PUBLISHED = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)


def normalise(url: str) -> str:
    """A URL as the page it names: scheme and host in lower case, the default port, the query and
    the fragment dropped (``https://Site/a?#x`` is ``https://site/a``). No page that takes
    Webmentions depends on its query, so ``?`` or ``?x=1`` never makes a target new."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the text, it matches nothing of ours
        return urlunsplit((scheme, parts.netloc.lower(), parts.path or "/", "", ""))
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", "", ""))


def _first_h_entry(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    for item in items:
        if "h-entry" in item.get("type", []):
            return item
        found = _first_h_entry(item.get("children", []))
        if found:
            return found
    return None


def _prop(entry: dict[str, Any], name: str) -> Any:
    values = entry.get("properties", {}).get(name) or []
    return values[0] if values else None


def _urls(entry: dict[str, Any], name: str) -> list[str]:
    found = []
    for value in entry.get("properties", {}).get(name) or []:
        if isinstance(value, dict):
            value = (value.get("properties", {}).get("url") or [value.get("value", "")])[0]
        if isinstance(value, str):
            found.append(normalise(value))
    return found


def read_mf2(html: str, source: str, target: str) -> dict[str, Any]:
    """Author, content, kind and time of a source page, from its first h-entry (or the page)."""
    parsed = mf2py.parse(doc=html, url=source, html_parser="html5lib")
    entry = _first_h_entry(parsed.get("items", [])) or {}
    wanted = normalise(target)
    kind = "mention"
    for prop, name in (("in-reply-to", "reply"), ("like-of", "like"), ("repost-of", "repost")):
        if wanted in _urls(entry, prop):
            kind = name
            break
    author = _prop(entry, "author")
    name, url = "", ""
    if isinstance(author, dict):
        name = (author.get("properties", {}).get("name") or [author.get("value", "")])[0]
        url = (author.get("properties", {}).get("url") or [""])[0]
    elif isinstance(author, str):
        name = author
    content = _prop(entry, "content")
    if isinstance(content, dict):
        body = clean_html(content.get("html") or "", comment=True) or clean_html(
            f"<p>{content.get('value', '')}</p>", comment=True
        )
    elif isinstance(content, str):
        body = clean_html(f"<p>{content}</p>", comment=True)
    else:
        summary = _prop(entry, "summary") or _prop(entry, "name") or ""
        body = clean_html(f"<p>{summary}</p>", comment=True) if isinstance(summary, str) else ""
    published = _published(_prop(entry, "published"))
    if not name:
        name = urlsplit(source).hostname or source
    return {
        "kind": kind,
        "author_name": html_to_text(name)[:200],
        "author_url": url if url.startswith(("http://", "https://")) else "",
        "body": body,
        "published": published,
    }


class OutOfRange(ValueError):
    """A source's ``dt-published`` that no real post can have."""


def _published(when: Any) -> dt.datetime | None:
    """A source's ``dt-published``: None when absent or unreadable, clamped to now when in the
    future; :class:`OutOfRange` when before 1990 or beyond what a date-time can hold in UTC."""
    if not isinstance(when, str):
        return None
    try:
        published = dt.datetime.fromisoformat(when.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    try:
        published = published.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00+05:00, 9999-12-31T23:00-05:00
        raise OutOfRange(f"dt-published {when[:40]!r} is out of range") from None
    if published < EARLIEST_PUBLISHED:
        raise OutOfRange(f"dt-published {when[:40]!r} is before 1990")
    return min(published, timezone.now())
