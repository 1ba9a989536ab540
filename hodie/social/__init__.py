"""Partners and readers: partner feeds polled into suggested excerpts, Webmention in and out,
reader comments with their defences, and the background jobs that do the network work."""

from __future__ import annotations

from django.conf import settings

from hodie.net import Policy


def fetch_policy(max_bytes: int) -> Policy:
    """The outbound fetch policy of :mod:`hodie.net` with this site's loopback setting and a cap."""
    return Policy(allow_loopback=settings.HODIE_FETCH_ALLOW_LOOPBACK, max_bytes=max_bytes)
