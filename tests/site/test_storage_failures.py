"""A comment the database cannot store is refused with the real reason (503, Retry-After), and
nothing of it is kept."""

from __future__ import annotations

import os

import pytest

from tests.social.test_comments import ARTICLE, post

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"), reason="SQLite's page cap"),
]


@pytest.fixture
def full_disk(demo):
    """The database may grow no further: SQLite then fails as on a full disk ("database or disk is full")."""
    from django.db import OperationalError, connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE filler (data BLOB)")
        cursor.execute("PRAGMA page_count")
        cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0] + 4}")
        # Fill the pages left, free pages of the file included (earlier tests' deleted rows leave
        # megabytes of them), so that even a small row finds no room: big blobs first, then smaller.
        for size in (1 << 20, 1 << 16, 1024, 128, 16, 1):
            try:
                while True:
                    cursor.execute(f"INSERT INTO filler VALUES (zeroblob({size}))")
            except OperationalError:
                pass
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count = 1073741823")
        cursor.execute("DROP TABLE filler")


def test_a_comment_on_a_full_disk_is_refused_as_such(client, full_disk, settings) -> None:
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "never"
    before = Comment.objects.count()
    response = post(client, ARTICLE, body="A long thought. " * 300)
    text = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "its disk is full" in text and "busy" not in text
    assert "A long thought." in text  # the form comes back filled in: the reader keeps the text
    assert Comment.objects.count() == before


def test_a_webmention_on_a_full_disk_is_refused_as_such(client, demo, settings, monkeypatch) -> None:
    """The mention's row is small enough to find room in a capped database, so the error SQLite
    raises on a full disk is raised where the mention is stored."""
    from django.db import OperationalError

    from hodie.social import webmention
    from hodie.social.models import Mention

    def full(source: str, target: str, **_: object) -> None:
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(webmention, "receive", full)
    before = Mention.objects.count()
    data = {"source": "https://example.org/a-reply", "target": f"{settings.SITE_URL}{ARTICLE}"}
    response = client.post("/webmention", data)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert response.content.decode() == "Not stored: its disk is full. Send the Webmention again later.\n"
    assert Mention.objects.count() == before
