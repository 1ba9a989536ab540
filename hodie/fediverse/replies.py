"""Replies from the fediverse become comments on the page a Note links to, held for moderation
by the site's own rules (:func:`hodie.social.moderation.decide`), and Delete takes them down.

This is the one module of the app that names the ``Comment`` model: when it moves, change the
import below and nothing else.
"""

from __future__ import annotations

import hashlib
from typing import Any

import nh3
from django.db import transaction
from django.utils.dateparse import parse_datetime

from hodie.importers.html import clean_html
from hodie.social.comments import Target
from hodie.social.models import Comment
from hodie.social.moderation import decide

from .models import Post, RemoteActor

MAX_BODY = 5000  # the same cap as a comment posted through the site's form


def source_id(object_id: str) -> str:
    """The comment's ``source_id`` for a Note: hashed, as ids can be longer than the column."""
    return "ap:" + hashlib.sha256(object_id.encode()).hexdigest()[:60]


def target_of(post: Post) -> Target:
    if post.article_id:
        return Target(article=post.article)
    day = post.day
    assert day is not None
    return Target(collection=post.actor.collection, day_key=day.month * 100 + day.day)


def receive_reply(note: dict[str, Any], post: Post | None, parent_source: str, sender: RemoteActor) -> Comment | None:
    """Store a reply to ``post`` (or to the comment whose ``source_id`` is ``parent_source``);
    once per Note id. None when it replies to nothing of ours."""
    parent = None
    if post is not None:
        target = target_of(post)
    else:
        parent = Comment.objects.filter(source_id=parent_source).first()
        if parent is None:
            return None
        target = Target(
            article=parent.article, entry=parent.entry, collection=parent.collection, day_key=parent.day_key
        )
    ident = source_id(note["id"])
    existing = Comment.objects.filter(source_id=ident).first()
    if existing is not None:
        return existing
    body = clean_html(note.get("content") if isinstance(note.get("content"), str) else "", comment=True)
    if not body.strip():
        return None
    name = f"{sender.name or sender.username} ({sender.handle})"[:200]
    url = note.get("url") if isinstance(note.get("url"), str) else note["id"]
    # The moderation rules read the text people see (a Mastodon reply's mention is a link).
    status = decide(target, name, "", sender.url, nh3.clean(body, tags=set()), staff=False)
    published = parse_datetime(note["published"]) if isinstance(note.get("published"), str) else None
    with transaction.atomic():
        comment = Comment.objects.create(
            **target.fields(),
            parent=parent if parent is not None and parent.status == "approved" else None,
            author_name=name,
            author_url=sender.url[:500],
            body=body[:MAX_BODY],
            markup="html",
            status=status,
            comment_type="reply",
            source_id=ident,
            source_url=url[:500],
            **({"created": published} if published else {}),
        )
    if status == "pending":
        from hodie.social.jobs import notify_moderators

        transaction.on_commit(lambda: notify_moderators.enqueue(comment.pk))
    return comment


def edit(note: dict[str, Any]) -> bool:
    """Take the new text of an edited reply. An edit of an approved reply goes back to the
    moderators: an edit could say anything."""
    comment = Comment.objects.filter(source_id=source_id(note["id"])).exclude(status="trash").first()
    if comment is None:
        return False
    body = clean_html(note.get("content") if isinstance(note.get("content"), str) else "", comment=True)
    if not body.strip() or body[:MAX_BODY] == comment.body:
        return False
    comment.body = body[:MAX_BODY]
    if comment.status == "approved":
        comment.status = "pending"
        comment.notified = False
    comment.save(update_fields=["body", "status", "notified"])
    if comment.status == "pending":
        from hodie.social.jobs import notify_moderators

        transaction.on_commit(lambda: notify_moderators.enqueue(comment.pk))
    return True


def remove(object_id: str, sender: RemoteActor) -> int:
    """Trash the comment made from the sender's Note ``object_id``; how many were. The inbox has
    checked that the Note lives on the sender's server, so no one else can delete it."""
    return Comment.objects.filter(source_id=source_id(object_id)).exclude(status="trash").update(status="trash")


def remove_all(sender: RemoteActor) -> int:
    """Trash every reply from an account that was deleted."""
    return (
        Comment.objects.filter(source_id__startswith="ap:", author_url=sender.url[:500])
        .exclude(status="trash")
        .update(status="trash")
    )
