"""An optional spam service that speaks Akismet's ``comment-check``: the last of the comment
defences, asked only about what the others let through. It is one receiver of the comments' pre-save
hook (:data:`hodie.social.comments.comment_will_be_saved`, connected in ``SocialConfig.ready``);
another service would plug in the same way.

The API is one form POST answered ``true`` (spam) or ``false``; it is written here over
:func:`hodie.net.fetch` rather than with an Akismet client library so that the call goes through
the same outbound policy as every other fetch (no private addresses unless allowed, a 2 s connect
and 5 s total limit, a size cap) and needs no second HTTP stack.

What the service is sent: the poster's address, browser and referrer, the name, email, website and
text of the comment, and the page's address. That is what Akismet needs to judge; it is sent only
when ``HODIE_AKISMET_KEY`` is set (README: settings; docs/partners.md: comments).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpRequest

from hodie.almanac.web import base_url
from hodie.net import FetchFailed, FetchRefused, fetch

from . import fetch_policy

log = logging.getLogger(__name__)
MAX_ANSWER_BYTES = 64 * 1024


def check(request: HttpRequest, page_url: str, name: str, email: str, website: str, body: str) -> str | None:
    """``"spam"``, ``"ham"``, or ``None`` when no service is configured. Raise :class:`Unchecked`
    when one is configured but gave no verdict (unreachable, slow, an invalid key)."""
    key = settings.HODIE_AKISMET_KEY
    if not key:
        return None
    data = {
        "api_key": key,
        "blog": base_url(),
        "user_ip": request.META.get("REMOTE_ADDR", ""),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
        "referrer": request.META.get("HTTP_REFERER", ""),
        "permalink": base_url() + page_url,
        "comment_type": "comment",
        "comment_author": name,
        "comment_author_email": email,
        "comment_author_url": website,
        "comment_content": body,
        "blog_charset": "UTF-8",
        "blog_lang": settings.LANGUAGE_CODE,
    }
    policy = replace(fetch_policy(MAX_ANSWER_BYTES), total_timeout=5.0, max_redirects=0)
    url = urljoin(settings.HODIE_AKISMET_URL.rstrip("/") + "/", "comment-check")
    try:
        answer = fetch(url, policy, method="POST", data=data)
    except FetchRefused as err:  # permanent: the configured address breaks the fetch policy
        raise Unchecked(f"HODIE_AKISMET_URL is refused by the fetch policy: {err}") from err
    except FetchFailed as err:  # in transit: the next comment asks again
        raise Unchecked(f"the service could not be reached: {err}") from err
    verdict = answer.body.decode("utf-8", errors="replace").strip()
    if answer.status == 200 and verdict in ("true", "false"):
        return "spam" if verdict == "true" else "ham"
    help_text = answer.headers.get("x-akismet-debug-help", "")
    raise Unchecked(f"{url}: answered {answer.status} {verdict[:80]!r} {help_text[:200]}".rstrip())


class Unchecked(Exception):
    """The spam service is configured but gave no verdict; the message says why."""


def verdict_or_hold(request: HttpRequest, page_url: str, name: str, email: str, website: str, body: str) -> str:
    """``"spam"``, ``"ham"``, ``"hold"`` (configured but no verdict: a moderator decides, as
    WordPress's Akismet plugin holds what it could not check) or ``""`` (no service)."""
    try:
        return check(request, page_url, name, email, website, body) or ""
    except Unchecked as err:
        log.warning("spam service: no verdict, comment held for moderation: %s", err)
        return "hold"


def judge(sender: Any, comment: Any, request: HttpRequest, **_kwargs: Any) -> str | None:
    """The pre-save hook's receiver: ``"spam"``, ``"hold"`` or ``None`` (ham, or no service)."""
    verdict = verdict_or_hold(
        request, comment.target_url(), comment.author_name, comment.author_email, comment.author_url, comment.body
    )
    return verdict if verdict in ("spam", "hold") else None
