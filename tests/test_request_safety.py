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
    "pk": "1", "token": "not-a-signed-token", "name": "imports/ab/not-there.jpg",
}  # fmt: skip
# Exempt on purpose: other sites post Webmentions and ActivityPub activities here by design, and mail
# providers post RFC 8058 one-click unsubscribes (the signed link is the key); nothing acts on a
# session. Each is refused for its content (a Webmention's form, an unsigned unsubscribe link), or for
# want of an HTTP Signature (the fediverse inboxes), not for its origin.
CSRF_EXEMPT = {"/webmention": 400, "/inbox": 401, "/@russia/inbox": 401, "/digest/unsubscribe/not-a-signed-token/": 400}


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


def test_every_endpoint_refuses_a_cross_site_post(demo) -> None:
    """A browser posting from another site's page: refused everywhere, by Django's CSRF token or,
    for the forms on cached public pages (which carry no reader's token), by its Origin and
    Fetch Metadata (hodie/site/crossorigin.py)."""
    client = Client(enforce_csrf_checks=True)
    checked = paths()
    assert len(checked) > 30
    cross_site = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    for path in checked:
        status = client.post(path, {"x": "1"}, headers=cross_site).status_code
        if path in CSRF_EXEMPT:
            assert status == CSRF_EXEMPT[path], path
        else:
            assert status in (403, 405), f"{path} answered {status} to a cross-site POST"


def test_a_post_from_a_foreign_origin_is_refused(demo) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/about/dates/").content.decode()
    assert "csrfmiddlewaretoken" not in page, "a reader's token on a page shared caches keep"
    response = client.post("/about/dates/order/", {"order": "os"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403 and not response.cookies
    same = client.post("/about/dates/order/", {"order": "os"}, HTTP_ORIGIN="http://testserver")
    assert same.status_code == 302 and same.cookies["hodie_dates"].value == "os"


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
    settings.SITE_URL = "https://hodie.example"
    html = client.get("/russia/february-20/", HTTP_X_FORWARDED_HOST="evil.example").content.decode()
    assert "evil.example" not in html
    assert '<link rel="canonical" href="https://hodie.example/russia/february-20/">' in html


def test_without_a_site_url_absolute_urls_name_the_allowed_host_asked_for(client, demo, settings) -> None:
    """No HODIE_SITE_URL: a page served on another port links to that port (the newcomer's
    `make run PORT=8101`), and a forwarded host is never believed."""
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    html = client.get("/russia/february-20/", HTTP_HOST="127.0.0.1:8101", HTTP_X_FORWARDED_HOST="evil.example")
    text = html.content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8101/russia/february-20/">' in text
    assert "evil.example" not in text and "127.0.0.1:8000" not in text
    api = client.get("/api/v1/entries?per_page=1", HTTP_HOST="127.0.0.1:8101").json()
    assert api["next"].startswith("http://127.0.0.1:8101/") and api["results"][0]["url"].startswith(
        "http://127.0.0.1:8101/"
    )
    assert client.get("/russia/february-20/", HTTP_HOST="evil.example:8101").status_code == 400
    settings.SITE_URL = "https://hodie.example"  # and the configured address wins when there is one
    assert "http://127.0.0.1:8101" not in client.get("/russia/", HTTP_HOST="127.0.0.1:8101").content.decode()
    feed = client.get("/russia/feed.rss", HTTP_X_FORWARDED_HOST="evil.example").content.decode()
    api = client.get("/api/rest_v1/feed/onthisday/all/02/20", HTTP_X_FORWARDED_HOST="evil.example").content.decode()
    assert "evil.example" not in feed + api
