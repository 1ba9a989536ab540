"""Full-text search: an FTS5 index kept by triggers on SQLite (so raw bulk inserts of an import are
indexed too), GIN expression indexes with English and Russian stemming on PostgreSQL."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE hodie_entry_fts USING fts5(
        title, summary, body, content='almanac_entry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER hodie_entry_ai AFTER INSERT ON almanac_entry BEGIN
        INSERT INTO hodie_entry_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
    END""",
    """CREATE TRIGGER hodie_entry_ad AFTER DELETE ON almanac_entry BEGIN
        INSERT INTO hodie_entry_fts(hodie_entry_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
    END""",
    """CREATE TRIGGER hodie_entry_au AFTER UPDATE OF title, summary, body ON almanac_entry BEGIN
        INSERT INTO hodie_entry_fts(hodie_entry_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
        INSERT INTO hodie_entry_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
    END""",
    "INSERT INTO hodie_entry_fts(hodie_entry_fts) VALUES ('rebuild')",
    """CREATE VIRTUAL TABLE hodie_article_fts USING fts5(
        title, excerpt, body, content='almanac_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER hodie_article_ai AFTER INSERT ON almanac_article BEGIN
        INSERT INTO hodie_article_fts(rowid, title, excerpt, body) VALUES (new.id, new.title, new.excerpt, new.body);
    END""",
    """CREATE TRIGGER hodie_article_ad AFTER DELETE ON almanac_article BEGIN
        INSERT INTO hodie_article_fts(hodie_article_fts, rowid, title, excerpt, body)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body);
    END""",
    """CREATE TRIGGER hodie_article_au AFTER UPDATE OF title, excerpt, body ON almanac_article BEGIN
        INSERT INTO hodie_article_fts(hodie_article_fts, rowid, title, excerpt, body)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body);
        INSERT INTO hodie_article_fts(rowid, title, excerpt, body) VALUES (new.id, new.title, new.excerpt, new.body);
    END""",
    "INSERT INTO hodie_article_fts(hodie_article_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS hodie_entry_ai", "DROP TRIGGER IF EXISTS hodie_entry_ad", "DROP TRIGGER IF EXISTS hodie_entry_au",
    "DROP TABLE IF EXISTS hodie_entry_fts", "DROP TRIGGER IF EXISTS hodie_article_ai",
    "DROP TRIGGER IF EXISTS hodie_article_ad", "DROP TRIGGER IF EXISTS hodie_article_au",
    "DROP TABLE IF EXISTS hodie_article_fts",
]

# The same expressions as hodie/almanac/search.py queries, so that the indexes are used.
ENTRY_DOC = "coalesce(title,'') || ' ' || coalesce(summary,'') || ' ' || coalesce(body,'')"
ARTICLE_DOC = "coalesce(title,'') || ' ' || coalesce(excerpt,'') || ' ' || coalesce(body,'')"
POSTGRES = [
    f"CREATE INDEX hodie_entry_fts_en ON almanac_entry USING gin (to_tsvector('english', {ENTRY_DOC}))",
    f"CREATE INDEX hodie_entry_fts_ru ON almanac_entry USING gin (to_tsvector('russian', {ENTRY_DOC}))",
    f"CREATE INDEX hodie_article_fts_en ON almanac_article USING gin (to_tsvector('english', {ARTICLE_DOC}))",
    f"CREATE INDEX hodie_article_fts_ru ON almanac_article USING gin (to_tsvector('russian', {ARTICLE_DOC}))",
]
POSTGRES_REVERSE = [f"DROP INDEX IF EXISTS {name}" for name in (
    "hodie_entry_fts_en", "hodie_entry_fts_ru", "hodie_article_fts_en", "hodie_article_fts_ru")]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("almanac", "0003_comment_targets_and_defences")]
    operations = [migrations.RunPython(forward, backward)]
