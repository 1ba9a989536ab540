"""``hodie backup`` and ``hodie restore``: a consistent snapshot of the whole database, taken while
the site keeps serving and writing, and put back whole.

- SQLite: the backup API copies the database page by page inside one read transaction, so the copy
  is the database as it was at one instant; WAL mode lets writers go on meanwhile. The snapshot is a
  plain SQLite file.
- PostgreSQL: ``pg_dump`` (found on PATH) dumps from one transaction snapshot; its custom format is
  read back by ``pg_restore``.

A snapshot holds commenters' email addresses: it is written with owner-only permissions, first to
``OUT.partial`` and renamed when complete, so an interrupted backup never looks like a good one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections

from hodie.dates import HodieError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupFailed(HodieError, RuntimeError):
    pass


def _database() -> dict:  # type: ignore[type-arg]
    return settings.DATABASES["default"]


def _engine() -> str:
    engine = _database()["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupFailed(f"No backup for the database engine {engine}; Hodie runs on SQLite or PostgreSQL")


def _pg_url() -> str:
    db = _database()
    user = f"{db['USER']}@" if db.get("USER") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{user}{db.get('HOST') or ''}{port}/{db['NAME']}"


def _pg_run(args: list[str]) -> subprocess.CompletedProcess[str]:
    # The password goes in the environment, not on the command line that `ps` shows.
    env = {**os.environ, **({"PGPASSWORD": _database()["PASSWORD"]} if _database().get("PASSWORD") else {})}
    return subprocess.run(args, capture_output=True, text=True, env=env)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupFailed(
            f"{name} is not on PATH; install PostgreSQL's client tools (Debian: apt-get install postgresql-client) "
            "of the server's major version or later"
        )
    return found


def _private(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def backup(out: Path) -> str:
    """Write a snapshot of the database to ``out``; a sentence saying what was written."""
    out = out.expanduser()
    if out.is_dir():
        raise BackupFailed(f"{out} is a folder; give the snapshot's file name, e.g. {out / 'hodie.backup'}")
    partial = out.with_name(out.name + ".partial")
    try:
        _private(partial)
        if _engine() == "sqlite":
            source = sqlite3.connect(_database()["NAME"], timeout=_database()["OPTIONS"]["timeout"])
            target = sqlite3.connect(partial)
            try:
                source.backup(target)  # every page in one step: one read transaction, one instant
            finally:
                target.close()
                source.close()
        else:
            done = _pg_run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial), _pg_url()])
            if done.returncode:
                raise BackupFailed(f"pg_dump failed: {done.stderr.strip()}")
        partial.replace(out)
    except (OSError, sqlite3.Error) as err:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"Could not write the snapshot {out}: {err}") from err
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return f"Wrote {out} ({out.stat().st_size:,} bytes, {_engine()})"


def restore(snapshot: Path) -> str:
    """Replace everything in the database with the snapshot's content."""
    try:
        with snapshot.open("rb") as handle:
            head = handle.read(16)
    except OSError as err:
        raise BackupFailed(f"Could not read {snapshot}: {err}") from err
    kind = "sqlite" if head == SQLITE_MAGIC else "postgresql" if head.startswith(PG_MAGIC) else None
    if kind is None:
        raise BackupFailed(f"{snapshot} is not a snapshot written by `hodie backup` (neither SQLite nor pg_dump)")
    engine = _engine()
    if kind != engine:
        raise BackupFailed(
            f"{snapshot} is a {kind} snapshot and this site runs on {engine}; restore it on a {kind} site, "
            f"then move the content with `hodie export jsonl` and `hodie import jsonl`"
        )
    connections.close_all()
    if engine == "sqlite":
        source = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
        try:
            problem = source.execute("PRAGMA integrity_check").fetchone()[0]
            if problem != "ok":
                raise BackupFailed(f"{snapshot} is damaged ({problem}); nothing was restored")
            target = sqlite3.connect(_database()["NAME"], timeout=_database()["OPTIONS"]["timeout"])
            try:
                source.backup(target)  # one write transaction: readers see the old or the new database
            finally:
                target.close()
        except sqlite3.Error as err:
            raise BackupFailed(f"Could not restore {snapshot}: {err}") from err
        finally:
            source.close()
    else:
        done = _pg_run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--dbname", _pg_url(), str(snapshot)],
        )  # fmt: skip
        if done.returncode:
            raise BackupFailed(f"pg_restore failed, nothing was changed: {done.stderr.strip()}")
    return f"Restored {snapshot} into the {engine} database"
