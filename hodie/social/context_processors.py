"""What the social app gives every public page: its comment block and comment counts, so that the
almanac's pages show comments without the almanac importing this app.

The block is rendered once per change and kept as a fragment (:mod:`hodie.almanac.fragments`,
kind ``comments``): its bytes depend on the conversation's approved comments, the interface
language, whether comments are open, where the form returns the reader, and the form's token.
The token is a time (its quarter hour, signed): the block is stored with it cut out and it is put
back on each request. No reader's CSRF token is ever in the block (nor in any shared HTML: the
comment form carries none). A request that shows a held comment to its author, a reply form or
the "awaits a moderator" notice is rendered afresh and never stored."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language
from markupsafe import Markup

from hodie.almanac import fragments
from hodie.almanac.models import Fragment

from .comments import TOKEN_STEP, Target, make_token
from .threads import context_for, counts_for_articles

# The token's place while a block is stored: cut out there, put back per request.
TOKEN_MARK = "hodie-comment-token"  # noqa: S105 - a placeholder, not a secret
TOKEN_FIELD = 'name="token" value="{}"'  # noqa: S105 - the hidden field, not a secret
# Query parameters that make a block personal (a held comment, a reply form, the held notice).
PERSONAL = ("held", "reply", "comment")


@dataclass
class Block:
    """A comment block: its HTML, and the approved comments of each of its articles."""

    html: Markup
    counts: dict[int, int] = field(default_factory=dict)


def _targets(articles: Any, target: dict[str, Any]) -> tuple[Target, ...]:
    return (Target(**target), *(Target(article=article) for article in articles))


def block_key(request: HttpRequest, articles: Any = (), **target: Any) -> str | None:
    """The stored block's key for this request, or None when the block must be rendered afresh."""
    if any(name in request.GET for name in PERSONAL):
        return None
    targets = _targets(articles, target)
    filed_under = targets[1] if len(targets) > 1 else targets[0]
    static = bool(request.META.get("hodie.static_build"))
    back = request.path if len(targets) > 1 else ""
    parts = [t.key for t in targets] + [get_language() or "", str(filed_under.is_open), str(static), back]
    parts += [str(settings.HODIE_COMMENT_MAX_DEPTH), fragments.digest("comments")]
    return "comments:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


def day_block_keys(request: HttpRequest, collection: Any, day_key: int, articles: list[Any]) -> list[str]:
    """The day page's block key, for the page's one read of its fragments."""
    key = block_key(request, articles, collection=collection, day_key=day_key)
    return [key] if key else []


def comment_block(
    request: HttpRequest,
    articles: list[Any] | tuple[Any, ...] = (),
    stored: dict[str, tuple[str, str]] | None = None,
    **target: Any,
) -> Block:
    """The comment block (thread, then form) of an article, an entry, or a collection's day
    (``collection=``, ``day_key=``): the arguments of :class:`hodie.social.comments.Target`. A day
    page passes the ``articles`` it shows (their comments are the day's conversation too) and the
    fragments it has read already (``stored``); otherwise the block's fragment is read here."""
    key = block_key(request, articles, **target)
    targets = _targets(articles, target)
    filed_under = targets[1] if len(targets) > 1 else targets[0]
    if key is not None:
        # A day page read its block with its other fragments; another page reads it now.
        found = fragments.read([key]).get(key) if stored is None else stored.get(key)
        if found is not None:
            html, meta = found
            token = make_token(filed_under, time.time() // TOKEN_STEP * TOKEN_STEP)
            html = html.replace(TOKEN_FIELD.format(TOKEN_MARK), TOKEN_FIELD.format(token), 1)
            counts = {int(pk): n for pk, n in json.loads(meta).items()} if meta else {}
            return Block(Markup(html), counts)  # noqa: S704 - rendered by the autoescaping backend
    context = context_for(targets[0], *targets[1:], request=request, back=request.path if articles else "")
    ids = {article.pk for article in articles}
    counts = dict(Counter(c.article_id for c in _approved(context["comment_nodes"]) if c.article_id in ids))
    if key is None:
        return Block(Markup(render_to_string("social/_comments.html", context, request=request)), counts)  # noqa: S704
    token = context["comment_token"]
    context["comment_token"] = TOKEN_MARK
    html = render_to_string("social/_comments.html", context, request=request)
    fragments.store(Fragment(kind="comments", key=key, html=html, meta=json.dumps(counts)))
    html = html.replace(TOKEN_FIELD.format(TOKEN_MARK), TOKEN_FIELD.format(token), 1)
    # Markup: the block was rendered by the autoescaping Jinja2 backend, whose output is a plain str.
    return Block(Markup(html), counts)  # noqa: S704


def _approved(nodes: list[Any]) -> list[Any]:
    """The approved comments of a thread (a held comment shown to its author is not counted)."""
    found = []
    for node in nodes:
        if not node.pending:
            found.append(node.comment)
        found += _approved(node.replies)
    return found


def comment_section(request: HttpRequest, articles: list[Any] | tuple[Any, ...] = (), **target: Any) -> Markup:
    """The comment block's HTML alone (an article's or an entry's page)."""
    return comment_block(request, articles, **target).html


def refill_token(target_key: str) -> str:
    """A fresh token for the refused form's target, so the reader can post again from that page."""
    try:
        return make_token(Target.from_key(target_key))
    except LookupError:
        return ""


def comments(request: HttpRequest) -> dict[str, Any]:
    """``comment_section(article=...)``, ``comment_block(...)`` (the day page's: its HTML and each
    article's count) and ``comment_counts(articles)`` (approved comments by article) for the
    templates, and ``refill_token`` for the page of a refused comment."""
    return {
        "comment_section": partial(comment_section, request),
        "comment_block": partial(comment_block, request),
        "comment_counts": counts_for_articles,
        "refill_token": refill_token,
    }
