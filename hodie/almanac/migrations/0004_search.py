"""Full-text search: an FTS5 index kept by triggers on SQLite (so raw bulk inserts of an import are
indexed too), GIN expression indexes with English and Russian stemming on PostgreSQL."""

from django.db import migrations

def _fts5(table: str, fts: str, columns: tuple[str, str, str]) -> tuple[list[str], list[str]]:
    """An external-content FTS5 index of ``table`` kept by insert, delete and update triggers, filled
    from the rows already there; and the statements that remove it."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    prefix = fts.removesuffix("_fts")
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols})\n        VALUES ('delete', old.id, {old});"
    forward = [
        f"""CREATE VIRTUAL TABLE {fts} USING fts5(
        {cols}, content='{table}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER {prefix}_ai AFTER INSERT ON {table} BEGIN
        {insert}
    END""",
        f"""CREATE TRIGGER {prefix}_ad AFTER DELETE ON {table} BEGIN
        {delete}
    END""",
        f"""CREATE TRIGGER {prefix}_au AFTER UPDATE OF {cols} ON {table} BEGIN
        {delete}
        {insert}
    END""",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]
    reverse = [f"DROP TRIGGER IF EXISTS {prefix}_{suffix}" for suffix in ("ai", "ad", "au")]
    return forward, reverse + [f"DROP TABLE IF EXISTS {fts}"]


_ENTRY = _fts5("almanac_entry", "hodie_entry_fts", ("title", "summary", "body"))
_ARTICLE = _fts5("almanac_article", "hodie_article_fts", ("title", "excerpt", "body"))
SQLITE = _ENTRY[0] + _ARTICLE[0]
SQLITE_REVERSE = _ENTRY[1] + _ARTICLE[1]

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
