"""Fetch one remote file into ``HODIE_MEDIA_ROOT``, through the one outbound fetch policy
(:mod:`hodie.net`) with the media size cap, and record what came of it in a :class:`MediaFile`.

A stored file is named by the SHA-256 of its bytes (``imports/ab/abcdef….png``): the same image
linked from two posts, or fetched again, is stored once, and its name never changes, so it is sent
as immutable. Only the raster formats browsers show are kept, recognised by their first bytes
(the server's Content-Type is not trusted); SVG is refused, as it can carry script.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from hodie.net import FetchError, fetch
from hodie.social import fetch_policy

from .models import MediaFile

log = logging.getLogger(__name__)

# First bytes -> (extension, content type). A hand-written table: Python's imghdr is gone (3.13)
# and these five signatures are all a browser's <img> needs here.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"GIF87a", "gif", "image/gif"),
    (b"GIF89a", "gif", "image/gif"),
    (b"BM", "bmp", "image/bmp"),
)


def sniff(body: bytes) -> tuple[str, str] | None:
    """The extension and content type of an image by its first bytes, or None."""
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "webp", "image/webp"
    if body[4:12] in (b"ftypavif", b"ftypavis"):
        return "avif", "image/avif"
    for magic, extension, content_type in SIGNATURES:
        if body.startswith(magic):
            return extension, content_type
    return None


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _fail(media: MediaFile, reason: str) -> MediaFile:
    media.status, media.reason, media.fetched_at = "failed", reason[:500], timezone.now()
    media.save()
    log.info("media %s not stored: %s", media.source_url, reason)
    return media


def store(media: MediaFile) -> MediaFile:
    """Fetch ``media.source_url`` and store it, or mark it failed with the reason; saved either way."""
    try:
        response = fetch(media.source_url, fetch_policy(settings.HODIE_MEDIA_MAX_BYTES))
    except FetchError as err:
        return _fail(media, str(err))
    if response.status != 200:
        return _fail(media, f"the server answered HTTP {response.status}")
    kind = sniff(response.body)
    if kind is None:
        declared = response.headers.get("content-type", "no content type")
        return _fail(media, f"not an image Hodie keeps (PNG, JPEG, GIF, WebP, AVIF, BMP); the server said {declared}")
    extension, content_type = kind
    digest = hashlib.sha256(response.body).hexdigest()
    name = f"imports/{digest[:2]}/{digest}.{extension}"
    path = media_root() / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(response.body)
        partial.replace(path)  # a reader never sees half a file
    media.file, media.content_type, media.size, media.sha256 = name, content_type, len(response.body), digest
    media.status, media.reason, media.fetched_at = "stored", "", timezone.now()
    media.save()
    return media


def media_for(url: str, retry_failed: bool = False) -> MediaFile:
    """The :class:`MediaFile` of ``url``, fetched now if it never was (or failed, with ``retry_failed``)."""
    media = MediaFile.objects.filter(source_url=url).first() or MediaFile(source_url=url)
    if media.status == "queued" or (media.status == "failed" and retry_failed):
        return store(media)
    if media.status == "stored" and not (media_root() / media.file).is_file():
        return store(media)  # the folder was not copied with a restored database: fetch again
    return media
