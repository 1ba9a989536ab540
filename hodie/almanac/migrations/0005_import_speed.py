"""Faster imports, measured in bench/ (docs/benchmarks.md): the entry's three anniversary keys
lose their indexes (every day query goes through ``membership_day``) and so does
``membership.collection`` alone (both composite indexes lead with it). The indexes are dropped by
name: Django's AlterField would rebuild ``almanac_entry`` on SQLite, which drops the full-text
triggers of 0004 with the old table.
"""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [
    ("almanac_entry", "almanac_entry_standard_key_9694eae3", "standard_key"),
    ("almanac_entry", "almanac_entry_julian_key_b0b1e764", "julian_key"),
    ("almanac_entry", "almanac_entry_observance_key_f0cb4077", "observance_key"),
    ("almanac_membership", "almanac_membership_collection_id_c6c1425a", "collection_id"),
]

def forward(apps, schema_editor):
    for _table, index, _column in DROPPED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


def backward(apps, schema_editor):
    for table, index, column in DROPPED:
        schema_editor.execute(f"CREATE INDEX {index} ON {table} ({column})")


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
