"""The one place imported records are stored: idempotent on a stable source id, in one
transaction, so a run with a bad record stores nothing and a second run changes nothing.

Entries are written in batches: a batch's new entries are inserted with ``bulk_create`` (with their
memberships, people, tags, places and sources), an entry whose record is unchanged since the last
import (the same ``import_hash``) is left alone, and only a changed entry takes the slower path
that updates it in place. An editor's change in the admin is therefore kept when the same file is
imported again; a changed record in the file wins over it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from hodie.dates import Filing, HodieError, check_month_day, filing, parse_date
from hodie.importers.html import clean_html, is_web_url
from hodie.importers.records import (
    ArticleRecord,
    AuthorRecord,
    CommentRecord,
    EntryRecord,
    HolidayRuleRecord,
    ImportProblem,
    Item,
    ObjectRecord,
    Skipped,
)

from .models import (
    Alias,
    Article,
    Author,
    Collection,
    Comment,
    Entry,
    HolidayRule,
    Membership,
    Partner,
    Person,
    Place,
    Source,
    Tag,
    unique_slug,
)
from .search import entries_indexed_afterwards

BATCH = 2000
IMPORT_CACHE_KIB = 32 * 1024


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

    def skip(self, where: str, kind: str, reason: str) -> None:
        self.skipped.append({"where": where, "kind": kind, "reason": reason})

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "skipped": self.skipped,
            "skipped_by_kind": dict(Counter(s["kind"] for s in self.skipped)),
        }
        if self.errors:
            result["errors"] = self.errors
        if self.dry_run:
            result["dry_run"] = True
        return result


class _Rollback(Exception):
    pass


_PLAIN = frozenset((str, int, bool, float, type(None)))


def _strip(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(_strip(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "where")
    if isinstance(value, tuple):
        return tuple(_strip(v) for v in value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


_HASHED: dict[type, Callable[[Any], tuple[Any, ...]]] = {}  # a record type's fields but ``where``


def record_hash(record: Any, *context: str) -> str:
    """What a record says, apart from where it was read: equal hashes mean nothing to update.

    ``repr`` of the fields (frozen dataclasses, tuples, strings, aware datetimes) is deterministic
    and several times faster than ``dataclasses.asdict`` on a million records; plain values and
    tuples of strings, nearly all of an entry, are taken as they are without a recursive call."""
    kind = type(record)
    if kind not in _HASHED:
        names = [f.name for f in dataclasses.fields(record) if f.name != "where"]
        getter = attrgetter(*names)
        _HASHED[kind] = getter if len(names) > 1 else lambda r: (getter(r),)
    values = _HASHED[kind](record)
    stripped = [
        value
        if type(value) in _PLAIN or (type(value) is tuple and all(type(v) is str for v in value))
        else _strip(value)
        for value in values
    ]
    text = repr((tuple(stripped), context))
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - change detection, not security


# The columns of an inserted entry, in the order of _entry_row's tuple (a test checks that they are
# every column of the model but its key).
ENTRY_COLUMNS = (
    "kind", "title", "slug", "summary", "body", "featured", "date_text", "edtf", "calendar", "precision",
    "earliest_jdn", "latest_jdn", "year", "standard_key", "julian_key", "observance_key", "observance_month",
    "observance_day", "policy", "source_id", "created", "updated", "import_hash", "needs_review",
)  # fmt: skip
_KEY_OF_POLICY = {"standard": 0, "julian": 1, "observance": 2}


def _select_pairs(cursor: Any, sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
    """All rows of ``sql`` (whose ``IN (%s)`` takes ``values``), 900 values a query: SQLite's oldest
    builds allow 999 parameters. Plain SQL: the ORM compiles each value of an ``__in`` lookup,
    which cost more than the query itself on large imports."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(values), 900):
        chunk = values[start : start + 900]
        cursor.execute(sql.replace("%s", ", ".join(["%s"] * len(chunk)), 1), chunk)
        rows += cursor.fetchall()
    return rows


def _insert_rows(rows: list[tuple[Any, ...]]) -> dict[str, int]:
    """Insert new entries (tuples in ``ENTRY_COLUMNS`` order) with one ``executemany`` (Django's
    bulk_create spends most of its time compiling SQL per object at this scale) and return their
    primary keys by source id.

    On SQLite the full-text rows of the batch are written afterwards in one statement (see
    ``entries_indexed_afterwards``)."""
    quote = connection.ops.quote_name
    table = quote(Entry._meta.db_table)
    columns = ", ".join(quote(Entry._meta.get_field(name).column) for name in ENTRY_COLUMNS)
    marks = ", ".join(["%s"] * len(ENTRY_COLUMNS))
    source_id = ENTRY_COLUMNS.index("source_id")
    with connection.cursor() as cursor, entries_indexed_afterwards(cursor) as indexed:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - our own names
        select = f"SELECT source_id, id FROM {table} WHERE source_id IN (%s)"  # noqa: S608
        found = dict(_select_pairs(cursor, select, [row[source_id] for row in rows]))
        indexed += found.values()
    return found


def check_web_url(where: str, label: str, url: str, hint: str = "") -> None:
    """Refuse a link that is not an http(s) address: pages make a link of it, and a
    ``javascript:`` or ``data:`` one would run in the reader's browser."""
    if url and not is_web_url(url):
        raise ImportProblem(where, f"{label} {url[:100]!r} is not an http(s) address{hint}")


def _check_sources(record: EntryRecord) -> None:
    for source in record.sources:
        check_web_url(record.where, "source URL", source.url, " (a DOI is written https://doi.org/...)")


def _problem(where: str, err: Exception) -> ImportProblem:
    if isinstance(err, ImportProblem):
        return err
    if isinstance(err, ValidationError) and hasattr(err, "error_dict"):  # a model's full_clean: name the fields
        messages = [f"{name}: {' '.join(errors)}" for name, errors in err.message_dict.items()]
        return ImportProblem(where, "; ".join(messages))
    messages = getattr(err, "messages", None) or [str(err)]
    return ImportProblem(where, "; ".join(messages))


class Writer:
    def __init__(self, default_collection: Collection | None, partner: Partner | None = None) -> None:
        self.default_collection = default_collection
        self.partner = partner
        self.summary = ImportSummary()
        self._collections: dict[str, Collection] = {}
        self._people: dict[str, Person] = {}
        self._tags: dict[str, Tag] = {}
        self._places: dict[str, Place] = {}
        self._authors: dict[str, Author] = {}
        self._author_names: dict[str, str] = {}
        self._partners: dict[str, Partner] = {}
        self._seen: set[tuple[str, str]] = set()  # all but entries, which are few per run
        self._seen_table = False
        self._entry_batch: list[EntryRecord] = []
        self._comments: list[CommentRecord] = []
        self._articles: dict[str, Article] = {}

    # ------------------------------------------------------------------ lookups
    def _collection(self, slug: str, where: str) -> Collection:
        if slug not in self._collections:
            found = Collection.objects.filter(slug=slug).first()
            if found is None:
                raise ImportProblem(where, f"no collection {slug!r}; create it first or pass --collection")
            self._collections[slug] = found
        return self._collections[slug]

    def _collections_for(self, slugs: tuple[str, ...], where: str) -> list[Collection]:
        slugs = slugs or ((self.default_collection.slug,) if self.default_collection else ())
        if not slugs:
            raise ImportProblem(where, "no collection: pass --collection SLUG or give 'collections'")
        return [self._collection(slug, where) for slug in slugs]

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
        # The slug as stored (cut at the column's 100 characters): two long names that differ only
        # past that point are one tag, not a unique-constraint failure that stops the import.
        slug = slugify(name)[:100]
        key = slug or name.casefold()
        if key not in self._tags:
            found = (Tag.objects.filter(slug=slug).first() if slug else None) or Tag.objects.filter(
                name__iexact=name[:100]
            ).first()
            if found is None:
                found = Tag(name=name[:100], slug=slug)
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

    def _author(self, name_or_login: str) -> Author:
        name = self._author_names.get(name_or_login, name_or_login)
        if name not in self._authors:
            found = Author.objects.filter(name=name).first()
            if found is None:
                found = Author.objects.create(name=name[:200])
                self.summary.created["author"] += 1
            self._authors[name] = found
        return self._authors[name]

    def _partner(self, name: str) -> Partner:
        if name not in self._partners:
            found = Partner.objects.filter(name=name).first() or Partner.objects.filter(slug=slugify(name)).first()
            if found is None:
                found = Partner.objects.create(name=name, slug=unique_slug(Partner, name))
                self.summary.created["partner"] += 1
            self._partners[name] = found
        return self._partners[name]

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
            seen = {row[0] for row in _select_pairs(cursor, select, ids)}
            first = []
            for record in records:
                if record.stable_id in seen:
                    self.summary.skip(record.where, "entry", f"duplicate of an earlier record ({record.stable_id})")
                else:
                    seen.add(record.stable_id)
                    first.append(record)
            cursor.executemany(f"INSERT INTO {table} (stable_id) VALUES (%s)", [(r.stable_id,) for r in first])  # noqa: S608
        return first

    def _first_time(self, kind: str, stable: str, where: str) -> bool:
        if (kind, stable) in self._seen:
            self.summary.skip(where, kind, f"duplicate of an earlier record ({stable})")
            return False
        self._seen.add((kind, stable))
        return True

    # ------------------------------------------------------------------ entries
    def add(self, item: Item) -> None:
        if isinstance(item, EntryRecord):
            self._entry_batch.append(item)
            if len(self._entry_batch) >= BATCH:
                self.flush()
            return
        self.flush()
        if isinstance(item, Skipped):
            self.summary.skip(item.where, item.kind, item.reason)
        elif isinstance(item, ArticleRecord):
            self._guarded(item.where, lambda: self.write_article(item))
        elif isinstance(item, CommentRecord):
            self._comments.append(item)
        elif isinstance(item, AuthorRecord):
            self._guarded(item.where, lambda: self.write_author(item))
        elif isinstance(item, HolidayRuleRecord):
            self._guarded(item.where, lambda: self.write_rule(item))
        elif isinstance(item, ObjectRecord):
            self._guarded(item.where, lambda: self.write_object(item))

    def _guarded(self, where: str, action: Callable[[], object]) -> None:
        try:
            with transaction.atomic():
                action()
        except (HodieError, ValueError, ValidationError) as err:
            problem = _problem(where, err)
            self.summary.errors.append({"where": problem.where, "reason": problem.reason})

    def flush(self) -> None:
        batch, self._entry_batch = self._entry_batch, []
        if not batch:
            return
        prepared: list[tuple[EntryRecord, list[Collection], Any, str]] = []
        for record in self._first_entries(batch):
            try:
                collections = self._collections_for(record.collections, record.where)
                date = parse_date(record.date, region=collections[0].region, calendar=record.calendar)  # type: ignore[arg-type]
                if record.observance:
                    check_month_day(*record.observance)
                _check_sources(record)
            except HodieError as err:
                problem = _problem(record.where, err)
                self.summary.errors.append({"where": problem.where, "reason": problem.reason})
                continue
            digest = record_hash(record, *(c.slug for c in collections))
            prepared.append((record, collections, date, digest))
        if self.summary.errors or not prepared:
            return  # nothing will be kept: only go on checking the rest of the input
        with connection.cursor() as cursor:
            existing = {
                source_id: (pk, digest)
                for source_id, pk, digest in _select_pairs(
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

    def _entry_from(self, record: EntryRecord, date: Any, digest: str, entry: Entry) -> Entry:
        """``entry`` (a stored one, to be updated) as ``record`` says; _entry_row is its insert twin."""
        entry.title, entry.kind = record.title.strip()[:300], record.kind
        entry.summary, entry.body, entry.featured = record.summary, record.body, record.featured
        entry.observance_month, entry.observance_day = record.observance or (None, None)
        entry.date_text = record.date.strip()[:200]
        entry.edtf, entry.calendar = date.edtf, date.calendar
        entry.needs_review = record.needs_review
        entry.policy = record.policy
        entry.import_hash = digest
        entry.apply_date(date)
        return entry

    @staticmethod
    def _entry_row(record: EntryRecord, date: Any, f: Filing, digest: str, slug: str, stamp: Any) -> tuple[Any, ...]:
        """The new entry's row in ``ENTRY_COLUMNS`` order: what _entry_from and ``Entry.save``
        store, without building a model instance (a million of them cost more than their dates)."""
        month, day = record.observance or (None, None)
        return (
            record.kind, record.title.strip()[:300], slug, record.summary, record.body, record.featured,
            record.date.strip()[:200], date.edtf, date.calendar, f.precision, f.earliest, f.latest, f.year,
            f.standard_key, f.julian_key, f.observance_key, month, day, record.policy, record.stable_id,
            stamp, stamp, digest, record.needs_review,
        )  # fmt: skip

    def _insert_entries(self, new: list[tuple[EntryRecord, list[Collection], Any, str]]) -> None:
        filings = [filing(date, record.observance) for record, _, date, _ in new]
        wanted = [
            record.slug or slugify(f"{f.year or ''} {record.title.strip()[:300]}")[:80].strip("-") or "entry"
            for (record, *_), f in zip(new, filings, strict=True)
        ]
        with connection.cursor() as cursor:
            select = f"SELECT slug FROM {Entry._meta.db_table} WHERE slug IN (%s)"  # noqa: S608
            taken = {row[0] for row in _select_pairs(cursor, select, wanted)}
        stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = []
        for (record, _, date, digest), f, slug in zip(new, filings, wanted, strict=True):
            if slug in taken:
                suffix = hashlib.sha1(record.stable_id.encode()).hexdigest()  # noqa: S324
                candidate, n = f"{slug[:80]}-{suffix[:6]}", 6
                while candidate in taken or Entry.objects.filter(slug=candidate).exists():
                    n += 2
                    candidate = f"{slug[:80]}-{suffix[:n]}"
                slug = candidate
            taken.add(slug)
            rows.append(self._entry_row(record, date, f, digest, slug, stamp))
        pks = _insert_rows(rows)
        keys = [ENTRY_COLUMNS.index(name) for name in ("standard_key", "julian_key", "observance_key")]
        memberships: list[tuple[Any, ...]] = []
        people: list[Any] = []
        tags: list[Any] = []
        places: list[Any] = []
        sources: list[Source] = []
        for (record, collections, _, _), row in zip(new, rows, strict=True):
            pk = pks[record.stable_id]
            for collection in dict.fromkeys(collections):
                key = keys[_KEY_OF_POLICY[record.policy or collection.anniversary_policy]]
                memberships.append((collection.pk, pk, row[key]))
            if record.people:
                people += [
                    Entry.people.through(entry_id=pk, person_id=self._person(n).pk)
                    for n in dict.fromkeys(record.people)
                ]
            if record.tags:
                tags += [Entry.tags.through(entry_id=pk, tag_id=self._tag(n).pk) for n in dict.fromkeys(record.tags)]
            if record.places:
                places += [
                    Entry.places.through(entry_id=pk, place_id=self._place(n).pk) for n in dict.fromkeys(record.places)
                ]
            sources += [Source(entry_id=pk, url=s.url, title=s.title, publisher=s.publisher) for s in record.sources]
        table = connection.ops.quote_name(Membership._meta.db_table)
        sql = f"INSERT INTO {table} (collection_id, entry_id, day_key) VALUES (%s, %s, %s)"  # noqa: S608 - our names
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
        self._entry_from(record, date, digest, entry)
        entry.full_clean(exclude=["slug", "edtf", "calendar", "precision", "source_id", "date_text"])
        entry.save()
        entry.people.set([self._person(name) for name in record.people])
        entry.tags.set([self._tag(name) for name in record.tags])
        entry.places.set([self._place(name) for name in record.places])
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

    # ------------------------------------------------------------------ the rest
    def write_author(self, record: AuthorRecord) -> None:
        if not self._first_time("author", record.login or record.name, record.where):
            return
        name = (record.name or record.login).strip()
        if record.login:
            self._author_names[record.login] = name
        author = Author.objects.filter(name=name).first()
        if author is None:
            Author.objects.create(name=name[:200], url=record.url)
            self.summary.created["author"] += 1
        elif record.url and author.url != record.url:
            author.url = record.url
            author.save(update_fields=["url"])
            self.summary.updated["author"] += 1
        else:
            self.summary.unchanged["author"] += 1

    def write_rule(self, record: HolidayRuleRecord) -> None:
        from hodie.dates.recurring import parse_rule

        if not self._first_time("holiday rule", record.stable_id, record.where):
            return
        rule = parse_rule(record.rule).canonical
        collection = self._collections_for(record.collections, record.where)[0]
        found = HolidayRule.objects.filter(source_id=record.stable_id).first()
        if found is None:
            HolidayRule.objects.create(
                collection=collection, title=record.title[:300], rule=rule, source_id=record.stable_id
            )
            self.summary.created["holiday rule"] += 1
        elif (found.collection_id, found.title, found.rule) != (collection.pk, record.title[:300], rule):
            found.collection, found.title, found.rule = collection, record.title[:300], rule
            found.save()
            self.summary.updated["holiday rule"] += 1
        else:
            self.summary.unchanged["holiday rule"] += 1

    def write_article(self, record: ArticleRecord) -> None:
        if not self._first_time(record.kind, record.source_id, record.where):
            return
        check_web_url(record.where, "permalink", record.permalink)
        check_web_url(record.where, "full_url", record.full_url)
        partner = self._partner(record.partner) if record.partner else self.partner
        digest = record_hash(record, partner.slug if partner else "", *self._default_slug())
        article = Article.objects.filter(source_id=record.source_id).first()
        if article is not None and article.import_hash == digest:
            self.summary.unchanged[record.kind] += 1
            self._articles[record.source_id] = article
            return
        is_new = article is None
        if is_new and (same := self._same_article(record)) is not None:
            self.summary.skip(
                record.where,
                record.kind,
                f"the same article as {same.source_id or same.slug}, already stored from another source",
            )
            return
        article = article or Article(source_id=record.source_id)
        html = record.markup == "html"
        article.kind, article.title = record.kind, record.title.strip()[:300]
        article.excerpt = clean_html(record.excerpt) if html else record.excerpt
        article.body = clean_html(record.body) if html else record.body
        article.markup = record.markup
        article.status = record.status
        article.publish_at = record.published or article.publish_at or timezone.now()
        article.permalink, article.full_url = record.permalink[:500], record.full_url[:500]
        article.partner = partner
        article.cowritten = record.cowritten and partner is not None
        article.sticky = record.sticky
        article.import_hash = digest
        if record.slug and not Article.objects.filter(slug=record.slug).exclude(pk=article.pk).exists():
            article.slug = record.slug[:100]
        article._importing = True  # type: ignore[attr-defined]
        article.save()
        article.authors.set([self._author(name) for name in record.authors])
        article.tags.set([self._tag(name) for name in record.tags if name.strip()])
        entries = [self.entry_now(entry) for entry in record.entries]
        if record.entry_ids:
            found = {e.source_id: e for e in Entry.objects.filter(source_id__in=record.entry_ids)}
            missing = [i for i in record.entry_ids if i not in found]
            if missing:
                raise ImportProblem(record.where, f"no entry with id {', '.join(missing[:3])}")
            entries += [found[i] for i in record.entry_ids]
        article.entries.set([entry for entry in entries if entry is not None])
        self._articles[record.source_id] = article
        (self.summary.created if is_new else self.summary.updated)[record.kind] += 1

    @staticmethod
    def _same_article(record: ArticleRecord) -> Article | None:
        """An article from another source (a blog's WXR, a partner's feed) that is this one: the
        same page by its permalink or its full-text URL. Importing it again would show it twice."""
        return Article.objects.at_any_url(record.permalink, record.full_url).first()

    def write_object(self, record: ObjectRecord) -> None:
        if not self._first_time(record.model, record.slug, record.where):
            return
        model = {"collection": Collection, "partner": Partner, "person": Person, "place": Place, "tag": Tag}[
            record.model
        ]
        fields = dict(record.fields)
        known = {f.name for f in model._meta.get_fields()}
        bad = [name for name in fields if name not in known or not isinstance(fields[name], str)]
        if bad:
            raise ImportProblem(
                record.where, f"{record.model}: {', '.join(bad)} must be text fields of a {record.model}"
            )
        obj = model._default_manager.filter(slug=record.slug).first()
        is_new = obj is None
        obj = obj or model(slug=record.slug)
        before = {name: getattr(obj, name) for name in fields}
        for name, value in fields.items():
            setattr(obj, name, value)
        changed = is_new or before != fields
        if changed:
            obj.full_clean(validate_unique=False)
            obj.save()
        if isinstance(obj, Person):
            current = set(obj.aliases.values_list("name", flat=True))
            if current != set(record.aliases):
                obj.aliases.exclude(name__in=record.aliases).delete()
                Alias.objects.bulk_create([Alias(person=obj, name=n) for n in record.aliases if n not in current])
                changed = True
        if isinstance(obj, Collection):
            self._collections[obj.slug] = obj
        (self.summary.created if is_new else self.summary.updated if changed else self.summary.unchanged)[
            record.model
        ] += 1

    def _default_slug(self) -> tuple[str, ...]:
        return (self.default_collection.slug,) if self.default_collection else ()

    def write_comments(self) -> None:
        stored: dict[str, Comment] = {}
        for record in self._comments:
            if not self._first_time("comment", record.source_id, record.where):
                continue
            article = (
                self._articles.get(record.article_id) or Article.objects.filter(source_id=record.article_id).first()
            )
            if article is None:
                self.summary.skip(record.where, "comment", f"its article {record.article_id} was not imported")
                continue
            digest = record_hash(record)
            comment = Comment.objects.filter(source_id=record.source_id).first()
            if comment is not None and comment.import_hash == digest:
                self.summary.unchanged["comment"] += 1
                stored[record.source_id] = comment
                continue
            is_new = comment is None
            comment = comment or Comment(source_id=record.source_id)
            comment.article = article
            comment.author_name = record.author_name[:200]
            comment.author_email = record.author_email if "@" in record.author_email else ""
            comment.author_url = (
                record.author_url[:500] if record.author_url.startswith(("http://", "https://")) else ""
            )
            comment.body = clean_html(record.body, comment=True) if record.markup == "html" else record.body
            comment.markup = record.markup
            comment.status, comment.comment_type = record.status, record.comment_type
            comment.created = record.created or comment.created or timezone.now()
            comment.import_hash = digest
            comment.save()
            stored[record.source_id] = comment
            (self.summary.created if is_new else self.summary.updated)["comment"] += 1
        for record in self._comments:
            if record.source_id not in stored:
                continue
            comment = stored[record.source_id]
            parent = stored.get(record.parent_id) if record.parent_id else None
            if parent is None and record.parent_id:
                parent = Comment.objects.filter(source_id=record.parent_id).first()
            if comment.parent_id != (parent.pk if parent else None):
                comment.parent = parent
                comment.save(update_fields=["parent"])

    def finish(self) -> None:
        self.flush()
        if not self.summary.errors:
            self._guarded("comments", self.write_comments)


@contextmanager
def _import_cache() -> Iterator[None]:
    """A larger SQLite page cache for the run (32 MiB, a fixed bound however long the input): the
    indexes of a million entries stop being re-read from the file. The connection's own size is
    restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def import_records(
    items: Iterable[Item],
    collection: Collection | None,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
    partner: Partner | None = None,
) -> ImportSummary:
    """Store every record in one transaction. Any problem: nothing is stored and
    :class:`ImportFailed` lists every problem with its ``FILE:LINE``."""
    writer = Writer(collection, partner)
    summary = writer.summary
    summary.dry_run = dry_run
    try:
        with transaction.atomic(), _import_cache():
            for item in items:
                if progress:
                    progress()
                if isinstance(item, ImportProblem):
                    summary.errors.append({"where": item.where, "reason": item.reason})
                    continue
                writer.add(item)
            writer.finish()
            if summary.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if summary.errors:
        raise ImportFailed(summary)
    return summary
