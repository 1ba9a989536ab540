"""`hodie backup` takes a consistent snapshot while the site writes; `hodie restore` puts it back."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

HODIE = str(Path(sys.executable).parent / "hodie")
PG_URL = os.environ.get("HODIE_DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgres")


class Database:
    """Plain driver connections to the site's database, outside Django."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def connect(self):  # type: ignore[no-untyped-def]
        if ON_POSTGRES:
            import psycopg

            return psycopg.connect(PG_URL, autocommit=True)
        return sqlite3.connect(self.home / "hodie.sqlite3", isolation_level=None, timeout=20)

    def tables(self, connection) -> list[str]:  # type: ignore[no-untyped-def]
        if ON_POSTGRES:
            query = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return sorted(row[0] for row in connection.execute(query).fetchall())

    def content(self) -> dict[str, list[str]]:
        """Every table's rows, each as its repr, sorted."""
        with self.connect() as connection:
            return {
                table: sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"').fetchall())
                for table in self.tables(connection)
            }


def hodie(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HODIE, *args], env=env, capture_output=True, text=True)


@pytest.fixture
def site(tmp_path):
    env = {**os.environ, "HODIE_HOME": str(tmp_path), "HODIE_DATABASE_URL": PG_URL if ON_POSTGRES else ""}
    database = Database(tmp_path)
    if ON_POSTGRES:  # a clean slate in the one database these tests may use
        with database.connect() as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
    assert hodie(env, "demo").returncode == 0
    return env, database


@pytest.mark.slow
def test_snapshot_taken_while_writing_is_consistent_and_restores_every_table(site, tmp_path) -> None:
    """A writer adds a row to two tables in each transaction while the backup runs: the snapshot,
    restored, has both tables equally long. A second snapshot, restored over a damaged database,
    gives back every table's rows exactly."""
    env, database = site
    with database.connect() as connection:
        connection.execute("CREATE TABLE pair_a (n integer)")
        connection.execute("CREATE TABLE pair_b (n integer)")
    stop = threading.Event()
    written = [0]

    def write() -> None:
        with database.connect() as connection:
            while not stop.is_set():
                n = written[0] + 1
                connection.execute("BEGIN")
                connection.execute(f"INSERT INTO pair_a VALUES ({n})")
                connection.execute(f"INSERT INTO pair_b VALUES ({n})")
                connection.execute("COMMIT")
                written[0] = n

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while written[0] < 50:
            stop.wait(0.01)
        during = hodie(env, "backup", str(tmp_path / "during.backup"))
        before_end = written[0]
    finally:
        stop.set()
        writer.join()
    assert during.returncode == 0, during.stderr
    assert "Wrote" in during.stdout
    assert stat.S_IMODE((tmp_path / "during.backup").stat().st_mode) == 0o600
    assert not (tmp_path / "during.backup.partial").exists()

    quiet = hodie(env, "backup", str(tmp_path / "quiet.backup"))
    assert quiet.returncode == 0, quiet.stderr
    expected = database.content()
    assert len(expected["pair_a"]) == written[0] > 50

    restored = hodie(env, "restore", "--yes", str(tmp_path / "during.backup"))
    assert restored.returncode == 0, restored.stderr
    snapshot = database.content()
    assert snapshot["pair_a"] == snapshot["pair_b"]  # never one row without its pair
    assert 50 <= len(snapshot["pair_a"]) <= before_end
    assert snapshot["almanac_entry"] == expected["almanac_entry"]

    with database.connect() as connection:  # damage: changed titles, a lost table, extra rows
        connection.execute("UPDATE almanac_entry SET title = 'damaged'")
        connection.execute("DROP TABLE pair_b")
        connection.execute("INSERT INTO pair_a VALUES (-1)")
    assert database.content() != expected
    restored = hodie(env, "restore", "--yes", str(tmp_path / "quiet.backup"))
    assert restored.returncode == 0, restored.stderr
    after = database.content()
    assert sorted(after) == sorted(expected)
    for table, rows in expected.items():
        assert after[table] == rows, table
    assert sum(len(rows) for rows in after.values()) > 300


def test_restore_refuses_what_is_not_a_snapshot(site, tmp_path) -> None:
    """A file that is no snapshot is refused with the reason, and the database is left as it was."""
    env, database = site
    before = database.content()
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database\n")
    done = hodie(env, "restore", "--yes", str(bogus))
    assert done.returncode == 1
    assert "is not a snapshot written by `hodie backup`" in done.stderr
    assert database.content() == before
