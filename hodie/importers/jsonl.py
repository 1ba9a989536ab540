"""JSON Lines: one entry per line.

Each line is an object with ``date`` (EDTF or any form :func:`hodie.dates.parse_date` reads),
``title``, and optionally ``id`` (stable; makes re-import idempotent), ``calendar``
(julian | gregorian), ``kind`` (event | birth | death | holiday; default event), ``summary``,
``body`` (Markdown), ``tags``, ``people``, ``places`` (lists of names), ``sources``
(``[{"url", "title", "publisher"}]``), ``featured``, ``observance`` ("MM-DD") and ``collections``
(slugs; the command's ``--collection`` is used when absent), ``slug``, ``policy`` and
``needs_review``, ``language`` (the original's: en or ru; the first collection's when absent) and
``translations`` (``{"ru": {"title": "...", "summary": "...", "body": "..."}}``). Blank lines are ignored.

A line with ``"type"`` other than ``entry`` is one of the other things ``hodie export jsonl``
writes: ``collection``, ``partner``, ``person`` (with ``aliases``), ``place``, ``tag``, ``author``
(``partner``: the name of the partner the author writes for), ``holiday_rule``, ``article``
(``entries`` lists entry ids), ``comment`` (on an ``article``, an ``entry`` or a ``day``
``COLLECTION/MM-DD``; ``badge``: partner or author; a Webmention's ``source_url`` and ``mention_*``),
``redirect`` (``old_path``, ``new_path``), ``media`` and ``image_host``. Collections, people, places,
tags and articles carry ``language`` and ``translations`` too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .records import (
    ArticleRecord,
    AuthorRecord,
    CommentRecord,
    EntryRecord,
    HolidayRuleRecord,
    ImageHostRecord,
    ImportProblem,
    Item,
    MediaRecord,
    ObjectRecord,
    Record,
    RedirectRecord,
    SourceRecord,
    read_translations,
    record_or_problem,
)

KNOWN_KEYS = {
    "type", "id", "date", "calendar", "title", "kind", "summary", "body", "tags", "people", "places", "sources",
    "featured", "observance", "collections", "slug", "policy", "needs_review", "language", "translations",
}  # fmt: skip
OBJECT_FIELDS = {
    "collection": {"title", "region", "anniversary_policy", "language", "description"},
    "partner": {"name", "site_url", "feed_url", "attribution", "description"},
    "person": {"name", "description", "aliases", "language"},
    "place": {"name", "description", "language"},
    "tag": {"name", "language"},
}
ARTICLE_KEYS = {
    "type", "id", "kind", "title", "slug", "status", "published", "excerpt", "body", "markup", "permalink",
    "full_url", "authors", "tags", "partner", "cowritten", "sticky", "entries", "language", "translations",
}  # fmt: skip
COMMENT_KEYS = {
    "type", "id", "article", "entry", "day", "parent", "author_name", "author_email", "author_url", "body",
    "markup", "status", "comment_type", "created", "badge", "source_url", "mention_target", "mention_status",
    "mention_detail", "mention_received", "mention_verified",
}  # fmt: skip
MEDIA_KEYS = {
    "type", "url", "id", "title", "file", "content_type", "size", "sha256", "status", "reason", "fetched",
}  # fmt: skip


def _strings(value: Any, name: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ImportProblem(where, f"{name!r} must be a list of strings")
    return tuple(item.strip() for item in value if item.strip())


def _text(obj: dict[str, Any], name: str, where: str) -> str:
    value = obj.get(name, "")
    if type(value) is str:
        return value
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise ImportProblem(where, f"{name!r} must be text")
    return str(value)


def record_from_object(obj: Any, where: str) -> EntryRecord:
    if not isinstance(obj, dict):
        raise ImportProblem(where, "expected a JSON object")
    if not KNOWN_KEYS.issuperset(obj):
        unknown = set(obj) - KNOWN_KEYS
        raise ImportProblem(
            where, f"unknown field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(KNOWN_KEYS))}"
        )
    sources = []
    for raw in obj.get("sources") or ():
        if isinstance(raw, str):
            raw = {"url": raw}
        if not isinstance(raw, dict) or not set(raw) <= {"url", "title", "publisher"}:
            raise ImportProblem(where, 'each source is {"url", "title", "publisher"}')
        sources.append(
            SourceRecord(str(raw.get("url") or ""), str(raw.get("title") or ""), str(raw.get("publisher") or ""))
        )
    observance = None
    if obj.get("observance"):
        parts = str(obj["observance"]).split("-")
        if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
            raise ImportProblem(where, f"observance {obj['observance']!r} is not MM-DD")
        observance = (int(parts[0]), int(parts[1]))
    featured = obj.get("featured", False)
    if not isinstance(featured, bool) or not isinstance(obj.get("needs_review", False), bool):
        raise ImportProblem(where, "'featured' and 'needs_review' must be true or false")
    raw_id = obj.get("id")
    return EntryRecord(
        where=where,
        date=_text(obj, "date", where),
        title=_text(obj, "title", where),
        kind=_text(obj, "kind", where) or "event",
        calendar=_text(obj, "calendar", where) or None,
        summary=_text(obj, "summary", where),
        body=_text(obj, "body", where),
        tags=_strings(obj.get("tags"), "tags", where),
        people=_strings(obj.get("people"), "people", where),
        places=_strings(obj.get("places"), "places", where),
        sources=tuple(sources),
        featured=featured,
        observance=observance,
        source_id=str(raw_id) if raw_id not in (None, "") else None,
        collections=_strings(obj.get("collections"), "collections", where),
        slug=_text(obj, "slug", where),
        policy=_text(obj, "policy", where),
        needs_review=bool(obj.get("needs_review", False)),
        language=_text(obj, "language", where),
        translations=read_translations(where, obj.get("translations"), "entry", _text(obj, "language", where)),
    )


def _check_keys(obj: dict[str, Any], known: set[str], where: str) -> None:
    unknown = set(obj) - known
    if unknown:
        raise ImportProblem(where, f"unknown field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")


def _when(obj: dict[str, Any], name: str, where: str) -> datetime | None:
    value = obj.get(name)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as err:
        raise ImportProblem(where, f"{name} {value!r} is not an ISO 8601 time") from err
    if parsed.tzinfo is None:
        raise ImportProblem(where, f"{name} {value!r} has no time zone")
    try:
        parsed.astimezone(UTC)  # 0001-01-01T00:00+05:00 is before the first instant a datetime can hold
    except OverflowError as err:
        raise ImportProblem(where, f"{name} {value!r} is out of range (before year 1 or after 9999 in UTC)") from err
    return parsed


def typed_record(obj: Any, where: str) -> Record:
    """One line of ``hodie export jsonl``: ``type`` says what it is (an entry when absent)."""
    if not isinstance(obj, dict):
        raise ImportProblem(where, "expected a JSON object")
    kind = obj.get("type", "entry")
    if kind == "entry":
        return record_from_object(obj, where)
    if kind in OBJECT_FIELDS:
        translatable = {"translations"} if kind != "partner" else set()
        _check_keys(obj, OBJECT_FIELDS[kind] | {"type", "slug"} | translatable, where)
        fields = tuple((k, v) for k, v in obj.items() if k not in ("type", "slug", "aliases", "translations"))
        translations = (
            read_translations(where, obj.get("translations"), kind, _text(obj, "language", where))
            if translatable
            else ()
        )
        return ObjectRecord(
            where, kind, _text(obj, "slug", where), fields, _strings(obj.get("aliases"), "aliases", where),
            translations,
        )  # fmt: skip
    if kind == "author":
        _check_keys(obj, {"type", "name", "url", "partner"}, where)
        return AuthorRecord(
            where, _text(obj, "name", where), _text(obj, "url", where), partner=_text(obj, "partner", where)
        )
    if kind == "holiday_rule":
        _check_keys(obj, {"type", "id", "title", "rule", "collections"}, where)
        return HolidayRuleRecord(
            where, _text(obj, "title", where), _text(obj, "rule", where), _text(obj, "id", where),
            _strings(obj.get("collections"), "collections", where),
        )  # fmt: skip
    if kind == "article":
        _check_keys(obj, ARTICLE_KEYS, where)
        return ArticleRecord(
            where=where, source_id=_text(obj, "id", where), title=_text(obj, "title", where),
            kind=_text(obj, "kind", where) or "article", status=_text(obj, "status", where) or "draft",
            published=_when(obj, "published", where), excerpt=_text(obj, "excerpt", where),
            body=_text(obj, "body", where), markup=_text(obj, "markup", where) or "markdown",
            permalink=_text(obj, "permalink", where), full_url=_text(obj, "full_url", where),
            authors=_strings(obj.get("authors"), "authors", where), tags=_strings(obj.get("tags"), "tags", where),
            partner=_text(obj, "partner", where), cowritten=bool(obj.get("cowritten")), sticky=bool(obj.get("sticky")),
            entry_ids=_strings(obj.get("entries"), "entries", where), slug=_text(obj, "slug", where),
            language=_text(obj, "language", where),
            translations=read_translations(where, obj.get("translations"), "article", _text(obj, "language", where)),
        )  # fmt: skip
    if kind == "comment":
        _check_keys(obj, COMMENT_KEYS, where)
        return CommentRecord(
            where=where, source_id=_text(obj, "id", where), article_id=_text(obj, "article", where),
            body=_text(obj, "body", where), author_name=_text(obj, "author_name", where),
            author_email=_text(obj, "author_email", where), author_url=_text(obj, "author_url", where),
            parent_id=_text(obj, "parent", where), status=_text(obj, "status", where) or "pending",
            comment_type=_text(obj, "comment_type", where) or "comment", created=_when(obj, "created", where),
            markup=_text(obj, "markup", where) or "text", badge=_text(obj, "badge", where),
            entry_id=_text(obj, "entry", where), day=_text(obj, "day", where),
            source_url=_text(obj, "source_url", where), mention_target=_text(obj, "mention_target", where),
            mention_status=_text(obj, "mention_status", where), mention_detail=_text(obj, "mention_detail", where),
            mention_received=_when(obj, "mention_received", where),
            mention_verified=_when(obj, "mention_verified", where),
        )  # fmt: skip
    return _site_record(kind, obj, where)


def _site_record(kind: Any, obj: dict[str, Any], where: str) -> Record:
    """The lines that carry what a site holds besides its content: redirects, media, image hosts."""
    if kind == "redirect":
        _check_keys(obj, {"type", "old_path", "new_path"}, where)
        return RedirectRecord(where, _text(obj, "old_path", where), _text(obj, "new_path", where))
    if kind == "media":
        _check_keys(obj, MEDIA_KEYS, where)
        size = obj.get("size", 0)
        if type(size) is not int or size < 0:
            raise ImportProblem(where, "'size' must be a whole number of bytes")
        return MediaRecord(
            where, _text(obj, "url", where), source_id=_text(obj, "id", where), title=_text(obj, "title", where),
            file=_text(obj, "file", where), content_type=_text(obj, "content_type", where), size=size,
            sha256=_text(obj, "sha256", where), status=_text(obj, "status", where) or "queued",
            reason=_text(obj, "reason", where), fetched=_when(obj, "fetched", where),
        )  # fmt: skip
    if kind == "image_host":
        _check_keys(obj, {"type", "host", "allowed", "note"}, where)
        allowed = obj.get("allowed", False)
        if not isinstance(allowed, bool):
            raise ImportProblem(where, "'allowed' must be true or false")
        return ImageHostRecord(where, _text(obj, "host", where), allowed, _text(obj, "note", where))
    raise ImportProblem(
        where,
        f"unknown type {kind!r} (entry, article, comment, author, holiday_rule, redirect, media, image_host, "
        f"{', '.join(OBJECT_FIELDS)})",
    )


def read(path: Path) -> Iterator[Item]:
    """Yield a record, or the problem with it, for each non-blank line (streamed)."""
    name = str(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as err:
        raise ImportProblem(name, f"cannot open: {err.strerror}") from err
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{name}:{number}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as err:
                    yield ImportProblem(where, f"not JSON ({err.msg} at column {err.colno})")
                    continue
                except RecursionError:
                    yield ImportProblem(where, "nested too deeply to read; a line is one flat JSON object")
                    continue
                except ValueError as err:  # Python's cap on digits in an integer (4,300)
                    yield ImportProblem(where, f"a number has too many digits ({str(err).split(';')[0]})")
                    continue
                yield record_or_problem(typed_record, obj, where)
        except UnicodeDecodeError as err:
            raise ImportProblem(name, f"not UTF-8 text ({err.reason} at byte {err.start})") from err
