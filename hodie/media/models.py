"""A file fetched for an imported post (or the reason it could not be), and the image hosts an
editor lets pages load from."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class MediaFile(models.Model):
    """One remote address met in an import (an ``<img>`` of a post, a WXR attachment): stored under
    ``HODIE_MEDIA_ROOT`` by its content's hash, or failed with the reason."""

    STATUSES = (("stored", "Stored"), ("failed", "Failed"), ("queued", "Queued"))

    source_url = models.URLField(max_length=1000, unique=True, help_text="The address the import named.")
    file = models.CharField(max_length=200, blank=True, help_text="The name under HODIE_MEDIA_ROOT.")
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default="queued", db_index=True)
    reason = models.CharField(max_length=500, blank=True, help_text="Why the fetch failed.")
    title = models.CharField(max_length=300, blank=True, help_text="A WXR attachment's title.")
    source_id = models.CharField(max_length=300, blank=True, help_text="A WXR attachment's id in its export.")
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "media file"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file or self.source_url

    @property
    def url(self) -> str:
        """Where pages load the stored file from (``/media/…``), or the remote address if none."""
        from django.conf import settings

        return f"{settings.MEDIA_URL}{self.file}" if self.status == "stored" and self.file else self.source_url


class ImageHost(models.Model):
    """A host whose images pages may load (``img-src`` of the Content-Security-Policy). An import
    adds the host of each image it could not fetch, allowed, so that nothing on a page is blocked;
    an editor may untick it, and then those images show as links instead."""

    host = models.CharField(max_length=255, unique=True, help_text="e.g. 1.bp.blogspot.com")
    allowed = models.BooleanField(default=True, help_text="Pages may load images from this host.")
    note = models.CharField(max_length=500, blank=True, help_text="Why it was added (the failed fetch).")

    class Meta:
        verbose_name = "allowed image host"
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host
