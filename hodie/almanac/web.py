"""Two helpers every public view shares: the site's base URL and a public, cacheable response."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

LOCAL = "http://127.0.0.1:8000"  # `hodie serve`'s own default address


def site_url(request: HttpRequest) -> str:
    """HODIE_SITE_URL, else the address this request came to (``get_host`` refuses a host that is not
    in HODIE_ALLOWED_HOSTS, so a forged Host header never reaches a link)."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def absolute(request: HttpRequest, path: str) -> str:
    """``path`` (with its query) on the site's address: HODIE_SITE_URL when set, so that a cacheable
    answer's own links never name whichever allowed host or port a request came with (a shared cache
    keyed on the path alone would hand that host to every reader)."""
    return f"{site_url(request)}{path}"


def base_url() -> str:
    """The site's address for work done outside a request (emails, Webmentions, the CLI): HODIE_SITE_URL,
    which `hodie serve` sets for the worker it starts to the address it listens on when it is empty."""
    return settings.SITE_URL or LOCAL


def public(response: HttpResponse, max_age: int) -> HttpResponse:
    """A response any site may fetch (CORS ``*``) and caches may keep for ``max_age`` seconds."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response
