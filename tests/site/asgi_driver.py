"""One request through an ASGI application, in the test's own thread (Django's ASGI handler runs
thread-sensitive code there, so the view sees the test's transaction)."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def call(
    app,
    method: str,
    path: str,
    *headers: tuple[bytes, bytes],
    query: bytes = b"",
    body: bytes = b"",
    own_thread: bool = True,
) -> Answer:
    """(status, headers with lower-case names, body). For an application that runs Django in the
    test's thread (``own_thread``), the request signals do not close the test's database connection,
    as Django's test client does; one that runs it on threads of its own closes theirs as a server
    would."""
    sent: list[dict] = []
    asked: list[bool] = []

    async def receive():
        if asked:  # a server listens for a disconnect while the application runs: none comes
            await asyncio.Event().wait()
        asked.append(True)
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), *headers], "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    if own_thread:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
    try:
        async_to_sync(app)(scope, receive, send)
    finally:
        if own_thread:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
    start = next(m for m in sent if m["type"] == "http.response.start")
    answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], [(bytes(k).lower(), bytes(v)) for k, v in start["headers"]], answer


def get(app, path: str, *headers: tuple[bytes, bytes], query: bytes = b"", own_thread: bool = True) -> Answer:
    return call(app, "GET", path, *headers, query=query, own_thread=own_thread)


def header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    return next((value for key, value in headers if key == name), None)
