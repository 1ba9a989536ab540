"""Pages of entries keyed by the last entry shown (keyset, or "seek", pagination), so that the
10,000th page costs what the first does.

A listing of entries is in date order: the dated ones by ``(earliest_jdn, pk)``, then the undated
ones (no ``earliest_jdn``) by ``pk``. Both orders are read from ``earliest_jdn``'s index (in SQLite
it holds the id after the JDN; the undated are its NULL end), from the cursor on, ``size + 1`` rows at a time:
the one more says whether another page follows. The page before is read the same way, backwards,
keys alone. A page number is read with ``OFFSET``, which the database walks row by row (12 s of
CPU for page 5,000 of a tag of 1,000,000 entries: docs/benchmarks.md); a cursor seeks.

A cursor is the key of an entry, written ``<jdn>.<pk>`` (``2424567.81``; ``-1234.5`` before
4713 BC) or ``.<pk>`` for an undated one; ``?after=`` shows the entries that follow it. The order
is the same on SQLite and PostgreSQL, the undated last: it is never left to the database's own
rule for NULL (first on SQLite, last on PostgreSQL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from hodie.dates import HodieError

from .models import Entry

#: The numbered pages (``?page=N``) still answered: one ``OFFSET`` of at most this many pages of keys.
NUMBERED_PAGES = 50
CURSOR_PATTERN = r"^(-?[0-9]{1,12})?\.([0-9]{1,18})$"  # also the API's documented pattern


#: A set of at most this many entries (a small tag, a small collection) is read whole by its own
#: rows and sorted; a larger one is read in index order, testing each entry (see :func:`within`).
SMALL = 2000


class BadCursor(HodieError, ValueError):
    """A cursor that is not ``<jdn>.<pk>`` or ``.<pk>``."""


@dataclass(frozen=True)
class Cursor:
    """The key of one entry in listing order."""

    jdn: int | None
    pk: int

    @classmethod
    def parse(cls, text: str) -> Cursor:
        found = re.fullmatch(CURSOR_PATTERN, text, flags=re.ASCII)
        if found is None:
            raise BadCursor(
                f"{text[:40]!r} is not a cursor: it is <jdn>.<id> (2424567.81), or .<id> for an undated entry"
            )
        return cls(None if found[1] is None else int(found[1]), int(found[2]))

    @classmethod
    def of(cls, entry: Entry) -> Cursor:
        return cls(entry.earliest_jdn, entry.pk)

    def __str__(self) -> str:
        return f"{'' if self.jdn is None else self.jdn}.{self.pk}"


@dataclass
class Page:
    """``entries`` in listing order. ``next`` is the cursor of the page that follows (None on the
    last). ``has_previous`` says whether one precedes; ``previous`` is its cursor, None when it is
    the first page (the listing's own address, with no cursor)."""

    entries: list[Entry]
    next: Cursor | None
    has_previous: bool
    previous: Cursor | None


def within(links: QuerySet) -> QuerySet[Entry]:
    """The entries that ``links`` point to (rows with an ``entry`` foreign key: a tag's rows of the
    entry-tag table, a collection's memberships), written so that the database reads the fewest rows.

    Joined, as ``tag.entries`` is, SQLite reads all of a tag's rows and sorts them, even for the first
    50 of 1,000,000 (1.3 s; EXPLAIN in docs/benchmarks.md). Up to :data:`SMALL` that is the cheapest
    way, and a test of each entry would walk the whole index for a few. Past it, the entries are
    read in an index's order (``earliest_jdn``'s, ``entry_newest``), each tested by one lookup in the
    links' unique index, and reading stops at the page's end. Which is which costs one count of at
    most SMALL + 1 index rows."""
    if links[: SMALL + 1].count() <= SMALL:
        return Entry.objects.filter(pk__in=links.values("entry_id"))
    return Entry.objects.filter(Exists(links.filter(entry=OuterRef("pk"))))


def _dated(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.filter(earliest_jdn__isnull=False)


def _undated(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.filter(earliest_jdn__isnull=True)


def _forward(entries: QuerySet[Entry], after: Cursor | None, want: int) -> list[Entry]:
    """Up to ``want`` entries that follow ``after`` (from the first without it)."""
    found: list[Entry] = []
    if after is None or after.jdn is not None:
        dated = _dated(entries)
        if after is not None:
            # jdn >= a bounds the index range; the OR only drops the ties at a up to the cursor's id.
            dated = dated.filter(earliest_jdn__gte=after.jdn).filter(Q(earliest_jdn__gt=after.jdn) | Q(pk__gt=after.pk))
        found = list(dated.order_by("earliest_jdn", "pk")[:want])
        after = None
    if len(found) < want:
        undated = _undated(entries)
        if after is not None:
            undated = undated.filter(pk__gt=after.pk)
        found += undated.order_by("pk")[: want - len(found)]
    return found


def _backward(entries: QuerySet[Entry], before: Cursor, want: int) -> list[Entry]:
    """Up to ``want`` entries that precede ``before``, nearest first."""
    found: list[Entry] = []
    if before.jdn is None:
        found = list(_undated(entries).filter(pk__lt=before.pk).order_by("-pk")[:want])
        if len(found) == want:
            return found
        dated = _dated(entries)
    else:
        dated = _dated(entries).filter(earliest_jdn__lte=before.jdn)
        dated = dated.filter(Q(earliest_jdn__lt=before.jdn) | Q(pk__lt=before.pk))
    return found + list(dated.order_by("-earliest_jdn", "-pk")[: want - len(found)])


def page(entries: QuerySet[Entry], size: int, after: Cursor | None = None) -> Page:
    """The page of ``size`` entries after ``after`` (the first page without it), and the cursors
    of its neighbours: three index range reads at most, whatever the depth. Every page is named by
    an ``after`` cursor (or none), so each has one address, the one its neighbours link to."""
    found = _forward(entries, after, size + 1)
    shown = found[:size]
    following = Cursor.of(shown[-1]) if len(found) > size else None
    if after is None or not shown:
        return Page(shown, following, False, None)
    # The previous page is the ``size`` entries before this one's first; its own cursor is the key
    # of the entry before those, if there is one (else it is the first page). Keys only.
    keys = entries.only("pk", "earliest_jdn").prefetch_related(None)
    before = _backward(keys, Cursor.of(shown[0]), size + 1)
    previous = Cursor.of(before[size]) if len(before) > size else None
    return Page(shown, following, bool(before), previous)


def cursor_of_page(entries: QuerySet[Entry], number: int, size: int) -> Cursor | None:
    """The cursor whose ``after`` page is numbered page ``number`` (from 2): the key of the last
    entry of page ``number - 1``, read with one ``OFFSET`` over keys alone. None past the end.
    Only for old ``?page=N`` addresses, N at most :data:`NUMBERED_PAGES`: the cost grows with N."""
    if not 2 <= number <= NUMBERED_PAGES:
        raise ValueError(f"page {number} is not between 2 and {NUMBERED_PAGES}")
    at = (number - 1) * size - 1  # the last entry of page N - 1, then page N's first, if any
    dated = _dated(entries).order_by("earliest_jdn", "pk").values_list("earliest_jdn", "pk")
    keys = [Cursor(*key) for key in dated[at : at + 2]]
    if len(keys) < 2:
        # Fewer than at + 2 dated entries (so counting them is as bounded): the rest are undated.
        start = at + len(keys) - (at + 1 if keys else _dated(entries).count())
        undated = _undated(entries).order_by("pk").values_list("pk", flat=True)
        keys += [Cursor(None, pk) for pk in undated[start : start + 2 - len(keys)]]
    return keys[0] if len(keys) == 2 else None
