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
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils import timezone
from requests.utils import parse_header_links

from hodie.almanac.models import Article, Collection, Entry
from hodie.dates import HodieError
from hodie.importers.html import clean_html
from hodie.net import FetchError, FetchRefused, Policy, fetch
from hodie.site.problems import Problem

from . import fetch_policy
from .comments import Target
from .microformats import DEFAULT_PORTS, OutOfRange, normalise, read_mf2
from .models import Comment, Partner

SOURCE_MAX_BYTES = 1024 * 1024
RESEND_SECONDS = 30


def policy() -> Policy:
    return fetch_policy(SOURCE_MAX_BYTES)


#: The budgets' window: how many Webmentions one client, and one source host, may send in it is a setting.
BUDGET_SECONDS = 3600


def our_hosts() -> set[str]:
    hosts = {urlsplit(settings.SITE_URL).netloc.lower()} - {""}
    return hosts | {h.lower() for h in settings.ALLOWED_HOSTS if h not in ("*", "")}


def target_of(url: str) -> Target:
    """The article, entry or day page a target URL names on this site; :class:`Problem` otherwise."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.netloc.lower() not in our_hosts() and host not in our_hosts():
        raise Problem(f"target {url!r} is not on this site")
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        raise Problem(f"target {url!r} is not a page of this site") from None
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
        raise Problem(f"target {url!r} does not accept Webmentions ({err})") from None
    raise Problem(f"target {url!r} does not accept Webmentions")


def receive(source: str, target: str, client: str = "") -> Any:
    """Check a received Webmention and queue its verification; return the :class:`Mention`.
    ``client`` (the sender's keyed address) and the source's host each have a budget of
    ``HODIE_WEBMENTION_CLIENT_BUDGET`` and ``HODIE_WEBMENTION_SOURCE_BUDGET`` mentions an hour;
    the target is stored normalised (:func:`normalise`), so ``?`` or ``#x`` makes no new pair."""
    from .jobs import verify_mention
    from .models import Mention

    for label, url in (("source", source), ("target", target)):
        if not url:
            raise Problem(f"{label} is missing")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise Problem(f"{label} {url!r} is not an http or https URL")
        if len(url) > 500:
            raise Problem(f"{label} is longer than 500 characters")
    if normalise(source) == normalise(target):
        raise Problem("source and target are the same URL")
    target_of(target)
    target = normalise(target)
    source_host = (urlsplit(source).hostname or "").lower().removeprefix("www.")
    since = timezone.now() - dt.timedelta(seconds=BUDGET_SECONDS)
    budgets = (
        ("this client", Q(client=client), client, settings.HODIE_WEBMENTION_CLIENT_BUDGET),
        (
            f"the source host {source_host}",
            Q(source_host=source_host),
            source_host,
            settings.HODIE_WEBMENTION_SOURCE_BUDGET,
        ),
    )
    for who, where, key, budget in budgets:
        if key and budget > 0 and Mention.objects.filter(where, received__gte=since).count() >= budget:
            raise Problem(
                f"{who} sent {budget} Webmentions in the last hour, its budget; send again later",
                429,
                retry_after=BUDGET_SECONDS,
            )
    with transaction.atomic():
        mention, created = Mention.objects.get_or_create(
            source=source, target=target, defaults={"client": client, "source_host": source_host}
        )
        if not created:
            if timezone.now() - mention.received < dt.timedelta(seconds=RESEND_SECONDS):
                raise Problem(
                    f"this source and target were sent less than {RESEND_SECONDS} s ago",
                    429,
                    retry_after=RESEND_SECONDS,
                )
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


def _site_key(url: str) -> tuple[str, str, int | None, str] | None:
    """Scheme, host (without ``www.``), port (the scheme's default written out) and path of a URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host or scheme not in DEFAULT_PORTS:
        return None
    return scheme, host, port, parts.path or "/"


def partner_for(url: str) -> Partner | None:
    """The partner whose site ``url`` is on: the same scheme, host (``www.`` or not), port, and a
    path under the site's path (``https://p.example/blog`` covers ``/blog`` and ``/blog/x``, not
    ``/blogger`` nor ``/``). The most specific site wins when two partners share a host."""
    key = _site_key(url)
    if key is None:
        return None
    best: tuple[int, Partner] | None = None
    for partner in Partner.objects.exclude(site_url=""):
        site = _site_key(partner.site_url)
        if site is None or site[:3] != key[:3]:
            continue
        prefix = site[3].rstrip("/")
        if key[3] == prefix or key[3].startswith(prefix + "/"):
            if best is None or len(prefix) > best[0]:
                best = (len(prefix), partner)
    return best[1] if best else None


def verify(mention: Any) -> str:
    """Fetch the source and create, update or remove the mention's comment. Idempotent: running
    it twice (a job re-run after a killed worker) leaves one comment."""
    try:
        target = target_of(mention.target)
    except Problem as err:
        return _finish(mention, "refused", str(err))
    try:
        response = fetch(mention.source, policy(), headers={"Accept": "text/html, */*;q=0.5"})
    except FetchRefused as err:
        return _finish(mention, "refused", str(err))
    # A FetchFailed (the source's server down, a timeout) goes up to the job, which tries again later.
    if response.status == 410:
        _remove(mention)
        return _finish(mention, "deleted", "the source is gone (410)")
    if response.status != 200:
        return _finish(mention, "refused", f"the source answered HTTP {response.status}")
    html = response.text
    if not _links_to(html, response.url, mention.target):
        _remove(mention)
        return _finish(mention, "refused", "the source does not link to the target")
    try:
        data = read_mf2(html, response.url, mention.target)
    except OutOfRange as err:
        return _finish(mention, "refused", str(err))
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
        from hodie.almanac import fragments
        from hodie.site import caching

        caching.changed()  # update() sends no signal
        fragments.comments_changed()  # ... the stored comment blocks too


def give_up(mention: Any, err: Exception) -> str:
    """Mark a mention refused after its source could not be fetched in any attempt."""
    return _finish(mention, "refused", str(err))


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
    except FetchError as err:
        sent.status, sent.detail = "failed", str(err)[:500]
        sent.save()
        return not err.transient  # a policy refusal will not change; a network failure may
    sent.response_status = response.status
    if 200 <= response.status < 300:
        sent.status, sent.detail = "sent", f"HTTP {response.status}"
        sent.save()
        return True
    sent.status, sent.detail = "failed", f"HTTP {response.status}"
    sent.save()
    return 400 <= response.status < 500 and response.status != 429
