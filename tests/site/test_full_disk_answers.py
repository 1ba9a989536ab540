"""Admin login and the Webmention endpoint on a full disk: 503 with Retry-After and the real
reason, never a 500 (issue 19, "Answers of 500").

The disk is made full by refusing every write the way the database does on a full disk, rather than
by capping SQLite's page count (test_storage_failures.py): under a page cap a small row (a session,
a failed-login record, a mention) still finds room in a page its table has half free, and is stored."""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Iterator

import pytest

from tests.social.test_comments import ARTICLE

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def sqlite_full() -> Exception:
    err = sqlite3.OperationalError("database or disk is full")
    err.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined] - as sqlite3 sets it
    return err


class PostgresDiskFull(Exception):
    sqlstate = "53100"  # psycopg's DiskFull


@pytest.fixture(params=["sqlite-code", "postgres-code", "message-only"])
def full_disk(request) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Every write fails as the database fails on a full disk: with SQLite's result code, with
    PostgreSQL's SQLSTATE, or with SQLite's message alone (no code to read)."""
    from django.db import OperationalError, connection

    causes = {
        "sqlite-code": sqlite_full,
        "postgres-code": lambda: PostgresDiskFull('could not extend file "base/1/2": No space left on device'),
        "message-only": lambda: None,
    }

    def refuse(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith(WRITES):
            cause = causes[request.param]()
            raise OperationalError(str(cause) if cause else "database or disk is full") from cause
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


FULL = "the server's disk is full"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="right-horse-battery", is_staff=True)


def login(client, password: str):  # type: ignore[no-untyped-def]
    form = {"username": "editor", "password": password, "next": "/admin/"}
    return client.post("/admin/login/?next=/admin/", form, REMOTE_ADDR="203.0.113.70")


@pytest.mark.parametrize("password", ["right-horse-battery", "a-wrong-guess"], ids=["right", "wrong"])
def test_an_admin_login_on_a_full_disk_says_the_disk_is_full(client, editor, full_disk, password) -> None:
    """The right password needs a session row, a wrong one a failed-attempt row (django-axes):
    either way the login is answered 503 and told why, and no session is opened."""
    response = login(client, password)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert FULL in html.unescape(response.content.decode())
    assert "sessionid" not in response.cookies


def test_the_disk_check_is_not_everything_503(client, editor, full_disk) -> None:
    """Reading needs no space: the login form itself is still served."""
    assert client.get("/admin/login/").status_code == 200


def test_a_webmention_on_a_really_full_disk_is_refused_as_such(client, demo, full_disk, settings) -> None:
    """No stand-in for the storing function: the database itself refuses the mention's row."""
    from hodie.social.models import Mention

    before = Mention.objects.count()
    data = {"source": "https://example.org/a-reply", "target": f"{settings.SITE_URL}{ARTICLE}"}
    response = client.post("/webmention", data, REMOTE_ADDR="203.0.113.71")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert response.content.decode() == "Not stored: its disk is full. Send the Webmention again later.\n"
    assert Mention.objects.count() == before


def test_a_disk_full_outside_any_view_is_answered_503_by_the_failure_page(rf) -> None:
    """A write that fails outside the view (Django saving a session once the response is built)
    reaches Django's handler500: while that failure is being handled, its page tells the same
    reason with 503; any other failure keeps the 500 page."""
    from django.db import OperationalError

    from hodie.site.problems import server_error

    try:
        raise OperationalError("database or disk is full")
    except OperationalError:
        full = server_error(rf.get("/admin/"))
    try:
        raise OperationalError("no such table: django_session")
    except OperationalError:
        other = server_error(rf.get("/admin/"))
    assert full.status_code == 503 and full["Retry-After"] == "60" and FULL in html.unescape(full.content.decode())
    assert other.status_code == 500 and FULL not in html.unescape(other.content.decode())
