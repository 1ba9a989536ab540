"""The one place imported records are stored: idempotent on a stable source id, in one
transaction, so a run with a bad record stores nothing and a second run changes nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from hodie.dates import HodieError
from hodie.importers.records import EntryRecord, ImportProblem

from .models import Alias, Collection, Entry, Person, Place, Source, Tag


class ImportFailed(HodieError):
    def __init__(self, summary: ImportSummary) -> None:
        lines = [f"{p['where']}: {p['reason']}" for p in summary.errors[:50]]
        more = len(summary.errors) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more")
        super().__init__("Nothing was imported:\n" + "\n".join(lines))
        self.summary = summary


@dataclass
class ImportSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "skipped": self.skipped,
        }
        if self.errors:
            result["errors"] = self.errors
        if self.dry_run:
            result["dry_run"] = True
        return result


class _Rollback(Exception):
    pass


class Writer:
    def __init__(self, default_collection: Collection | None) -> None:
        self.default_collection = default_collection
        self.summary = ImportSummary()
        self._collections: dict[str, Collection] = {}
        self._people: dict[str, Person] = {}
        self._tags: dict[str, Tag] = {}
        self._places: dict[str, Place] = {}
        self._seen: set[str] = set()

    # ------------------------------------------------------------------ lookups
    def _collection(self, slug: str, where: str) -> Collection:
        if slug not in self._collections:
            found = Collection.objects.filter(slug=slug).first()
            if found is None:
                raise ImportProblem(where, f"no collection {slug!r}; create it first or pass --collection")
            self._collections[slug] = found
        return self._collections[slug]

    def _person(self, name: str) -> Person:
        key = name.casefold()
        if key not in self._people:
            found = Person.objects.filter(name__iexact=name).first()
            if found is None:
                alias = Alias.objects.filter(name__iexact=name).select_related("person").first()
                found = alias.person if alias else None
            if found is None:
                found = Person(name=name)
                found.save()
                self.summary.created["person"] += 1
            self._people[key] = found
        return self._people[key]

    def _tag(self, name: str) -> Tag:
        key = slugify(name) or name.casefold()
        if key not in self._tags:
            found = Tag.objects.filter(slug=key).first() or Tag.objects.filter(name__iexact=name).first()
            if found is None:
                found = Tag(name=name, slug=key if slugify(name) else "")
                found.save()
                self.summary.created["tag"] += 1
            self._tags[key] = found
        return self._tags[key]

    def _place(self, name: str) -> Place:
        key = name.casefold()
        if key not in self._places:
            found = Place.objects.filter(name__iexact=name).first()
            if found is None:
                found = Place(name=name)
                found.save()
                self.summary.created["place"] += 1
            self._places[key] = found
        return self._places[key]

    # ------------------------------------------------------------------ writing
    def write_entry(self, record: EntryRecord) -> None:
        stable = record.stable_id
        if stable in self._seen:
            self.summary.skipped.append({"where": record.where, "reason": f"duplicate of an earlier record ({stable})"})
            return
        self._seen.add(stable)
        slugs = record.collections or ((self.default_collection.slug,) if self.default_collection else ())
        if not slugs:
            raise ImportProblem(record.where, "no collection: pass --collection SLUG or give 'collections'")
        collections = [self._collection(slug, record.where) for slug in slugs]
        entry = Entry.objects.filter(source_id=stable).first()
        is_new = entry is None
        if entry is None:
            entry = Entry(source_id=stable)
        before = _snapshot(entry) if not is_new else None
        entry.title, entry.kind = record.title.strip(), record.kind
        entry.summary, entry.body, entry.featured = record.summary, record.body, record.featured
        entry.observance_month, entry.observance_day = record.observance or (None, None)
        try:
            entry.set_date(record.date, region=collections[0].region, calendar=record.calendar)
            entry.full_clean(exclude=["slug", "edtf", "calendar", "precision", "source_id"])
        except HodieError as err:
            raise ImportProblem(record.where, str(err)) from err
        except Exception as err:  # ValidationError from full_clean
            messages = getattr(err, "messages", None) or [str(err)]
            raise ImportProblem(record.where, "; ".join(messages)) from err
        entry.save()
        people = [self._person(name) for name in record.people]
        tags = [self._tag(name) for name in record.tags]
        places = [self._place(name) for name in record.places]
        entry.people.set(people)
        entry.tags.set(tags)
        entry.places.set(places)
        entry.join(collections)
        wanted_sources = [(s.url, s.title, s.publisher) for s in record.sources]
        if [(s.url, s.title, s.publisher) for s in entry.sources.order_by("pk")] != wanted_sources:
            entry.sources.all().delete()
            Source.objects.bulk_create([Source(entry=entry, url=u, title=t, publisher=p) for u, t, p in wanted_sources])
        after = _snapshot(entry)
        if is_new:
            self.summary.created["entry"] += 1
        elif before != after:
            self.summary.updated["entry"] += 1
        else:
            self.summary.unchanged["entry"] += 1


def _snapshot(entry: Entry) -> tuple:
    if entry.pk is None:
        return ()
    return (
        entry.title, entry.kind, entry.summary, entry.body, entry.featured, entry.edtf, entry.calendar,
        entry.observance_month, entry.observance_day,
        tuple(sorted(entry.people.values_list("pk", flat=True))),
        tuple(sorted(entry.tags.values_list("pk", flat=True))),
        tuple(sorted(entry.places.values_list("pk", flat=True))),
        tuple(sorted(entry.collections.values_list("pk", flat=True))),
        tuple(entry.sources.order_by("pk").values_list("url", "title", "publisher")),
    )  # fmt: skip


def import_records(
    items: Iterable[EntryRecord | ImportProblem],
    collection: Collection | None,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
) -> ImportSummary:
    """Store every record in one transaction. Any problem: nothing is stored and
    :class:`ImportFailed` lists every problem with its ``FILE:LINE``."""
    writer = Writer(collection)
    summary = writer.summary
    summary.dry_run = dry_run
    try:
        with transaction.atomic():
            for item in items:
                if progress:
                    progress()
                if isinstance(item, ImportProblem):
                    summary.errors.append({"where": item.where, "reason": item.reason})
                    continue
                try:
                    with transaction.atomic():
                        writer.write_entry(item)
                except ImportProblem as problem:
                    summary.errors.append({"where": problem.where, "reason": problem.reason})
            if summary.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if summary.errors:
        raise ImportFailed(summary)
    return summary
