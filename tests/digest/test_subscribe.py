"""Subscribing: double opt-in through a signed, expiring link; bad input refused with a clear
message and nothing stored; unsubscribing by the link in each email, one-click (RFC 8058)."""

from __future__ import annotations

import re
import time
from typing import NamedTuple

import pytest
from django.core import mail, signing

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    found = re.search(r"http://\S+/digest/confirm/\S+/", body)
    assert found, body
    return found.group(0).split("127.0.0.1:8000", 1)[1]


def _subscribe(client, **fields):  # type: ignore[no-untyped-def]
    data = {"email": "anna@example.org", "name": "Anna", "hour": "7", "time_zone": "Europe/Moscow", **fields}
    return client.post("/russia/digest/", data)


def test_double_opt_in_stores_nothing_until_the_link_is_followed(client, russia) -> None:
    """The form sends a link and stores nothing; the link's page asks; its button subscribes."""
    from hodie.digest.models import Subscriber

    page = client.get("/russia/digest/").content.decode()
    assert re.search(r'src="/static/digest/zone(\.[0-9a-f]{12})?\.js"', page) and 'name="time_zone"' in page
    answer = _subscribe(client)
    assert answer.status_code == 200 and "Check your inbox" in answer.content.decode()
    assert Subscriber.objects.count() == 0
    (sent,) = mail.outbox
    assert sent.to == ["Anna <anna@example.org>"] and "Russian history" in sent.subject
    path = _link(sent.body)
    shown = client.get(path)
    assert shown.status_code == 200 and "07:00 (Europe/Moscow)" in shown.content.decode()
    assert Subscriber.objects.count() == 0, "a GET (a mail scanner) subscribes no one"
    done = client.post(path)
    assert done.status_code == 200
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.name, subscriber.hour, subscriber.time_zone, subscriber.status) == (
        "anna@example.org", "Anna", 7, "Europe/Moscow", "active",
    )  # fmt: skip
    again = client.post(path)  # followed twice: still one subscription
    assert again.status_code == 200 and Subscriber.objects.count() == 1


class Bad(NamedTuple):
    fields: dict[str, str]
    message: str


BAD = [
    Bad({"email": "not-an-address"}, "Enter a valid email address."),
    Bad({"email": "anna@example.org\r\nBcc: eve@example.org"}, "Enter a valid email address."),
    Bad({"name": "Anna\r\nBcc: eve@example.org"}, "A name cannot contain line breaks"),
    Bad({"name": "Anna\nSubject: win"}, "A name cannot contain line breaks"),
    Bad({"time_zone": "Mars/Olympus_Mons"}, "is not a time zone name"),
    Bad({"time_zone": "../../etc/passwd"}, "is not a time zone name"),
    Bad({"hour": "24"}, "Select a valid choice"),
]


IDS = ["malformed", "header-in-address", "crlf-name", "lf-name", "zone", "path", "hour"]


@pytest.mark.parametrize("bad", BAD, ids=IDS)
def test_bad_input_is_refused_and_nothing_is_sent_or_stored(client, russia, bad: Bad) -> None:
    from hodie.digest.models import Subscriber

    answer = _subscribe(client, **bad.fields)
    assert answer.status_code == 400
    assert bad.message in answer.content.decode().replace("&#x27;", "'")
    assert mail.outbox == [] and Subscriber.objects.count() == 0


def test_an_unknown_collection_is_a_clear_404(client, russia) -> None:
    from hodie.digest.models import Subscriber

    answer = client.post("/atlantis/digest/", {"email": "anna@example.org", "hour": "7", "time_zone": "UTC"})
    assert answer.status_code == 404
    assert mail.outbox == [] and Subscriber.objects.count() == 0


def test_a_forged_link_is_refused_and_stores_nothing(client, russia) -> None:
    from hodie.digest.models import Subscriber

    _subscribe(client)
    path = _link(mail.outbox[0].body)
    token = path.split("/")[-2]
    payload, _, signature = token.rpartition(":")
    forged = f"/digest/confirm/{payload}:{'A' * len(signature)}/"
    other = signing.dumps({"email": "eve@example.org"}, salt="another.salt")
    for path in (forged, f"/digest/confirm/{other}/", "/digest/confirm/nonsense/"):
        answer = client.post(path)
        assert answer.status_code == 400, path
        assert "is not one Hodie sent" in answer.content.decode()
    assert Subscriber.objects.count() == 0


def test_an_expired_link_is_refused_and_stores_nothing(client, russia, settings, monkeypatch) -> None:
    from hodie.digest.models import Subscriber

    settings.HODIE_DIGEST_CONFIRM_HOURS = 72
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 73 * 3600)  # signed 73 hours ago
    _subscribe(client)
    monkeypatch.undo()
    answer = client.post(_link(mail.outbox[0].body))
    assert answer.status_code == 400
    assert "has expired (links last 72 hours)" in answer.content.decode()
    assert Subscriber.objects.count() == 0


def test_one_click_unsubscribe_and_the_visible_link(russia) -> None:
    """RFC 8058: a POST of List-Unsubscribe=One-Click with no cookie and no CSRF token
    unsubscribes; a GET only asks; a forged link changes nothing."""
    from django.test import Client

    from hodie.digest.links import unsubscribe_url
    from hodie.digest.models import Subscriber

    client = Client(enforce_csrf_checks=True)
    subscriber = Subscriber.objects.create(email="a@example.org", collection=russia, time_zone="UTC", hour=7)
    path = unsubscribe_url(subscriber.pk).split("127.0.0.1:8000", 1)[1]
    asked = client.get(path)
    assert asked.status_code == 200 and "Stop the daily digest of Russian history?" in asked.content.decode()
    assert Subscriber.objects.get().status == "active"
    form = "application/x-www-form-urlencoded"
    forged = client.post(path[:-3] + "xx/", "List-Unsubscribe=One-Click", content_type=form)
    assert forged.status_code == 400 and Subscriber.objects.get().status == "active"
    done = client.post(path, "List-Unsubscribe=One-Click", content_type=form)
    assert done.status_code == 200 and Subscriber.objects.get().status == "unsubscribed"


def test_day_and_collection_pages_offer_the_digest(client, russia) -> None:
    for path in ("/russia/", "/russia/february-20/"):
        page = client.get(path).content.decode()
        assert '<a href="/russia/digest/">Subscribe by email</a>' in page, path


def test_nobody_but_staff_sees_a_subscriber(client, russia, admin_client) -> None:
    from hodie.digest.models import Subscriber

    Subscriber.objects.create(email="secret@example.org", collection=russia, time_zone="UTC", hour=7)
    for path in ("/russia/", "/russia/february-20/", "/russia/digest/"):
        assert "secret@example.org" not in client.get(path).content.decode()
    assert client.get("/admin/digest/subscriber/").status_code == 302  # to the login page
    assert "secret@example.org" in admin_client.get("/admin/digest/subscriber/").content.decode()


def test_a_mail_server_that_is_down_is_said_plainly(client, russia, settings) -> None:
    """The confirmation cannot leave: 503 with a message, and still nothing stored."""
    import socket

    from hodie.digest.models import Subscriber

    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    answer = _subscribe(client)
    assert answer.status_code == 503
    assert "could not be sent just now" in answer.content.decode()
    assert Subscriber.objects.count() == 0
