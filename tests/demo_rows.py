"""The demo's rows, copied into each test's database instead of imported again (SQLite only).

Loading the demo through the import writer costs about half a second, and some 450 tests of the
everyday suite start from it: a quarter of `make test`'s time. Each pytest worker imports it once
for real, notes the rows that import added to every table (and the AUTOINCREMENT counters), and
inserts those rows for later tests in one `executemany` a table. The full-text index comes out the
same because its own triggers fill it as the rows go in.

The copy is used only when the test's database starts exactly as the recorded one did (same rows in
every table); otherwise, e.g. after a test that flushed the tables, the demo is imported for real
again. `tests/demo/test_demo_rows.py` checks that a copy and an import leave identical tables.
PostgreSQL runs always import (its sequences and triggers are other work, and it is not in
`make test`)."""

from __future__ import annotations

import hashlib
from collections import Counter

Rows = list[tuple]


def _tables(cursor) -> list[str]:
    """Every ordinary table; an FTS5 table and its shadow tables are left to the triggers."""
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
    found = cursor.fetchall()
    virtual = [name for name, sql in found if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return [
        name
        for name, _ in found
        if not name.startswith("sqlite_") and name not in virtual and not any(name.startswith(v + "_") for v in virtual)
    ]


def read_tables(cursor) -> dict[str, tuple[list[str], Rows]]:
    """Each table's columns and rows in rowid order, the AUTOINCREMENT counters among them."""
    tables = {}
    for name in [*_tables(cursor), "sqlite_sequence"]:
        cursor.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
        tables[name] = ([column[0] for column in cursor.description], cursor.fetchall())
    return tables


def _digest(tables: dict[str, tuple[list[str], Rows]]) -> str:
    return hashlib.sha256(repr(sorted(tables.items())).encode()).hexdigest()


class DemoRows:
    """One worker's record of what importing the demo added, keyed by the database it started from."""

    def __init__(self) -> None:
        self.added: dict[str, dict[str, tuple[list[str], Rows]]] = {}
        self.counters: dict[str, Rows] = {}
        self.refused: set[str] = set()

    def load(self, connection, import_demo) -> bool:
        """Put the demo into the test's database; True when it was copied, False when imported."""
        with connection.cursor() as cursor:
            before = read_tables(cursor)
            key = _digest(before)
            if key in self.added:
                self._insert(cursor, key)
                return True
            import_demo()
            if key in self.refused:
                return False
            after = read_tables(cursor)
        added = {}
        for name, (columns, rows) in after.items():
            if name == "sqlite_sequence":
                continue
            left = Counter(before[name][1]) if name in before else Counter()
            new = []
            for row in rows:
                if left[row]:
                    left[row] -= 1
                else:
                    new.append(row)
            if +left:  # the import changed or removed a row that was there: a copy cannot say so
                self.refused.add(key)
                return False
            if new:
                added[name] = (columns, new)
        self.added[key] = added
        self.counters[key] = after["sqlite_sequence"][1]
        return False

    def _insert(self, cursor, key: str) -> None:
        """The tables go in by name, a row before the rows it points to (almanac_alias before
        almanac_person): SQLite checks Django's deferred foreign keys when the transaction ends, so
        the copy is one transaction. A transactional test (``django_db(transaction=True)``) runs in
        autocommit, where each insert was checked alone and failed; one that started from the same
        empty database as an earlier test of its worker took the copy and errored at setup."""
        from django.db import transaction

        with transaction.atomic():
            for name, (columns, rows) in self.added[key].items():
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows)
            cursor.execute("DELETE FROM sqlite_sequence")
            cursor.executemany("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", self.counters[key])
