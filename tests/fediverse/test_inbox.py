"""Requests the inboxes refuse, leaving nothing stored: unsigned, a signature by another key, a
digest that does not match the body, a key that cannot be fetched, a forged actor, an old date,
an oversized body. Signed by bovine, as another server would."""

from __future__ import annotations

import json

import pytest
import requests
from bovine.crypto import generate_rsa_public_private_key
from bovine.crypto.http_signature import build_signature
from bovine.crypto.types import CryptographicSecret

from hodie.fediverse import signatures

pytestmark = pytest.mark.django_db(transaction=True)


def _stored() -> tuple[int, int, int]:
    from hodie.fediverse.models import Follower, RemoteActor
    from hodie.fediverse.replies import Comment  # wherever the model lives, the one import is there

    return RemoteActor.objects.count(), Follower.objects.count(), Comment.objects.filter(comment_type="reply").count()


def _follow(node, hodie: str, actor: str | None = None) -> dict:
    return {
        "id": f"{node.actor}#follows/9",
        "type": "Follow",
        "actor": actor or node.actor,
        "object": f"{hodie}/@russia",
    }


def _raw_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    return requests.post(url, data=body, headers=headers, timeout=10).status_code


def test_a_signed_follow_is_accepted(hodie, node):
    """The control for the refusals below: the same Follow, properly signed, is taken."""
    assert node.post(f"{hodie}/@russia/inbox", _follow(node, hodie)) == 202
    assert _stored() == (1, 1, 0)


def test_an_unsigned_request_is_refused(hodie, node):
    body = json.dumps(_follow(node, hodie)).encode()
    assert _raw_post(f"{hodie}/inbox", body, {"Content-Type": "application/activity+json"}) == 401
    assert _stored() == (0, 0, 0)


def test_a_signature_by_another_key_is_refused(hodie, node):
    _public, other = generate_rsa_public_private_key()
    assert node.post(f"{hodie}/inbox", _follow(node, hodie), private_pem=other) == 401
    assert _stored() == (0, 0, 0)


def test_a_digest_that_does_not_match_the_body_is_refused(hodie, node):
    signed = json.dumps(_follow(node, hodie)).encode()
    sent = signed.replace(b"follows/9", b"follows/8")
    host = hodie.split("://")[1]
    helper = (
        build_signature(host, "post", "/inbox")
        .with_field("date", signatures.http_date())
        .with_field("digest", signatures.digest(signed))
    )
    header = helper.sign_for_http_draft(CryptographicSecret.from_pem(node.key_id, node.private_pem))
    assert _raw_post(f"{hodie}/inbox", sent, {**helper.headers, "signature": header}) == 401
    assert _stored() == (0, 0, 0)


def test_a_key_that_cannot_be_fetched_is_refused(hodie, node):
    node.served_actor = False
    assert node.post(f"{hodie}/inbox", _follow(node, hodie)) == 401
    assert _stored() == (0, 0, 0)


def test_a_key_on_a_private_address_is_not_fetched(hodie, node, settings):
    settings.HODIE_FETCH_ALLOW_LOOPBACK = False  # the fetch policy: loopback refused like any private address
    assert node.post(f"{hodie}/inbox", _follow(node, hodie)) == 401
    assert _stored() == (0, 0, 0)


def test_a_forged_actor_is_refused(hodie, node):
    forged = _follow(node, hodie, actor="https://mastodon.example/users/gargron")
    assert node.post(f"{hodie}/inbox", forged) == 401
    assert _stored() == (0, 0, 0)


def test_a_reply_by_someone_else_is_refused(hodie, node):
    reply = {
        "id": f"{node.actor}/statuses/2/activity",
        "type": "Create",
        "actor": node.actor,
        "object": {"id": "https://mastodon.example/statuses/2", "type": "Note", "attributedTo": node.actor},
    }
    assert node.post(f"{hodie}/inbox", reply) == 400
    assert _stored() == (0, 0, 0)  # the key fetched for it is not kept either


def test_an_oversized_body_is_refused(hodie, node):
    big = {**_follow(node, hodie), "padding": "x" * 300_000}
    assert node.post(f"{hodie}/inbox", big) == 413
    assert _stored() == (0, 0, 0)


def test_a_new_key_is_fetched_when_the_cached_one_fails(hodie, node):
    """Keys rotate: a signature the cached key does not verify is checked once against the key
    fetched again, and the account keeps its row (and so its follows)."""
    from hodie.fediverse.models import RemoteActor

    old_public, _old_private = generate_rsa_public_private_key()
    kept = RemoteActor.objects.create(
        uri=node.actor, key_id=node.key_id, public_key_pem=old_public, inbox=f"{node.actor}/inbox"
    )
    assert node.post(f"{hodie}/inbox", _follow(node, hodie)) == 202
    kept.refresh_from_db()
    assert kept.public_key_pem == node.public_pem
    assert _stored() == (1, 1, 0)


def test_a_follow_delivered_twice_is_accepted_once_and_a_new_follow_again(hodie, node):
    from hodie.fediverse.models import Delivery, Follower

    follow = _follow(node, hodie)
    assert node.post(f"{hodie}/inbox", follow) == 202
    assert node.post(f"{hodie}/inbox", follow) == 202  # a retry by the other server
    assert Delivery.objects.filter(activity_id__contains="#accepts/").count() == 1
    again = {**follow, "id": f"{node.actor}#follows/10"}  # it never saw the Accept, and follows anew
    assert node.post(f"{hodie}/inbox", again) == 202
    assert Delivery.objects.filter(activity_id__contains="#accepts/").count() == 2
    assert Follower.objects.get().follow_id == again["id"]
