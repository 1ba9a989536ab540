"""Wikipedia's "On this day" JSON (``feed/onthisday/{type}/{MM}/{DD}`` responses), for one day or many.

A response does not say which day it is for. The reader takes the day from Hodie's own ``date``
extras when the file came from Hodie, else from a ``{"MM/DD": response}`` wrapper (many days), else
from the file name (``02-20.json``, ``onthisday_02_20.json``); with none of these it refuses the file.

Wikipedia's day lists mix Old and New Style dates without saying which: an entry dated before 1924
(Greece, the last country to switch) is read under the collection's region and marked for review.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hodie.dates.names import EN_MONTHS

from .records import EntryRecord, ImportProblem, Item, SourceRecord, record_or_problem

TYPES = {"events": "event", "births": "birth", "deaths": "death", "holidays": "holiday"}
_DAY_IN_NAME = re.compile(r"(?<!\d)(?P<m>0?[1-9]|1[0-2])[-_/.](?P<d>0?[1-9]|[12]\d|3[01])(?!\d)")
_DAY_KEY = re.compile(r"^(?P<m>\d{1,2})[-/](?P<d>\d{1,2})$")


def _sources(item: dict[str, Any]) -> tuple[SourceRecord, ...]:
    found = []
    for page in item.get("pages") or []:
        if not isinstance(page, dict):
            continue
        urls = page.get("content_urls") or {}
        url = ((urls.get("desktop") or {}).get("page")) if isinstance(urls, dict) else None
        title = page.get("normalizedtitle") or page.get("title") or ""
        if url:
            found.append(
                SourceRecord(url=str(url)[:500], title=str(title).replace("_", " ")[:300], publisher="Wikipedia")
            )
    return tuple(found[:5])


def _day(items: list[Any], wanted: tuple[int, int] | None, where: str) -> tuple[int, int]:
    for item in items:
        extras = item.get("date") if isinstance(item, dict) else None
        if isinstance(extras, dict) and extras.get("month") and extras.get("day"):
            return int(extras["month"]), int(extras["day"])
    if wanted is None:
        raise ImportProblem(
            where, 'cannot tell which day this is: name the file MM-DD.json or wrap it as {"MM/DD": ...}'
        )
    return wanted


def _records(response: Any, wanted: tuple[int, int] | None, where: str) -> Iterator[Item]:
    if not isinstance(response, dict) or not any(key in response for key in (*TYPES, "selected")):
        yield ImportProblem(where, "not an On this day response (no events, births, deaths, holidays or selected)")
        return
    all_items = [i for key in (*TYPES, "selected") for i in (response.get(key) or [])]
    try:
        month, day = _day(all_items, wanted, where)
    except ImportProblem as problem:
        yield problem
        return
    selected = {str(i.get("text", "")).strip() for i in response.get("selected") or [] if isinstance(i, dict)}
    listed: set[str] = set()
    groups = [(key, response.get(key) or []) for key in TYPES]
    groups.append(("selected", response.get("selected") or []))
    for key, items in groups:
        if not isinstance(items, list):
            yield ImportProblem(where, f"{key!r} is not a list")
            continue
        for number, item in enumerate(items, start=1):
            here = f"{where} {key}[{number}]"
            if not isinstance(item, dict) or not str(item.get("text", "")).strip():
                yield ImportProblem(here, "an item without text")
                continue
            text = str(item["text"]).strip()
            if key == "selected" and text in listed:
                continue  # already listed under events, and marked featured there
            listed.add(text)
            kind = TYPES.get(key, "event")
            year = item.get("year")
            if kind == "holiday" or year is None:
                date = f"XXXX-{month:02d}-{day:02d}"
            elif isinstance(year, int) and year != 0:
                era = f"{-year} BC" if year < 0 else str(year)
                date = f"{day} {EN_MONTHS[month - 1]} {era}"
            else:
                yield ImportProblem(here, f"year {year!r} is not a whole number other than 0")
                continue
            digest = hashlib.sha1(f"{month}-{day}\x1f{kind}\x1f{year}\x1f{text}".encode()).hexdigest()[:20]  # noqa: S324
            pages = item.get("pages") or []
            person = ""
            if kind in ("birth", "death") and pages and isinstance(pages[0], dict):
                person = str(pages[0].get("normalizedtitle") or pages[0].get("title") or "").replace("_", " ")
            yield record_or_problem(
                EntryRecord,
                where=here,
                date=date,
                title=text[:300],
                kind=kind,
                sources=_sources(item),
                people=(person,) if person else (),
                featured=text in selected,
                observance=(month, day),
                source_id=f"wikipedia:{digest}",
                needs_review=isinstance(year, int) and year < 1924,
            )


def read(path: Path) -> Iterator[Item]:
    name = str(path)
    try:
        data = json.loads(path.read_bytes())
    except OSError as err:
        raise ImportProblem(name, f"cannot open: {err.strerror}") from err
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        line = getattr(err, "lineno", None)
        raise ImportProblem(f"{name}:{line}" if line else name, f"not JSON ({err})") from err
    match = _DAY_IN_NAME.search(path.stem)
    from_name = (int(match["m"]), int(match["d"])) if match else None
    if isinstance(data, dict) and data and all(isinstance(k, str) and _DAY_KEY.match(k) for k in data):
        for key, response in data.items():
            found = _DAY_KEY.match(key)
            assert found is not None
            yield from _records(response, (int(found["m"]), int(found["d"])), f"{name} [{key}]")
        return
    yield from _records(data, from_name, name)
