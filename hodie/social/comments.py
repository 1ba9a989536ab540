"""Reader comments: where they attach, the form, and the layers that keep spam out.

Layers, in the order a post meets them: the CSRF token (Django); a signed token binding the form
to its page and the time it was served (refused when posted under HODIE's minimum seconds or
after half an hour, the quarter hour it was issued in allowed for; the same text posted twice with
one token is a replay); a honeypot field people never see; the field limits; a per-address and
per-email rate limit (429); a duplicate check; then moderation: disallowed words make spam, too
many links or a moderation word hold the comment, and the site's policy (always, first-time,
older-than, never) decides the rest; last, the pre-save hook :data:`comment_will_be_saved`, where
a spam service plugs in (:mod:`.spamservice`, Akismet's API, when one is configured) to mark it
spam, or hold it when it gives no verdict. A commenter is told the same thing whether the comment
was held or marked spam. The checks up to the rate limit are :class:`CommentForm`'s ``clean_*``
methods; a forged or altered form gets one opaque message (:data:`TAMPERED`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hodie.almanac.markup import render_comment_source
from hodie.almanac.models import Article, Collection, Entry
from hodie.importers import controls
from hodie.site.problems import Problem

from .models import Comment
from .moderation import decide

TOKEN_SALT = "hodie.comment-form"  # noqa: S105 - a signing namespace, not a secret
MIN_SECONDS = 3
# A token is good for half an hour (two hours before issue 19): what a captured token lets a robot
# post without fetching a page again is bounded by it. A reader who takes longer loses nothing: the
# refusal page gives the form back, filled in, with a fresh token (social/refused.html).
MAX_SECONDS = 30 * 60
# The token a page carries is issued at the start of its quarter hour, so that the page's bytes
# (and its ETag) stay the same while a cache keeps it; expiry allows for the rounding.
TOKEN_STEP = 15 * 60
REPLAYED = _lazy("This text was already posted on this page with this form; send the form below to post it again.")
LIMITS = {"name": 100, "email": 200, "website": 200, "body": 5000}


#: Sent just before a reader's comment is stored, once every defence above has let it through
#: (never for staff, nor for a comment the disallowed words already made spam), with the unsaved
#: ``comment`` and the ``request``. A receiver answers ``"spam"`` (store it as spam), ``"hold"`` (a
#: moderator decides) or ``None`` (no opinion); a spam service plugs in here, as
#: :func:`.spamservice.judge` does. Sent outside any transaction: a receiver may take seconds.
comment_will_be_saved = Signal()

# One answer for every sign of a forged or altered form, so that a robot learns nothing about
# which check it failed (django-contrib-comments answers these with an opaque 400 too).
TAMPERED = _lazy("This form could not be accepted; reload the page and post again.")
HIDDEN_FIELDS = ("target", "token", "parent", "phone", "back")


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
        raise LookupError(_("This comment form does not belong to a page that takes comments."))

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
    """The form's signed token: its page and when it was served. Signer, not signing.dumps: that one
    adds the signing second, and a cached page's bytes must not move: every reader of one cached
    page shares its token, so it cannot be single use per post. What bounds a replay: its half hour,
    the same text refused a second time under one token (:func:`post_comment`), the rate limit."""
    return signing.Signer(salt=TOKEN_SALT).sign_object([target.key, int(now if now is not None else time.time())])


def check_token(token: str, target_key: str, now: float | None = None) -> int:
    """The second ``token`` was issued at; raise ``forms.ValidationError`` unless it was signed here
    for ``target_key`` between ``MIN_SECONDS`` and ``MAX_SECONDS`` ago. Every failure but expiry gets
    the one opaque message."""
    try:
        key, issued = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
        issued = int(issued)
        age = (now if now is not None else time.time()) - issued
    except (signing.BadSignature, ValueError, TypeError):
        raise forms.ValidationError(TAMPERED, code="tampered") from None
    if key != target_key or age < MIN_SECONDS:  # another page's token; faster than a person types
        raise forms.ValidationError(TAMPERED, code="tampered")
    if age > MAX_SECONDS + TOKEN_STEP:  # a person who left the page open: tell them what to do
        raise forms.ValidationError(_("The form has expired; reload the page and post again."), code="expired")
    return issued


def local_path(text: str) -> str:
    """``text`` when it is a path of this site, else "": never ``//host`` or ``/\\host`` (which browsers
    read as another host), never a scheme; a bad return address is dropped, not refused."""
    ok = text.startswith("/") and not text.startswith(("//", "/\\")) and not any(c in text for c in "\r\n\\")
    return text if ok else ""


class CommentForm(forms.Form):
    """The comment form, with its defences as Django's ``clean_*`` methods, run in field order:
    the target page (and whether it is open), the signed token, the reply's parent, the field
    limits, the honeypot, then (in :meth:`clean`) NUL characters and the rate limit. An error's
    ``code`` chooses the status: ``closed`` 403, ``rate`` 429, anything else 400."""

    target = forms.CharField(widget=forms.HiddenInput, max_length=100)
    token = forms.CharField(widget=forms.HiddenInput, max_length=300)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    name = forms.CharField(max_length=LIMITS["name"], strip=True)
    email = forms.EmailField(max_length=LIMITS["email"], required=False, help_text="Optional; never shown.")
    website = forms.URLField(max_length=LIMITS["website"], required=False, assume_scheme="https")
    body = forms.CharField(max_length=LIMITS["body"], widget=forms.Textarea, strip=True)
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling robots.
    phone = forms.CharField(required=False, max_length=100)
    # Where the reader goes back to: a day page files its comment under the day's article.
    back = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)

    def __init__(self, data: Any = None, *, request: HttpRequest | None = None, now: float | None = None) -> None:
        super().__init__(data)
        self.request = request
        self.now = now
        self.issued = 0  # the second the token was issued at, once clean_token has read it

    @property
    def staff(self) -> bool:
        user = getattr(self.request, "user", None)
        return bool(user is not None and user.is_authenticated and user.is_staff)

    def clean_back(self) -> str:
        return local_path(self.cleaned_data.get("back") or "")

    def clean_target(self) -> Target:
        try:
            target = Target.from_key(self.cleaned_data["target"])
        except LookupError as err:
            raise forms.ValidationError(str(err), code="target") from None
        if not target.is_open:
            raise forms.ValidationError(_("Comments on this article are closed."), code="closed")
        return target

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        target = self.cleaned_data.get("target")
        if target is not None:  # else the target's own error says what is wrong
            self.issued = check_token(token, target.key, self.now)
        return token

    def clean_parent(self) -> Comment | None:
        number, target = self.cleaned_data.get("parent"), self.cleaned_data.get("target")
        if not number or target is None:
            return None
        parent = Comment.objects.filter(target.filter(), pk=number, status="approved").first()
        if parent is None:
            raise forms.ValidationError(_("The comment you replied to is not on this page."), code="parent")
        if parent.depth >= settings.HODIE_COMMENT_MAX_DEPTH:
            raise forms.ValidationError(
                _("Replies go %(depth)s levels deep at most.") % {"depth": settings.HODIE_COMMENT_MAX_DEPTH},
                code="depth",
            )
        return parent

    def clean_website(self) -> str:
        url = self.cleaned_data.get("website") or ""
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise forms.ValidationError("A website address starts with http:// or https://.")
        return url

    def clean_phone(self) -> str:
        if self.cleaned_data.get("phone"):
            raise forms.ValidationError(TAMPERED, code="tampered")
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for field in ("name", "email", "website", "body"):
            if found := controls.problem_in(data.get(field) or "", typed=True):  # feeds could not carry them
                self.add_error(field, _("This field holds %(found)s; remove it and post again.") % {"found": found})
        if not self.errors and not self.staff and self.request is not None and settings.HODIE_COMMENT_RATE_SECONDS > 0:
            email = data.get("email") or ""
            recent = Q(ip_hash=client_hash(self.request)) | (Q(author_email__iexact=email) if email else Q(pk__in=[]))
            since = timezone.now() - dt.timedelta(seconds=settings.HODIE_COMMENT_RATE_SECONDS)
            if Comment.objects.filter(recent, created__gte=since).exists():
                raise forms.ValidationError(
                    _("You are posting too quickly; wait a few seconds and post again."), code="rate"
                )
        return data

    def problem(self) -> Problem:
        """The refusal of an invalid form: its status from the errors' codes, and its messages
        (a visible field's named; a hidden field's not, so tampering stays opaque)."""
        codes = {error.code for errors in self.errors.as_data().values() for error in errors}
        status = 429 if "rate" in codes else 403 if "closed" in codes else 400
        if "tampered" in codes:  # one message and one status, whatever else was wrong
            return Problem(str(TAMPERED), 400)
        messages = []
        fields: dict[str, list[str]] = {}
        for field, errors in self.errors.items():
            named = field not in HIDDEN_FIELDS and field != forms.forms.NON_FIELD_ERRORS
            messages += [f"{field}: {message}" if named else str(message) for message in errors]
            if named:
                fields[field] = [str(message) for message in errors]
        retry = settings.HODIE_COMMENT_RATE_SECONDS if status == 429 else None
        return Problem(messages[0], status, errors=messages, fields=fields, retry_after=retry)


def client_hash(request: HttpRequest) -> str:
    """The poster's address, keyed with the site's secret: enough to rate-limit, not an address."""
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def post_comment(request: HttpRequest, data: Any, now: float | None = None) -> tuple[Comment, Target]:
    """Check and store a comment posted through the form (or find the same one posted a moment
    ago); raise :class:`Problem` (with the status to answer) when a defence refuses it."""
    form = CommentForm(data, request=request, now=now)
    if not form.is_valid():
        raise form.problem()
    cleaned = form.cleaned_data
    target: Target = cleaned["target"]
    ip_hash = client_hash(request)
    email = cleaned["email"] or ""
    moment = timezone.now()
    body = cleaned["body"]
    duplicate = Comment.objects.filter(
        target.filter(), body=body, ip_hash=ip_hash, created__gte=moment - dt.timedelta(days=1)
    ).first()
    if duplicate is not None:
        return duplicate, target
    # A replay: the same text on the same page since the token was issued, from another address. The
    # token and the text together are what a captured post repeats; another text is another
    # reader's comment (a cached page gives its readers one token), judged like any other.
    issued = dt.datetime.fromtimestamp(form.issued, tz=dt.UTC)
    if Comment.objects.filter(target.filter(), body=body, created__gte=issued).exists():
        raise Problem(str(REPLAYED), 400)
    html = str(render_comment_source(body, "markdown"))  # once: moderation counts its links, the row keeps it
    status = decide(target, cleaned["name"], email, cleaned["website"], body, form.staff, html)
    comment = Comment(
        **target.fields(),
        parent=cleaned["parent"],
        author_name=cleaned["name"],
        author_email=email,
        author_url=cleaned["website"],
        body=body,
        markup="markdown",
        html=html,
        status=status,
        comment_type="comment",
        badge="author" if form.staff else "",
        ip_hash=ip_hash,
        created=moment,
    )
    if status != "spam" and not form.staff:  # the pre-save hook: asked last, outside any transaction
        verdicts = {
            verdict for _receiver, verdict in comment_will_be_saved.send(Comment, comment=comment, request=request)
        }
        comment.status = "spam" if "spam" in verdicts else "pending" if "hold" in verdicts else status
    comment.save(force_insert=True)
    if comment.status == "pending":
        from .jobs import notify_moderators

        transaction.on_commit(lambda: notify_moderators.enqueue(comment.pk))
    return comment, target
