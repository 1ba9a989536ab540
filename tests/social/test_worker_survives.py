"""`hodie worker` outlives a database that refuses for a while, and then runs what waited."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

HODIE = str(Path(sys.executable).parent / "hodie")
ON_POSTGRES = os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres")


def environment(home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "HODIE_HOME": str(home), "HODIE_PARTNER_POLL_MINUTES": "0", **extra}


def enqueue(env: dict[str, str]) -> str:
    """Queue one job (a poll of a partner that does not exist: it succeeds at once, fetching nothing)."""
    code = "from hodie.social.jobs import poll_partner; print(poll_partner.enqueue(987654).id)"
    out = subprocess.run([HODIE, "manage", "shell", "-c", code], env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def status(env: dict[str, str], job: str) -> str:
    code = f"from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.get(pk='{job}').status)"
    out = subprocess.run([HODIE, "manage", "shell", "-c", code], env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def wait_for(check, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:  # the worker keeps its own copy of the descriptor
        return subprocess.Popen([HODIE, "worker", "--interval", "0.3"], env=env, stdout=handle, stderr=handle)


def stop(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.mark.slow
@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's own lock and file; PostgreSQL has its test below")
def test_worker_waits_out_a_locked_sqlite_database(tmp_path) -> None:
    """A writer holding SQLite's lock ('database is locked'): the worker logs the refusal, stays up,
    and runs the queued job once the lock is let go. (A read-only database is the PostgreSQL test's
    below: on SQLite, `chattr +i` cannot stand in for one, since a worker's connection opened before
    it goes on writing through the descriptors it holds, and the test's outcome turned on timing.)"""
    env = environment(tmp_path, HODIE_DATABASE_URL="", HODIE_SQLITE_BUSY_SECONDS="1")
    subprocess.run([HODIE, "migrate"], env=env, check=True, capture_output=True)
    database = tmp_path / "hodie.sqlite3"
    first = enqueue(env)
    log = tmp_path / "worker.log"

    lock = sqlite3.connect(database, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # what a long `hodie import` holds
    worker = start_worker(env, log)
    try:
        assert wait_for(lambda: "database is locked" in log.read_text(), 120), log.read_text()
        assert worker.poll() is None, log.read_text()
        assert status(env, first) == "READY"
        lock.execute("COMMIT")
        assert wait_for(lambda: status(env, first) == "SUCCESSFUL", 120), log.read_text()
        assert "answers again" in log.read_text()

    finally:
        lock.close()
        stop(worker)


@pytest.mark.slow
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL")
def test_worker_waits_out_a_read_only_postgresql_database(tmp_path) -> None:
    """A server that turns read-only (a replica after failover): the worker logs the refusal,
    stays up, and runs the queued job once writes are allowed again."""
    import psycopg

    url = os.environ["HODIE_DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    env = environment(tmp_path)
    subprocess.run([HODIE, "migrate"], env=env, check=True, capture_output=True)
    job = enqueue(env)
    log = tmp_path / "worker.log"
    admin = psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)
    admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    worker = start_worker(env, log)
    try:
        assert wait_for(lambda: "read-only transaction" in log.read_text(), 120), log.read_text()
        time.sleep(1)
        assert worker.poll() is None, log.read_text()
    finally:
        admin.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    try:
        assert wait_for(lambda: status(env, job) == "SUCCESSFUL", 120), log.read_text()
        assert "answers again" in log.read_text()
        assert worker.poll() is None
    finally:
        admin.close()
        stop(worker)
