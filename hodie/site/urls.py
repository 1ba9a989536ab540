from pathlib import Path

from django.contrib import admin
from django.http import FileResponse, HttpRequest
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.i18n import set_language

from hodie.site.crossorigin import same_site_post

FAVICON = Path(__file__).resolve().parent.parent / "almanac" / "static" / "hodie" / "favicon.ico"


@require_safe
def favicon(request: HttpRequest) -> FileResponse:
    """Browsers ask every page's host for /favicon.ico (the admin's pages name no icon of their own)."""
    response = FileResponse(FAVICON.open("rb"), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


handler404 = "hodie.site.problems.not_found"
handler500 = "hodie.site.problems.server_error"

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Django's language switch, posted from the footer of cached pages: checked by origin, not by token.
    path("i18n/setlang/", same_site_post(set_language), name="set_language"),
    path("", include("hodie.media.urls")),
    path("", include("hodie.social.urls")),
    path("", include("hodie.fediverse.urls")),
    path("", include("hodie.digest.urls")),
    path("", include("hodie.almanac.urls")),
]
