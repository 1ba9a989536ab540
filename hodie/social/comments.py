"""Reader comments: where they attach, the form, and the layers that keep spam out.

Layers, in the order a post meets them: the CSRF token (Django); a signed token binding the form
to its page and the time it was served (refused when posted under HODIE's minimum seconds or
after two hours); a honeypot field people never see; the field limits; a per-address and
per-email rate limit (429); a duplicate check; then moderation: disallowed words make spam, too
many links or a moderation word hold the comment, and the site's policy (always, first-time,
older-than, never) decides the rest; last, when one is configured, a spam service with Akismet's
API (:mod:`.spamservice`) can mark it spam, or hold it when it gives no verdict. A commenter is
told the same thing whether the comment was held or marked spam.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hodie.almanac.models import Article, Collection, Comment, Entry

from . import spamservice

TOKEN_SALT = "hodie.comment-form"  # noqa: S105 - a signing namespace, not a secret
MIN_SECONDS = 3
MAX_SECONDS = 2 * 60 * 60
LIMITS = {"name": 100, "email": 200, "website": 200, "body": 5000}
_LINK = re.compile(r"(?<![/\w.])(?:https?://|www\.)[^\s)\]>]+", re.IGNORECASE)


class Refused(Exception):
    """A post that is not stored; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Target:
    """What a comment is on: an article, an entry, or a collection's day page."""

    article: Article | None = None
    entry: Entry | None = None
    collection: Collection | None = None
    day_key: int | None = None

    @property
    def key(self) -> str:
        if self.article is not None:
            return f"article:{self.article.pk}"
        if self.entry is not None:
            return f"entry:{self.entry.pk}"
        assert self.collection is not None
        return f"day:{self.collection.pk}:{self.day_key}"

    @classmethod
    def from_key(cls, key: str) -> Target:
        try:
            kind, _sep, rest = key.partition(":")
            if kind == "article":
                return cls(article=Article.objects.published().get(pk=int(rest)))
            if kind == "entry":
                return cls(entry=Entry.objects.get(pk=int(rest)))
            if kind == "day":
                collection_pk, day_key = rest.split(":")
                return cls(collection=Collection.objects.get(pk=int(collection_pk)), day_key=int(day_key))
        except (ValueError, Article.DoesNotExist, Entry.DoesNotExist, Collection.DoesNotExist):
            pass
        raise Refused(_("This comment form does not belong to a page that takes comments."))

    def filter(self) -> Q:
        if self.article is not None:
            return Q(article=self.article)
        if self.entry is not None:
            return Q(entry=self.entry)
        return Q(collection=self.collection, day_key=self.day_key)

    def fields(self) -> dict[str, Any]:
        return {"article": self.article, "entry": self.entry, "collection": self.collection, "day_key": self.day_key}

    @property
    def is_open(self) -> bool:
        days = settings.HODIE_COMMENTS_CLOSE_AFTER_DAYS
        if self.article is None or days <= 0:
            return True
        return timezone.now() - self.article.publish_at <= dt.timedelta(days=days)

    def url(self) -> str:
        return Comment(**self.fields()).target_url()


def make_token(target: Target, now: float | None = None) -> str:
    return signing.dumps([target.key, int(now if now is not None else time.time())], salt=TOKEN_SALT)


def check_token(token: str, target_key: str, now: float | None = None) -> None:
    try:
        key, issued = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise Refused(_("The form's security token is not valid; reload the page and post again.")) from None
    if key != target_key:
        raise Refused(_("The form's security token belongs to another page."))
    age = (now if now is not None else time.time()) - issued
    if age < MIN_SECONDS:
        raise Refused(_("That was posted faster than a person types; wait a moment and post again."))
    if age > MAX_SECONDS:
        raise Refused(_("The form has expired; reload the page and post again."))


class CommentForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput, max_length=100)
    token = forms.CharField(widget=forms.HiddenInput, max_length=300)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    name = forms.CharField(max_length=LIMITS["name"], strip=True)
    email = forms.EmailField(max_length=LIMITS["email"], required=False, help_text="Optional; never shown.")
    website = forms.URLField(max_length=LIMITS["website"], required=False, assume_scheme="https")
    body = forms.CharField(max_length=LIMITS["body"], widget=forms.Textarea, strip=True)
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling robots.
    phone = forms.CharField(required=False, max_length=100)

    def clean_website(self) -> str:
        url = self.cleaned_data.get("website") or ""
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise forms.ValidationError("A website address starts with http:// or https://.")
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for field in ("name", "body"):
            if "\x00" in (data.get(field) or ""):
                self.add_error(field, "This field contains a NUL character.")
        return data


def client_hash(request: HttpRequest) -> str:
    """The poster's address, keyed with the site's secret: enough to rate-limit, not an address."""
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _says_any(text: str, listed: list[str]) -> bool:
    """Whether ``text`` holds one of the listed words (a whole word) or phrases (anywhere)."""
    text = text.casefold()
    words = set(re.findall(r"\w+", text))
    return any(w.casefold() in words or (" " in w and w.casefold() in text) for w in listed)


def decide(target: Target, name: str, email: str, website: str, body: str, staff: bool) -> str:
    """approved, pending or spam."""
    if staff:
        return "approved"
    text = " ".join((name, email, website, body))
    if _says_any(text, settings.HODIE_COMMENT_DISALLOWED_WORDS):
        return "spam"
    if len(_LINK.findall(body)) >= settings.HODIE_COMMENT_MAX_LINKS:
        return "pending"
    if _says_any(text, settings.HODIE_COMMENT_MODERATION_WORDS):
        return "pending"
    policy = settings.HODIE_COMMENT_MODERATION
    if policy == "always":
        return "pending"
    if policy == "never":
        return "approved"
    if policy == "older-than":
        if target.article is None:
            return "approved"
        age = timezone.now() - target.article.publish_at
        return "pending" if age > dt.timedelta(days=settings.HODIE_COMMENT_MODERATE_AFTER_DAYS) else "approved"
    # first-time: approved once the same email (or, without one, the same name) has a comment approved
    known = Comment.objects.filter(status="approved", comment_type="comment")
    known = known.filter(author_email__iexact=email) if email else known.filter(author_name=name, author_email="")
    return "approved" if known.exists() else "pending"


def post_comment(request: HttpRequest, data: Any, now: float | None = None) -> tuple[Comment | None, Target]:
    """Check and store a comment posted through the form. Raise :class:`Refused` (with the
    status to answer) or ``forms.ValidationError`` (the form's errors)."""
    form = CommentForm(data)
    if not form.is_valid():
        raise forms.ValidationError(form.errors)
    cleaned = form.cleaned_data
    target = Target.from_key(cleaned["target"])
    check_token(cleaned["token"], target.key, now)
    if cleaned["phone"]:
        raise Refused(_("The comment could not be posted."))
    if not target.is_open:
        raise Refused(_("Comments on this article are closed."), status=403)
    staff = bool(getattr(request, "user", None) and request.user.is_authenticated and request.user.is_staff)
    parent = None
    if cleaned.get("parent"):
        parent = Comment.objects.filter(target.filter(), pk=cleaned["parent"], status="approved").first()
        if parent is None:
            raise Refused(_("The comment you replied to is not on this page."))
        if parent.depth >= settings.HODIE_COMMENT_MAX_DEPTH:
            raise Refused(_("Replies go %(depth)s levels deep at most.") % {"depth": settings.HODIE_COMMENT_MAX_DEPTH})
    ip_hash = client_hash(request)
    email = cleaned["email"] or ""
    moment = timezone.now()
    if not staff and settings.HODIE_COMMENT_RATE_SECONDS > 0:
        recent = Q(ip_hash=ip_hash) | (Q(author_email__iexact=email) if email else Q(pk__in=[]))
        since = moment - dt.timedelta(seconds=settings.HODIE_COMMENT_RATE_SECONDS)
        if Comment.objects.filter(recent, created__gte=since).exists():
            raise Refused(_("You are posting too quickly; wait a few seconds and post again."), status=429)
    body = cleaned["body"]
    duplicate = Comment.objects.filter(
        target.filter(), body=body, ip_hash=ip_hash, created__gte=moment - dt.timedelta(days=1)
    ).first()
    if duplicate is not None:
        return (duplicate if duplicate.status == "approved" else None), target
    status = decide(target, cleaned["name"], email, cleaned["website"], body, staff)
    if status != "spam" and not staff:  # asked last, and outside any transaction: it may take seconds
        verdict = spamservice.verdict_or_hold(request, target.url(), cleaned["name"], email, cleaned["website"], body)
        status = {"spam": "spam", "hold": "pending"}.get(verdict, status)
    comment = Comment.objects.create(
        **target.fields(),
        parent=parent,
        author_name=cleaned["name"],
        author_email=email,
        author_url=cleaned["website"],
        body=body,
        markup="markdown",
        status=status,
        comment_type="comment",
        badge="author" if staff else "",
        ip_hash=ip_hash,
        created=moment,
    )
    if status == "pending":
        from .jobs import notify_moderators

        transaction.on_commit(lambda: notify_moderators.enqueue(comment.pk))
    return (comment if status == "approved" else None), target


@dataclass
class Node:
    comment: Comment
    replies: list[Node]
    depth: int


def thread(target: Target) -> tuple[list[Node], int]:
    """The approved comments of a page as a tree (oldest first), and how many there are."""
    comments = list(Comment.objects.filter(target.filter(), status="approved").order_by("created", "pk"))
    by_parent: dict[int | None, list[Comment]] = {}
    ids = {c.pk for c in comments}
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in ids else None
        by_parent.setdefault(parent, []).append(comment)

    def build(parent: int | None, depth: int) -> list[Node]:
        return [Node(c, build(c.pk, depth + 1), depth) for c in by_parent.get(parent, [])]

    return build(None, 1), len(comments)


def counts_for_articles(articles: list[Article]) -> dict[int, int]:
    rows = (
        Comment.objects.filter(article__in=articles, status="approved")
        .values("article")
        .annotate(n=Count("pk"))
        .values_list("article", "n")
    )
    return dict(rows)


def context_for(target: Target) -> dict[str, Any]:
    """What a page's comment section needs: the thread, the count, the form's hidden fields."""
    nodes, count = thread(target)
    return {
        "comment_nodes": nodes,
        "comment_count": count,
        "comment_target": target.key,
        "comment_token": make_token(target),
        "comments_open": target.is_open,
        "comment_max_depth": settings.HODIE_COMMENT_MAX_DEPTH,
    }
