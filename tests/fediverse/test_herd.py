"""Hodie's @russia against bovine-herd, an ActivityPub server Hodie shares no code with, run as
its own process: its account alice follows @russia (and bovine-herd takes Hodie's signed Accept),
receives the day's Note (bovine-herd refuses a request whose signature does not verify), and its
reply appears in Hodie's moderation queue. bovine-herd answers only signed GETs ("authorized
fetch"), so Hodie's key fetches are signed too."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


HERD_LOG: list[Path] = []


def _wait_for(check, what: str, seconds: float = 60.0):  # type: ignore[no-untyped-def]
    """Poll ``check`` until it returns something true: bovine-herd works in background tasks.
    (A deadline for the wait, not a speed target: on a loaded machine it takes a few seconds.)"""
    from django.db import OperationalError

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = check()
        except OperationalError as err:  # SQLite's shared in-memory test database: a table locked by
            if "locked" not in str(err):  # the live server thread's open transaction, not an error
                raise
            found = None
        if found:
            return found
        time.sleep(0.2)
    tail = HERD_LOG[-1].read_text(errors="replace")[-3000:] if HERD_LOG else ""
    pytest.fail(f"Gave up waiting for {what}; bovine-herd's log ends:\n{tail}")


@pytest.fixture
def herd(tmp_path):
    port = _free_port()
    db = str(tmp_path / "herd.sqlite3")
    run = [sys.executable, "-m", "tests.fediverse.herd"]
    HERD_LOG.append(tmp_path / "herd.log")
    log = HERD_LOG[-1].open("wb")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # run in tmp_path: bovine leaves a cache file in its folder
    server = subprocess.Popen(
        [*run, "serve", str(port), db], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return requests.get(f"{base}/.well-known/nodeinfo", timeout=2).status_code == 200
            except requests.ConnectionError:
                return False

        _wait_for(up, "bovine-herd to start")
        made = subprocess.run(
            [*run, "register", str(port), db], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
        )
        secret = json.loads(made.stdout.strip().splitlines()[-1])["secret"]
        yield base, secret
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _client(base: str, secret: str, action):  # type: ignore[no-untyped-def]
    """Run ``action(actor)`` with a bovine client logged in to alice (Moo-Auth-1)."""
    from bovine import BovineClient

    async def go():  # type: ignore[no-untyped-def]
        async with BovineClient(domain=base, secret=secret) as actor:
            return await action(actor)

    return asyncio.run(go())


def _collection(base: str, secret: str, which: str) -> list:
    async def items(actor):  # type: ignore[no-untyped-def]
        found = await actor.get(actor.information[which])
        first = found.get("first")
        page = await actor.get(first) if isinstance(first, str) else (first or found)
        entries = page.get("orderedItems", page.get("items", []))
        return [await actor.get(e) if isinstance(e, str) else e for e in entries]

    return _client(base, secret, items)


def test_bovine_herd_follows_russia_gets_the_day_and_replies(hodie, herd, demo_live, run_jobs):
    from hodie.almanac.models import Membership
    from hodie.fediverse.models import Delivery, Follower
    from hodie.fediverse.posting import due
    from hodie.fediverse.replies import Comment

    base, secret = herd
    russia = f"{hodie}/@russia"

    async def follow(actor):  # type: ignore[no-untyped-def]
        activity = actor.activity_factory.follow(russia).build()
        response = await actor.send_to_outbox(activity)
        response.release()
        return actor.actor_id, response.status

    alice, status = _client(base, secret, follow)
    assert status in (200, 201, 202)
    follower = _wait_for(lambda: Follower.objects.filter(remote__uri=alice).first(), "the Follow to reach Hodie")
    assert follower.actor.collection == demo_live

    def accept_tried():  # type: ignore[no-untyped-def]
        # The Accept's job is queued when the inbox's transaction commits, which the test's view of
        # the Follower does not prove on SQLite's shared-cache test database: poll until it was tried.
        run_jobs()
        return Delivery.objects.filter(activity_id__contains="#accepts/").exclude(status="queued").first()

    accepted = _wait_for(accept_tried, "Hodie's Accept to be queued and sent")
    assert (accepted.status, accepted.last_error) == ("sent", ""), HERD_LOG[-1].read_text(errors="replace")[-3000:]

    def following_russia() -> bool:
        return russia in [i if isinstance(i, str) else i.get("id") for i in _collection(base, secret, "following")]

    _wait_for(following_russia, "bovine-herd to take Hodie's Accept")  # it adds to "following" on an Accept it verified

    key = Membership.objects.filter(collection=demo_live).exclude(day_key=None).order_by("day_key")[0].day_key
    day = dt.date(2026, key // 100, key % 100)
    assert due(timezone.make_aware(dt.datetime.combine(day, dt.time(23, 0)))) == 1
    run_jobs()
    create = Delivery.objects.get(activity_id__endswith="/activity")
    assert (create.status, create.last_error) == ("sent", "")

    def note_in_inbox():  # type: ignore[no-untyped-def]
        for item in _collection(base, secret, "inbox"):
            if isinstance(item, dict) and item.get("type") == "Create" and isinstance(item.get("object"), dict):
                return item["object"]
        return None

    note = _wait_for(note_in_inbox, "the day's Note in alice's inbox")
    assert note["id"].startswith(f"{russia}/posts/") and note["attributedTo"] == russia
    assert note["url"] in note["content"]

    async def reply(actor):  # type: ignore[no-untyped-def]
        answer = actor.object_factory.reply(note, content="<p>Thank you for this day.</p>")
        response = await actor.send_to_outbox(actor.activity_factory.create(answer.build()).build())
        response.release()
        return response.status

    assert _client(base, secret, reply) in (200, 201, 202)
    comment = _wait_for(lambda: Comment.objects.filter(comment_type="reply").first(), "the reply to reach Hodie")
    assert comment.status == "pending"
    assert comment.day_key == key and comment.collection_id == demo_live.pk
    assert "Thank you for this day." in comment.body
