"""What a site carries besides its content: media files met or stored by an import, and the image
hosts an editor allows. (Old addresses that redirect are in redirects.py.)"""

from __future__ import annotations

from django.utils import timezone

from hodie.importers.records import ImageHostRecord, MediaRecord
from hodie.media.models import ImageHost, MediaFile

from .base import WriterBase


class ExtrasWriting(WriterBase):
    def write_media(self, record: MediaRecord) -> None:
        if not self._first_time("media", record.url, record.where):
            return
        media = MediaFile.objects.filter(source_url=record.url).first()
        is_new = media is None
        media = media or MediaFile(source_url=record.url)
        values = {
            "source_id": record.source_id[:300], "title": record.title[:300], "file": record.file,
            "content_type": record.content_type[:100], "size": record.size, "sha256": record.sha256[:64],
            "status": record.status, "reason": record.reason[:500],
        }  # fmt: skip
        if record.status == "queued" and media.status in ("stored", "failed"):
            # an attachment met again: keep what the earlier fetch found, take its new title
            values = {"source_id": values["source_id"], "title": values["title"]}
        changed = any(getattr(media, name) != value for name, value in values.items())
        if not changed and not is_new:
            self.summary.unchanged["media"] += 1
            return
        for name, value in values.items():
            setattr(media, name, value)
        media.fetched_at = record.fetched or media.fetched_at or timezone.now()
        media.save()
        self.summary.count("media", is_new)

    def write_image_host(self, record: ImageHostRecord) -> None:
        host = record.host.strip().lower()
        if not self._first_time("image_host", host, record.where):
            return
        found = ImageHost.objects.filter(host=host).first()
        if found is not None and (found.allowed, found.note) == (record.allowed, record.note):
            self.summary.unchanged["image_host"] += 1
            return
        ImageHost.objects.update_or_create(host=host, defaults={"allowed": record.allowed, "note": record.note[:500]})
        self.summary.count("image_host", found is None)
