"""The day page's statements, written once as SQL, and the model instances made from their rows.

Profiling (docs/benchmarks.md) showed that building the same ORM queries on every request cost more
than running them: Django compiles a QuerySet to SQL anew each time, about 0.3 ms a query. The
statements are fixed, so they are written here once, with the ORM's own table and column names, and
run on the bare cursor; days.py decides which to run.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from .models import Article, Collection, Entry, EntryLine, HolidayRule, Membership, Person, Place, Tag

# ArticleQuerySet.published() in SQL, for an article aliased ``a``; its parameter is published_now().
PUBLISHED = "a.status IN ('published', 'scheduled') AND a.publish_at <= %s"


def published_now() -> Any:
    """The parameter of :data:`PUBLISHED`: now, as the database takes a datetime."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def columns(model, alias: str) -> tuple[list[str], str]:
    fields = model._meta.concrete_fields
    return [f.attname for f in fields], ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in fields)


@functools.cache
def statements() -> dict[str, Any]:
    """The day page's queries, written once as SQL. Profiling (docs/benchmarks.md) showed that
    building the same ORM queries on every request cost more than running them: Django compiles
    a QuerySet to SQL anew each time, about 0.3 ms a query. The statements are fixed, so they are
    written here once, with the ORM's own table and column names, and run on the bare cursor."""
    entry = Entry._meta.db_table
    member = Membership._meta.db_table
    names, entry_cols = columns(Entry, "e")
    people = Entry.people.through._meta.db_table
    tags = Entry.tags.through._meta.db_table
    places, place = Entry.places.through._meta.db_table, Place._meta.db_table
    linked = Article.entries.through._meta.db_table
    article_names, article_cols = columns(Article, "a")
    partner = Article._meta.get_field("partner").related_model
    partner_names, partner_cols = columns(partner, "p")
    rule_names, rule_cols = columns(HolidayRule, "r")
    collection_names, collection_cols = columns(Collection, "c")
    person, tag = Person._meta.db_table, Tag._meta.db_table
    article, rule, group = Article._meta.db_table, HolidayRule._meta.db_table, Collection._meta.db_table
    line = EntryLine._meta.db_table
    # S608: every name below is a table or column of our own models; values go in as parameters.
    return {
        "entry_names": names,
        # A day filed under the collection's policy, in date order, from the memberships' index
        # (collection, day_key, entry_jdn, entry): one key's first rows, as many as the page needs,
        # in the index's order ({n} numbers the key), or all of the day's ({keys}: a run of
        # placeholders); the keys' reads merged into
        # one page ({merged}). Then the entries of those rows ({source}), with or without each one's
        # stored line in one variant (hodie/almanac/lines.py).
        "filed_page": f"SELECT * FROM (SELECT m.entry_id, m.entry_jdn FROM {member} m "  # noqa: S608
        "WHERE m.collection_id = %s AND m.day_key = %s ORDER BY m.entry_jdn, m.entry_id LIMIT %s) k{n}",
        "filed_merged": "SELECT * FROM ({merged}) u ORDER BY u.entry_jdn, u.entry_id LIMIT %s OFFSET %s",
        "filed_all": f"SELECT m.entry_id, m.entry_jdn FROM {member} m "  # noqa: S608
        "WHERE m.collection_id = %s AND m.day_key IN ({keys})",
        "filed": f"SELECT {entry_cols} FROM ({{source}}) d JOIN {entry} e ON e.id = d.entry_id "  # noqa: S608
        "ORDER BY d.entry_jdn, d.entry_id",
        "filed_lines": f"SELECT {entry_cols}, l.head, l.tail, l.event FROM ({{source}}) d "  # noqa: S608
        f"JOIN {entry} e ON e.id = d.entry_id LEFT JOIN {line} l ON l.entry_id = e.id AND l.variant = %s "
        "ORDER BY d.entry_jdn, d.entry_id",
        # A day under another calendar (?calendar=julian ...): {key} is one of the entry's vetted
        # day-key columns, each indexed with the day's order (entry_julian_day, entry_observance_day:
        # key, earliest_jdn, id). The same page-sized reads as above, from the entries' index, each
        # row kept when the entry is in the collection; the result has the memberships' two columns,
        # so that "filed" and "filed_lines" read the page's entries.
        "chosen_page": f"SELECT * FROM (SELECT e.id AS entry_id, e.earliest_jdn AS entry_jdn FROM {entry} e "  # noqa: S608
        "WHERE {key} = %s AND EXISTS (SELECT 1 FROM "
        f"{member} m WHERE m.entry_id = e.id AND m.collection_id = %s) "
        "ORDER BY e.earliest_jdn, e.id LIMIT %s) k{n}",
        "chosen_all": f"SELECT e.id AS entry_id, e.earliest_jdn AS entry_jdn FROM {entry} e "  # noqa: S608
        "WHERE {key} IN ({keys}) AND EXISTS (SELECT 1 FROM "
        f"{member} m WHERE m.entry_id = e.id AND m.collection_id = %s)",
        "named": f"SELECT x.entry_id, 0, p.id, p.name, p.slug, p.description, p.language, p.translations "  # noqa: S608
        f"FROM {people} x JOIN {person} p ON p.id = x.person_id WHERE x.entry_id IN ({{ids}}) "
        f"UNION ALL SELECT x.entry_id, 1, t.id, t.name, t.slug, '', t.language, t.translations FROM {tags} x "
        f"JOIN {tag} t ON t.id = x.tag_id WHERE x.entry_id IN ({{ids}}) "
        f"UNION ALL SELECT x.entry_id, 2, pl.id, pl.name, pl.slug, pl.description, pl.language, pl.translations "
        f"FROM {places} x "
        f"JOIN {place} pl ON pl.id = x.place_id WHERE x.entry_id IN ({{ids}}) ORDER BY 2, 4, 3",
        "article_names": article_names,
        # each article with its partner, if any, in the same row (a partner's id is NULL without one)
        "articles": f"SELECT x.entry_id, {article_cols}, {partner_cols} FROM {linked} x "  # noqa: S608
        f"JOIN {article} a ON a.id = x.article_id LEFT JOIN {partner._meta.db_table} p ON p.id = a.partner_id "
        f"WHERE x.entry_id IN ({{ids}}) AND {PUBLISHED} ORDER BY a.publish_at DESC, a.id",
        "partner_model": partner,
        "partner_names": partner_names,
        "rule_names": rule_names,
        "rules": f"SELECT {rule_cols} FROM {rule} r WHERE r.collection_id = %s ORDER BY r.title",  # noqa: S608
        "collection_names": collection_names,
        "collections": f"SELECT {collection_cols} FROM {group} c ORDER BY c.title, c.id",  # noqa: S608
        # The widget's day (hodie/almanac/views.py): what onthisday.select reads of each entry filed
        # on the day, in date order, and which of them a published article tells.
        "day_keys": f"SELECT e.id, e.kind, e.featured, e.year, e.earliest_jdn FROM {member} m "  # noqa: S608
        f"JOIN {entry} e ON e.id = m.entry_id WHERE m.collection_id = %s AND m.day_key = %s "
        "ORDER BY e.earliest_jdn, e.id",
        "day_told": f"SELECT DISTINCT x.entry_id FROM {linked} x JOIN {article} a ON a.id = x.article_id "  # noqa: S608
        f"JOIN {member} m ON m.entry_id = x.entry_id WHERE m.collection_id = %s AND m.day_key = %s AND {PUBLISHED}",
        "entries_by_id": f"SELECT {entry_cols} FROM {entry} e WHERE e.id IN ({{ids}})",  # noqa: S608
        # each entry's collections, a row per membership, as the ORM's prefetch of entry.collections
        "collections_of": f"SELECT m.entry_id, {collection_cols} FROM {member} m JOIN {group} c "  # noqa: S608
        f"ON c.id = m.collection_id WHERE m.entry_id IN ({{ids}}) ORDER BY c.title, c.id",
    }


def from_row(model, names: list[str], row) -> Any:
    """``model.from_db`` over a bare cursor's row, each value converted as the ORM converts it: the
    bare cursor skips the converters, so SQLite gave a datetime as naive text, a boolean as 0 or 1
    and JSON as its text."""
    values = list(row)
    functions, translations = _converters.get((model, tuple(names))) or converters(model, tuple(names))
    for at, column, found, wrapper in functions:
        value = values[at]
        for function in found:
            value = function(value, column, wrapper)
        values[at] = value
    if translations is not None:
        values[translations] = decoded(values[translations])
    return model.from_db("default", names, values)


# (model, names) -> each converted column's (position, column, converters, connection), and where
# ``translations`` is. Kept for the process: the converters depend on the database's vendor, which
# settings fix at start. Read without the connection proxy, whose every attribute is a lookup in
# asgiref's Local (a third of from_row's time when it was read per row).
_converters: dict[tuple[Any, tuple[str, ...]], tuple[list[tuple[int, Any, list, Any]], int | None]] = {}


def converters(model, names: tuple[str, ...]) -> tuple[list[tuple[int, Any, list, Any]], int | None]:
    """The position, column and converters of each of ``names`` the ORM converts (as its
    compiler's ``get_converters`` finds them), and the position of ``translations``."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    wanted = []
    for at, name in enumerate(names):
        column = model._meta.get_field(name).get_col(model._meta.db_table)
        functions = wrapper.ops.get_db_converters(column) + column.get_db_converters(wrapper)
        if functions:
            wanted.append((at, column, functions, wrapper))
    found = _converters[model, names] = (wanted, names.index("translations") if "translations" in names else None)
    return found


def decoded(value: Any) -> dict:
    if isinstance(value, str | bytes):
        return json.loads(value) if value else {}
    return value or {}


def named(model, row: dict[str, Any]):
    """A person, place or tag from its row. ``from_db`` takes values in the model's own field order
    (Tag declares ``name`` after the inherited ``slug``), so they are put in that order here."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in row]
    return from_row(model, names, [row[name] for name in names])


def named_of(ids: list[int]) -> tuple[dict[int, list], dict[int, list], dict[int, list]]:
    """The people, tags and places of the entries ``ids``, in one statement: three dicts from each
    entry's id to its list (every id a key), each list in name order."""
    people: dict[int, list[Person]] = {pk: [] for pk in ids}
    tags: dict[int, list[Tag]] = {pk: [] for pk in ids}
    places: dict[int, list[Place]] = {pk: [] for pk in ids}
    if not ids:
        return people, tags, places
    for entry_id, kind, pk, name, slug, description, language, translations in rows(
        statements()["named"].format(ids=marks(ids)), list(ids) * 3
    ):
        row = {"id": pk, "name": name, "slug": slug, "description": description, "language": language}
        row["translations"] = translations
        if kind == 1:
            tags[entry_id].append(named(Tag, row))
        elif kind == 2:
            places[entry_id].append(named(Place, row))
        else:
            people[entry_id].append(named(Person, row))
    return people, tags, places


def linked(entries: list[Entry]) -> None:
    """Each entry's people, tags, places and collections read in two statements and given to
    ``entry.people.all()`` and the others, as ``prefetch_related`` of the four does: its machinery
    (a related manager and a queryset made for every entry and relation) was the largest part of
    the API's page of entries (docs/benchmarks.md, *Render path*)."""
    ids = [entry.pk for entry in entries]
    people, tags, places = named_of(ids)
    sql = statements()
    collections: dict[int, list[Collection]] = {pk: [] for pk in ids}
    if ids:
        for row in rows(sql["collections_of"].format(ids=marks(ids)), ids):
            collections[row[0]].append(from_row(Collection, sql["collection_names"], row[1:]))
    for entry in entries:
        entry._prefetched_objects_cache = {}
        prefetched(entry, "people", Person, people[entry.pk])
        prefetched(entry, "tags", Tag, tags[entry.pk])
        prefetched(entry, "places", Place, places[entry.pk])
        prefetched(entry, "collections", Collection, collections[entry.pk])


def told(ids: list[int]) -> tuple[list[Article], list[tuple[int, Article]]]:
    """The published articles that tell the entries ``ids``, newest first, each once and with its
    partner (``article.partner`` reads no more), and the (entry id, article) pairs, in one
    statement."""
    sql = statements()
    now = published_now()
    width, partners = len(sql["article_names"]), {}  # type: int, dict[int, Any]
    shown: dict[int, Article] = {}
    pairs = []
    for entry_id, *row in rows(sql["articles"].format(ids=marks(ids)), [*ids, now]):
        article = shown.get(row[0])
        if article is None:
            article = shown[row[0]] = from_row(Article, sql["article_names"], row[:width])
            if article.partner_id is not None and article.partner_id not in partners:
                model = sql["partner_model"]
                partners[article.partner_id] = from_row(model, sql["partner_names"], row[width:])
            Article.partner.field.set_cached_value(article, partners.get(article.partner_id))
        pairs.append((entry_id, article))
    return list(shown.values()), pairs


def marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def prefetched(instance, name: str, model, items: list) -> None:
    """Give ``instance.<name>.all()`` the rows already read, as Django's prefetch_related does."""
    queryset = model._default_manager.all()
    queryset._result_cache = items
    queryset._prefetch_done = True
    instance._prefetched_objects_cache[name] = queryset
