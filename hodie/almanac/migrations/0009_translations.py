"""Text in several languages: an original ``language`` on entries, articles, people, places and tags
(collections had one), and a ``translations`` column beside it on each (and on collections).

Stored rows were written in their collection's language before this, so an entry takes its first
collection's; articles, people, places and tags, which belong to no one collection, take the
language of the site's first collection (English when there is none)."""

from django.db import migrations, models


# The two tables with 0004's full-text triggers: Django's AddField would rebuild them on SQLite
# (a column with a default cannot be added otherwise, it says), and the rebuild drops the
# triggers with the old table; a plain ALTER TABLE ADD COLUMN with a database default keeps them.
TRIGGERED = {"entry": "almanac_entry", "article": "almanac_article"}


def _new_fields():
    language = models.CharField(max_length=5, default="en")
    translations = models.JSONField(default=dict, blank=True)
    language.set_attributes_from_name("language")
    translations.set_attributes_from_name("translations")
    return ((language, "'en'"), (translations, "'{}'"))


def add_columns(apps, schema_editor):
    quote = schema_editor.quote_name
    for model_name, table in TRIGGERED.items():
        model = apps.get_model("almanac", model_name)
        for field, default in _new_fields():
            if schema_editor.connection.vendor == "sqlite":
                definition, _params = schema_editor.column_sql(model, field)
                schema_editor.execute(
                    f"ALTER TABLE {quote(table)} ADD COLUMN {quote(field.column)} {definition} DEFAULT {default}"
                )
            else:
                schema_editor.add_field(model, field)


def drop_columns(apps, schema_editor):
    quote = schema_editor.quote_name
    for table in TRIGGERED.values():
        for field, _default in _new_fields():
            schema_editor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN {quote(field.column)}")


def languages_from_collections(apps, schema_editor):
    Collection = apps.get_model("almanac", "Collection")
    Entry = apps.get_model("almanac", "Entry")
    Membership = apps.get_model("almanac", "Membership")
    first = Collection.objects.order_by("pk").values_list("language", flat=True).first() or "en"
    for language in Collection.objects.exclude(language="en").values_list("language", flat=True).distinct():
        # An entry in several collections takes the one it joined first.
        firsts = Membership.objects.order_by("entry_id", "pk").values("entry_id", "collection__language")
        ids, seen = [], set()
        for row in firsts.iterator(chunk_size=5000):
            if row["entry_id"] not in seen:
                seen.add(row["entry_id"])
                if row["collection__language"] == language:
                    ids.append(row["entry_id"])
        for start in range(0, len(ids), 900):
            Entry.objects.filter(pk__in=ids[start : start + 900]).update(language=language)
    if first != "en":
        for name in ("Article", "Person", "Place", "Tag"):
            apps.get_model("almanac", name).objects.update(language=first)


class Migration(migrations.Migration):

    dependencies = [
        ('almanac', '0008_help_texts_shown'),
    ]

    operations = [
        migrations.AddField(
            model_name='collection',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='Translations of the text, by language: {"ru": {"title": "…", "summary": "…"}}.'),
        ),
        migrations.AddField(
            model_name='person',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('ru', 'Russian')], default='en', help_text='The language the text is written in.', max_length=5),
        ),
        migrations.AddField(
            model_name='person',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='Translations of the text, by language: {"ru": {"title": "…", "summary": "…"}}.'),
        ),
        migrations.AddField(
            model_name='place',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('ru', 'Russian')], default='en', help_text='The language the text is written in.', max_length=5),
        ),
        migrations.AddField(
            model_name='place',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='Translations of the text, by language: {"ru": {"title": "…", "summary": "…"}}.'),
        ),
        migrations.AddField(
            model_name='tag',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('ru', 'Russian')], default='en', help_text='The language the text is written in.', max_length=5),
        ),
        migrations.AddField(
            model_name='tag',
            name='translations',
            field=models.JSONField(blank=True, default=dict, help_text='Translations of the text, by language: {"ru": {"title": "…", "summary": "…"}}.'),
        ),
        migrations.AlterField(
            model_name='collection',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('ru', 'Russian')], default='en', help_text='The language the text is written in.', max_length=5),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
            state_operations=[
                migrations.AddField(
                    model_name='article',
                    name='language',
                    field=models.CharField(choices=[('en', 'English'), ('ru', 'Russian')], default='en', help_text='The language the text is written in.', max_length=5),
                ),
                migrations.AddField(
                    model_name='article',
                    name='translations',
                    field=models.JSONField(blank=True, default=dict, help_text='Translations of the text, by language: {"ru": {"title": "…", "summary": "…"}}.'),
                ),
                migrations.AddField(
                    model_name='entry',
                    name='language',
                    field=models.CharField(choices=[('en', 'English'), ('ru', 'Russian')], default='en', help_text='The language the text is written in.', max_length=5),
                ),
                migrations.AddField(
                    model_name='entry',
                    name='translations',
                    field=models.JSONField(blank=True, default=dict, help_text='Translations of the text, by language: {"ru": {"title": "…", "summary": "…"}}.'),
                ),
            ],
        ),
        migrations.RunPython(languages_from_collections, migrations.RunPython.noop),
    ]
