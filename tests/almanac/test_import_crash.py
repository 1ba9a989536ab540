"""An import killed with SIGKILL at five random moments leaves the database whole: either nothing
of the run or all of it (a kill that lands after the commit), the full-text trigger in place (the
writer sets it aside per batch inside the run's transaction), SQLite's and FTS5's integrity checks
clean. The moments are points the child reports (every thousandth record taken), not times
calibrated on an earlier run, so load on the machine does not move them. The sixth run, left
alone, stores every entry once. SECURITY.md §7 figure 17, for the importer; it needs a database file and a process to
kill, so it runs `hodie` in a subprocess against its own SQLite file."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

N = 40_000
EVERY = 1000


def _hodie(home: Path, *args: str, output: bool = False) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HODIE_HOME": str(home), "HODIE_DATABASE_URL": f"sqlite:///{home}/crash.sqlite3"}
    kept = subprocess.PIPE if output else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, "-m", "hodie.cli", *args], env=env, stdout=kept, stderr=kept)


def _child(home: Path, data: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HODIE_HOME": str(home), "HODIE_DATABASE_URL": f"sqlite:///{home}/crash.sqlite3"}
    root = Path(__file__).resolve().parents[2]
    args = [sys.executable, "-m", "tests.almanac.crash_child", str(data), "crash", str(EVERY)]
    return subprocess.Popen(args, env=env, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


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


@pytest.mark.slow
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

    rng = random.Random(17)
    outcomes = []
    for point in sorted(rng.sample(range(EVERY, N + 1, EVERY), 5)):
        run = _child(tmp_path, data)
        assert run.stdout is not None
        for line in run.stdout:
            if line.decode().strip() == f"read {point}":
                break
        else:
            pytest.fail(f"the child ended without reaching record {point}: {run.wait(60)}")
        run.send_signal(signal.SIGKILL)
        assert run.wait(60) == -signal.SIGKILL
        run.stdout.close()
        state = _state(database)
        # Nothing of the run, or (the kill landing after the commit) all of it: never a part.
        assert state in {("ok", "ok", 1, 0, 0), ("ok", "ok", 1, N, N)}, f"after a kill at record {point}: {state}"
        outcomes.append(state[3])
    assert 0 in outcomes, "no kill landed inside a run: the test checked nothing half done"

    final = _hodie(tmp_path, "import", "jsonl", str(data), "--collection", "crash", "--json", output=True)
    out, err = final.communicate(timeout=600)
    assert final.returncode == 0, err.decode()[-2000:]
    assert json.loads(out)["created"] == {"entry": N}
    assert _state(database) == ("ok", "ok", 1, N, N)
