"""Clients that send their request body one byte a second, against `hodie serve` itself."""

from __future__ import annotations

import select
import socket
import threading
import time

import pytest

from .serve import get, serving

pytestmark = pytest.mark.skipif(
    __import__("os").environ.get("HODIE_DATABASE_URL", "").startswith("postgres"),
    reason="the server runs on its own SQLite file; the body is read before any database work",
)


def open_slow(port: int, path: str) -> socket.socket:
    """A POST that announces 10,000 bytes of form data and sends the first one."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 10000\r\n\r\na"
    )
    sock.sendall(head.encode())
    return sock


@pytest.mark.slow
def test_fifty_slow_bodies_neither_stop_the_site_nor_stay_open(tmp_path) -> None:
    """With 50 connections trickling a body (to /webmention and /comments/post/), every other
    request is answered within 1 s, and the slow ones are answered 408 and closed once the
    body deadline has passed."""
    with serving(tmp_path, HODIE_REQUEST_BODY_SECONDS="4") as port:
        for _ in range(4):  # both workers have rendered a page once
            get(port, "/russia/february-20/", timeout=10)
        slow = [open_slow(port, "/webmention" if n % 2 else "/comments/post/") for n in range(50)]
        stop = threading.Event()
        cut_off: dict[int, bytes] = {}

        def trickle() -> None:
            while not stop.is_set():
                for number, sock in enumerate(slow):
                    if number in cut_off:
                        continue
                    if select.select([sock], [], [], 0)[0]:  # answered (or closed): keep what it said
                        cut_off[number] = sock.recv(200)
                        continue
                    sock.sendall(b"a")
                stop.wait(1)

        dripping = threading.Thread(target=trickle, daemon=True)
        dripping.start()
        try:
            answered = []
            for path in ["/", "/russia/february-20/", "/api/v1/entries", "/about/dates/"] * 2:
                try:
                    answered.append((path, get(port, path, timeout=1)))
                except TimeoutError:
                    answered.append((path, "no answer within 1 s"))
                time.sleep(0.2)
            assert all(status == 200 for _, status in answered), answered
            time.sleep(5)  # past the 4 s deadline
            stop.set()
            dripping.join()
            for number, sock in enumerate(slow):
                sock.settimeout(3)
                try:
                    cut_off[number] = cut_off.get(number) or sock.recv(200)
                except OSError:
                    cut_off.setdefault(number, b"")
        finally:
            stop.set()
            for sock in slow:
                sock.close()
        answers = {reply.split(b"\r\n", 1)[0] for reply in cut_off.values()}
        assert len(cut_off) == 50
        assert answers == {b"HTTP/1.1 408 Request Timeout"}, answers
