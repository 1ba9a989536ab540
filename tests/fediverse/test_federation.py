"""Hodie's @russia against a second node whose signatures and HTTP clients are bovine's: the node
finds the account by WebFinger, follows it, gets the Accept and the day's Note with signatures
bovine accepts, and its reply lands in Hodie's moderation queue; Delete and Undo are honoured."""

from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import urlsplit

import aiohttp
import pytest
import requests
from bovine.clients.lookup_account import lookup_with_webfinger
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
AS = "application/activity+json"


def _get_json(url: str, accept: str = AS) -> dict:
    response = requests.get(url, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return response.json()


def _a_day_with_entries(collection) -> dt.date:
    from hodie.almanac.models import Membership

    key = Membership.objects.filter(collection=collection).exclude(day_key=None).order_by("day_key")[0].day_key
    return dt.date(2026, key // 100, key % 100)


def test_the_node_follows_russia_gets_the_day_and_its_reply_is_held(hodie, node, demo_live, run_jobs, admin_client):
    from hodie.fediverse.models import Actor, Follower
    from hodie.fediverse.posting import due
    from hodie.fediverse.replies import Comment  # wherever the model lives, the one import is there

    host = urlsplit(hodie).netloc

    async def finger() -> str | None:
        async with aiohttp.ClientSession() as session:
            return await lookup_with_webfinger(
                session, f"{hodie}/.well-known/webfinger", {"resource": f"acct:russia@{host}"}
            )

    actor_url = asyncio.run(finger())
    assert actor_url == f"{hodie}/@russia"
    profile = _get_json(actor_url)
    assert profile["preferredUsername"] == "russia"
    assert profile["name"] == demo_live.title
    assert profile["publicKey"]["owner"] == actor_url
    assert profile["endpoints"]["sharedInbox"] == f"{hodie}/inbox"
    icon = requests.get(profile["icon"]["url"], timeout=10)
    assert icon.headers["Content-Type"] == "image/png" and icon.content.startswith(b"\x89PNG")
    assert demo_live.get_absolute_url() in profile["attachment"][0]["value"]

    follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{node.actor}#follows/1",
        "type": "Follow",
        "actor": node.actor,
        "object": actor_url,
    }
    assert node.post(profile["inbox"], follow) == 202
    assert Follower.objects.get().remote.uri == node.actor
    run_jobs()
    accept = [r for r in node.received if r["activity"]["type"] == "Accept"]
    assert len(accept) == 1
    assert accept[0]["path"] == "/users/alice/inbox"
    assert accept[0]["owner"] == actor_url  # bovine checked the signature against @russia's key
    assert accept[0]["activity"]["object"]["id"] == follow["id"]

    day = _a_day_with_entries(demo_live)
    actor = Actor.objects.get(collection=demo_live)
    actor.post_hour = 9
    actor.save()
    early = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
    assert due(early) == 0  # not yet the editor's hour
    assert due(early + dt.timedelta(hours=1)) == 1
    assert due(early + dt.timedelta(hours=2)) == 0  # once a day
    run_jobs()
    creates = [r for r in node.received if r["activity"]["type"] == "Create"]
    assert len(creates) == 1
    assert creates[0]["path"] == "/inbox"  # the shared inbox, as Mastodon prefers
    assert creates[0]["owner"] == actor_url
    note = creates[0]["activity"]["object"]
    day_url = f"{hodie}/russia/{day.strftime('%B').lower()}-{day.day}/"
    assert note["type"] == "Note" and note["url"] == day_url and day_url in note["content"]
    first_entry = demo_live.entries.filter(membership__day_key=day.month * 100 + day.day).first()
    assert first_entry.title.split()[0] in note["content"]
    outbox = _get_json(profile["outbox"])
    assert outbox["totalItems"] == 1 and outbox["orderedItems"][0]["object"]["id"] == note["id"]
    assert _get_json(note["id"])["content"] == note["content"]

    reply_id = f"{node.actor}/statuses/1"
    reply = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{reply_id}/activity",
        "type": "Create",
        "actor": node.actor,
        "object": {
            "id": reply_id,
            "type": "Note",
            "attributedTo": node.actor,
            "inReplyTo": note["id"],
            "content": '<p><a href="x" class="mention">@russia</a> What a day. <script>alert(1)</script></p>',
            "published": "2026-02-20T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        },
    }
    assert node.post(f"{hodie}/inbox", reply) == 202
    comment = Comment.objects.get(comment_type="reply")
    assert comment.status == "pending"
    assert (comment.collection_id, comment.day_key) == (demo_live.pk, day.month * 100 + day.day)
    assert "What a day." in comment.body and "<script" not in comment.body
    assert "@alice@127.0.0.1" in comment.author_name
    changelist = reverse(f"admin:{Comment._meta.app_label}_comment_changelist")
    queue = admin_client.get(f"{changelist}?status__exact=pending")
    assert "What a day." in queue.content.decode()

    Comment.objects.filter(pk=comment.pk).update(status="approved")  # a moderator approves it
    edited = {**reply["object"], "content": "<p>What a day, indeed.</p>", "updated": "2026-02-20T10:05:00Z"}
    update = {"id": f"{reply_id}#updates/1", "type": "Update", "actor": node.actor, "object": edited}
    assert node.post(f"{hodie}/inbox", update) == 202
    comment.refresh_from_db()
    assert "indeed" in comment.body and comment.status == "pending"  # an edit goes back to the moderators

    delete = {"id": f"{reply_id}#delete", "type": "Delete", "actor": node.actor, "object": reply_id}
    assert node.post(f"{hodie}/inbox", delete) == 202
    comment.refresh_from_db()
    assert comment.status == "trash"

    undo = {"id": f"{node.actor}#undo/1", "type": "Undo", "actor": node.actor, "object": follow}
    assert node.post(profile["inbox"], undo) == 202
    assert not Follower.objects.exists()


def test_webfinger_and_nodeinfo_describe_the_server(client, demo, settings):
    settings.SITE_URL = "https://hodie.example"
    found = client.get("/.well-known/webfinger", {"resource": "acct:russia@hodie.example"})
    assert found.status_code == 200 and found["Content-Type"] == "application/jrd+json"
    assert found.json()["links"][0]["href"] == "https://hodie.example/@russia"
    assert client.get("/.well-known/webfinger", {"resource": "acct:russia@elsewhere.example"}).status_code == 404
    assert client.get("/.well-known/webfinger", {"resource": "acct:nobody@hodie.example"}).status_code == 404
    assert client.get("/.well-known/webfinger").status_code == 400
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links[0]["href"] == "https://hodie.example/nodeinfo/2.1"
    info = client.get("/nodeinfo/2.1").json()
    assert info["software"]["name"] == "hodie" and info["protocols"] == ["activitypub"]
    assert info["usage"]["users"]["total"] == 1  # the account WebFinger just asked for


def test_people_get_a_profile_page_and_servers_get_json(client, demo):
    page = client.get("/@russia", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and "text/html" in page["Content-Type"]
    text = page.content.decode()
    assert "@russia@" in text and demo.title in text
    data = client.get("/@russia", HTTP_ACCEPT='application/ld+json; profile="https://www.w3.org/ns/activitystreams"')
    assert data["Content-Type"] == AS and data.json()["type"] == "Service"
    assert "Accept" in data["Vary"]
    assert client.get("/@nobody", HTTP_ACCEPT=AS).status_code == 404


def test_a_disabled_account_answers_404(client, demo):
    from hodie.fediverse.models import Actor
    from hodie.fediverse.posting import get_actor

    actor = get_actor(demo)
    Actor.objects.filter(pk=actor.pk).update(enabled=False)
    assert client.get("/@russia", HTTP_ACCEPT=AS).status_code == 404
    assert client.get("/.well-known/webfinger", {"resource": "acct:russia@127.0.0.1:8000"}).status_code == 404
