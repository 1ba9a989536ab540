"""Django on a pool of threads behind the event loop (hodie/site/threads.py), as `hodie serve` runs
it: whole answers and streamed files arrive intact, each response is closed (Django's
request_finished), the environ carries what the ASGI scope said, and the threads never keep a
stopping worker alive."""

from __future__ import annotations

import threading

import pytest
from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

from hodie.site.threads import DjangoOnThreads, Pool, environ
from tests.site.asgi_driver import call, header
from tests.site.asgi_driver import get as asgi_get

pytestmark = pytest.mark.django_db(transaction=True)  # the pool's threads have connections of their own


def get(app, path: str, query: bytes = b""):
    return asgi_get(app, path, query=query, own_thread=False)


@pytest.fixture
def app():
    app = DjangoOnThreads(get_wsgi_application(), threads=2)
    yield app
    if not app.pool.started:
        return
    # Each thread hands its database connection back (PostgreSQL keeps them open between requests,
    # and the test database is dropped after the run): one job per thread, held until both are taken.
    import asyncio

    from django.db import connections

    taken = threading.Barrier(2)

    def close() -> None:
        taken.wait(timeout=10)
        connections.close_all()

    async def on_each_thread() -> None:
        await asyncio.gather(app.pool.run(close), app.pool.run(close))

    asyncio.run(on_each_thread())


def test_a_page_arrives_whole_and_its_response_is_closed(app):
    finished = []

    def note(**_):
        finished.append(threading.current_thread().name)

    request_finished.connect(note)
    try:
        status, headers, body = get(app, "/about/dates/")
    finally:
        request_finished.disconnect(note)
    assert status == 200 and body.rstrip().endswith(b"</html>")
    assert int(header(headers, b"content-length")) == len(body)
    assert finished and finished[0].startswith("django_")  # closed in the thread that ran it


def test_a_static_file_is_streamed_whole(app, settings):
    from django.contrib.staticfiles.storage import staticfiles_storage

    name = staticfiles_storage.stored_name("hodie/site.css")
    status, headers, body = get(app, settings.STATIC_URL + name)
    assert status == 200 and header(headers, b"content-type").startswith(b"text/css")
    with staticfiles_storage.open(name) as stored:
        assert body == stored.read() and len(body) > 1000


def test_a_posted_body_and_the_query_reach_the_view(app):
    status, _, body = call(
        app, "POST", "/webmention", (b"content-type", b"application/x-www-form-urlencoded"),
        body=b"source=not-a-url&target=also-not", own_thread=False,
    )  # fmt: skip
    # No Content-Length (a chunked or HTTP/2 body): the view still reads the form and names the value.
    assert (status, body) == (400, b"source 'not-a-url' is not an http or https URL\n")
    status, _, body = get(app, "/search/", query=b"q=Kosenko")
    assert status == 200 and b"Kosenko" in body


def test_the_environ_says_what_the_scope_said():
    scope = {
        "type": "http", "method": "GET", "http_version": "1.1", "scheme": "https", "root_path": "",
        "path": "/tags/революция/", "query_string": b"page=2", "server": ("example.org", 443),
        "client": ("192.0.2.7", 51000),
        "headers": [
            (b"host", b"example.org"), (b"x-thing", b"a"), (b"x-thing", b"b"), (b"content-type", b"text/plain"),
        ],
    }  # fmt: skip
    result = environ(scope, b"hello")
    assert result["PATH_INFO"] == "/tags/революция/".encode().decode("latin-1")  # PEP 3333
    assert (result["QUERY_STRING"], result["wsgi.url_scheme"], result["SERVER_PORT"]) == ("page=2", "https", "443")
    assert (result["REMOTE_ADDR"], result["HTTP_HOST"], result["HTTP_X_THING"]) == ("192.0.2.7", "example.org", "a,b")
    assert result["CONTENT_TYPE"] == "text/plain" and "HTTP_CONTENT_TYPE" not in result
    assert result["wsgi.input"].read() == b"hello" and result["CONTENT_LENGTH"] == "5"


def test_a_header_named_with_an_underscore_never_passes_for_one_with_a_hyphen():
    scope = {
        "type": "http", "method": "GET", "path": "/", "query_string": b"",
        "headers": [(b"x_forwarded_proto", b"https"), (b"accept_language", b"ru"), (b"accept-language", b"en")],
    }  # fmt: skip
    result = environ(scope, b"")
    assert "HTTP_X_FORWARDED_PROTO" not in result and result["HTTP_ACCEPT_LANGUAGE"] == "en"


def test_the_pools_threads_are_daemons_and_an_error_reaches_the_caller():
    import asyncio

    pool = Pool(2)

    def fail():
        raise ValueError("told apart")

    async def both():
        name = await pool.run(lambda: threading.current_thread())
        with pytest.raises(ValueError, match="told apart"):
            await pool.run(fail)
        return name

    thread = asyncio.run(both())
    assert thread.daemon and thread.name.startswith("django_")  # a stopping worker never waits on them
