"""Entries, written in batches: a batch's new entries are inserted in plain SQL (with their
memberships, people, tags, places and sources), an entry whose record is unchanged since the last
import (the same ``import_hash``) is left alone, and only a changed entry takes the slower path
that updates it in place."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from hodie.almanac.models import Collection, Entry, Membership, Source
from hodie.dates import HodieError, InvalidDate, check_month_day, filing, filing_key, parse_date
from hodie.importers.records import EntryRecord, ImportProblem

from .base import WriterBase, check_web_url
from .hashing import record_hash
from .rows import entry_fields, entry_row, insert_rows, select_pairs, update_fields

BATCH = 2000
Prepared = tuple[EntryRecord, list[Collection], Any, str]  # the record, its collections, date and hash


def _check_sources(record: EntryRecord) -> None:
    for source in record.sources:
        check_web_url(record.where, "source URL", source.url, " (a DOI is written https://doi.org/...)")


def _check_language(record: EntryRecord, collections: list[Collection]) -> None:
    """A record without ``language`` is in its first collection's; it cannot be translated into that."""
    language = record.language or collections[0].language
    if any(code == language for code, _texts in record.translations):
        raise ImportProblem(record.where, f"a translation into {language!r} of a text written in {language!r}")


class EntryWriting(WriterBase):
    def _first_entries(self, records: list[EntryRecord]) -> list[EntryRecord]:
        """The records whose entry this run has not met yet; the others are skipped as duplicates.

        The ids met so far live in a temporary table rather than a Python set, so that memory stays
        flat however long the input is (a million ids in a set take some 150 MiB)."""
        table = "hodie_import_seen"
        with connection.cursor() as cursor:
            if not self._seen_table:
                cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} (stable_id TEXT PRIMARY KEY)")
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own name
                self._seen_table = True
            ids = list(dict.fromkeys(r.stable_id for r in records))
            select = f"SELECT stable_id FROM {table} WHERE stable_id IN (%s)"  # noqa: S608 - our own name
            seen = {row[0] for row in select_pairs(cursor, select, ids)}
            first = []
            for record in records:
                if record.stable_id in seen:
                    self.summary.skip(record.where, "entry", f"duplicate of an earlier record ({record.stable_id})")
                else:
                    seen.add(record.stable_id)
                    first.append(record)
            cursor.executemany(f"INSERT INTO {table} (stable_id) VALUES (%s)", [(r.stable_id,) for r in first])  # noqa: S608
        return first

    def add_entry(self, record: EntryRecord) -> None:
        self._entry_batch.append(record)
        if len(self._entry_batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        batch, self._entry_batch = self._entry_batch, []
        if not batch:
            return
        prepared: list[Prepared] = []
        for record in self._first_entries(batch):
            try:
                collections = self._collections_for(record.collections, record.where)
                date = parse_date(record.date, region=collections[0].region, calendar=record.calendar)  # type: ignore[arg-type]
                if any(abs(bound) >= 2**62 for bound in (date.earliest, date.latest) if bound is not None):
                    raise InvalidDate(f"{record.date!r} lies too far away to store (years beyond ±10^15)")
                if record.observance:
                    check_month_day(*record.observance)
                _check_sources(record)
                _check_language(record, collections)
            except HodieError as err:
                self.summary.fail(record.where, err)
                continue
            digest = record_hash(record, *(c.slug for c in collections))
            prepared.append((record, collections, date, digest))
        if self.summary.errors or not prepared:
            return  # nothing will be kept: only go on checking the rest of the input
        with connection.cursor() as cursor:
            existing = {
                source_id: (pk, digest)
                for source_id, pk, digest in select_pairs(
                    cursor,
                    f"SELECT source_id, id, import_hash FROM {Entry._meta.db_table} WHERE source_id IN (%s)",  # noqa: S608
                    [record.stable_id for record, *_ in prepared],
                )
            }
        new = []
        for record, collections, date, digest in prepared:
            found = existing.get(record.stable_id)
            if found is None:
                new.append((record, collections, date, digest))
            elif found[1] == digest:
                self.summary.unchanged["entry"] += 1
            else:
                self._guarded(record.where, lambda r=record, c=collections, d=digest: self.update_entry(r, c, d))
        if new:
            self._insert_entries(new)

    def _slugs(self, new: list[Prepared], filings: list[Any]) -> list[str]:
        """Each new entry's slug: the record's, else made from its year and title; one already
        taken gets a suffix from the record's id."""
        wanted = [
            record.slug or slugify(f"{f.year or ''} {record.title.strip()[:300]}")[:80].strip("-") or "entry"
            for (record, *_), f in zip(new, filings, strict=True)
        ]
        with connection.cursor() as cursor:
            select = f"SELECT slug FROM {Entry._meta.db_table} WHERE slug IN (%s)"  # noqa: S608
            taken = {row[0] for row in select_pairs(cursor, select, wanted)}
        slugs = []
        for (record, *_), slug in zip(new, wanted, strict=True):
            if slug in taken:
                suffix = hashlib.sha1(record.stable_id.encode()).hexdigest()  # noqa: S324
                candidate, n = f"{slug[:80]}-{suffix[:6]}", 6
                while candidate in taken or Entry.objects.filter(slug=candidate).exists():
                    n += 2
                    candidate = f"{slug[:80]}-{suffix[:n]}"
                slug = candidate
            taken.add(slug)
            slugs.append(slug)
        return slugs

    def _insert_entries(self, new: list[Prepared]) -> None:
        filings = [filing(date, record.observance) for record, _, date, _ in new]
        # One microsecond apart, in the order read: "created" orders a batch as its file does, and
        # feeds' atom:updated tell its entries apart (the W3C validator flags equal ones).
        now = timezone.now()
        rows = [
            entry_row(
                entry_fields(record, date, digest, collections[0].language),
                f,
                slug,
                record.stable_id,
                connection.ops.adapt_datetimefield_value(now + dt.timedelta(microseconds=number)),
            )
            for number, ((record, collections, date, digest), f, slug) in enumerate(
                zip(new, filings, self._slugs(new, filings), strict=True)
            )
        ]
        pks = insert_rows(rows)
        memberships: list[tuple[Any, ...]] = []
        people: list[Any] = []
        tags: list[Any] = []
        places: list[Any] = []
        sources: list[Source] = []
        lookups = self.lookups
        for (record, collections, _, _), f in zip(new, filings, strict=True):
            pk = pks[record.stable_id]
            for collection in dict.fromkeys(collections):
                key = filing_key(f, record.policy or collection.anniversary_policy)
                memberships.append((collection.pk, pk, key, f.earliest))  # the day, and its order (Membership)
            if record.people:
                people += [
                    Entry.people.through(entry_id=pk, person_id=lookups.person(n).pk)
                    for n in dict.fromkeys(record.people)
                ]
            if record.tags:
                tags += [Entry.tags.through(entry_id=pk, tag_id=lookups.tag(n).pk) for n in dict.fromkeys(record.tags)]
            if record.places:
                places += [
                    Entry.places.through(entry_id=pk, place_id=lookups.place(n).pk)
                    for n in dict.fromkeys(record.places)
                ]
            sources += [Source(entry_id=pk, url=s.url, title=s.title, publisher=s.publisher) for s in record.sources]
        table = connection.ops.quote_name(Membership._meta.db_table)
        sql = f"INSERT INTO {table} (collection_id, entry_id, day_key, entry_jdn) VALUES (%s, %s, %s, %s)"  # noqa: S608 - our names
        with connection.cursor() as cursor:
            cursor.executemany(sql, memberships)
        for through, links in ((Entry.people.through, people), (Entry.tags.through, tags),
                               (Entry.places.through, places)):  # fmt: skip
            if links:
                through.objects.bulk_create(links, ignore_conflicts=True)
        if sources:
            Source.objects.bulk_create(sources)
        self.summary.created["entry"] += len(rows)

    def update_entry(self, record: EntryRecord, collections: list[Collection], digest: str) -> Entry:
        entry = Entry.objects.get(source_id=record.stable_id)
        date = parse_date(record.date, region=collections[0].region, calendar=record.calendar)  # type: ignore[arg-type]
        update_fields(entry, entry_fields(record, date, digest, collections[0].language), date)
        entry.full_clean(exclude=["slug", "edtf", "calendar", "precision", "source_id", "date_text"])
        entry.save()
        entry.people.set([self.lookups.person(name) for name in record.people])
        entry.tags.set([self.lookups.tag(name) for name in record.tags])
        entry.places.set([self.lookups.place(name) for name in record.places])
        entry.join(collections)
        wanted = [(s.url, s.title, s.publisher) for s in record.sources]
        if [(s.url, s.title, s.publisher) for s in entry.sources.order_by("pk")] != wanted:
            entry.sources.all().delete()
            Source.objects.bulk_create([Source(entry=entry, url=u, title=t, publisher=p) for u, t, p in wanted])
        self.summary.updated["entry"] += 1
        return entry

    def entry_now(self, record: EntryRecord) -> Entry | None:
        """Store one entry at once (an article's entries); None when the input already failed."""
        if not self._first_entries([record]):
            return Entry.objects.filter(source_id=record.stable_id).first()
        _check_sources(record)
        collections = self._collections_for(record.collections, record.where)
        _check_language(record, collections)
        date = parse_date(record.date, region=collections[0].region, calendar=record.calendar)  # type: ignore[arg-type]
        digest = record_hash(record, *(c.slug for c in collections))
        found = Entry.objects.filter(source_id=record.stable_id).values_list("import_hash", flat=True).first()
        if found is None:
            self._insert_entries([(record, collections, date, digest)])
        elif found == digest:
            self.summary.unchanged["entry"] += 1
        else:
            self.update_entry(record, collections, digest)
        return Entry.objects.get(source_id=record.stable_id)
