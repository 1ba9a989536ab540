"""Day pages: which entries and articles belong on a collection's day."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from hodie.dates import HodieError, InvalidDate, check_month_day, day_key, format_day
from hodie.dates.names import EN_MONTHS
from hodie.dates.recurring import parse_rule

from . import fragments
from .models import Article, Collection, Entry, EntryLine, HolidayRule, Membership, Person, Place, Tag
from .translations import shown as shown_text

MONTH_SLUGS = [name.lower() for name in EN_MONTHS]
CHOICES = ("standard", "julian", "observance")
ORDER = tuple(Entry.Kind.values)
PER_PAGE = 100  # entries on one page of a big day (the 2,732-entry day has 28 pages)


def day_slug(month: int, day: int) -> str:
    return f"{MONTH_SLUGS[month - 1]}-{day}"


def parse_day_slug(slug: str) -> tuple[int, int]:
    """``february-20`` -> (2, 20); :class:`InvalidDate` for ``february-30`` or ``smarch-1``."""
    name, _, number = slug.rpartition("-")
    if name not in MONTH_SLUGS or not (number.isascii() and number.isdigit()) or len(number) > 2:
        raise InvalidDate(f"{slug!r} is not a day; days look like february-20")
    return check_month_day(MONTH_SLUGS.index(name) + 1, int(number))


def parse_month_day(text: str) -> tuple[int, int]:
    """``02-20`` or ``2/20`` (month first) -> (2, 20)."""
    parts = text.replace("/", "-").split("-")
    if len(parts) != 2 or not all(part.isascii() and part.isdigit() and 1 <= len(part) <= 2 for part in parts):
        raise InvalidDate(f"{text!r} is not a day; give it as MM-DD, e.g. 02-20")
    return check_month_day(int(parts[0]), int(parts[1]))


def neighbours(month: int, day: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The previous and next day pages, through 29 February, wrapping at the year's ends."""
    ordinal = ALL_DAYS.index((month, day))
    return ALL_DAYS[ordinal - 1], ALL_DAYS[(ordinal + 1) % len(ALL_DAYS)]


def _ordinals() -> list[tuple[int, int]]:
    # The 366 day pages, taken from a leap year.
    return [(m, d) for m in range(1, 13) for d in range(1, stdlib_calendar.monthrange(2000, m)[1] + 1)]


ALL_DAYS = _ordinals()


def today() -> dt.date:
    return timezone.localdate()


def default_collection(collections: list[Collection] | None = None) -> Collection | None:
    """HODIE_DEFAULT_COLLECTION's collection, else the first made; from ``collections`` (every
    collection, :func:`all_collections`) when the caller has read them already."""
    slug = settings.HODIE_DEFAULT_COLLECTION
    if collections is not None:
        named = [c for c in collections if c.slug == slug] if slug else []
        return named[0] if named else min(collections, key=lambda c: c.pk, default=None)
    if slug:
        found = Collection.objects.filter(slug=slug).first()
        if found:
            return found
    return Collection.objects.order_by("pk").first()


def entries_for_day(
    collection: Collection, month: int, day: int, choice: str | None = None, with_leap_day: bool = False
) -> QuerySet[Entry]:
    """The collection's entries on a day. ``choice`` None follows the collection's policy; else
    ``standard``, ``julian`` (entries whose Old Style label is that day) or ``observance``."""
    keys = [day_key((month, day))]
    if with_leap_day:
        keys.append(day_key((2, 29)))
    entries = Entry.objects.all()
    if choice is None:
        entries = entries.filter(membership__collection=collection, membership__day_key__in=keys)
    elif choice in CHOICES:
        entries = entries.filter(membership__collection=collection, **{f"{choice}_key__in": keys})
    else:
        raise InvalidDate(f"Unknown calendar choice {choice!r}; use one of {', '.join(CHOICES)}")
    return entries.order_by("earliest_jdn", "pk")


@dataclass
class DayPage:
    collection: Collection
    month: int
    day: int
    is_today: bool = False
    choice: str | None = None
    entries: list[Entry] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    year: int = 0
    moving: list[HolidayRule] = field(default_factory=list)
    told_in: dict[int, Article] = field(default_factory=dict)
    page_number: int = 1
    has_next: bool = False
    # Stored fragments read with the page (hodie/almanac/fragments.py): key -> (html, meta)
    fragments: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        return format_day(self.month, self.day, self.collection.language)

    @property
    def title(self) -> str:
        return self.title_in(self.collection.language)

    def title_in(self, language: str) -> str:
        """The page's title in ``language`` (the interface's, on the page itself)."""
        heading = format_day(self.month, self.day, language)
        title = shown_text(self.collection, "title", language).text
        if language == "ru":
            return f"{heading}: {title}"
        return f"{heading} in {title}"

    @property
    def slug(self) -> str:
        return day_slug(self.month, self.day)

    @property
    def url(self) -> str:
        return reverse("almanac:day", args=[self.collection.slug, self.slug])

    def by_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == kind]

    @property
    def sections(self) -> list[tuple[str, list[Entry]]]:
        names = {kind: f"{label}s" for kind, label in Entry.Kind.choices}  # "Events", "Births" ...
        return [(names[kind], self.by_kind(kind)) for kind in ORDER if self.by_kind(kind)]

    @property
    def previous(self) -> str:
        return day_slug(*neighbours(self.month, self.day)[0])

    @property
    def next(self) -> str:
        return day_slug(*neighbours(self.month, self.day)[1])


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _columns(model, alias: str) -> tuple[list[str], str]:
    fields = model._meta.concrete_fields
    return [f.attname for f in fields], ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in fields)


@functools.cache
def _sql() -> dict[str, Any]:
    """The day page's queries, written once as SQL. Profiling (docs/benchmarks.md) showed that
    building the same ORM queries on every request cost more than running them: Django compiles
    a QuerySet to SQL anew each time, about 0.3 ms a query. The statements are fixed, so they are
    written here once, with the ORM's own table and column names, and run on the bare cursor."""
    entry = Entry._meta.db_table
    member = Membership._meta.db_table
    names, entry_cols = _columns(Entry, "e")
    people = Entry.people.through._meta.db_table
    tags = Entry.tags.through._meta.db_table
    places, place = Entry.places.through._meta.db_table, Place._meta.db_table
    linked = Article.entries.through._meta.db_table
    article_names, article_cols = _columns(Article, "a")
    partner = Article._meta.get_field("partner").related_model
    partner_names, partner_cols = _columns(partner, "p")
    rule_names, rule_cols = _columns(HolidayRule, "r")
    collection_names, collection_cols = _columns(Collection, "c")
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
        "WHERE x.entry_id IN ({ids}) AND a.status IN ('published', 'scheduled') "
        "AND a.publish_at <= %s ORDER BY a.publish_at DESC, a.id",
        "partner_model": partner,
        "partner_names": partner_names,
        "rule_names": rule_names,
        "rules": f"SELECT {rule_cols} FROM {rule} r WHERE r.collection_id = %s ORDER BY r.title",  # noqa: S608
        "collection_names": collection_names,
        "collections": f"SELECT {collection_cols} FROM {group} c ORDER BY c.title, c.id",  # noqa: S608
    }


def _from_row(model, names: list[str], row) -> Any:
    """``model.from_db`` over a bare cursor's row. The cursor gives a JSON column as its text (the
    ORM decodes it with the field's converter, which the bare cursor skips), so it is decoded here."""
    values = list(row)
    for at, name in enumerate(names):
        if name == "translations":
            values[at] = _decoded(values[at])
    return model.from_db("default", names, values)


def _decoded(value: Any) -> dict:
    if isinstance(value, str | bytes):
        return json.loads(value) if value else {}
    return value or {}


def _named(model, row: dict[str, Any]):
    """A person, place or tag from its row. ``from_db`` takes values in the model's own field order
    (Tag declares ``name`` after the inherited ``slug``), so they are put in that order here."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in row]
    return _from_row(model, names, [row[name] for name in names])


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _prefetched(instance, name: str, model, items: list) -> None:
    """Give ``instance.<name>.all()`` the rows already read, as Django's prefetch_related does."""
    queryset = model._default_manager.all()
    queryset._result_cache = items
    queryset._prefetch_done = True
    instance._prefetched_objects_cache[name] = queryset


def all_collections() -> list[Collection]:
    """Every collection, by title, in one query (a day page needs the one it shows and the others)."""
    sql = _sql()
    return [_from_row(Collection, sql["collection_names"], row) for row in _rows(sql["collections"], [])]


def day_keys(month: int, day: int, on_date: dt.date | None = None) -> list[int]:
    """The day keys a day page lists: its own and, on today's 28 February of a non-leap year, 29
    February's too (``HODIE_LEAP_DAY_ON_FEB28``)."""
    leap = bool(
        on_date
        and (month, day) == (2, 28)
        and not stdlib_calendar.isleap(on_date.year)
        and settings.HODIE_LEAP_DAY_ON_FEB28
    )
    return [day_key((month, day))] + ([day_key((2, 29))] if leap else [])  # type: ignore[list-item]


def count_day(
    collection: Collection, month: int, day: int, on_date: dt.date | None = None, at_most: int | None = None
) -> int:
    """How many entries the collection files on the day (under its own policy): one count over the
    ``membership_day_order`` index, no entry read. With ``at_most``, the count stops there (it
    counts at most that many index rows), so its cost is bounded whatever the day holds."""
    filed = Membership.objects.filter(collection=collection, day_key__in=day_keys(month, day, on_date))
    if at_most is None:
        return filed.count()
    # COUNT over a LIMIT subquery: the database stops reading the index after at_most rows.
    return filed.values_list("entry_id")[:at_most].count()


def _entries_statement(
    collection: Collection, keys: list[int], choice: str | None, page_number: int | None, line_variant: str | None
) -> tuple[str, list[Any]]:
    """The statement (and its parameters) that reads a day's entries in date order: all of them, or
    page ``page_number``'s and one more, to know whether another follows without counting them all.

    Under the collection's own policy, each day key's rows are read from the memberships' index in
    the page's order and at most as many as the page needs (``LIMIT`` offset + 101), so the first
    page costs 101 index rows and 101 entries however big the day is, and page N reads N × 100 + 1
    index rows, then its 101 entries; two keys (28 February with the 29th) are two such reads,
    merged by ``ORDER BY``. Under a calendar the reader chooses, the same reads come from the
    entries' index on that day key, each row kept when its entry is in the collection: bounded by
    the day's rows of all collections up to the page's end, not by the collection."""
    sql = _sql()
    offset = (page_number - 1) * PER_PAGE if page_number is not None else 0
    # Under the collection's policy, the memberships' index; under another calendar, the entries'
    # index on that calendar's day key. column: one of three fixed names (CHOICES), never the reader's text.
    column = None if choice is None else f"e.{choice}_key"
    params: list[Any] = []
    if page_number is None:
        if column is None:
            source = sql["filed_all"].format(keys=_marks(keys))
            params += [collection.pk, *keys]
        else:
            source = sql["chosen_all"].format(key=column, keys=_marks(keys))
            params += [*keys, collection.pk]
    else:
        if column is None:
            merged = " UNION ALL ".join(sql["filed_page"].format(n=n) for n in range(len(keys)))
            for key in keys:
                params += [collection.pk, key, offset + PER_PAGE + 1]
        else:
            merged = " UNION ALL ".join(sql["chosen_page"].format(key=column, n=n) for n in range(len(keys)))
            for key in keys:
                params += [key, collection.pk, offset + PER_PAGE + 1]
        # The page's keys are chosen before any entry is read: a later page skips index rows alone.
        source = sql["filed_merged"].format(merged=merged)
        params += [PER_PAGE + 1, offset]
    statement = sql["filed" if line_variant is None else "filed_lines"].format(source=source)
    return statement, params + ([] if line_variant is None else [line_variant])


def build_day(
    collection: Collection,
    month: int,
    day: int,
    choice: str | None = None,
    on_date: dt.date | None = None,
    year: int | None = None,
    page_number: int | None = None,
    line_variant: str | None = None,
    fragment_keys: Callable[[list[Article]], list[str]] | None = None,
) -> DayPage:
    """Assemble a day page. ``on_date`` is set for today's page: then, in a non-leap year,
    28 February also lists the 29 February entries (``HODIE_LEAP_DAY_ON_FEB28``). Moving holidays
    are computed for ``year``, else the year of ``on_date`` or of today. ``page_number`` (from 1)
    shows :data:`PER_PAGE` entries of a big day; None shows them all (the API, feeds, the CLI).
    ``line_variant`` reads each entry's stored line in that variant with it, as ``entry._line``
    (head, tail, JSON-LD event), or None when none is stored yet (see :mod:`hodie.almanac.lines`);
    then people, places and tags are read only for the entries without one. The collection's
    moving-holiday rules come from a stored fragment, read in one statement with the fragments
    ``fragment_keys(articles)`` names (the articles' leads, the comment block), kept as
    ``page.fragments``."""
    keys = day_keys(month, day, on_date)
    if choice is not None and choice not in CHOICES:
        raise InvalidDate(f"Unknown calendar choice {choice!r}; use one of {', '.join(CHOICES)}")
    sql = _sql()
    rows = _rows(*_entries_statement(collection, keys, choice, page_number, line_variant))
    names = sql["entry_names"]
    if line_variant is None:
        entries = [_from_row(Entry, names, row) for row in rows]
    else:
        width = len(names)
        entries = []
        for row in rows:
            entry = _from_row(Entry, names, row[:width])
            entry._line = None if row[width] is None else row[width:]  # type: ignore[attr-defined]
            entries.append(entry)
    has_next = page_number is not None and len(entries) > PER_PAGE
    entries = entries[:PER_PAGE] if has_next else entries
    by_id = {entry.pk: entry for entry in entries}
    people: dict[int, list[Person]] = {pk: [] for pk in by_id}
    tags: dict[int, list[Tag]] = {pk: [] for pk in by_id}
    places: dict[int, list[Place]] = {pk: [] for pk in by_id}  # JSON-LD's location
    articles: list[Article] = []
    told_in: dict[int, Article] = {}
    if by_id:
        ids = list(by_id)
        marks = _marks(ids)
        # With stored lines, only the entries without one need their people, places and tags.
        named = [pk for pk, e in by_id.items() if getattr(e, "_line", None) is None] if line_variant else ids
        found = _rows(sql["named"].format(ids=_marks(named)), named * 3) if named else []
        for entry_id, kind, pk, name, slug, description, language, translations in found:
            row = {"id": pk, "name": name, "slug": slug, "description": description, "language": language}
            row["translations"] = translations
            if kind == 1:
                tags[entry_id].append(_named(Tag, row))
            elif kind == 2:
                places[entry_id].append(_named(Place, row))
            else:
                people[entry_id].append(_named(Person, row))
        shown: dict[int, Article] = {}
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        width, partners = len(sql["article_names"]), {}  # type: dict[int, Any]
        for entry_id, *row in _rows(sql["articles"].format(ids=marks), [*ids, now]):
            article = shown.get(row[0])
            if article is None:
                article = shown[row[0]] = _from_row(Article, sql["article_names"], row[:width])
                if article.partner_id is not None and article.partner_id not in partners:
                    model = sql["partner_model"]
                    partners[article.partner_id] = model.from_db("default", sql["partner_names"], row[width:])
                Article.partner.field.set_cached_value(article, partners.get(article.partner_id))
                articles.append(article)
            told_in.setdefault(entry_id, article)
    for entry in entries:
        entry._prefetched_objects_cache = {}
        if line_variant and entry._line is not None:  # type: ignore[attr-defined]
            continue  # not read: entry.people.all() and the like would query (nothing on the page does)
        _prefetched(entry, "people", Person, people[entry.pk])
        _prefetched(entry, "tags", Tag, tags[entry.pk])
        _prefetched(entry, "places", Place, places[entry.pk])
    year = year or (on_date or today()).year
    stored = fragments.read([fragments.rules_key(collection.pk), *(fragment_keys(articles) if fragment_keys else [])])
    moving = moving_holidays(collection, month, day, year, stored)
    page = DayPage(collection, month, day, on_date is not None, choice, entries, articles, year, moving, told_in)
    page.page_number, page.has_next, page.fragments = page_number or 1, has_next, stored
    return page


def moving_holidays(
    collection: Collection, month: int, day: int, year: int, stored: dict[str, tuple[str, str]] | None = None
) -> list[HolidayRule]:
    """The collection's moving holidays (Easter-2, 03/SunSecond ...) that fall on this day in ``year``;
    its rules from ``stored`` fragments when they are there."""
    found = []
    if stored is None:
        stored = fragments.read([fragments.rules_key(collection.pk)])
    for rule in fragments.rules(collection.pk, stored):
        try:
            if parse_rule(rule.rule).on(year) == (month, day):
                found.append(rule)
        except HodieError:
            continue
    return found
