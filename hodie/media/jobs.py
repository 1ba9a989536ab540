"""The media copy as a background job, for ``hodie worker``: a ``wxr`` or ``blogger`` import queues
it (unless told ``--images``, copy now, or ``--no-images``), and an editor asks for it from the
admin (Media files → "Fetch again")."""

from __future__ import annotations

from django_tasks import task

from .localise import localise
from .models import MediaFile


@task()
def copy_images(retry_ids: list[int] | None = None) -> str:
    """Fetch again the media files ``retry_ids`` (failed ones included), then copy every image not
    yet fetched and rewrite the posts; the summary line is the job's result."""
    if retry_ids:
        MediaFile.objects.filter(pk__in=retry_ids).exclude(status="stored").update(status="queued", reason="")
    return localise().summary()
