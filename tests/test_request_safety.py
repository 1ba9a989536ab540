"""Every state-changing endpoint refuses a cross-site post (CSRF), spoofed hosts are refused, and
absolute URLs never come from a request's Host or X-Forwarded-Host (SECURITY.md §7, figures 6, 7)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

SAMPLES = {
    "collection": "russia", "slug": "1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy", "day_slug": "february-20",
    "fmt": "rss", "feed_type": "all", "mm": "02", "dd": "20", "lang": "en", "section": "entries", "page": "1",
    "pk": "1",
}  # fmt: skip
# Exempt on purpose: other sites post Webmentions here by design; nothing acts on a session.
CSRF_EXEMPT = {"/webmention"}


def paths() -> list[str]:
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith("admin/"):
                    continue  # Django's own admin, protected by Django
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                found.append(fill(prefix + route))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def fill(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLES[m.group(1)], route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLES[m.group(1)], route)
    route = route.replace("\\.", ".").replace("/?", "/")
    return "/" + route


def test_every_endpoint_refuses_a_post_without_a_csrf_token(demo) -> None:
    client = Client(enforce_csrf_checks=True)
    checked = paths()
    assert len(checked) > 30
    for path in checked:
        status = client.post(path, {"x": "1"}).status_code
        if path in CSRF_EXEMPT:
            assert status == 400, path  # refused for its content, not its origin
        else:
            assert status in (403, 405), f"{path} answered {status} to a cross-site POST"


def test_a_post_with_a_token_but_a_foreign_origin_is_refused(demo) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/about/dates/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/about/dates/order/", {"csrfmiddlewaretoken": token, "order": "os"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    same = client.post(
        "/about/dates/order/", {"csrfmiddlewaretoken": token, "order": "os"}, HTTP_ORIGIN="http://testserver"
    )
    assert same.status_code == 302


SPOOFED = [
    "evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "evil.example:8000", "[::1]", "10.0.0.1",
    "169.254.169.254", "example.com@evil.example", "evil.example#127.0.0.1", "evil.example/127.0.0.1",
    "127.0.0.1 evil.example", "xn--evil-example", "EVIL.EXAMPLE", "evil.example.", "0.0.0.0", "2130706433",
    "127.0.0.2", "localhost:abc", "", "testserver.evil.example",
]  # fmt: skip


@pytest.mark.parametrize("host", SPOOFED)
def test_a_spoofed_host_is_refused(client, demo, host) -> None:
    assert client.get("/russia/february-20/", HTTP_HOST=host).status_code == 400


def test_absolute_urls_come_from_the_configured_site_url(client, demo, settings) -> None:
    html = client.get("/russia/february-20/", HTTP_X_FORWARDED_HOST="evil.example").content.decode()
    assert "evil.example" not in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}/russia/february-20/">' in html
    feed = client.get("/russia/feed.rss", HTTP_X_FORWARDED_HOST="evil.example").content.decode()
    api = client.get("/api/rest_v1/feed/onthisday/all/02/20", HTTP_X_FORWARDED_HOST="evil.example").content.decode()
    assert "evil.example" not in feed + api
