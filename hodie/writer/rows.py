"""Entries as rows: what a record decides of its entry, declared once, and the plain-SQL insert
that stores a batch of them."""

from __future__ import annotations

from typing import Any

from django.db import connection

from hodie.almanac.models import FILING_COLUMNS, Entry
from hodie.almanac.search import entries_indexed_afterwards
from hodie.dates import Filing, HistoricalDate
from hodie.importers.records import EntryRecord, translations_dict

# What a record decides of its entry, in the order entry_fields gives them.
RECORD_COLUMNS = (
    "kind", "title", "summary", "body", "featured", "date_text", "edtf", "calendar", "observance_month",
    "observance_day", "policy", "needs_review", "import_hash", "language", "translations",
)  # fmt: skip
_TRANSLATIONS = RECORD_COLUMNS.index("translations")
# The insert's columns: the record's, its date's filing (in Filing order, as Entry.apply_date stores
# it), then the writer's own. tests/writer/test_rows.py checks that they are every column but the key.
ENTRY_COLUMNS = RECORD_COLUMNS + FILING_COLUMNS + ("slug", "source_id", "created", "updated")


def entry_fields(record: EntryRecord, date: HistoricalDate, digest: str, language: str) -> tuple[Any, ...]:
    """The entry's fields as ``record`` says, in ``RECORD_COLUMNS`` order: the one declaration
    behind both a new entry's row (:func:`entry_row`) and an update in place (:func:`update_fields`).
    A tuple, not a dict: a million rows are built at import. ``language`` is the original's when the
    record names none (its first collection's)."""
    month, day = record.observance or (None, None)
    return (
        record.kind, record.title.strip()[:300], record.summary, record.body, record.featured,
        record.date.strip()[:200], date.edtf, date.calendar, month, day, record.policy, record.needs_review, digest,
        record.language or language, translations_dict(record.translations),
    )  # fmt: skip


def entry_row(fields: tuple[Any, ...], f: Filing, slug: str, source_id: str, stamp: Any) -> tuple[Any, ...]:
    """A new entry's row in ``ENTRY_COLUMNS`` order: what ``Entry.save`` would store, without
    building a model instance (a million of them cost more than their dates). The translations go
    in as the JSON column's database value, as the ORM would adapt them."""
    translations = connection.ops.adapt_json_value(fields[_TRANSLATIONS], None)
    fields = (*fields[:_TRANSLATIONS], translations, *fields[_TRANSLATIONS + 1 :])
    return fields + tuple(f) + (slug, source_id, stamp, stamp)


def update_fields(entry: Entry, fields: tuple[Any, ...], date: HistoricalDate) -> Entry:
    """``entry`` (a stored one) as :func:`entry_fields` says, its filing derived again."""
    for name, value in zip(RECORD_COLUMNS, fields, strict=True):
        setattr(entry, name, value)
    entry.apply_date(date)
    return entry


def select_pairs(cursor: Any, sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
    """All rows of ``sql`` (whose ``IN (%s)`` takes ``values``), 900 values a query: SQLite's oldest
    builds allow 999 parameters. Plain SQL: the ORM compiles each value of an ``__in`` lookup,
    which cost more than the query itself on large imports."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(values), 900):
        chunk = values[start : start + 900]
        cursor.execute(sql.replace("%s", ", ".join(["%s"] * len(chunk)), 1), chunk)
        rows += cursor.fetchall()
    return rows


def insert_rows(rows: list[tuple[Any, ...]]) -> dict[str, int]:
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
        found = dict(select_pairs(cursor, select, [row[source_id] for row in rows]))
        indexed += found.values()
    return found
