"""Day pages: which entries and articles belong on a collection's day."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from hodie.dates import HodieError, InvalidDate, check_month_day, day_key, format_day
from hodie.dates.names import EN_MONTHS
from hodie.dates.recurring import parse_rule

from . import day_sql, fragments
from .models import Article, Collection, Entry, HolidayRule, Membership, Person, Place, Tag
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


def all_collections() -> list[Collection]:
    """Every collection, by title, in one query (a day page needs the one it shows and the others)."""
    sql = day_sql.statements()
    return [day_sql.from_row(Collection, sql["collection_names"], row) for row in day_sql.rows(sql["collections"], [])]


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
    sql = day_sql.statements()
    offset = (page_number - 1) * PER_PAGE if page_number is not None else 0
    # Under the collection's policy, the memberships' index; under another calendar, the entries'
    # index on that calendar's day key. column: one of three fixed names (CHOICES), never the reader's text.
    column = None if choice is None else f"e.{choice}_key"
    params: list[Any] = []
    if page_number is None:
        if column is None:
            source = sql["filed_all"].format(keys=day_sql.marks(keys))
            params += [collection.pk, *keys]
        else:
            source = sql["chosen_all"].format(key=column, keys=day_sql.marks(keys))
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
    sql = day_sql.statements()
    rows = day_sql.rows(*_entries_statement(collection, keys, choice, page_number, line_variant))
    names = sql["entry_names"]
    if line_variant is None:
        entries = [day_sql.from_row(Entry, names, row) for row in rows]
    else:
        width = len(names)
        entries = []
        for row in rows:
            entry = day_sql.from_row(Entry, names, row[:width])
            entry._line = None if row[width] is None else row[width:]  # type: ignore[attr-defined]
            entries.append(entry)
    has_next = page_number is not None and len(entries) > PER_PAGE
    entries = entries[:PER_PAGE] if has_next else entries
    by_id = {entry.pk: entry for entry in entries}
    people: dict[int, list[Person]] = {}
    tags: dict[int, list[Tag]] = {}
    places: dict[int, list[Place]] = {}  # JSON-LD's location
    articles: list[Article] = []
    told_in: dict[int, Article] = {}
    if by_id:
        ids = list(by_id)
        # With stored lines, only the entries without one need their people, places and tags.
        named = [pk for pk, e in by_id.items() if getattr(e, "_line", None) is None] if line_variant else ids
        people, tags, places = day_sql.named_of(named)
        articles, pairs = day_sql.told(ids)
        for entry_id, article in pairs:
            told_in.setdefault(entry_id, article)
    for entry in entries:
        entry._prefetched_objects_cache = {}
        if line_variant and entry._line is not None:  # type: ignore[attr-defined]
            continue  # not read: entry.people.all() and the like would query (nothing on the page does)
        day_sql.prefetched(entry, "people", Person, people[entry.pk])
        day_sql.prefetched(entry, "tags", Tag, tags[entry.pk])
        day_sql.prefetched(entry, "places", Place, places[entry.pk])
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
