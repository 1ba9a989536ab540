"""Reading comments: a page's conversation as a tree, the counts the article boxes show, and what the
comment block needs (the form's hidden fields, and a held comment shown to its own author).

A day page's conversation is the day's own comments and those of the articles it shows: the model
page has one conversation, and a reader's comment from it is filed under the day's article (so the
article's page shows it too) and brings the reader back to the day."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Count, Q
from django.http import HttpRequest

from hodie.almanac.models import Article

from .comments import TOKEN_STEP, Target, make_token
from .models import Comment

HELD_SALT = "hodie.comment-held"
HELD_SECONDS = 24 * 3600  # how long the link after posting shows a held comment to its author


def _any_of(targets: tuple[Target, ...]) -> Q:
    """The comments of any of the conversation's pages."""
    where = Q()
    for target in targets:
        where |= target.filter()
    return where


@dataclass
class Node:
    comment: Comment
    replies: list[Node]
    depth: int
    pending: bool = False


def thread(*targets: Target, held: Comment | None = None) -> tuple[list[Node], int]:
    """The approved comments of the targets' pages as one tree (oldest first), with ``held`` (a
    comment still waiting for a moderator) in its place, and how many approved comments there are."""
    comments = list(Comment.objects.filter(_any_of(targets), status="approved").order_by("created", "pk"))
    count = len(comments)
    if held is not None and all(c.pk != held.pk for c in comments):
        comments.append(held)
    by_parent: dict[int | None, list[Comment]] = {}
    ids = {c.pk for c in comments}
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in ids else None
        by_parent.setdefault(parent, []).append(comment)

    def build(parent: int | None, depth: int) -> list[Node]:
        return [
            Node(c, build(c.pk, depth + 1), depth, pending=held is not None and c.pk == held.pk)
            for c in by_parent.get(parent, [])
        ]

    return build(None, 1), count


def counts_for_articles(articles: list[Article]) -> dict[int, int]:
    rows = (
        Comment.objects.filter(article__in=articles, status="approved")
        .values("article")
        .annotate(n=Count("pk"))
        .values_list("article", "n")
    )
    return dict(rows)


def held_link(comment: Comment) -> str:
    """The query string that shows a just-posted, held comment to the one who posted it."""
    return f"comment=held&held={signing.dumps(comment.pk, salt=HELD_SALT)}"


def held_comment(request: HttpRequest | None, targets: tuple[Target, ...]) -> Comment | None:
    """The held comment named by a signed, recent ``held`` parameter, when it belongs to one of the
    targets and still waits (a spam verdict is shown as waiting too: it is no one's business here)."""
    if request is None or not request.GET.get("held"):
        return None
    try:
        pk = signing.loads(request.GET["held"], salt=HELD_SALT, max_age=HELD_SECONDS)
    except signing.BadSignature:
        return None
    return Comment.objects.filter(_any_of(targets), pk=pk, status__in=("pending", "spam")).first()


def context_for(target: Target, *also: Target, request: HttpRequest | None = None, back: str = "") -> dict[str, Any]:
    """What a page's comment section needs: the conversation of ``target`` and ``also`` (the
    articles of a day page), its count, and the form's hidden fields; the form files a comment
    under ``also[0]`` when there is one (the day's article) and returns the reader to ``back``."""
    targets = (target, *also)
    filed_under = _replied_to(request, targets) or (also[0] if also else target)
    nodes, count = thread(*targets, held=held_comment(request, targets))
    return {
        "comment_nodes": nodes,
        "comment_count": count,
        "comment_target": filed_under.key,
        "comment_token": make_token(filed_under, time.time() // TOKEN_STEP * TOKEN_STEP),
        "comment_back": back,
        "comments_open": filed_under.is_open,
        "comment_max_depth": settings.HODIE_COMMENT_MAX_DEPTH,
    }


def _replied_to(request: HttpRequest | None, targets: tuple[Target, ...]) -> Target | None:
    """A reply (``?reply=PK``) is filed where the comment it answers is, on whichever of the
    conversation's pages that is."""
    reply = request.GET.get("reply", "") if request is not None else ""
    if len(targets) < 2 or not reply.isascii() or not reply.isdigit():
        return None
    parent = Comment.objects.filter(_any_of(targets), pk=int(reply)).first()
    if parent is None:
        return None
    return Target(article=parent.article, entry=parent.entry, collection=parent.collection, day_key=parent.day_key)
