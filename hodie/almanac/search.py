"""Full-text search over entries, articles, people (aliases included) and tags, behind one
interface: SQLite FTS5 (Porter stemming for English) by default, PostgreSQL full-text search with
English and Russian stemming on PostgreSQL. Ranked, with highlighted snippets, filtered by kind,
century, collection and tag. A query that reads as a day or a year is answered as one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from markupsafe import Markup

from hodie.dates import HodieError, parse_date
from hodie.dates.centuries import century_years
from hodie.search import lookup, spelling

from .models import Article, Entry, Person, Place, Tag

START, STOP = "\x02", "\x03"
PER_PAGE = 20


@dataclass
class Hit:
    kind: str  # entry, article, person, tag
    obj: Any
    snippet: Markup
    rank: float = 0.0
    also: str = ""  # the spelling that matched when it is not the name shown ("Kosenko" for Косенко)


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    day: tuple[int, int] | None = None  # the query reads as a day: (month, day)
    year: int | None = None  # the query reads as a year


def _marked(text: str) -> Markup:
    """A snippet with the engine's markers as <mark>, everything else escaped."""
    escaped = html.escape(text or "")
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704 - escaped above


def _fts5_query(text: str) -> str:
    """Words as FTS5 prefix terms, quoted so that no FTS5 syntax (NEAR, -, :, ") from a reader runs."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words[:12])


def read_as_date(text: str) -> tuple[tuple[int, int] | None, int | None]:
    """(month, day) when the query is a day ("20 February", "Feb 20", "20 February 1939"),
    the year when it is one ("1812", "44 BC"); (None, None) otherwise."""
    if not re.search(r"\d", text) or len(text) > 60:
        return None, None
    try:
        date = parse_date(text)
    except (HodieError, ValueError):
        return None, None
    if date.is_day and date.start is not None:
        point = date.start
        return (point.month, point.day), None  # type: ignore[return-value]
    if date.start is not None and date.start.precision == "year" and date.year is not None:
        return None, date.year
    return None, None


# The text each table is searched by: the same expressions as migration 0004's indexes.
DOCUMENTS = {
    "almanac_entry": "coalesce(title,'') || ' ' || coalesce(summary,'') || ' ' || coalesce(body,'')",
    "almanac_article": "coalesce(title,'') || ' ' || coalesce(excerpt,'') || ' ' || coalesce(body,'')",
}
FTS5_TABLES = {"almanac_entry": "hodie_entry_fts", "almanac_article": "hodie_article_fts"}
ENTRY_INSERT_TRIGGER = "hodie_entry_ai"  # migration 0004


@contextmanager
def entries_indexed_afterwards(cursor: Any) -> Iterator[list[int]]:
    """Insert entries inside the block with the SQLite index trigger set aside, then index the ids
    the block puts in the yielded list with one statement: FTS5 takes a batch of 2,000 rows this way
    several times faster than through 2,000 trigger calls (docs/benchmarks.md). The trigger is
    dropped and created again inside a savepoint, so no other connection ever sees it missing and a
    failure restores it. Elsewhere (PostgreSQL's indexes are on expressions) the block just runs."""
    ids: list[int] = []
    if connection.vendor != "sqlite":
        yield ids
        return
    fts = FTS5_TABLES["almanac_entry"]
    with transaction.atomic():
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [ENTRY_INSERT_TRIGGER])
        (trigger,) = cursor.fetchone()
        cursor.execute(f"DROP TRIGGER {ENTRY_INSERT_TRIGGER}")
        yield ids
        cursor.execute(trigger)
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            cursor.execute(
                f"INSERT INTO {fts}(rowid, title, summary, body) SELECT id, title, summary, body "  # noqa: S608
                f"FROM almanac_entry WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )


def _ranked(table: str, q: str, limit: int) -> dict[int, tuple[float, str]]:
    """{primary key: (rank, higher is better; snippet with the engine's markers)} for one table."""
    if connection.vendor == "sqlite":
        match = _fts5_query(q)
        if not match:
            return {}
        fts = FTS5_TABLES[table]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({fts}, 10.0, 3.0, 1.0), snippet({fts}, -1, %s, %s, '…', 16) "  # noqa: S608
                f"FROM {fts} WHERE {fts} MATCH %s ORDER BY 2 LIMIT {int(limit)}",
                [START, STOP, match],
            )
            return {pk: (-rank, snippet) for pk, rank, snippet in cursor.fetchall()}
    if connection.vendor == "postgresql":
        return _postgres(table, DOCUMENTS[table], q, limit)
    model = Entry if table == "almanac_entry" else Article
    return {o.pk: (1.0, o.title) for o in model.objects.filter(title__icontains=q)[:limit]}


def _by_keys(q: str, kind: str, ranks: dict[int, tuple[float, str]]) -> None:
    """Add to ``ranks`` the entries or articles whose title or summary has a word of ``q`` in any
    spelling or case form (hodie/search): ranked after the engine's own hits, the title as snippet."""
    for found in lookup.find(q, kinds=(kind,)):
        ranks.setdefault(found.object_id, (-1.0, ""))


def _entries(q: str, filters: Q, limit: int) -> list[Hit]:
    ranks = _ranked("almanac_entry", q, 500)
    _by_keys(q, "entry", ranks)
    found = Entry.objects.filter(filters, pk__in=list(ranks)).prefetch_related("collections").distinct()
    hits = [Hit("entry", e, _marked(ranks[e.pk][1] or e.summary or e.title), ranks[e.pk][0]) for e in found]
    return sorted(hits, key=lambda h: -h.rank)[:limit]


def _postgres(table: str, doc: str, q: str, limit: int) -> dict[int, tuple[float, str]]:
    sql = (
        f"SELECT id, ts_rank(to_tsvector('english', {doc}), qe) + ts_rank(to_tsvector('russian', {doc}), qr), "  # noqa: S608
        f"ts_headline('simple', {doc}, qe || qr || qs, %s) "
        f"FROM {table}, websearch_to_tsquery('english', %s) qe, websearch_to_tsquery('russian', %s) qr, "
        f"websearch_to_tsquery('simple', %s) qs "
        f"WHERE to_tsvector('english', {doc}) @@ qe OR to_tsvector('russian', {doc}) @@ qr "
        f"ORDER BY 2 DESC LIMIT {int(limit)}"
    )
    options = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12"
    with connection.cursor() as cursor:
        cursor.execute(sql, [options, q, q, q])
        return {pk: (float(rank), snippet) for pk, rank, snippet in cursor.fetchall()}


def _articles(q: str, limit: int) -> list[Hit]:
    ranks = _ranked("almanac_article", q, 200)
    _by_keys(q, "article", ranks)
    found = Article.objects.published().filter(pk__in=list(ranks)).select_related("partner")
    # The snippet may hold HTML of an imported article: shown as text, never as markup.
    hits = [
        Hit("article", a, _marked(re.sub(r"<[^>]*>", "", ranks[a.pk][1] or a.excerpt)), ranks[a.pk][0]) for a in found
    ]
    return sorted(hits, key=lambda h: -h.rank)[:limit]


def _names(q: str) -> list[Hit]:
    """People (aliases and romanisations too), places and tags whose name has every word of ``q``,
    in any spelling, script or case form (hodie/search/lookup.py): short lists, people first."""
    words = re.findall(r"\w+", q)
    found = lookup.find(q, kinds=("person", "place", "tag"))[:60]
    latin = not any(spelling.is_cyrillic(w) for w in words)
    models = {"person": Person, "place": Place, "tag": Tag}
    objects = {
        kind: model.objects.in_bulk([f.object_id for f in found if f.kind == kind]) for kind, model in models.items()
    }
    hits = []
    for f in found:
        obj = objects[f.kind].get(f.object_id)
        if obj is not None:
            rank = {"person": 5.0, "place": 4.5, "tag": 4.0}[f.kind]
            hits.append(Hit(f.kind, obj, _highlight(obj.name, words), rank, also=f.also_written(obj.name, latin)))
    return sorted(hits, key=lambda h: (-h.rank, h.obj.name, h.obj.pk))


def _highlight(text: str, words: list[str]) -> Markup:
    marked = text
    for word in words:
        marked = re.sub(f"({re.escape(word)})", f"{START}\\1{STOP}", marked, flags=re.IGNORECASE)
    return _marked(marked)


def search(
    q: str,
    kind: str = "",
    century: int | None = None,
    collection: str = "",
    tag: str = "",
    page: int = 1,
) -> Results:
    q = (q or "").strip()[:200]
    results = Results(query=q)
    if not q:
        return results
    results.day, results.year = read_as_date(q)
    filters = Q()
    if kind in Entry.Kind.values:
        filters &= Q(kind=kind)
    if century:
        first, last = century_years(century)
        filters &= Q(year__gte=first, year__lte=last)
    if collection:
        filters &= Q(collections__slug=collection)
    if tag:
        filters &= Q(tags__slug=tag)
    if results.year is not None:
        entries = Entry.objects.filter(filters, year=results.year).order_by("earliest_jdn", "pk")
        hits = [Hit("entry", e, _marked(e.summary or e.title), 1.0) for e in entries[:500]]
    else:
        hits = _entries(q, filters, 500)
        if not (kind or century or collection or tag):
            hits = _names(q) + _articles(q, 100) + hits
    results.total = len(hits)
    start = (max(1, page) - 1) * PER_PAGE
    results.hits = hits[start : start + PER_PAGE]
    return results
