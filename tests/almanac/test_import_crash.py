"""An import killed with SIGKILL at five random moments leaves the database as it was: nothing of
the run, the full-text trigger in place (the writer sets it aside per batch inside the run's
transaction), SQLite's and FTS5's integrity checks clean. The sixth run, left alone, stores every
entry once. SECURITY.md §7 figure 17, for the importer; it needs a database file and a process to
kill, so it runs `hodie` in a subprocess against its own SQLite file."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N = 40_000


def _hodie(home: Path, *args: str, output: bool = False) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HODIE_HOME": str(home), "HODIE_DATABASE_URL": f"sqlite:///{home}/crash.sqlite3"}
    kept = subprocess.PIPE if output else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, "-m", "hodie.cli", *args], env=env, stdout=kept, stderr=kept)


def _state(path: Path) -> tuple[str, str, int, int, int]:
    db = sqlite3.connect(path)
    try:
        (integrity,) = db.execute("PRAGMA integrity_check").fetchone()
        try:
            db.execute("INSERT INTO hodie_entry_fts(hodie_entry_fts, rank) VALUES ('integrity-check', 1)")
            fts = "ok"
        except sqlite3.DatabaseError as err:
            fts = str(err)
        (triggers,) = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'hodie_entry_ai'").fetchone()
        (entries,) = db.execute("SELECT count(*) FROM almanac_entry").fetchone()
        (indexed,) = db.execute("SELECT count(*) FROM hodie_entry_fts WHERE hodie_entry_fts MATCH 'harbour'").fetchone()
        return integrity, fts, triggers, entries, indexed
    finally:
        db.rollback()
        db.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
@pytest.mark.skipif(
    os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"),
    reason="runs once, in the SQLite suite: the trigger it checks is SQLite's and the run uses its own file",
)
def test_an_import_killed_anywhere_leaves_nothing_half_done(tmp_path: Path) -> None:
    data = tmp_path / "entries.jsonl"
    with data.open("w") as out:
        for i in range(N):
            out.write(json.dumps({"id": f"c{i}", "date": f"{1000 + i % 900}-0{1 + i % 9}-1{i % 9}",
                                  "title": f"Harbour record {i}"}) + "\n")  # fmt: skip
    setup = tmp_path / "collection.jsonl"
    setup.write_text('{"type": "collection", "slug": "crash", "title": "Crash", "region": "world"}\n')
    assert _hodie(tmp_path, "import", "jsonl", str(setup)).wait(60) == 0
    database = tmp_path / "crash.sqlite3"

    # How long a whole run takes here, so that the kills fall inside one (from its start-up on).
    started = time.monotonic()
    timing = _hodie(tmp_path, "import", "jsonl", str(data), "--collection", "crash", "--dry-run")
    assert timing.wait(600) == 0
    whole = time.monotonic() - started

    rng = random.Random(17)
    for moment in sorted(rng.uniform(0.15, 0.75) * whole for _ in range(5)):
        run = _hodie(tmp_path, "import", "jsonl", str(data), "--collection", "crash")
        time.sleep(moment)
        run.send_signal(signal.SIGKILL)
        assert run.wait(60) == -signal.SIGKILL, f"the run ended by itself before {moment:.2f} s"
        assert _state(database) == ("ok", "ok", 1, 0, 0), f"after a kill at {moment:.2f} s"

    final = _hodie(tmp_path, "import", "jsonl", str(data), "--collection", "crash", "--json", output=True)
    out, err = final.communicate(timeout=600)
    assert final.returncode == 0, err.decode()[-2000:]
    assert json.loads(out)["created"] == {"entry": N}
    assert _state(database) == ("ok", "ok", 1, N, N)
