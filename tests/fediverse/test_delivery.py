"""Delivery through the job queue: one job per inbox, a dead server retried with backoff and then
given up on, while the live one gets its post at once. On the database queue, and on Redis."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def _dead_port() -> int:
    """A port nothing listens on (bound, then closed): connections to it are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _followers(actor, node, dead: int) -> None:
    from hodie.fediverse.models import Follower, RemoteActor

    for name, inbox in (("alice", f"{node.base}/users/alice/inbox"), ("bob", f"http://127.0.0.1:{dead}/inbox")):
        remote = RemoteActor.objects.create(
            uri=f"{inbox}/{name}", key_id=f"{inbox}/{name}#k", public_key_pem="-", inbox=inbox, username=name
        )
        Follower.objects.create(actor=actor, remote=remote, follow_id=f"{inbox}/{name}#f")


def test_a_dead_server_is_retried_then_given_up_without_holding_up_the_live_one(hodie, node, demo_live, run_jobs):
    from django_tasks_db.models import DBTaskResult

    from hodie.almanac.models import Article
    from hodie.fediverse.models import Delivery
    from hodie.fediverse.posting import due, get_actor
    from hodie.social.jobs import MAX_ATTEMPTS

    actor = get_actor(demo_live)
    _followers(actor, node, _dead_port())
    article = Article.objects.create(
        title="A scheduled article", body="Text.", status="scheduled", publish_at=timezone.now() + dt.timedelta(hours=1)
    )
    article.entries.set(demo_live.entries.all()[:1])
    actor.post_hour = 23
    actor.save()
    before_the_hour = timezone.localtime().replace(hour=1)
    assert due(before_the_hour) == 0  # the article is not live yet, and it is not the daily Note's hour
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now())  # its time has come
    assert due(before_the_hour) == 1  # the article
    assert due(before_the_hour) == 0  # once
    run_jobs()
    live = Delivery.objects.get(inbox__startswith=node.base)
    dead = Delivery.objects.exclude(pk=live.pk).get()
    assert live.status == "sent"
    [received] = node.received
    assert received["activity"]["object"]["content"].count("A scheduled article") == 1
    assert received["owner"] == f"{hodie}/@russia"
    assert (dead.status, dead.attempts) == ("retrying", 1)
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 1 and waiting.get().run_after > timezone.now() + dt.timedelta(seconds=50)
    for _ in range(MAX_ATTEMPTS):  # the backoff's waits, skipped
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_jobs()
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == ("failed", MAX_ATTEMPTS)
    assert "127.0.0.1" in dead.last_error
    assert len(node.received) == 1  # the live inbox got its post once


def test_an_inbox_that_answers_4xx_is_not_tried_again(hodie, node, demo_live, run_jobs):
    from hodie.fediverse.models import Delivery
    from hodie.fediverse.posting import get_actor, post_day

    actor = get_actor(demo_live)
    _followers(actor, node, _dead_port())
    node.failing["/users/alice/inbox"] = 410
    from hodie.almanac.models import Membership

    key = Membership.objects.filter(collection=demo_live).exclude(day_key=None).first().day_key
    assert post_day(actor, dt.date(2026, key // 100, key % 100)) is not None
    run_jobs()
    gone = Delivery.objects.get(inbox__startswith=node.base)
    assert (gone.status, gone.attempts, gone.last_error) == ("failed", 1, "HTTP 410")


REDIS = "redis://127.0.0.1:6379/6"


def test_delivery_through_redis(node, tmp_path):
    from tests.social.test_redis_queue import redis_answers

    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    env = {
        **__import__("os").environ, "HODIE_HOME": str(tmp_path), "HODIE_DATABASE_URL": f"sqlite:///{tmp_path}/h.db",
        "HODIE_TASKS_BACKEND": "redis", "HODIE_REDIS_URL": REDIS, "HODIE_FETCH_ALLOW_LOOPBACK": "true",
    }  # fmt: skip
    hodie = str(Path(sys.executable).parent / "hodie")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([hodie, *args], env=env, capture_output=True, text=True, timeout=120, check=False)

    assert run("migrate").returncode == 0
    dead = _dead_port()
    script = (
        "from hodie.almanac.models import Collection;"
        "from hodie.fediverse.models import Follower, RemoteActor;"
        "from hodie.fediverse.posting import get_actor;"
        "from hodie.fediverse.delivery import queue_activity;"
        "from django.db import transaction;"
        "a = get_actor(Collection.objects.create(slug='russia', title='Russia'));"
        f"inboxes = ['{node.base}/users/alice/inbox', 'http://127.0.0.1:{dead}/inbox'];"
        "t = transaction.atomic(); t.__enter__();"
        "queue_activity(a, {'id': 'http://127.0.0.1:8000/@russia#x', 'type': 'Announce', 'actor': 'x'}, inboxes);"
        "t.__exit__(None, None, None)"
    )
    queued = run("manage", "shell", "-c", script)
    assert queued.returncode == 0, queued.stderr[-2000:]
    worker = run("worker", "--once")
    assert worker.returncode == 0, worker.stderr[-2000:]
    check = run(
        "manage", "shell", "-c",
        "import json; from hodie.fediverse.models import Delivery;"
        "print(json.dumps(sorted([d.inbox, d.status, d.attempts] for d in Delivery.objects.all())))",
    )  # fmt: skip
    rows = json.loads(check.stdout.strip().splitlines()[-1])
    assert rows == sorted(
        [[f"{node.base}/users/alice/inbox", "sent", 1], [f"http://127.0.0.1:{dead}/inbox", "retrying", 1]]
    )
    assert [r["activity"]["type"] for r in node.received] == ["Announce"]
