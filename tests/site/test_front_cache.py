"""The page cache's front door (hodie/site/frontcache.py): what Django's page cache kept is answered
before Django, with the same bytes and headers, and never where Django would answer otherwise."""

from __future__ import annotations

import time

import pytest
from asgiref.wsgi import WsgiToAsgi
from django.core.wsgi import get_wsgi_application

from hodie.site.frontcache import FrontCache
from tests.site.asgi_driver import get, header

DAY = "/russia/february-20/"


class Counting:
    """Django's WSGI handler as an ASGI application, counting the requests that reach it. (asgiref's
    adapter runs it in the test's thread, where the test's transaction is; `hodie serve` runs it
    on threads of its own, tests/site/test_threads.py.)"""

    def __init__(self) -> None:
        self.app = WsgiToAsgi(get_wsgi_application())
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await self.app(scope, receive, send)


@pytest.fixture
def front(demo):
    inner = Counting()
    app = FrontCache(inner)
    get(app, "/robots.txt")  # a site's first request sets the generation up (Django does: it may query)
    inner.calls = 0
    return app, inner


def test_a_kept_page_is_answered_before_django_with_the_same_bytes_and_headers(front):
    app, inner = front
    status, first_headers, first = get(app, DAY)
    assert (status, header(first_headers, b"x-hodie-cache"), inner.calls) == (200, b"miss", 1)
    status, headers, body = get(app, DAY)
    assert (status, inner.calls) == (200, 1)  # Django was not entered
    assert body == first and b"Kosenko" in body
    assert headers == [(k, b"hit" if k == b"x-hodie-cache" else v) for k, v in first_headers]
    # Django's own page cache answers the same headers, in the same order.
    _, django_hit, django_body = get(inner, DAY)
    assert (django_hit, django_body) == (headers, body)


def test_an_edit_is_seen_at_once(front):
    from hodie.almanac.models import Entry

    app, inner = front
    get(app, DAY)
    get(app, DAY)
    entry = Entry.objects.get(source_id="demo-ru-kosenko")
    entry.title = "1939: Georgy Kosenko, renamed by an editor"
    entry.save()
    _, headers, body = get(app, DAY)
    assert inner.calls == 2 and b"renamed by an editor" in body
    assert header(headers, b"x-hodie-cache") == b"miss"


def test_an_editor_with_a_session_always_reaches_django(front, client):
    app, inner = front
    get(app, DAY)
    _, headers, _ = get(app, DAY, (b"cookie", b"sessionid=abc"))
    assert inner.calls == 2
    assert b"private" in header(headers, b"cache-control")


def test_each_language_keeps_its_own_page(front):
    app, inner = front
    russian = (b"accept-language", b"ru-RU,ru;q=0.9")
    _, en_headers, english = get(app, DAY)
    _, ru_headers, russian_page = get(app, DAY, russian)
    assert inner.calls == 2 and english != russian_page
    assert (header(en_headers, b"content-language"), header(ru_headers, b"content-language")) == (b"en", b"ru")
    _, headers, again = get(app, DAY, russian)
    assert inner.calls == 2 and again == russian_page and header(headers, b"content-language") == b"ru"
    _, _, cookie_page = get(app, DAY, (b"cookie", b"django_language=ru"))  # another way to ask: Django decides
    assert inner.calls == 3 and b'lang="ru"' in cookie_page


def test_a_revalidation_is_answered_by_django_with_a_304(front):
    app, inner = front
    _, headers, _ = get(app, DAY)
    status, _, body = get(app, DAY, (b"if-none-match", header(headers, b"etag")))
    assert (status, body, inner.calls) == (304, b"", 2)


def test_a_query_is_part_of_the_key(front):
    app, inner = front
    get(app, DAY)
    _, _, body = get(app, DAY, query=b"calendar=julian")
    assert inner.calls == 2 and body


def test_nothing_is_kept_when_the_max_age_is_zero(front, settings):
    settings.HODIE_PAGE_MAX_AGE = 0
    app, inner = front
    get(app, DAY)
    _, headers, _ = get(app, DAY)
    assert inner.calls == 2 and header(headers, b"x-hodie-cache") == b"miss"


def test_what_django_does_not_keep_is_not_kept(front):
    app, inner = front
    for path in ("/api/rest_v1/feed/onthisday/all/02/20", "/russia/feed.atom", "/no-such-page/"):
        get(app, path)
        get(app, path)
    assert inner.calls == 6


def test_a_worker_keeps_a_page_in_memory_no_longer_than_the_shared_cache(front, settings):
    settings.HODIE_PAGE_MAX_AGE = 1
    app, inner = front
    get(app, DAY)
    _, headers, _ = get(app, DAY)
    assert inner.calls == 1 and header(headers, b"x-hodie-cache") == b"hit"
    time.sleep(1.2)
    _, headers, _ = get(app, DAY)
    assert inner.calls == 2 and header(headers, b"x-hodie-cache") == b"miss"


def test_another_worker_reads_the_page_the_first_one_kept(front):
    app, inner = front
    get(app, DAY)
    other = FrontCache(inner)  # a second process: nothing in its memory
    _, headers, body = get(other, DAY)
    assert inner.calls == 1 and header(headers, b"x-hodie-cache") == b"hit" and b"Kosenko" in body


def test_a_header_named_with_an_underscore_chooses_no_stored_page(front):
    app, inner = front
    get(app, DAY, (b"accept_language", b"ru"))  # Django may read it; the key does not
    _, headers, english = get(app, DAY)
    _, headers, again = get(app, DAY)
    assert inner.calls == 2 and header(headers, b"content-language") == b"en" and again == english


def test_every_conditional_request_is_django_s(front):
    app, inner = front
    get(app, DAY)
    status, _, _ = get(app, DAY, (b"if-match", b'"not-this-page"'))
    assert (status, inner.calls) == (412, 2)


def test_a_redirect_added_in_the_admin_is_followed_at_once(front):
    from django.contrib.redirects.models import Redirect
    from django.contrib.sites.models import Site

    app, inner = front
    get(app, DAY, query=b"m=1")
    status, _, _ = get(app, DAY, query=b"m=1")
    assert (status, inner.calls) == (200, 1)
    Redirect.objects.create(site=Site.objects.get_current(), old_path=DAY, new_path="/russia/")
    status, headers, _ = get(app, DAY, query=b"m=1")
    assert (status, header(headers, b"location")) == (301, b"/russia/")


def test_only_a_page_django_has_just_rendered_is_kept(front):
    """A page Django answers from its own cache carries its first render's max-age: not kept again."""
    app, inner = front
    get(app, DAY, (b"if-none-match", b'"another"'))  # rendered by Django, past the front door
    _, headers, _ = get(app, DAY)
    assert header(headers, b"x-hodie-cache") == b"hit"
    get(app, DAY)
    assert inner.calls == 3
