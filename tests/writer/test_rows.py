"""An entry's row is declared once: the writer's fast insert stores what the model's own save does."""

import pytest

FIELDS = dict(
    title="Battle of Borodino", kind="event", summary="Kutuzov meets Napoleon.", body="*Long* day.", featured=True
)


@pytest.mark.django_db
def test_an_inserted_entry_holds_what_entry_save_stores():
    """Every column the writer's plain-SQL insert fills (all but the key and the times) equals what
    ``Entry.save`` derives from the same date and fields: a column added to the model and missed by
    the writer fails here."""
    from hodie.almanac.models import Collection, Entry
    from hodie.importers.records import EntryRecord
    from hodie.writer import import_records

    russia = Collection.objects.create(slug="russia", title="Russian history", region="ru")
    record = EntryRecord(where="test:1", date="26 August 1812", source_id="borodino", **FIELDS)
    import_records([record], russia)
    columns = [f.attname for f in Entry._meta.concrete_fields if f.name not in ("id", "created", "updated")]
    inserted = Entry.objects.filter(source_id="borodino").values(*columns).get()
    Entry.objects.all().delete()

    saved = Entry(source_id="borodino", import_hash=inserted["import_hash"], **FIELDS)
    saved.set_date("26 August 1812", region="ru")
    saved.save()
    assert Entry.objects.filter(pk=saved.pk).values(*columns).get() == inserted
    # The date was read as the collection's region says: Julian, filed on its Gregorian day.
    assert (inserted["calendar"], inserted["standard_key"], inserted["julian_key"]) == ("julian", 907, 826)


def test_the_insert_names_every_column_of_an_entry_once():
    """A field added to Entry must be added to the writer's row too (the test above then checks its value)."""
    from hodie.almanac.models import Entry
    from hodie.writer import ENTRY_COLUMNS

    columns = [f.attname for f in Entry._meta.local_concrete_fields if not f.primary_key]
    assert len(ENTRY_COLUMNS) == len(set(ENTRY_COLUMNS))
    assert sorted(ENTRY_COLUMNS) == sorted(columns)
