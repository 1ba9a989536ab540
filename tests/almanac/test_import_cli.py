"""`hodie import jsonl`: all or nothing, idempotent, errors as FILE:LINE."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hodie.cli import main

pytestmark = pytest.mark.django_db

GOOD = [
    {"id": "t-1", "date": "26 August 1812", "title": "Borodino", "tags": ["1812"], "people": ["Mikhail Kutuzov"]},
    {
        "id": "t-2",
        "date": "1939-02-20",
        "title": "Kosenko shot",
        "kind": "death",
        "sources": [{"url": "https://example.org/k", "title": "A source"}],
    },
    {"date": "15 March 44 BC", "title": "Ides of March"},
]


def write(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def russia(db):
    from hodie.almanac.models import Collection

    return Collection.objects.create(slug="ru", title="Russian history", region="ru")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_import_then_reimport_is_idempotent(tmp_path, russia) -> None:
    from hodie.almanac.models import Entry

    path = write(tmp_path / "e.jsonl", GOOD)
    first = run("import", "jsonl", str(path), "--collection", "ru", "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    assert summary["created"] == {"entry": 3, "person": 1, "tag": 1}
    assert summary["skipped"] == []
    second = json.loads(run("import", "jsonl", str(path), "--collection", "ru", "--json").output)
    assert second["created"] == {} and second["updated"] == {} and second["unchanged"] == {"entry": 3}
    assert Entry.objects.count() == 3
    borodino = Entry.objects.get(source_id="t-1")
    assert (borodino.edtf, borodino.calendar, borodino.standard_key) == ("1812-08-26", "julian", 907)


def test_changed_record_is_updated(tmp_path, russia) -> None:
    from hodie.almanac.models import Entry

    path = write(tmp_path / "e.jsonl", GOOD)
    run("import", "jsonl", str(path), "--collection", "ru")
    changed = [dict(GOOD[0], title="Battle of Borodino"), *GOOD[1:]]
    result = json.loads(run("import", "jsonl", str(write(path, changed)), "--collection", "ru", "--json").output)
    assert result["updated"] == {"entry": 1}
    assert Entry.objects.get(source_id="t-1").title == "Battle of Borodino"


def test_bad_line_names_file_and_line_and_stores_nothing(tmp_path, russia) -> None:
    from hodie.almanac.models import Entry, Tag

    rows = [GOOD[0], "{not json", {"date": "31 February 1939", "title": "x"}, {"date": "1939", "title": ""}]
    path = write(tmp_path / "bad.jsonl", rows)
    result = run("import", "jsonl", str(path), "--collection", "ru")
    assert result.exit_code != 0
    assert f"{path}:2: not JSON" in result.output
    assert f"{path}:3:" in result.output and "has 28 days" in result.output
    assert f"{path}:4: the title is empty" in result.output
    assert Entry.objects.count() == 0 and Tag.objects.count() == 0


def test_failed_import_keeps_what_was_stored_before(tmp_path, russia) -> None:
    from hodie.almanac.models import Entry

    run("import", "jsonl", str(write(tmp_path / "a.jsonl", GOOD)), "--collection", "ru")
    bad = [dict(GOOD[0], title="Changed"), {"date": "nonsense", "title": "x"}]
    result = run("import", "jsonl", str(write(tmp_path / "b.jsonl", bad)), "--collection", "ru")
    assert result.exit_code != 0
    assert Entry.objects.get(source_id="t-1").title == "Borodino"


def test_dry_run_stores_nothing(tmp_path, russia) -> None:
    from hodie.almanac.models import Entry

    result = run("import", "jsonl", str(write(tmp_path / "e.jsonl", GOOD)), "--collection", "ru", "--dry-run", "--json")
    assert json.loads(result.output)["created"]["entry"] == 3
    assert Entry.objects.count() == 0


def test_unknown_collection_and_missing_file(tmp_path, russia) -> None:
    result = run("import", "jsonl", str(write(tmp_path / "e.jsonl", GOOD)), "--collection", "nope")
    assert result.exit_code != 0 and "No collection 'nope'" in result.output
    result = run("import", "jsonl", str(tmp_path / "missing.jsonl"), "--collection", "ru")
    assert result.exit_code != 0 and "no such file" in result.output


def test_day_command(russia, tmp_path) -> None:
    run("import", "jsonl", str(write(tmp_path / "e.jsonl", GOOD)), "--collection", "ru")
    result = run("day", "09-07", "--collection", "ru")
    assert "1812: Borodino" in result.output and "7 September [O.S. 26 August] 1812" in result.output
    assert "Borodino" in run("day", "08-26", "--collection", "ru", "--calendar", "julian").output
    bad = run("day", "02-30", "--collection", "ru")
    assert bad.exit_code != 0 and "no day 02-30" in bad.output


@pytest.mark.django_db(transaction=True)
def test_fresh_sqlite_file_from_any_folder(tmp_path) -> None:
    """`HODIE_DATABASE_URL=sqlite:////tmp/x.db hodie import jsonl f.jsonl && hodie day 09-07 --json`
    works on a fresh file, from another folder: the database is migrated first."""
    db = tmp_path / "fresh.db"
    path = write(tmp_path / "f.jsonl", [{**GOOD[0], "collections": []}])
    env = {**os.environ, "HODIE_DATABASE_URL": f"sqlite:///{db}", "HODIE_HOME": str(tmp_path / "home")}
    code = "from hodie.cli import main; main()"
    subprocess.run([sys.executable, "-c", code, "manage", "migrate", "-v0"], cwd=tmp_path, env=env, check=True)
    setup = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hodie.site.settings'; django.setup();"
        "from hodie.almanac.models import Collection; Collection.objects.create(slug='ru', title='R', region='ru')"
    )
    subprocess.run([sys.executable, "-c", setup], cwd=tmp_path, env=env, check=True)
    imported = subprocess.run(
        [sys.executable, "-c", code, "import", "jsonl", str(path), "--collection", "ru"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    day = subprocess.run(
        [sys.executable, "-c", code, "day", "09-07", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert day.returncode == 0, day.stderr
    assert json.loads(day.stdout)["events"][0]["year"] == 1812
    # SQLite was opened in WAL mode (the mode is kept in the database file itself).
    import sqlite3

    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.django_db(transaction=True)
def test_import_into_a_brand_new_database_migrates_it(tmp_path) -> None:
    db = tmp_path / "new.db"
    env = {**os.environ, "HODIE_DATABASE_URL": f"sqlite:///{db}", "HODIE_HOME": str(tmp_path / "home")}
    code = "from hodie.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "day", "09-07"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    # The tables exist (migrated on first use); there is simply no collection yet.
    assert "There is no collection yet" in result.stderr
    assert "no such table" not in result.stderr
