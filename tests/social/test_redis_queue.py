"""The scale-out job queue: the same jobs through Redis (django-tasks-rq), run by `hodie worker`.
Runs when Redis answers on 127.0.0.1:6379 (always in CI, where HODIE_REQUIRE_REDIS is set)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REDIS = os.environ.get("HODIE_TEST_REDIS", "redis://127.0.0.1:6379/15")


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_env(tmp_path):
    if not redis_answers():
        if os.environ.get("HODIE_REQUIRE_REDIS"):
            pytest.fail("HODIE_REQUIRE_REDIS is set but Redis does not answer on 127.0.0.1:6379")
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    return {
        **os.environ, "HODIE_HOME": str(tmp_path), "HODIE_DATABASE_URL": f"sqlite:///{tmp_path}/hodie.sqlite3",
        "HODIE_TASKS_BACKEND": "redis", "HODIE_REDIS_URL": REDIS, "HODIE_MODERATOR_EMAILS": "mod@example.org",
    }  # fmt: skip


def hodie(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "hodie"), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_a_job_queued_on_redis_is_run_by_the_worker(redis_env):
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    assert hodie(redis_env, "migrate").returncode == 0
    script = (
        "from hodie.almanac.models import Article;"
        "from hodie.social.models import Comment;"
        "from hodie.social.jobs import notify_moderators;"
        "a = Article.objects.create(title='T', slug='t', body='b', status='published');"
        "c = Comment.objects.create(article=a, author_name='Reader', body='Held for you', status='pending');"
        "r = notify_moderators.enqueue(c.pk); print('queued', r.id)"
    )
    queued = hodie(redis_env, "manage", "shell", "-c", script)
    assert queued.returncode == 0 and "queued" in queued.stdout, queued.stderr
    worker = hodie(redis_env, "worker", "--once")
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert "Held for you" in worker.stdout + worker.stderr  # the console email backend printed the email
    check = hodie(
        redis_env,
        "manage",
        "shell",
        "-c",
        "from hodie.social.models import Comment; print(Comment.objects.get().notified)",
    )
    assert check.stdout.strip().splitlines()[-1] == "True"
