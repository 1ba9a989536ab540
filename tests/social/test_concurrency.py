"""Eight writer processes and four readers on one SQLite file, through Django's whole request stack
(SECURITY.md §7, figure 15): no "database is locked", no 5xx, every acknowledged write stored once.

Two kinds of writer. Comment posts write in autocommit, one statement at a time: WAL and the busy
timeout carry them. Webmention receipts read and then write inside one transaction (the same
source and target seen again?), which is what IMMEDIATE transactions are for: with DEFERRED ones
the reader's lock is upgraded late, and SQLite answers the second of two such writers "database is
locked" at once, whatever the timeout. Switching the setting to DEFERRED makes the second test
fail (checked when it was written); it is the regression test of the SQLite settings."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy"  # the demo's
WRITERS, POSTS, READERS = 8, 150, 4

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"),
        reason="about SQLite's locking: runs once, in the SQLite suite, on its own database file",
    ),
]


def run(tmp_path: Path, role: str) -> tuple[list[dict], list[dict], Path]:
    """Start the readers, then WRITERS writers of ``role``; return their reports and the database."""
    database = tmp_path / "hodie.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HODIE_", "DJANGO_"))},
        "HODIE_HOME": str(tmp_path), "HODIE_DATABASE_URL": f"sqlite:///{database}",
        "HODIE_COMMENT_RATE_SECONDS": "0", "HODIE_COMMENT_MODERATION": "never", "HODIE_ALLOWED_HOSTS": "testserver",
        # Many mentions from one test client: the hourly budgets (tested in test_hostile) are off here.
        "HODIE_WEBMENTION_CLIENT_BUDGET": "0", "HODIE_WEBMENTION_SOURCE_BUDGET": "0",
    }  # fmt: skip
    hodie = str(Path(sys.executable).parent / "hodie")
    for command in (["migrate"], ["demo", "--force"]):
        subprocess.run([hodie, *command], env=env, check=True, capture_output=True, cwd=ROOT)
    worker = [sys.executable, "-m", "tests.social.concurrent_worker"]
    stop = tmp_path / "stop"

    def start(*args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([*worker, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def report(process: subprocess.Popen[bytes], timeout: int) -> dict:
        out, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, err.decode()[-3000:]
        return json.loads(out.decode().strip().splitlines()[-1])  # type: ignore[no-any-return]

    readers = [start("read", str(stop), ARTICLE) for _ in range(READERS)]
    writers = [start(role, str(POSTS), ARTICLE, str(n)) for n in range(WRITERS)]
    written = [report(process, 900) for process in writers]
    stop.touch()
    read = [report(process, 120) for process in readers]
    return written, read, database


def check_reports(written: list[dict], read: list[dict], status: str) -> None:
    locked = [e for r in written + read for e in r["locked"]]
    assert locked == [], locked[:5]
    assert [r["errors"] for r in written + read if r["errors"]] == []
    assert sum(r["statuses"].get(status, 0) for r in written) == WRITERS * POSTS, [r["statuses"] for r in written]
    assert all(set(r["statuses"]) == {"200"} for r in read), [r["statuses"] for r in read]
    assert sum(sum(r["statuses"].values()) for r in read) > 0  # the readers did read while the writers wrote


def test_eight_comment_writers_and_four_readers_lose_nothing(tmp_path):
    written, read, database = run(tmp_path, "write")
    check_reports(written, read, "303")
    with sqlite3.connect(database) as db:
        bodies = [row[0] for row in db.execute("SELECT body FROM almanac_comment WHERE body LIKE 'Writer % post %'")]
    assert len(bodies) == WRITERS * POSTS  # none lost
    assert len(set(bodies)) == len(bodies)  # none doubled


def test_eight_webmention_writers_and_four_readers_lose_nothing(tmp_path):
    written, read, database = run(tmp_path, "mention")
    check_reports(written, read, "202")
    with sqlite3.connect(database) as db:
        sources = [row[0] for row in db.execute("SELECT source FROM social_mention")]
    assert len(sources) == len(set(sources)) == WRITERS * POSTS
