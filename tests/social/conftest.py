"""A partner site served by the test itself on 127.0.0.1, and a way to run queued jobs."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest


@pytest.fixture
def run_jobs(monkeypatch):
    """Run every job waiting in the database queue, in this process and this test's transaction."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    return run


class Site:
    """Pages by path: (status, headers, body). ``posts`` collects what was POSTed, by path."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.posts: list[tuple[str, dict[str, list[str]]]] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.base = ""

    def page(self, path: str, body: str | bytes, status: int = 200, **headers: str) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = (status, {"Content-Type": "text/html; charset=utf-8", **headers}, data)
        return self.base + path


def answer(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", **headers: str | list[str]) -> None:
    """Send a whole response from a test server's handler (``Content_Type`` → ``Content-Type``)."""
    handler.send_response(status)
    for name, value in headers.items():
        for one in value if isinstance(value, list) else [value]:  # a list: the header on several lines
            handler.send_header(name.replace("_", "-"), one)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def partner_site():
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def _answer(self) -> None:
            status, headers, body = site.pages.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
            if headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, b""
            answer(self, status, body, **headers)

        def do_GET(self) -> None:
            site.requests.append(("GET", self.path, dict(self.headers)))
            self._answer()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = parse_qs(self.rfile.read(length).decode())
            site.posts.append((self.path, form))
            site.requests.append(("POST", self.path, dict(self.headers)))
            self._answer()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback(settings):
    settings.HODIE_FETCH_ALLOW_LOOPBACK = True
    return settings
