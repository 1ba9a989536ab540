"""JSON Lines: one entry per line.

Each line is an object with ``date`` (EDTF or any form :func:`hodie.dates.parse_date` reads),
``title``, and optionally ``id`` (stable; makes re-import idempotent), ``calendar``
(julian | gregorian), ``kind`` (event | birth | death | holiday; default event), ``summary``,
``body`` (Markdown), ``tags``, ``people``, ``places`` (lists of names), ``sources``
(``[{"url", "title", "publisher"}]``), ``featured``, ``observance`` ("MM-DD") and ``collections``
(slugs; the command's ``--collection`` is used when absent). Blank lines are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .records import EntryRecord, ImportProblem, SourceRecord

KNOWN_KEYS = {
    "id", "date", "calendar", "title", "kind", "summary", "body", "tags", "people", "places", "sources",
    "featured", "observance", "collections",
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
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise ImportProblem(where, f"{name!r} must be text")
    return str(value)


def record_from_object(obj: Any, where: str) -> EntryRecord:
    if not isinstance(obj, dict):
        raise ImportProblem(where, "expected a JSON object")
    unknown = set(obj) - KNOWN_KEYS
    if unknown:
        raise ImportProblem(
            where, f"unknown field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(KNOWN_KEYS))}"
        )
    sources = []
    for raw in obj.get("sources") or []:
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
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise ImportProblem(where, f"observance {obj['observance']!r} is not MM-DD")
        observance = (int(parts[0]), int(parts[1]))
    featured = obj.get("featured", False)
    if not isinstance(featured, bool):
        raise ImportProblem(where, "'featured' must be true or false")
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
    )


def read(path: Path) -> Iterator[EntryRecord | ImportProblem]:
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
                try:
                    yield record_from_object(obj, where)
                except ImportProblem as problem:
                    yield problem
        except UnicodeDecodeError as err:
            raise ImportProblem(name, f"not UTF-8 text ({err.reason} at byte {err.start})") from err
