"""Faster imports, measured in bench/ (docs/benchmarks.md):

* the entry's three anniversary keys lose their indexes (every day query goes through
  ``membership_day``) and so does ``membership.collection`` alone (both composite indexes lead
  with it). The indexes are dropped by name: Django's AlterField would rebuild ``almanac_entry``
  on SQLite, which drops the full-text triggers of 0004 with the old table.
* on SQLite, the insert trigger of the entry index stands aside while a row in
  ``hodie_search_deferred`` exists. The import writer inserts that row, its batch and the batch's
  index rows in one transaction, so no other connection ever sees an entry without its index row;
  FTS5 indexes 2,000 rows in one statement some ten times faster than in 2,000 trigger calls.
"""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [
    ("almanac_entry", "almanac_entry_standard_key_9694eae3", "standard_key"),
    ("almanac_entry", "almanac_entry_julian_key_b0b1e764", "julian_key"),
    ("almanac_entry", "almanac_entry_observance_key_f0cb4077", "observance_key"),
    ("almanac_membership", "almanac_membership_collection_id_c6c1425a", "collection_id"),
]

GATED_TRIGGER = """CREATE TRIGGER hodie_entry_ai AFTER INSERT ON almanac_entry
    WHEN NOT EXISTS (SELECT 1 FROM hodie_search_deferred) BEGIN
        INSERT INTO hodie_entry_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
    END"""
PLAIN_TRIGGER = """CREATE TRIGGER hodie_entry_ai AFTER INSERT ON almanac_entry BEGIN
        INSERT INTO hodie_entry_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
    END"""


def forward(apps, schema_editor):
    for _table, index, _column in DROPPED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("CREATE TABLE hodie_search_deferred (since INTEGER NOT NULL)")
        schema_editor.execute("DROP TRIGGER IF EXISTS hodie_entry_ai")
        schema_editor.execute(GATED_TRIGGER)


def backward(apps, schema_editor):
    for table, index, column in DROPPED:
        schema_editor.execute(f"CREATE INDEX {index} ON {table} ({column})")
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS hodie_entry_ai")
        schema_editor.execute(PLAIN_TRIGGER)
        schema_editor.execute("DROP TABLE IF EXISTS hodie_search_deferred")


class Migration(migrations.Migration):
    dependencies = [("almanac", "0004_search")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name=name,
                    field=models.PositiveSmallIntegerField(editable=False, null=True),
                )
                for name in ("julian_key", "observance_key", "standard_key")
            ]
            + [
                migrations.AlterField(
                    model_name="membership",
                    name="collection",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, to="almanac.collection"
                    ),
                )
            ],
        )
    ]
