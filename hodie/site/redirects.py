"""An imported blog's old addresses, answered with a permanent redirect (301) to their new pages.

The redirects are ``django.contrib.redirects`` rows (editable in the admin under "Redirects"); the
import writer adds them (:func:`remember`). Django's own ``RedirectFallbackMiddleware`` is not
used because it compares the whole path and query string, and acts only on a 404:

- old blogs' links carry presentation parameters that do not change the page: Blogger's
  ``?m=1`` (the mobile view) and ``?showComment=…`` (a comment's anchor);
- WordPress's ``/?p=123``, ``/?page_id=7`` and ``/?attachment_id=9`` are the address of Hodie's
  home page, which answers 200.

So :class:`OldLinkMiddleware` looks up the path with those parameters dropped, before the view
for a query that names an old post, and after any 404.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.http import HttpRequest, HttpResponse, HttpResponseGone, HttpResponsePermanentRedirect
from django.utils.encoding import escape_uri_path

# Parameters that only choose how Blogger shows a post: the same post without them.
PRESENTATION = frozenset({"m", "showComment", "utm_source", "utm_medium", "utm_campaign"})
# Parameters that name what an old WordPress or Blogger address shows.
NAMING = frozenset({"p", "page_id", "attachment_id", "cat", "tag", "feed"})
OLD_PATH_LIMIT = 200  # django.contrib.redirects' old_path column


def old_path(url: str) -> str:
    """The part of an old address that is looked up: its path (percent-encoded as Django encodes a
    request's path) and its naming query parameters; no host, no fragment, no presentation."""
    parts = urlsplit(url)
    path = escape_uri_path(unquote(parts.path) or "/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in PRESENTATION]
    return path + (f"?{urlencode(query)}" if query else "")


def remember(wanted: dict[str, str]) -> tuple[int, int]:
    """Keep each old address of ``wanted`` (old URL -> new path) as a redirect; returns (made,
    already there). A redirect already there is left as it is: an editor may have changed it in
    the admin, and importing the same file again must not undo that. Addresses that cannot be kept
    (see :func:`keepable`) are passed over."""
    rows: dict[str, str] = {}
    for old_url, new_path in wanted.items():
        path = old_path(old_url)
        if keepable(path, new_path):
            rows.setdefault(path, new_path)
    there: set[str] = set()
    paths = list(rows)
    for start in range(0, len(paths), 500):  # SQLite's bound on query parameters
        chunk = paths[start : start + 500]
        there |= set(
            Redirect.objects.filter(site_id=settings.SITE_ID, old_path__in=chunk).values_list("old_path", flat=True)
        )
    Redirect.objects.bulk_create(
        [
            Redirect(site_id=settings.SITE_ID, old_path=path, new_path=new)
            for path, new in rows.items()
            if path not in there
        ]
    )
    return len(rows) - len(there), len(there)


def keepable(path: str, new_path: str) -> bool:
    """Whether ``path`` can be an old address: not longer than the column, not the site's root, not
    the new page's own address."""
    return len(path) <= OLD_PATH_LIMIT and path not in ("/", new_path)


def _candidates(request: HttpRequest) -> list[str]:
    query = [(k, v) for k, v in request.GET.items() if k not in PRESENTATION]
    path = escape_uri_path(request.path)
    found = [path + (f"?{urlencode(query)}" if query else "")]
    if path not in found:
        found.append(path)
    return found


def find(request: HttpRequest) -> HttpResponse | None:
    """The redirect answering ``request``, if it is an old address kept by an import."""
    if request.method not in ("GET", "HEAD"):
        return None
    candidates = _candidates(request)
    rows = dict(
        Redirect.objects.filter(site_id=settings.SITE_ID, old_path__in=candidates).values_list("old_path", "new_path")
    )
    for candidate in candidates:
        if candidate in rows:
            new_path = rows[candidate]
            # An emptied target, as in Django's middleware: the page is gone for good.
            return HttpResponsePermanentRedirect(new_path) if new_path else HttpResponseGone()
    return None


class OldLinkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NAMING.intersection(request.GET) or PRESENTATION.intersection(request.GET):
            answer = find(request)
            if answer is not None:
                return answer
        response = self.get_response(request)
        if response.status_code == 404:
            return find(request) or response
        return response
