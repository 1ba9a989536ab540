"""The image hosts pages may load from: the ``img-src`` of the Content-Security-Policy and the
filter that turns an image from any other host into a link (an image is never silently blocked).

A host is allowed when an editor allows it (an :class:`ImageHost`, which an import also adds for
an image it could not copy or was told to leave remote), and while it has an image waiting to be
copied (a queued :class:`MediaFile`): an import queues its posts' images for ``hodie worker``, and
until the job has run their pages show them from their old host. A host an editor has refused
(an :class:`ImageHost` not allowed) stays refused, waiting images or not.

The list is read once per process and forgotten when an editor changes it or a media file
changes (in this process at once; other worker processes read it again within :data:`TTL`
seconds)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from html import escape, unescape
from urllib.parse import urlsplit

from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ImageHost, MediaFile

TTL = 30.0
_cached: tuple[float, frozenset[str]] | None = None
# A host name as CSP takes it: letters, digits, dots and hyphens (an IDN in its xn-- form), and a port.
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'\b(src|srcset|alt)="([^"]*)"', re.IGNORECASE)
_SRCSET = re.compile(r'\s(?:srcset|sizes)="[^"]*"', re.IGNORECASE)


def host_of(url: str) -> str:
    """``host`` or, on a port that is not the scheme's own, ``host:port`` (as CSP needs it), lower case."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return f"{host}:{port}" if host and port and port != default else host


# One reading of the list for one request (see pinned); a one-slot list, filled at the first need.
_pinned: ContextVar[list[frozenset[str]] | None] = ContextVar("hodie_image_hosts", default=None)


@contextmanager
def pinned() -> Iterator[None]:
    """Within it, every call of :func:`allowed_hosts` gives the same answer. A page's HTML (which
    turns images of other hosts into links) and its ``img-src`` header are made one after the other;
    were the list read again between the two, a host just dropped from it (its last waiting image
    stored) would leave an ``<img>`` on the page that the header blocks."""
    token = _pinned.set([])
    try:
        yield
    finally:
        _pinned.reset(token)


def allowed_hosts() -> frozenset[str]:
    slot = _pinned.get()
    if slot is None:
        return _read()
    if not slot:
        slot.append(_read())
    return slot[0]


def _read() -> frozenset[str]:
    global _cached
    now = time.monotonic()
    if _cached is None or now - _cached[0] > TTL:
        try:
            decided = dict(ImageHost.objects.values_list("host", "allowed"))
            waiting = MediaFile.objects.filter(status="queued").values_list("source_url", flat=True).distinct()
            pending = {host_of(url) for url in waiting.iterator()}
        except DatabaseError:  # an error page while the database is away: keep what was known
            return _cached[1] if _cached else frozenset()
        names = {name.lower() for name, allowed in decided.items() if allowed}
        names |= pending - {name.lower() for name in decided}  # an editor's refusal wins
        _cached = (now, frozenset(name for name in names if _HOST.match(name)))
    return _cached[1]


def forget() -> None:
    """Read the allowed hosts again at the next page (tests call it when a rollback undid rows)."""
    global _cached
    _cached = None


@receiver([post_save, post_delete], sender=ImageHost)
def _forget(**kwargs: object) -> None:
    forget()
    from hodie.site import caching

    caching.changed()  # cached pages carry the old header and the old links


@receiver([post_save, post_delete], sender=MediaFile)
def _forget_waiting(**kwargs: object) -> None:
    # An image stored or failed is no longer waiting. The pages need no new generation here: the
    # copy job bumps it when it rewrites a post, and a failed image's host is allowed (above).
    forget()


def img_src() -> str:
    """The ``img-src`` directive: Hodie itself, data: URLs and each allowed host over https and http."""
    sources = ["'self'", "data:"]
    for host in sorted(allowed_hosts()):
        sources += [f"https://{host}", f"http://{host}"]
    return "img-src " + " ".join(sources)


def unblocked(html: str) -> str:
    """``html`` with each ``<img>`` from a host the policy does not allow made a link to it, so a
    reader sees where the image is instead of nothing (a CSP block is silent on the page). A
    ``srcset`` naming such a host is dropped (with its ``sizes``): the browser shows the ``src``."""
    if "<img" not in html:
        return html
    hosts = allowed_hosts()

    def replace(match: re.Match[str]) -> str:
        from hodie.importers.html import srcset_candidates

        tag = match[0]
        attrs = {name.lower(): unescape(value) for name, value in _ATTR.findall(tag)}
        if "srcset" in attrs:
            candidates = srcset_candidates(attrs["srcset"]) or [("javascript:", "")]
            if any(urlsplit(url).scheme and host_of(url) not in hosts for url, _ in candidates):
                tag = _SRCSET.sub("", tag)
        src = attrs.get("src", "")
        parts = urlsplit(src)
        if parts.scheme not in ("http", "https") or host_of(src) in hosts:
            return tag
        label = attrs.get("alt") or f"Image at {parts.hostname}"
        return f'<a href="{escape(src)}" rel="noopener">{escape(label)}</a>'

    return _IMG.sub(replace, html)
