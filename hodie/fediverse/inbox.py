"""What the inboxes do with a verified activity: Follow, Undo, Create (a reply), Delete.

Mastodon's rules are the reference: the activity's ``actor`` is the account whose key signed
the request; an object created or deleted lives on that account's server; anything Hodie has
no use for (Like, Announce, a Create that replies to nothing of ours ...) is answered 202 and
dropped, stored nowhere.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction

from hodie.almanac.models import Collection

from . import activities, replies
from .delivery import queue_activity
from .models import Actor, Follower, Post, RemoteActor
from .posting import get_actor
from .remote import Refused

log = logging.getLogger(__name__)


def _id(value: Any) -> str:
    """An object's id, whether it came embedded or as a bare id."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _same_server(url: str, sender: RemoteActor) -> bool:
    return bool(url) and urlsplit(url).hostname == urlsplit(sender.uri).hostname


def _local_actor(url: str) -> Actor | None:
    """The enabled account whose id is ``url`` (made now if the collection has none yet)."""
    prefix = activities.absolute("/@")
    slug = url[len(prefix) :] if url.startswith(prefix) else ""
    collection = Collection.objects.filter(slug=slug).first() if slug and "/" not in slug else None
    if collection is None:
        return None
    actor = get_actor(collection)
    return actor if actor.enabled else None


def _local_post(url: str) -> Post | None:
    prefix = activities.absolute("/@")
    if not url.startswith(prefix):
        return None
    slug, _, rest = url[len(prefix) :].partition("/posts/")
    pk = rest.split("/")[0]
    if not pk.isdigit():
        return None
    return Post.objects.filter(pk=int(pk), actor__collection__slug=slug, actor__enabled=True).first()


def handle(activity: dict[str, Any], sender: RemoteActor, inbox_actor: Actor | None) -> str:
    """Act on one activity from ``sender``; a short word on what was done (for the log)."""
    if _id(activity.get("actor")) != sender.uri:
        raise Refused(f"The activity's actor is not {sender.uri}, whose key signed the request")
    kind = activity.get("type")
    if kind == "Follow":
        return _follow(activity, sender, inbox_actor)
    if kind == "Undo":
        return _undo(activity, sender)
    if kind == "Create":
        return _create(activity, sender)
    if kind == "Delete":
        return _delete(activity, sender)
    if kind == "Update":
        return _update(activity, sender)
    return f"ignored {kind}"


def _follow(activity: dict[str, Any], sender: RemoteActor, inbox_actor: Actor | None) -> str:
    actor = _local_actor(_id(activity.get("object")))
    if actor is None or (inbox_actor is not None and actor.pk != inbox_actor.pk):
        raise Refused("The Follow is not for an account of this site", status=404)
    follow_id = _id(activity)
    if not _same_server(follow_id, sender):
        raise Refused("The Follow's id is not on its actor's server", status=400)
    with transaction.atomic():
        Follower.objects.update_or_create(actor=actor, remote=sender, defaults={"follow_id": follow_id[:500]})
        accept = activities.accept(actor, {**activity, "id": follow_id, "object": activities.actor_id(actor)})
        queue_activity(actor, accept, [sender.inbox])
    return f"{sender.handle} follows {actor}"


def _undo(activity: dict[str, Any], sender: RemoteActor) -> str:
    undone = activity.get("object")
    undone_id = _id(undone)
    if not _same_server(undone_id, sender):
        raise Refused("The undone activity is not on its actor's server", status=400)
    follows = Follower.objects.filter(remote=sender)
    by_id = follows.filter(follow_id=undone_id)
    if by_id.exists():
        by_id.delete()
        return "unfollowed"
    if isinstance(undone, dict) and undone.get("type") == "Follow":
        actor = _local_actor(_id(undone.get("object")))
        if actor is not None:
            follows.filter(actor=actor).delete()
            return "unfollowed"
    return "nothing to undo"


def _create(activity: dict[str, Any], sender: RemoteActor) -> str:
    note = activity.get("object")
    if not isinstance(note, dict) or note.get("type") != "Note":
        return "ignored Create of something not a Note"
    if not _same_server(_id(note), sender) or _id(note.get("attributedTo")) != sender.uri:
        raise Refused("The Note is not by the account that sent it", status=400)
    replying_to = _id(note.get("inReplyTo"))
    if not replying_to:
        return "ignored a Note that replies to nothing"
    post = _local_post(replying_to)
    comment = replies.receive_reply(note, post, replies.source_id(replying_to), sender)
    return f"stored reply {comment.pk} ({comment.status})" if comment else "ignored a reply to nothing of ours"


def _delete(activity: dict[str, Any], sender: RemoteActor) -> str:
    gone = _id(activity.get("object"))
    if gone == sender.uri:
        Follower.objects.filter(remote=sender).delete()
        return f"account deleted; {replies.remove_all(sender)} reply(ies) removed"
    if not _same_server(gone, sender):
        raise Refused("The deleted object is not on its actor's server", status=400)
    return f"{replies.remove(gone, sender)} reply(ies) removed"


def _update(activity: dict[str, Any], sender: RemoteActor) -> str:
    note = activity.get("object")
    if not isinstance(note, dict) or note.get("type") != "Note":
        return "ignored Update of something not a Note"
    if not _same_server(_id(note), sender) or _id(note.get("attributedTo")) != sender.uri:
        raise Refused("The Note is not by the account that sent it", status=400)
    return "reply edited" if replies.edit(note) else "ignored an edit of nothing of ours"
