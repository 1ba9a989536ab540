"""Advertise the Webmention endpoint on every HTML page in an HTTP ``Link`` header, which
senders read before the page's ``<link rel="webmention">``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from hodie.almanac.web import absolute


class WebmentionLinkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.endpoint = reverse("social:webmention")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and not request.path.startswith("/admin/"):
            link = f'<{absolute(request, self.endpoint)}>; rel="webmention"'
            response["Link"] = f"{response['Link']}, {link}" if response.has_header("Link") else link
        return response
