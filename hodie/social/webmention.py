"""Webmention (W3C Recommendation, 2017): receiving, verifying, discovering and sending.

Receiving answers 202 and queues verification; the job fetches the source under the fetch
policy (1 MiB), checks that it links to the target, reads its microformats2 (mf2py) for the
author, the content and the kind (reply, like, repost, mention), and keeps one comment per
(source, target): a re-sent mention updates it, a source that is gone (410) or no longer links
removes it. Mentions from a partner's site are shown at once; others wait for a moderator.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape as escape_html
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import mf2py
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from requests.utils import parse_header_links

from hodie.almanac.models import Article, Collection, Comment, Entry, Partner
from hodie.dates import HodieError
from hodie.importers.html import clean_html, html_to_text
from hodie.net import FetchRefused, Policy, fetch

from . import fetch_policy
from .comments import Target

SOURCE_MAX_BYTES = 1024 * 1024
RESEND_SECONDS = 30


class Invalid(Exception):
    """A request the receiver answers with 400 (or ``status``), the message naming the problem."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def policy() -> Policy:
    return fetch_policy(SOURCE_MAX_BYTES)


def normalise(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def our_hosts() -> set[str]:
    hosts = {urlsplit(settings.SITE_URL).netloc.lower()}
    return hosts | {h.lower() for h in settings.ALLOWED_HOSTS if h not in ("*",)}


def target_of(url: str) -> Target:
    """The article, entry or day page a target URL names on this site; :class:`Invalid` otherwise."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.netloc.lower() not in our_hosts() and host not in our_hosts():
        raise Invalid(f"target {url!r} is not on this site")
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        raise Invalid(f"target {url!r} is not a page of this site") from None
    name, kwargs = match.url_name, match.kwargs
    try:
        if name == "article":
            return Target(article=Article.objects.published().get(slug=kwargs["slug"]))
        if name == "entry":
            return Target(entry=Entry.objects.get(slug=kwargs["slug"]))
        if name == "day":
            from hodie.almanac.days import parse_day_slug

            month, day = parse_day_slug(kwargs["day_slug"])
            return Target(collection=Collection.objects.get(slug=kwargs["collection"]), day_key=month * 100 + day)
    except (Article.DoesNotExist, Entry.DoesNotExist, Collection.DoesNotExist, ValueError, LookupError):
        pass
    except HodieError as err:  # an impossible day slug (february-30)
        raise Invalid(f"target {url!r} does not accept Webmentions ({err})") from None
    raise Invalid(f"target {url!r} does not accept Webmentions")


def receive(source: str, target: str) -> Any:
    """Check a received Webmention and queue its verification; return the :class:`Mention`."""
    from .jobs import verify_mention
    from .models import Mention

    for label, url in (("source", source), ("target", target)):
        if not url:
            raise Invalid(f"{label} is missing")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise Invalid(f"{label} {url!r} is not an http or https URL")
        if len(url) > 500:
            raise Invalid(f"{label} is longer than 500 characters")
    if normalise(source) == normalise(target):
        raise Invalid("source and target are the same URL")
    target_of(target)
    with transaction.atomic():
        mention, created = Mention.objects.get_or_create(source=source, target=target)
        if not created:
            if timezone.now() - mention.received < dt.timedelta(seconds=RESEND_SECONDS):
                raise Invalid(f"this source and target were sent less than {RESEND_SECONDS} s ago", status=429)
            mention.received = timezone.now()
            mention.status = "queued"
            mention.save(update_fields=["received", "status"])
        transaction.on_commit(lambda: verify_mention.enqueue(mention.pk))
    return mention


def _links_to(html: str, base: str, target: str) -> bool:
    wanted = normalise(target)
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["a", "link", "img", "video", "audio", "source", "iframe"]):
        for attribute in ("href", "src"):
            value = tag.get(attribute)
            if isinstance(value, str) and value.strip() and normalise(urljoin(base, value)) == wanted:
                return True
    return False


def _first_h_entry(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    for item in items:
        if "h-entry" in item.get("type", []):
            return item
        found = _first_h_entry(item.get("children", []))
        if found:
            return found
    return None


def _prop(entry: dict[str, Any], name: str) -> Any:
    values = entry.get("properties", {}).get(name) or []
    return values[0] if values else None


def _urls(entry: dict[str, Any], name: str) -> list[str]:
    found = []
    for value in entry.get("properties", {}).get(name) or []:
        if isinstance(value, dict):
            value = (value.get("properties", {}).get("url") or [value.get("value", "")])[0]
        if isinstance(value, str):
            found.append(normalise(value))
    return found


def read_mf2(html: str, source: str, target: str) -> dict[str, Any]:
    """Author, content, kind and time of a source page, from its first h-entry (or the page)."""
    parsed = mf2py.parse(doc=html, url=source, html_parser="html5lib")
    entry = _first_h_entry(parsed.get("items", [])) or {}
    wanted = normalise(target)
    kind = "mention"
    for prop, name in (("in-reply-to", "reply"), ("like-of", "like"), ("repost-of", "repost")):
        if wanted in _urls(entry, prop):
            kind = name
            break
    author = _prop(entry, "author")
    name, url = "", ""
    if isinstance(author, dict):
        name = (author.get("properties", {}).get("name") or [author.get("value", "")])[0]
        url = (author.get("properties", {}).get("url") or [""])[0]
    elif isinstance(author, str):
        name = author
    content = _prop(entry, "content")
    if isinstance(content, dict):
        body = clean_html(content.get("html") or "", comment=True) or clean_html(
            f"<p>{content.get('value', '')}</p>", comment=True
        )
    elif isinstance(content, str):
        body = clean_html(f"<p>{content}</p>", comment=True)
    else:
        summary = _prop(entry, "summary") or _prop(entry, "name") or ""
        body = clean_html(f"<p>{summary}</p>", comment=True) if isinstance(summary, str) else ""
    published = None
    when = _prop(entry, "published")
    if isinstance(when, str):
        try:
            published = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
            if published.tzinfo is None:
                published = published.replace(tzinfo=dt.UTC)
        except ValueError:
            published = None
    if not name:
        name = urlsplit(source).hostname or source
    return {
        "kind": kind,
        "author_name": html_to_text(name)[:200],
        "author_url": url if url.startswith(("http://", "https://")) else "",
        "body": body,
        "published": published,
    }


def partner_for(url: str) -> Partner | None:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    for partner in Partner.objects.exclude(site_url=""):
        if (urlsplit(partner.site_url).hostname or "").lower().removeprefix("www.") == host:
            return partner
    return None


def verify(mention: Any) -> str:
    """Fetch the source and create, update or remove the mention's comment. Idempotent: running
    it twice (a job re-run after a killed worker) leaves one comment."""
    try:
        target = target_of(mention.target)
    except Invalid as err:
        return _finish(mention, "refused", str(err))
    try:
        response = fetch(mention.source, policy(), headers={"Accept": "text/html, */*;q=0.5"})
    except FetchRefused as err:
        return _finish(mention, "refused", str(err))
    if response.status == 410:
        _remove(mention)
        return _finish(mention, "deleted", "the source is gone (410)")
    if response.status != 200:
        return _finish(mention, "refused", f"the source answered HTTP {response.status}")
    html = response.text
    if not _links_to(html, response.url, mention.target):
        _remove(mention)
        return _finish(mention, "refused", "the source does not link to the target")
    data = read_mf2(html, response.url, mention.target)
    partner = partner_for(mention.source)
    with transaction.atomic():
        comment = mention.comment or Comment.objects.filter(source_url=mention.source, **target.fields()).first()
        if comment is None:
            comment = Comment(**target.fields(), source_url=mention.source[:500])
            comment.status = "approved" if partner else "pending"
        elif comment.status == "trash":
            comment.status = "approved" if partner else "pending"
        comment.author_name = data["author_name"] or (partner.name if partner else "")
        comment.author_url = data["author_url"][:500] or (partner.site_url if partner else "")
        # data["body"] is cleaned already; the fallback is built here, from escaped parts, and cleaned too.
        comment.body = data["body"] or clean_html(
            f'<p>Mentioned this on <a href="{escape_html(mention.source)}">'
            f"{escape_html(urlsplit(mention.source).hostname or '')}</a>.</p>",
            comment=True,
        )
        comment.markup = "html"
        comment.comment_type = data["kind"]
        comment.badge = "partner" if partner else ""
        if data["published"]:
            comment.created = data["published"]
        comment.save()
        mention.comment = comment
        result = _finish(mention, "verified", f"{data['kind']} by {comment.author_name}")
    if comment.status == "pending" and not comment.notified:
        from .jobs import notify_moderators

        transaction.on_commit(lambda: notify_moderators.enqueue(comment.pk))
    return result


def _remove(mention: Any) -> None:
    if mention.comment_id:
        Comment.objects.filter(pk=mention.comment_id).update(status="trash")


def _finish(mention: Any, status: str, detail: str) -> str:
    mention.status, mention.detail = status, detail[:500]
    mention.verified_at = timezone.now()
    mention.save()
    return f"{status}: {detail}"


# ---------------------------------------------------------------------- sending

_REL = re.compile(r"(^|\s)webmention(\s|$)", re.IGNORECASE)


def discover(url: str) -> str:
    """The Webmention endpoint a page advertises (HTTP Link header first, then the first
    ``<link>`` or ``<a>`` with rel webmention in document order), resolved against the page's
    final URL; "" when there is none."""
    response = fetch(url, policy(), headers={"Accept": "text/html, */*;q=0.5"})
    base = response.url
    header = response.headers.get("link", "")
    if header:
        for link in parse_header_links(header):
            if _REL.search(link.get("rel", "")) and "url" in link:
                return urljoin(base, link["url"].strip())
    if "html" not in response.headers.get("content-type", "text/html"):
        return ""
    soup = BeautifulSoup(response.text, "html.parser")
    for tag in soup.find_all(["link", "a"]):
        rel = tag.get("rel")
        rels = " ".join(rel) if isinstance(rel, list) else (rel or "")
        if _REL.search(rels) and tag.has_attr("href"):
            href = tag.get("href")
            return urljoin(base, href if isinstance(href, str) else "")
    return ""


def links_of(article: Article) -> list[str]:
    """The outside URLs an article links to: its text and its full-text URL."""
    from hodie.almanac.markup import render

    html = str(render(article.body or article.excerpt, article.markup))
    urls = [article.full_url] if article.full_url else []
    for tag in BeautifulSoup(html, "html.parser").find_all("a"):
        href = tag.get("href")
        if isinstance(href, str) and href.startswith(("http://", "https://")):
            urls.append(href)
    ours = our_hosts()
    return [u for u in dict.fromkeys(urls) if urlsplit(u).netloc.lower() not in ours]


def send(sent: Any) -> bool:
    """Discover and notify one target. True when done (sent, or nothing to send to); False when a
    retry may help."""
    sent.attempts += 1
    try:
        endpoint = discover(sent.target)
        if not endpoint:
            sent.status, sent.detail = "no-endpoint", "the target advertises no Webmention endpoint"
            sent.save()
            return True
        sent.endpoint = endpoint[:500]
        response = fetch(endpoint, policy(), method="POST", data={"source": sent.source, "target": sent.target})
    except FetchRefused as err:
        sent.status, sent.detail = "failed", str(err)[:500]
        sent.save()
        return "refused" in str(err) or "not one of" in str(err)  # a policy refusal will not change
    sent.response_status = response.status
    if 200 <= response.status < 300:
        sent.status, sent.detail = "sent", f"HTTP {response.status}"
        sent.save()
        return True
    sent.status, sent.detail = "failed", f"HTTP {response.status}"
    sent.save()
    return 400 <= response.status < 500 and response.status != 429
