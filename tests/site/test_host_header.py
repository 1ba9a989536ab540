"""A Host header with an extra port (``127.0.0.1:8000:80``) is refused, and the links of cacheable
answers (the API's next/previous, the Webmention ``Link`` header, a feed's own address) name the
configured public address, never whichever allowed host or port a request came with (issue 19)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1/entries?collection=russia&per_page=1&page=2"
NEXT = r"/api/v1/entries\?collection=russia&per_page=1&after=\d+\.\d+"  # the next page, by cursor
PAGE = "/russia/february-20/"
EXTRA_PORT = ["127.0.0.1:8000:80", "example.org:443:1", "localhost:8000:8000", "127.0.0.1::80"]


def webmention_link(response) -> str:  # type: ignore[no-untyped-def]
    return next(part for part in response["Link"].split(",") if 'rel="webmention"' in part).strip()


@pytest.mark.parametrize("site_url", ["", "https://hodie.example"], ids=["no-site-url", "site-url"])
@pytest.mark.parametrize("host", EXTRA_PORT)
def test_a_host_with_an_extra_port_is_refused(client, demo, settings, host, site_url) -> None:
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "example.org"]
    for path in (API, PAGE, "/russia/feed.atom"):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 400, path
        assert not response.has_header("Link") and host.encode() not in response.content


def test_without_a_site_url_the_links_name_the_allowed_host_asked_for(client, demo, settings) -> None:
    """The control: a well-formed allowed host and port is what the links name when no public
    address is configured (a newcomer's `make run PORT=8101`)."""
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    api = client.get(API, HTTP_HOST="127.0.0.1:8101").json()
    assert re.fullmatch(r"http://127\.0\.0\.1:8101" + NEXT, api["next"])
    assert api["previous"] == "http://127.0.0.1:8101/api/v1/entries?collection=russia&per_page=1"  # the first page
    page = client.get(PAGE, HTTP_HOST="127.0.0.1:8101")
    assert webmention_link(page) == '<http://127.0.0.1:8101/webmention>; rel="webmention"'


@pytest.mark.parametrize("host", ["localhost:8101", "127.0.0.1:9", "example.org"])
def test_with_a_site_url_the_links_name_it_whatever_the_host(client, demo, settings, host) -> None:
    """Another allowed host or port gets the configured address in every link of a cacheable answer:
    a shared cache keyed on the path (nginx's default key) would hand its links to every reader."""
    settings.SITE_URL = "https://hodie.example"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "example.org"]
    api = client.get(API, HTTP_HOST=host).json()
    assert re.fullmatch(r"https://hodie\.example" + NEXT, api["next"])
    assert api["previous"] == "https://hodie.example/api/v1/entries?collection=russia&per_page=1"  # the first page
    page = client.get(PAGE, HTTP_HOST=host)
    assert webmention_link(page) == '<https://hodie.example/webmention>; rel="webmention"'
    feed = client.get("/russia/feed.atom", HTTP_HOST=host).content.decode()
    assert 'href="https://hodie.example/russia/feed.atom"' in feed  # its rel="self"
    assert host not in feed and host not in page["Link"]
