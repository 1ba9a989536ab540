"""ASGI entry point for the production server (``hodie serve``).

Why ASGI and not WSGI: under WSGI, granian hands the request body to Django as a stream that the
view reads from its worker thread, so a client sending one byte a second holds that thread (and,
with ``--blocking-threads 1``, the whole worker) for as long as it likes: two such clients took
the site down. Here the body is read on the event loop first, where a waiting connection costs a
socket and a few kilobytes, under a deadline and a size cap; Django's thread only ever sees a
request whose body is already in memory. Django's own ASGI handler reads the body on the loop too,
but with neither a deadline nor a cap, hence this small layer in front of it (written here
because neither Django nor granian offers a body-read timeout).

In front of it, frontcache.py answers stored public pages without entering Django; behind it,
threads.py runs Django's WSGI handler on a few threads (one crossing each way per request, where
Django's ASGI handler made three: docs/benchmarks.md has the figures).
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.core.wsgi import get_wsgi_application

from hodie.site.threads import DjangoOnThreads

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BufferedBody:
    """Read each request's whole body before the application runs: within ``seconds`` (else
    408) and at most ``max_bytes`` (else 413, told from Content-Length before reading when it can)."""

    def __init__(self, app: App, seconds: float, max_bytes: int) -> None:
        self.app = app
        self.seconds = seconds
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await _refuse(send, 413, f"A request body is at most {self.max_bytes} bytes.\n")
            return
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.seconds):
                more = True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        await _refuse(send, 413, f"A request body is at most {self.max_bytes} bytes.\n")
                        return
                    chunks.append(chunk)
                    more = message.get("more_body", False)
        except TimeoutError:
            await _refuse(send, 408, f"The request body did not arrive within {self.seconds:g} seconds.\n")
            return
        replayed = False

        async def replay() -> Message:
            # The buffered body once, then the client's own messages (Django listens for a disconnect).
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _short_sqlite_waits(milliseconds: int) -> None:
    """A request that writes waits at most ``milliseconds`` for SQLite's write lock, then fails
    (the comment form answers 503 with Retry-After) instead of waiting out a long import: the reader
    hears at once, and waiting requests (a thread and a connection each) stay few. Readers are kept
    apart from waiting writers by the pool of threads Django runs on (threads.py: a writer waiting
    holds one of its four threads, the readers go on in the others); under WSGI with one thread a
    worker, writers waiting for an import's lock held every reader behind them (finding 11: day
    pages took 18 s). Commands and the job worker keep
    HODIE_SQLITE_BUSY_SECONDS. 500 ms was measured too short: 5 of 500 posts, 50 at a time on a
    loaded machine, were refused while no import ran."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return
    options = database["OPTIONS"]
    options["timeout"] = milliseconds / 1000
    options["init_command"] = re.sub(r"busy_timeout=\d+", f"busy_timeout={milliseconds}", options["init_command"])


def build() -> App:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    django_app = DjangoOnThreads(get_wsgi_application())
    from django.conf import settings

    from hodie.site.frontcache import FrontCache

    _short_sqlite_waits(settings.HODIE_SQLITE_REQUEST_BUSY_MS)
    # A stored public page is answered before the body is read or Django is entered (frontcache.py).
    return FrontCache(
        BufferedBody(django_app, settings.HODIE_REQUEST_BODY_SECONDS, settings.HODIE_REQUEST_BODY_MAX_BYTES)
    )


application = build()
