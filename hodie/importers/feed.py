"""RSS and Atom feeds (feedparser): each item becomes an excerpt article of a partner, with
"Read the full article" pointing at the partner's page.

- excerpt: the item's description/summary, else its content cut at a paragraph;
- link: ``feedburner:origLink`` when present (not the feedproxy redirect), else the alternate link,
  else a permalink guid;
- HTML cleaned with nh3 (feedparser's own sanitiser runs first);
- a feed that declares XML entities is refused: entity expansion stays off.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser  # chardet, when installed, lets it read undeclared KOI8-R and windows-1251 feeds

from .html import clean_html, excerpt_of, html_to_text, text_to_html
from .records import ArticleRecord, ImportProblem, Item, Skipped, record_or_problem
from .titles import entry_from_title

MAX_BYTES = 20 * 1024 * 1024
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def parse_bytes(data: bytes, name: str) -> Any:
    """feedparser's result, or :class:`ImportProblem` for what no reader should accept."""
    if len(data) > MAX_BYTES:
        raise ImportProblem(name, f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    if _ENTITY.search(data[:65536]):
        raise ImportProblem(name, "declares XML entities; refused (entity expansion is off)")
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({type(reason).__name__}: {str(reason)[:120]})" if reason else ""
        raise ImportProblem(name, f"not an RSS or Atom feed{detail}")
    return parsed


def _time(entry: Any) -> datetime | None:
    present = entry.keys()  # asking for a missing updated_parsed triggers feedparser's fallback warning
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry[key] if key in present else None
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def _link(entry: Any) -> str:
    for candidate in (entry.get("feedburner_origlink"), entry.get("link")):
        if candidate and candidate.startswith(("http://", "https://")):
            return str(candidate)
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and str(link.get("href", "")).startswith(
            ("http://", "https://")
        ):
            return str(link["href"])
    guid = entry.get("id", "")
    if entry.get("guidislink") and str(guid).startswith(("http://", "https://")):
        return str(guid)
    return ""


def _excerpt(entry: Any) -> str:
    summary = entry.get("summary_detail") or {}
    value = summary.get("value", "") if summary else entry.get("summary", "")
    if value:
        html = (
            value if summary.get("type", "text/html") in ("text/html", "application/xhtml+xml") else text_to_html(value)
        )
        cleaned = clean_html(html)
        if html_to_text(cleaned):
            return excerpt_of(cleaned)
    for content in entry.get("content", []):
        text = content.get("value", "")
        if text:
            html = (
                text
                if content.get("type", "text/html") in ("text/html", "application/xhtml+xml")
                else text_to_html(text)
            )
            return excerpt_of(clean_html(html))
    return ""


def records(parsed: Any, name: str, partner: str = "") -> Iterator[Item]:
    partner_name = partner or html_to_text(parsed.feed.get("title", "")) or ""
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{name}: item {number}"
        link = _link(entry)
        title = html_to_text(entry.get("title", ""))
        if not link:
            yield Skipped(where, "article", "no link to the full article")
            continue
        if not title:
            title = html_to_text(_excerpt(entry))[:80] or link
        identity = entry.get("id") or link
        source_id = "feed:" + (identity if len(identity) < 180 else hashlib.sha1(identity.encode()).hexdigest())  # noqa: S324
        published = _time(entry)
        suggested = entry_from_title(title, published.date() if published else None, where, source_id)
        yield record_or_problem(
            ArticleRecord,
            where=where,
            source_id=source_id,
            title=title,
            status="published",
            published=published,
            excerpt=_excerpt(entry),
            markup="html",
            full_url=link,
            authors=tuple(a for a in (html_to_text(entry.get("author", "")),) if a),
            tags=tuple(
                dict.fromkeys(t.get("term", "").strip() for t in entry.get("tags", []) if t.get("term", "").strip())
            ),
            partner=partner_name,
            entries=(suggested,) if suggested else (),
        )


def read(path: Path, partner: str = "") -> Iterator[Item]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImportProblem(name, f"cannot open: {err.strerror}") from err
    yield from records(parse_bytes(data, name), name, partner)
