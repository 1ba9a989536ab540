"""A worker killed with SIGKILL in the middle of a batch, against a real SMTP server: restarted,
it delivers each missing message exactly once. The kill comes from the server while it holds the
25th message unanswered, so the worker dies with that message handed over but not accepted: the
worst moment that is not the unavoidable one (see docs/reach.md, "The crash window"). Runs with
the database job queue on SQLite or PostgreSQL, and with Redis when it answers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.social.test_redis_queue import redis_answers

# PostgreSQL: the worker uses the test database (emptied afterwards); SQLite: a file of its own.
pytestmark = pytest.mark.django_db(transaction=True)
N, KILL_AT, LEASE = 60, 25, 2
REDIS = os.environ.get("HODIE_TEST_REDIS", "redis://127.0.0.1:6379/5")
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def database_url(tmp_path) -> str:
    url = os.environ.get("HODIE_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path}/digest.sqlite3"
    from django.db import connection

    conf = connection.settings_dict
    return f"postgresql://{conf['USER']}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"


def _env(tmp_path: Path, url: str, smtp_port: int, backend: str) -> dict[str, str]:
    env = {
        **os.environ, "HODIE_HOME": str(tmp_path), "HODIE_DATABASE_URL": url, "HODIE_TASKS_BACKEND": backend,
        "HODIE_EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}?timeout=20", "HODIE_JOB_LEASE_SECONDS": str(LEASE),
        "HODIE_DIGEST_BATCH": "10", "HODIE_PARTNER_POLL_MINUTES": "0",
    }  # fmt: skip
    if backend == "redis":
        env["HODIE_REDIS_URL"] = REDIS
    return env


def _driver(env: dict[str, str], *args: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.digest.worker_driver", *args], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _hodie(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """`hodie ARGS`, its output to HODIE_HOME/hodie.log (read back with :func:`_log`)."""
    with open(Path(env["HODIE_HOME"]) / "hodie.log", "ab") as log:
        return subprocess.Popen([sys.executable, "-m", "hodie.cli", *args], env=env, cwd=ROOT, stdout=log, stderr=log)


def _log(env: dict[str, str]) -> str:
    return (Path(env["HODIE_HOME"]) / "hodie.log").read_text(errors="replace")[-3000:]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
@pytest.mark.parametrize("backend", ["database", "redis"])
def test_a_worker_killed_mid_batch_then_restarted_sends_each_digest_once(
    tmp_path: Path, database_url: str, smtp, backend: str
) -> None:
    if backend == "redis":
        if not redis_answers():
            if os.environ.get("HODIE_REQUIRE_REDIS"):
                pytest.fail("HODIE_REQUIRE_REDIS is set but Redis does not answer on 127.0.0.1:6379")
            pytest.skip("Redis does not answer on 127.0.0.1:6379")
        import redis

        redis.Redis.from_url(REDIS).flushdb()
    env = _env(tmp_path, database_url, smtp.port, backend)
    assert _driver(env, "setup", str(N)) == {"ok": True}
    worker: list[subprocess.Popen[bytes]] = []

    def kill_mid_batch(number: int) -> str | None:
        if number == KILL_AT and worker:
            worker[0].send_signal(signal.SIGKILL)
            worker[0].wait(30)
            return "421 4.3.0 closing"
        return None

    smtp.before_accept = kill_mid_batch
    if backend == "redis":  # the cron line queues, the Redis worker sends
        assert _hodie(env, "digest").wait(120) == 0, _log(env)
    worker.append(_hodie(env, "worker", "--interval", "0.2"))
    started = time.monotonic()
    assert worker[0].wait(120) == -signal.SIGKILL, _log(env)
    print(f"killed after {time.monotonic() - started:.1f} s")
    assert len(smtp.accepted) == KILL_AT - 1
    after_kill = _driver(env, "report")
    assert after_kill == {"queued": N - KILL_AT, "sending": 1, "sent": KILL_AT - 1}, after_kill

    smtp.before_accept = None
    time.sleep(LEASE + 0.5)  # the killed worker's record and job are past their lease
    if backend == "redis":
        assert _hodie(env, "digest").wait(120) == 0, _log(env)
    restart = _hodie(env, "worker", "--once")
    assert restart.wait(300) == 0, _log(env)

    assert _driver(env, "report") == {"sent": N}
    messages = smtp.messages()
    recipients = Counter(address for _, rcpt in smtp.envelopes for address in rcpt)
    assert recipients == Counter({f"reader{n}@example.org": 1 for n in range(N)})
    assert len({m["Message-ID"] for m in messages}) == N
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in messages)
    assert all("Kosenko" in m.get_body(("plain",)).get_content() or m["Subject"] for m in messages)
    # Three SMTP connections or more in the first run were cut by the kill; none sent a message twice.
    assert smtp.connections >= 2
