"""`hodie worker` outlives a database that refuses for a while, and then runs what waited."""

from __future__ import annotations

import ctypes
import os
import sqlite3
import stat
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


def start_worker(env: dict[str, str], log: Path, bound_by_modes: bool = False) -> subprocess.Popen[bytes]:
    """``bound_by_modes``: the worker obeys file modes even when the tests run as root (see below)."""
    before = _without_file_override if bound_by_modes and os.geteuid() == 0 else None
    with log.open("wb") as handle:  # the worker keeps its own copy of the descriptor
        return subprocess.Popen(
            [HODIE, "worker", "--interval", "0.3"], env=env, stdout=handle, stderr=handle, preexec_fn=before
        )


# Linux's prctl(PR_CAPBSET_DROP) and the two capabilities that let root ignore a file's mode.
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def _without_file_override() -> None:
    """In the child, before it runs `hodie`: drop the capabilities by which root writes to a file
    whose mode forbids it. A root process's capabilities after exec are its bounding set, so the
    worker is still uid 0 (it reads the virtualenv in root's home, it owns the database file) but
    a file's write bits bind it as they bind any owner."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def _can_drop_file_override() -> bool:
    if os.geteuid() != 0:
        return True  # not root: a file's mode binds already
    probe = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_without_file_override, check=False)
    return probe.returncode == 0


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
    and runs the queued job once the lock is let go. (A read-only file is the next test's; `chattr +i`
    could not stand in for one, since a worker's connection opened before it goes on writing through
    the descriptors it holds, and the test's outcome turned on timing.)"""
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
@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's own file; PostgreSQL has its test below")
def test_worker_waits_out_a_read_only_sqlite_database(tmp_path) -> None:
    """A database file that turns read-only (a mode change, a disk remounted read-only): the worker
    logs SQLite's refusal, 'attempt to write a readonly database', stays up, and runs the queued job
    once the file is writable again.

    The file is made read-only by its mode, 0444, as an operator would. Root ignores a file's mode,
    so when the tests run as root the worker alone is started without the two capabilities that
    let it (see _without_file_override); the helpers that queue and read jobs keep them. The worker
    is started after the change, so it opens the file read-only, as SQLite does when it may not
    write; after a refused round it closes its connections and opens the file again."""
    if not _can_drop_file_override():
        pytest.skip("root here may not drop CAP_DAC_OVERRIDE, so no file is read-only to it")
    env = environment(tmp_path, HODIE_DATABASE_URL="")
    subprocess.run([HODIE, "migrate"], env=env, check=True, capture_output=True)
    database = tmp_path / "hodie.sqlite3"
    job = enqueue(env)
    log = tmp_path / "worker.log"
    mode = stat.S_IMODE(database.stat().st_mode)
    database.chmod(0o444)
    worker = start_worker(env, log, bound_by_modes=True)
    try:
        assert wait_for(lambda: "attempt to write a readonly database" in log.read_text(), 120), log.read_text()
        time.sleep(1)  # a few refused rounds, not only the first
        assert worker.poll() is None, log.read_text()
        assert status(env, job) == "READY"
    finally:
        database.chmod(mode)
    try:
        assert wait_for(lambda: status(env, job) == "SUCCESSFUL", 120), log.read_text()
        assert "answers again" in log.read_text()
        assert worker.poll() is None
    finally:
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
