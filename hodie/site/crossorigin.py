"""Cross-site POSTs refused without a per-reader token, for the forms on public pages.

The forms on public pages (comments, the date order, the interface language) must work on a page
a shared cache served to thousands of readers, so the page cannot carry a reader's CSRF token, and
Django's CsrfViewMiddleware insists on one. These views check instead where the POST comes from,
with the headers every current browser sends and no page script can forge: ``Sec-Fetch-Site``
(Fetch Metadata) when present, else ``Origin``. A request carrying neither did not come from a
browser (curl, a feed reader, a test client), and so cannot be a forged cross-site request made
with a victim's browser; it is let through like any other non-browser client. Written by hand
because Django has no such check of its own yet; the comment form's signed token (bound to its
page, carrying nothing of the reader's) stays as the spam layer it was.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt


def same_site(request: HttpRequest) -> bool:
    """Whether a POST came from one of this site's own pages (or from no browser at all)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parts = urlsplit(origin)
    try:
        host = request.get_host()
    except DisallowedHost:
        return False
    return parts.netloc == host and parts.scheme == request.scheme


def same_site_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse (403) a POST made from another site's page, in place of Django's CSRF token."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and not same_site(request):
            return HttpResponseForbidden(
                "Refused: this form was posted from another site.\n", content_type="text/plain; charset=utf-8"
            )
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)
