"""While an import holds SQLite's write lock, `hodie serve` keeps answering readers, and a comment
posted meanwhile is refused with 503, Retry-After and the reason (never left waiting, never lost)."""

from __future__ import annotations

import http.client
import os
import re
import sqlite3
import threading
import time
from urllib.parse import urlencode

import pytest

from .serve import get, serving

pytestmark = pytest.mark.skipif(
    os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"), reason="SQLite's single writer lock"
)
ARTICLE = "/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"


def comment_form(port: int) -> tuple[str, dict[str, str]]:
    """The hidden fields of the article's comment form (its page sets no cookie: a cache may keep it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", ARTICLE)
    response = connection.getresponse()
    html = response.read().decode()
    connection.close()
    assert not response.getheader("Set-Cookie")
    fields = dict(re.findall(r'name="(target|token)" value="([^"]+)"', html))
    assert len(fields) == 2
    return "", fields


def post(port: int, cookie: str, fields: dict[str, str], body: str) -> tuple[int, str | None, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = urlencode({**fields, "name": "Anna", "body": body})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}",
        "Referer": f"http://127.0.0.1:{port}{ARTICLE}",
    }  # fmt: skip
    connection.request("POST", "/comments/post/", body=data, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response.status, response.getheader("Retry-After"), text


def stored(database, body: str) -> int:  # type: ignore[no-untyped-def]
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT count(*) FROM almanac_comment WHERE body = ?", (body,)).fetchone()[0])


@pytest.mark.slow
def test_readers_are_answered_and_writers_refused_clearly_while_an_import_holds_the_lock(tmp_path) -> None:
    env = {"HODIE_COMMENT_MODERATION": "never", "HODIE_COMMENT_RATE_SECONDS": "0"}
    with serving(tmp_path, **env) as port:
        for _ in range(4):
            get(port, "/russia/february-20/", timeout=10)
        cookie, fields = comment_form(port)
        time.sleep(3.5)  # the form refuses posts quicker than a person types
        database = tmp_path / "hodie.sqlite3"
        lock = sqlite3.connect(database, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # what `hodie import` holds from its first record to its last
        answers: dict[int, tuple[int, str | None, str]] = {}

        def post_twice(first: int) -> None:
            for number in (first, first + 2):
                answers[number] = post(port, cookie, fields, f"During the import {number}")

        # Two readers posting at once, twice each: under the old 20 s wait they held both workers.
        posting = [threading.Thread(target=post_twice, args=(first,)) for first in (0, 1)]
        try:
            for poster in posting:
                poster.start()
            time.sleep(0.1)
            read = []
            for path in ["/", "/russia/february-20/", "/russia/september-7/", ARTICLE] * 3:
                try:
                    read.append((path, get(port, path, timeout=1)))
                except TimeoutError:
                    read.append((path, "no answer within 1 s"))
            for poster in posting:
                poster.join(timeout=120)
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        assert all(status == 200 for _, status in read), read
        assert len(answers) == 4
        for number, (status, retry_after, text) in answers.items():
            if status == 503:  # refused: told so, and told when to come back; nothing half-stored
                assert retry_after == "60"
                assert "Your comment was not saved: the site is busy" in text
                assert stored(database, f"During the import {number}") == 0
            else:
                assert status == 303
                assert stored(database, f"During the import {number}") == 1
        assert any(status == 503 for status, _, _ in answers.values())
        assert post(port, cookie, fields, "After the import")[0] == 303
        assert stored(database, "After the import") == 1
