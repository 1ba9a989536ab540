"""Entry lines rendered once and kept: a day page joins stored strings instead of rendering each
entry through the ``entry_line`` macro.

Profiling the day page (docs/benchmarks.md) showed the macro's per-entry work (the date
formatter, ``reverse()`` for the entry, people and tags, escaping, the summary's Markdown and nh3)
to be most of the request. A line's bytes depend only on the entry, its people and tags, and the
*variant*: the interface language, the reader's date order, the language of the entries' words, and
the code that renders a line. The first page that shows an entry in a variant renders its line
with the same macros every other page uses and stores it (:class:`EntryLine`); later pages read it
with the day's entries, in the same statement.

A line is the text before and after the "told in the article above" link, which belongs to the
page (which articles are published today), not to the entry.

Invalidation: a stored line is deleted when its entry is saved or deleted, when its people,
places or tags are relinked, and when one of those people, places or tags is saved or deleted.
The Wikimedia-shaped API keeps each entry's item here too (variants ``api:...``,
hodie/almanac/onthisday.py); an item also names the time of each of its people's newest entry, so
the items of every entry of a person are dropped when an entry of that person is saved, deleted,
linked or unlinked. The feeds keep each entry's item HTML here as well (variants ``feed:...``,
hodie/almanac/feeds.py), and the calendars each entry's event for their default years (variants
``ics:...``, hodie/almanac/ics.py); both depend on the entry alone.
The import writer's plain-SQL inserts make new entries only (no line yet); its updates go through
``Entry.save`` and the relations' ``set``, which send the signals below. A change to the code
that renders lines (the macro, the date core, the Markdown/nh3 filter, the translations) changes the
variant's digest, so lines of older code are never read (they stay until their entry changes, or
``clear_lines`` drops them all).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.template import engines
from django.urls import get_script_prefix
from markupsafe import Markup

from .models import Entry, EntryLine, Person, Place, Tag
from .stored import code_digest

HODIE = Path(__file__).resolve().parent.parent
# What a line's bytes are made by, besides the entry: a change to any of these is a new variant.
RENDERED_BY = [
    HODIE / "almanac" / "jinja2" / "almanac" / "_entry_line.html",
    HODIE / "almanac" / "markup.py",
    HODIE / "almanac" / "discovery.py",
    HODIE / "almanac" / "structured.py",
    HODIE / "almanac" / "models.py",
    HODIE / "site" / "jinja.py",
    *sorted((HODIE / "dates").glob("*.py")),
    *sorted((HODIE / "locale").glob("*/LC_MESSAGES/*.mo")),
]


def variant(language: str, os_first: bool, content_language: str, with_date: bool = False) -> str:
    """The key a stored line is kept under: ``en:0:ru:d:<digest>``."""
    dated = "d" if with_date else "-"
    return (
        f"{language}:{int(os_first)}:{content_language}:{dated}:{code_digest(tuple(RENDERED_BY), get_script_prefix())}"
    )


def _macros(preferences: dict[str, Any]) -> Any:
    """The line macros, bound to this request's preferences as a page importing them ``with
    context`` would bind them."""
    template = engines["jinja2"].env.get_template("almanac/_entry_line.html")  # type: ignore[attr-defined]
    bound = {name: preferences[name] for name in ("lang_attr", "os_first", "tr")}
    return template.make_module(bound)


def page_lines(
    entries: list[Entry],
    told_in: dict[int, Any],
    preferences: dict[str, Any],
    content_language: str,
    key: str,
    with_date: bool = False,
    with_events: bool = True,
) -> tuple[dict[int, Markup], dict[int, dict[str, Any]]]:
    """Each entry's whole line by its pk, and (``with_events``, a day page) its JSON-LD Event with
    relative addresses (:func:`hodie.almanac.discovery.event_data`). ``entry._line`` is the stored
    (head, tail, event) read with the entries (:func:`hodie.almanac.days.build_day` with
    ``line_variant``), or None: those lines are rendered here, from the entries' people, places and
    tags, and stored under ``key``."""
    from .discovery import event_data

    macros = None
    lines: dict[int, Markup] = {}
    events: dict[int, dict[str, Any]] = {}
    fresh: list[EntryLine] = []
    language = preferences["interface_language"]
    for entry in entries:
        stored = getattr(entry, "_line", None)
        if stored is None:
            macros = macros or _macros(preferences)
            head = str(macros.entry_head(entry, language, with_date))
            tail = str(macros.entry_tail(entry))
            event = event_data(entry, language) if with_events else None
            kept = json.dumps(event, ensure_ascii=False) if event else ""
            fresh.append(EntryLine(entry_id=entry.pk, variant=key, head=head, tail=tail, event=kept))
        else:
            head, tail, kept = stored
            event = json.loads(kept) if with_events and kept else None
        if event is not None:
            events[entry.pk] = event
        told = told_in.get(entry.pk)
        if told is not None:
            macros = macros or _macros(preferences)
            head += str(macros.entry_told(told))
        lines[entry.pk] = Markup(head + tail)  # noqa: S704 - rendered by the autoescaping macros
    if fresh:
        _store(fresh)
    return lines, events


def listing_lines(entries: list[Entry], preferences: dict[str, Any]) -> dict[int, Markup]:
    """The lines of a tag's, person's or place's page (each with its whole date): the stored
    ones in one query; the people and tags of the rest are read only when some are missing."""
    key = variant(preferences["interface_language"], preferences["os_first"], "", with_date=True)
    stored = {
        pk: (head, tail, "")
        for pk, head, tail in EntryLine.objects.filter(entry_id__in=[e.pk for e in entries], variant=key)
        .values_list("entry_id", "head", "tail")
        .iterator()
    }
    for entry in entries:
        entry._line = stored.get(entry.pk)  # type: ignore[attr-defined]
    missing = [entry for entry in entries if entry._line is None]  # type: ignore[attr-defined]
    if missing:
        prefetch_related_objects(missing, "people", "tags")
    return page_lines(entries, {}, preferences, "", key, with_date=True, with_events=False)[0]


def _store(fresh: list[EntryLine], replacing: list[int] | None = None) -> None:
    """Keep newly rendered lines. Two readers may render the same line at once (the second insert is
    ignored); a database that cannot take the write at once (SQLite's lock, held by an import) only
    means the line is rendered again next time: a reader is answered either way, and never waits.
    ``replacing``: entries whose stored row of that variant is older than the entry, dropped first."""
    try:
        with _without_waiting(), transaction.atomic():
            if replacing:
                variants = {line.variant for line in fresh}
                EntryLine.objects.filter(entry_id__in=replacing, variant__in=variants).delete()
            EntryLine.objects.bulk_create(fresh, ignore_conflicts=True)
    except DatabaseError:
        pass


def kept_items(entries: list[Entry], variant: str, make: Any) -> dict[int, str]:
    """Each entry's item of ``variant`` (a feed's HTML, a calendar's event): the stored one, else
    ``make(entry)``, then stored. A stored item carries the time of the entry it was made from: an
    item made from rows read before an edit and stored after it (a calendar streamed to a slow
    client) is older than its entry, and is made and stored again rather than shown."""
    stamps = {entry.pk: entry.updated.isoformat() if entry.updated else "" for entry in entries}
    rows = EntryLine.objects.filter(entry_id__in=list(stamps), variant=variant)
    found = list(rows.values_list("entry_id", "head", "tail"))
    items = {pk: head for pk, head, stamp in found if stamp == stamps[pk]}
    stale = [pk for pk, _, stamp in found if stamp != stamps[pk]]
    fresh = []
    for entry in entries:
        if entry.pk not in items:
            items[entry.pk] = make(entry)
            fresh.append(EntryLine(entry_id=entry.pk, variant=variant, head=items[entry.pk], tail=stamps[entry.pk]))
    if fresh:
        _store(fresh, stale)
    return items


@contextmanager
def _without_waiting() -> Iterator[None]:
    """SQLite waits up to its busy timeout for the write lock; storing a line is not worth a
    reader's wait, so it asks once (timeout 0) and gives up. Other databases take the rows at once."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")


def forget(entry_ids) -> None:
    """Drop the stored lines of these entries (any variant)."""
    ids = list(entry_ids)
    if ids:
        EntryLine.objects.filter(entry_id__in=ids).delete()


def clear_lines() -> int:
    """Drop every stored line (after a deploy, to reclaim the rows of older code's variants)."""
    count, _ = EntryLine.objects.all().delete()
    return count


def forget_items_of_people(people) -> None:
    """Drop the stored API items (hodie/almanac/onthisday.py, variants ``api:...``) of every entry
    of these people: each item's page summary of a person carries the time of the person's newest
    entry, which an entry saved, deleted or (un)linked changes."""
    people = list(people)
    if people:
        EntryLine.objects.filter(variant__startswith="api:", entry__people__in=people).delete()


def _entry_saved(sender: Any, instance: Entry, raw: bool = False, **_: Any) -> None:
    forget([instance.pk])
    forget_items_of_people(Person.objects.filter(entries=instance).values_list("pk", flat=True))


def _entry_deleted(sender: Any, instance: Entry, **_: Any) -> None:
    forget_items_of_people(Person.objects.filter(entries=instance).values_list("pk", flat=True))


def _named_changed(sender: Any, instance: Any, created: bool = False, raw: bool = False, **_: Any) -> None:
    """A person, place or tag renamed (or re-slugged, or deleted) changes every line it is on."""
    if created:
        return  # linked to nothing yet
    forget(instance.entries.values_list("pk", flat=True))


def _relinked(sender: Any, instance: Any, action: str, reverse: bool, pk_set: set | None, **_: Any) -> None:
    """``entry.tags.set(...)`` and the like, from either side. Before a clear the links are
    still there to be read; after an add or remove ``pk_set`` names the other side."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if sender is Entry.people.through:  # the people's newest entries move: their API items with them
        if reverse:  # person.entries.add(...), remove or clear: the person is the instance
            forget_items_of_people([instance.pk])
        elif action == "pre_clear":  # entry.people.clear(): its people, while still linked
            forget_items_of_people(instance.people.values_list("pk", flat=True))
        else:
            forget_items_of_people(pk_set or ())
    if not reverse:
        forget([instance.pk])
    elif action == "pre_clear":
        forget(instance.entries.values_list("pk", flat=True))
    else:
        forget(pk_set or ())


def connect() -> None:
    uid = "hodie.lines"
    post_save.connect(_entry_saved, sender=Entry, dispatch_uid=f"{uid}.entry.save")
    # An entry's lines go with it (ON DELETE CASCADE); its people's API items are dropped first.
    pre_delete.connect(_entry_deleted, sender=Entry, dispatch_uid=f"{uid}.entry.delete")
    for model in (Person, Place, Tag):
        name = model.__name__
        post_save.connect(_named_changed, sender=model, dispatch_uid=f"{uid}.{name}.save")
        pre_delete.connect(_named_changed, sender=model, dispatch_uid=f"{uid}.{name}.delete")
    for field in ("people", "places", "tags"):
        through = getattr(Entry, field).through
        m2m_changed.connect(_relinked, sender=through, dispatch_uid=f"{uid}.{field}.m2m")
