"""The entry page's reads, written once as SQL, as the day page's are (day_sql.py).

Profiling the entry page (docs/benchmarks.md, *Render path*) found 40 % of its CPU in the ORM:
``get_object_or_404`` with five ``prefetch_related`` lookups, then the articles, compiled to SQL
anew on every request, and the prefetch machinery around them. The same reads are five fixed
statements here, on the bare cursor: the entry by its slug, its people, tags and places in one
(day_sql's ``named``), its sources, its collections and the published articles that tell it
(day_sql's ``articles``). The instances they make answer ``entry.people.all()`` and the like
from what was read, as ``prefetch_related`` would, so templates and helpers are unchanged.
"""

from __future__ import annotations

import functools
from typing import Any

from django.http import Http404

from . import day_sql
from .models import Article, Collection, Entry, Membership, Person, Place, Source, Tag


@functools.cache
def statements() -> dict[str, Any]:
    entry = Entry._meta.db_table
    names, entry_cols = day_sql.columns(Entry, "e")
    source_names, source_cols = day_sql.columns(Source, "s")
    collection_names, collection_cols = day_sql.columns(Collection, "c")
    member, group, source = Membership._meta.db_table, Collection._meta.db_table, Source._meta.db_table
    # S608: every name below is a table or column of our own models; values go in as parameters.
    return {
        "entry_names": names,
        "entry": f"SELECT {entry_cols} FROM {entry} e WHERE e.slug = %s",  # noqa: S608
        "source_names": source_names,
        "sources": f"SELECT {source_cols} FROM {source} s WHERE s.entry_id = %s ORDER BY s.id",  # noqa: S608
        "collection_names": collection_names,
        # in the collections' own order (Collection.Meta: title), so that the breadcrumb's
        # ``entry.collections.first()`` is the one the ORM would give
        "collections": f"SELECT {collection_cols} FROM {member} m JOIN {group} c "  # noqa: S608
        "ON c.id = m.collection_id WHERE m.entry_id = %s ORDER BY c.title, c.id",
    }


def entry_page(slug: str) -> tuple[Entry, list[Article]]:
    """The entry at ``slug``, with its people, places, tags, sources and collections read, and the
    published articles that tell it (newest first). Http404 when no entry has that slug."""
    sql = statements()
    found = day_sql.rows(sql["entry"], [slug])
    if not found:
        raise Http404("No entry at this address")
    entry = day_sql.from_row(Entry, sql["entry_names"], found[0])
    people, tags, places = day_sql.named_of([entry.pk])
    sources = [day_sql.from_row(Source, sql["source_names"], row) for row in day_sql.rows(sql["sources"], [entry.pk])]
    for item in sources:
        Source.entry.field.set_cached_value(item, entry)
    filed = day_sql.rows(sql["collections"], [entry.pk])
    collections = [day_sql.from_row(Collection, sql["collection_names"], row) for row in filed]
    entry._prefetched_objects_cache = {}
    day_sql.prefetched(entry, "people", Person, people[entry.pk])
    day_sql.prefetched(entry, "tags", Tag, tags[entry.pk])
    day_sql.prefetched(entry, "places", Place, places[entry.pk])
    day_sql.prefetched(entry, "sources", Source, sources)
    day_sql.prefetched(entry, "collections", Collection, collections)
    articles, _ = day_sql.told([entry.pk])
    return entry, articles
