"""The suite's copy of the demo (tests/demo_rows.py) must leave the tables exactly as an import does."""

import pytest
from django.db import connection, transaction

from hodie.demo import load_demo
from tests.demo_rows import DemoRows, read_tables


class _Undo(Exception):
    pass


def _tables_after(step) -> dict:
    """The tables (and full-text index) after ``step``, which is then undone."""
    try:
        with transaction.atomic():
            step()
            with connection.cursor() as cursor:
                tables = read_tables(cursor)
                cursor.execute("SELECT rowid, title, summary, body FROM hodie_entry_fts ORDER BY rowid")
                tables["fts entries"] = ([], cursor.fetchall())
                cursor.execute("SELECT rowid FROM hodie_entry_fts WHERE hodie_entry_fts MATCH 'Kosenko'")
                tables["fts match"] = ([], cursor.fetchall())
            raise _Undo
    except _Undo:
        return tables


@pytest.mark.django_db
def test_a_copy_of_the_demo_equals_an_import():
    if connection.vendor != "sqlite":
        pytest.skip("the copy is made on SQLite only; PostgreSQL always imports")
    rows = DemoRows()
    imported = _tables_after(lambda: rows.load(connection, load_demo))
    copied = []
    copy = _tables_after(lambda: copied.append(rows.load(connection, load_demo)))
    assert copied == [True]
    assert imported["almanac_entry"][1] and imported["fts match"][1]
    assert copy == imported


@pytest.mark.django_db
def test_a_database_that_starts_otherwise_gets_an_import():
    if connection.vendor != "sqlite":
        pytest.skip("the copy is made on SQLite only")
    from hodie.almanac.models import Collection

    rows = DemoRows()
    _tables_after(lambda: rows.load(connection, load_demo))
    Collection.objects.create(slug="elsewhere", title="Elsewhere")
    assert rows.load(connection, load_demo) is False  # not the database the copy was recorded from
    assert Collection.objects.filter(slug="russia").exists()


@pytest.mark.django_db(transaction=True)
def test_a_copy_goes_in_where_each_statement_commits():
    """A transactional test runs in autocommit. When an earlier test of its worker recorded the copy
    from the same empty database, the copy's rows go in there too: a row before the rows it points
    to (almanac_alias before almanac_person), which SQLite's deferred foreign keys allow only
    inside one transaction."""
    if connection.vendor != "sqlite":
        pytest.skip("the copy is made on SQLite only")
    from hodie.almanac.models import Alias, Collection

    rows = DemoRows()
    _tables_after(lambda: rows.load(connection, load_demo))  # recorded, as a test in a transaction does
    assert not connection.in_atomic_block
    assert rows.load(connection, load_demo) is True
    assert Collection.objects.filter(slug="russia").exists() and Alias.objects.exists()
