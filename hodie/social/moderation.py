"""Moderation: whether a comment is shown at once, waits for a moderator or is spam, by the
site's rules (HODIE_COMMENT_*): disallowed and moderation words, links counted in the rendered HTML,
names reserved for the partner and the staff, and the moderation policy."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from hodie.almanac.markup import render_comment_source

from .models import Comment

if TYPE_CHECKING:
    from .comments import Target

# A link-like run of visible text (outside any <a>): http(s) or ftp with or without slashes, a
# scheme-relative ``//host``, or ``www.``; counted as a link though no page makes it one.
_LINK = re.compile(r"(?<![\w.])(?:(?:https?|ftp):/*[^\s/]|//[^\s/]|www\.)[^\s)\]>]*", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\b([^>]*)>.*?</a>", re.IGNORECASE | re.DOTALL)


def _says_any(text: str, listed: list[str]) -> bool:
    """Whether ``text`` holds one of the listed words (a whole word) or phrases (anywhere)."""
    text = text.casefold()
    words = set(re.findall(r"\w+", text))
    return any(w.casefold() in words or (" " in w and w.casefold() in text) for w in listed)


def count_links(html: str) -> int:
    """The links of a comment as it is shown: each ``<a>`` of its rendered HTML (whatever the source
    wrote, ``[x](//host)`` or ``htt&#x70;s://`` included), and each link-like run of the visible
    text around them (``https:host``, ``//host/x``, ``www.host``)."""
    from hodie.importers.html import html_to_text

    anchors = sum(1 for attributes in _ANCHOR.findall(html) if "href=" in attributes)
    return anchors + len(_LINK.findall(html_to_text(_ANCHOR.sub(" ", html))))


def _name_key(text: str) -> str:
    """A name compared as people read it: NFKC, case-folded, letters and digits only (so that
    "Executed Today", "executed_today" and "ＥｘｅｃｕｔｅｄＴｏｄａｙ" are one name)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def _partner_keys(partner: Any) -> set[str]:
    """What a partner is called: its name, and its site's host, each with and without the domain
    ending ("ExecutedToday.com", "executedtoday")."""
    host = (urlsplit(partner.site_url).hostname or "").removeprefix("www.")
    names = {partner.name, host}
    names |= {name.rsplit(".", 1)[0] for name in names if "." in name}
    return {_name_key(name) for name in names} - {""}


def _claims(key: str, reserved: set[str]) -> bool:
    """A name claims a reserved one when it is that name, or holds it (a long one: "ExecutedToday
    official" holds "executedtoday"; a short user name must match whole)."""
    return any(key == name or (len(name) >= 6 and name in key) for name in reserved)


def reserved_name(name: str, email: str) -> str:
    """The partner, partner's author or staff member a reader's name (or email) claims to be, ""
    when none: those names are for the verified (a signed-in user, or a Webmention from the
    partner's own site), so a comment using one is never approved by the policy alone."""
    from django.contrib.auth import get_user_model

    from .models import Author, Partner

    key = _name_key(name)
    if key:
        for partner in Partner.objects.only("name", "site_url"):
            if _claims(key, _partner_keys(partner)):
                return partner.name
        for author in Author.objects.filter(partner__isnull=False).only("name"):
            if _claims(key, {_name_key(author.name)} - {""}):
                return author.name
    for user in get_user_model().objects.filter(is_staff=True, is_active=True):
        names = {_name_key(user.get_username()), _name_key(user.get_full_name())} - {""}
        if (key and _claims(key, names)) or (email and user.email and email.casefold() == user.email.casefold()):
            return user.get_username()
    return ""


def decide(target: Target, name: str, email: str, website: str, body: str, staff: bool, html: str | None = None) -> str:
    """approved, pending or spam (``html``: the body rendered, when the caller has it already)."""
    if staff:
        return "approved"
    text = " ".join((name, email, website, body))
    if _says_any(text, settings.HODIE_COMMENT_DISALLOWED_WORDS):
        return "spam"
    if html is None:
        html = str(render_comment_source(body, "markdown"))
    if count_links(html) >= settings.HODIE_COMMENT_MAX_LINKS:
        return "pending"
    if _says_any(text, settings.HODIE_COMMENT_MODERATION_WORDS):
        return "pending"
    if reserved_name(name, email):  # someone not signed in, using a partner's or staff member's name
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
