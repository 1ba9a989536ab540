"""The JSON documents the actor serves and sends: the actor itself, its Notes and the
activities that carry them, as Mastodon reads them.

Plain JSON with the ActivityStreams context, not JSON-LD processing: Mastodon itself reads
activities as plain JSON (it runs a JSON-LD processor only for the Linked Data Signatures it
no longer needs), so compacting or expanding with ``pyld`` would add a dependency and network
fetches of contexts for nothing a receiving server looks at.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse

from hodie.almanac.markup import render_markdown
from hodie.almanac.web import base_url

from .models import Actor, Post

CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTENT_TYPE = "application/activity+json"


def absolute(path: str) -> str:
    return f"{base_url()}{path}"


def domain() -> str:
    """The host of ``@slug@host``: the site URL's host, with its port when it has one."""
    return urlsplit(base_url()).netloc


def actor_id(actor: Actor) -> str:
    return absolute(reverse("fediverse:actor", args=[actor.collection.slug]))


def key_id(actor: Actor) -> str:
    return f"{actor_id(actor)}#main-key"


def note_id(post: Post) -> str:
    return absolute(reverse("fediverse:note", args=[post.actor.collection.slug, post.pk]))


def handle(actor: Actor) -> str:
    return f"{actor.collection.slug}@{domain()}"


def actor_document(actor: Actor) -> dict[str, Any]:
    collection = actor.collection
    me = actor_id(actor)
    slug = collection.slug
    summary = actor.summary or collection.description or f"This day in {collection.title}, from {domain()}."
    site = absolute(collection.get_absolute_url())
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": me,
        "type": "Service",  # an automated account: Mastodon shows it with its "bot" label
        "preferredUsername": slug,
        "name": collection.title,
        "summary": str(render_markdown(summary)),  # a collection's description is Markdown
        "url": me,
        "inbox": absolute(reverse("fediverse:inbox", args=[slug])),
        "outbox": absolute(reverse("fediverse:outbox", args=[slug])),
        "followers": absolute(reverse("fediverse:followers", args=[slug])),
        "endpoints": {"sharedInbox": absolute(reverse("fediverse:shared-inbox"))},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "published": actor.created.isoformat(),
        "attachment": [
            {
                "type": "PropertyValue",
                "name": "Website",
                "value": f'<a href="{_escape(site)}" rel="me">{_escape(site)}</a>',
            }
        ],
        "publicKey": {"id": key_id(actor), "owner": me, "publicKeyPem": actor.public_key_pem},
        "icon": {
            "type": "Image",
            "mediaType": "image/svg+xml" if not actor.icon_url else _media_type(actor.icon_url),
            "url": actor.icon_url or absolute(reverse("fediverse:icon", args=[slug])),
        },
    }
    return document


def _media_type(url: str) -> str:
    ending = urlsplit(url).path.rsplit(".", 1)[-1].lower()
    return {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
    }.get(ending, "image/png")


def _escape(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


def note(post: Post) -> dict[str, Any]:
    me = actor_id(post.actor)
    return {
        "id": note_id(post),
        "type": "Note",
        "attributedTo": me,
        "to": [PUBLIC],
        "cc": [absolute(reverse("fediverse:followers", args=[post.actor.collection.slug]))],
        "published": post.published.isoformat(),
        "url": post.url,
        "content": post.content,
        "inReplyTo": None,
        "sensitive": False,
    }


def create(post: Post) -> dict[str, Any]:
    body = note(post)
    return {
        "@context": CONTEXT,
        "id": f"{body['id']}/activity",
        "type": "Create",
        "actor": body["attributedTo"],
        "published": body["published"],
        "to": body["to"],
        "cc": body["cc"],
        "object": body,
    }


def accept(actor: Actor, follow: dict[str, Any]) -> dict[str, Any]:
    """The Accept of a Follow; its id follows from the Follow's, so the same Follow delivered
    twice is accepted once, and a new Follow from the same account (one that never saw our
    Accept, say) is accepted again."""
    me = actor_id(actor)
    return {
        "@context": CONTEXT,
        "id": f"{me}#accepts/{hashlib.sha256(str(follow['id']).encode()).hexdigest()[:16]}",
        "type": "Accept",
        "actor": me,
        "object": {k: follow[k] for k in ("id", "type", "actor", "object") if k in follow},
    }
