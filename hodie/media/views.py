"""Files under ``HODIE_MEDIA_ROOT`` served by Hodie itself (a proxy may serve the folder instead:
docs/deploy.md, "Media"). Names carry their content's hash, so they are sent as immutable."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from .fetching import media_root, sniff


@require_safe
def serve(request: HttpRequest, name: str) -> FileResponse:
    try:
        path = Path(safe_join(media_root(), name))  # refuses ../ and absolute names
    except (SuspiciousFileOperation, ValueError) as err:  # ../, an absolute name, a NUL: no such file
        raise Http404("No such media file") from err
    if not path.is_file() or path.name.endswith(".partial"):
        raise Http404("No such media file")
    handle = path.open("rb")
    kind = sniff(handle.read(16))
    handle.seek(0)
    if kind is None:  # only what fetching stored: an image it recognised
        handle.close()
        raise Http404("No such media file")
    response = FileResponse(handle, content_type=kind[1])
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
