"""Sending against a real SMTP server (aiosmtpd, started by the test): every message parsed back;
never twice, never missed; a worker down for a day; the clocks changing (DST) and subscribers
changing zone; a 5xx bounce disabling the address for staff to see why."""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.django_db
UTC = dt.UTC
SITE = "http://127.0.0.1:8000"
FORM = "application/x-www-form-urlencoded"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value or "" for name, value in attrs if name == "href"]


def tick(now: dt.datetime) -> int:
    """What ``hodie worker`` does each minute, with the clock at ``now``: queue, then send."""
    from hodie.digest.jobs import create_due, deliver
    from hodie.digest.models import Delivery

    create_due(now)
    waiting = list(Delivery.objects.filter(status="queued").order_by("pk").values_list("pk", flat=True))
    return deliver(waiting, now=now)


def subscribe(collection, zone: str, hour: int, email: str = "anna@example.org", name: str = "Anna Petrova"):  # type: ignore[no-untyped-def]
    from hodie.digest.models import Subscriber

    return Subscriber.objects.create(email=email, name=name, collection=collection, time_zone=zone, hour=hour)


def test_a_digest_parsed_back(russia, smtp_mail, client) -> None:
    """One multipart message with the day's entries and article, absolute links back, RFC 8058
    one-click unsubscribe, a Message-ID of the send record and a Date."""
    from hodie.digest.models import Delivery

    subscriber = subscribe(russia, "Europe/Moscow", 7)
    now = dt.datetime(2026, 2, 20, 4, 30, tzinfo=UTC)  # 07:30 in Moscow
    assert tick(now) == 1
    (message,) = smtp_mail.messages()
    assert smtp_mail.envelopes == [("hodie@localhost", ["anna@example.org"])]
    assert parseaddr(message["To"]) == ("Anna Petrova", "anna@example.org")
    assert message["From"] == "hodie@localhost"
    assert message["Subject"] == "February 20 in Russian history"
    assert message["Message-ID"] == f"<digest.{subscriber.pk}.20260220@127.0.0.1>"
    assert Delivery.objects.get().message_id == message["Message-ID"]
    date = parsedate_to_datetime(message["Date"])  # "-0000" (UTC, RFC 5322 3.3) parses as naive
    assert abs(date.replace(tzinfo=date.tzinfo or UTC) - dt.datetime.now(UTC)) < dt.timedelta(minutes=5)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip()  # a long header is folded onto its next line
    assert unsubscribe.startswith(f"<{SITE}/digest/unsubscribe/") and unsubscribe.endswith("/>")

    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for shown in ("Kosenko shot in Moscow", "The Kosenko file", "1939"):
        assert shown in text and shown in html
    assert "Alexander II" not in text, "19 February's entry is not on the 20th"
    assert "&amp;" not in text and "<ends>" not in text.replace("Serfdom <ends>", "")
    assert f"{SITE}/russia/february-20/" in text and f"Unsubscribe: {unsubscribe[1:-1]}" in text
    parser = Links()
    parser.feed(html)
    assert all(href.startswith(SITE + "/") for href in parser.hrefs), parser.hrefs
    assert f"{SITE}/russia/february-20/" in parser.hrefs
    from hodie.almanac.models import Entry

    kosenko = Entry.objects.get(title="Kosenko shot in Moscow").slug
    assert f"{SITE}/articles/kosenko-file/" in parser.hrefs and f"{SITE}/entries/{kosenko}/" in parser.hrefs
    assert f"{SITE}/entries/{kosenko}/" in text
    assert unsubscribe[1:-1] in parser.hrefs, "a visible unsubscribe link too"

    # Each link answers on the site itself.
    for href in {*parser.hrefs} - {unsubscribe[1:-1]}:
        assert client.get(href.removeprefix(SITE)).status_code == 200, href
    one_click = client.post(
        unsubscribe[1:-1].removeprefix(SITE),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert tick(now + dt.timedelta(days=1)) == 0


def test_never_twice_in_a_day(russia, smtp_mail) -> None:
    """Every minute of a day, twice over, and two workers sending the same records: one message."""
    from hodie.digest.jobs import create_due, deliver
    from hodie.digest.models import Delivery

    subscribe(russia, "UTC", 6)
    start = dt.datetime(2026, 2, 20, 5, 0, tzinfo=UTC)
    for minute in range(0, 19 * 60, 7):
        tick(start + dt.timedelta(minutes=minute))
        tick(start + dt.timedelta(minutes=minute))
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert deliver(ids, now=start + dt.timedelta(hours=2)) == 0  # a second worker with the same job
    assert create_due(start + dt.timedelta(hours=3)) == 0
    assert [m["Subject"] for m in smtp_mail.messages()] == ["February 20 in Russian history"]
    assert list(Delivery.objects.values_list("date", "status")) == [(dt.date(2026, 2, 20), "sent")]


def test_a_worker_down_for_a_day_catches_up_once(russia, smtp_mail) -> None:
    """Down from before the 19th's hour until the afternoon of the 20th: the 20th's digest, once,
    not one per missed hour and not the 19th's as well."""
    subscribe(russia, "Europe/Moscow", 7)
    assert tick(dt.datetime(2026, 2, 18, 5, 0, tzinfo=UTC)) == 1  # 08:00 in Moscow on the 18th
    back = dt.datetime(2026, 2, 20, 12, 0, tzinfo=UTC)  # 15:00 in Moscow on the 20th
    sent = [tick(back + dt.timedelta(minutes=m)) for m in range(0, 600, 10)]
    assert sum(sent) == 1
    assert [m["Subject"] for m in smtp_mail.messages()] == [
        "February 18 in Russian history",
        "February 20 in Russian history",
    ]


class Clocks(NamedTuple):
    zone: str
    hour: int
    start: dt.datetime  # UTC; the clocks change on the second local day


CLOCKS = [
    Clocks("Europe/Berlin", 2, dt.datetime(2026, 3, 28, tzinfo=UTC)),  # 29 March: 02:00-03:00 never happens
    Clocks("Europe/Berlin", 2, dt.datetime(2026, 10, 24, tzinfo=UTC)),  # 25 October: 02:00-03:00 twice
    Clocks("America/New_York", 2, dt.datetime(2026, 3, 7, 12, tzinfo=UTC)),  # 8 March: 02:00 skipped
    Clocks("America/New_York", 1, dt.datetime(2026, 10, 31, 12, tzinfo=UTC)),  # 1 November: 01:00 twice
    Clocks("Australia/Lord_Howe", 2, dt.datetime(2026, 4, 3, tzinfo=UTC)),  # 5 April: half an hour back
]


@pytest.mark.parametrize(
    "clocks", CLOCKS, ids=["berlin-spring", "berlin-autumn", "ny-spring", "ny-autumn", "lord-howe"]
)
def test_a_change_of_the_clocks_neither_skips_nor_doubles_a_day(russia, settings, clocks: Clocks) -> None:
    """Every quarter of an hour over four days around a change of the clocks: one digest for each
    local date, each sent at or after the chosen hour on that date."""
    from django.core import mail

    from hodie.digest.models import Delivery

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    subscriber = subscribe(russia, clocks.zone, clocks.hour)
    for quarter in range(4 * 96):
        tick(clocks.start + dt.timedelta(minutes=15 * quarter))
    records = list(Delivery.objects.order_by("date"))
    dates = [r.date for r in records]
    first = records[0].date
    assert dates == [first + dt.timedelta(days=n) for n in range(len(dates))], dates
    assert len(dates) >= 3 and len(mail.outbox) == len(dates)
    for record in records:
        local = record.sent_at.astimezone(ZoneInfo(clocks.zone))
        assert local.date() == record.date and local.hour >= subscriber.hour, (record.date, local)


class Move(NamedTuple):
    before: str
    after: str
    hour: int
    at: dt.datetime  # UTC moment of the change


MOVES = [
    # West after the day's digest: it is yesterday again there, but no date comes twice.
    Move("Asia/Tokyo", "America/Los_Angeles", 7, dt.datetime(2026, 2, 20, 0, 0, tzinfo=UTC)),
    # East before the day's digest, into tomorrow: the day left behind is still sent.
    Move("America/Los_Angeles", "Asia/Tokyo", 10, dt.datetime(2026, 2, 20, 16, 0, tzinfo=UTC)),
    # East before the hour, the same date: sent at once, the hour having passed there.
    Move("Europe/London", "Europe/Moscow", 7, dt.datetime(2026, 2, 20, 5, 0, tzinfo=UTC)),
    # West before the hour: later in the day instead.
    Move("Europe/Moscow", "America/New_York", 9, dt.datetime(2026, 2, 20, 5, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize("move", MOVES, ids=["tokyo-to-la", "la-to-tokyo", "london-to-moscow", "moscow-to-ny"])
def test_a_change_of_zone_neither_skips_nor_doubles_a_day(russia, settings, client, move: Move) -> None:
    """The subscriber confirms a new zone through the form's link; every quarter hour from two
    days before to three days after, each date comes once and none is left out."""
    import re

    from django.core import mail

    from hodie.digest.models import Delivery

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    subscribe(russia, move.before, move.hour)
    start = move.at - dt.timedelta(days=2)
    for quarter in range(5 * 96):
        now = start + dt.timedelta(minutes=15 * quarter)
        if now == move.at:
            form = {"email": "anna@example.org", "name": "Anna", "hour": str(move.hour), "time_zone": move.after}
            assert client.post("/russia/digest/", form).status_code == 200
            link = re.search(r"http://127.0.0.1:8000(/digest/confirm/\S+/)", mail.outbox[-1].body).group(1)
            from unittest import mock

            with mock.patch("django.utils.timezone.now", return_value=now):
                assert client.post(link).status_code == 200
        tick(now)
    dates = list(Delivery.objects.order_by("date").values_list("date", flat=True))
    assert dates == [dates[0] + dt.timedelta(days=n) for n in range(len(dates))], dates
    assert len(dates) >= 5
    assert Delivery.objects.exclude(status="sent").count() == 0


def test_a_permanent_bounce_disables_the_address_and_staff_see_why(russia, smtp_mail, admin_client) -> None:
    from hodie.digest.models import Delivery, Subscriber

    subscribe(russia, "UTC", 6, email="gone@example.org", name="Gone")
    subscribe(russia, "UTC", 6, email="here@example.org", name="Here")
    smtp_mail.refuse["gone@example.org"] = "550 5.1.1 <gone@example.org>: mailbox unavailable"
    smtp_mail.refuse["later@example.org"] = "451 4.3.0 try again later"
    subscribe(russia, "UTC", 6, email="later@example.org", name="Later")
    assert tick(dt.datetime(2026, 2, 20, 7, tzinfo=UTC)) == 1
    assert [env[1] for env in smtp_mail.envelopes] == [["here@example.org"]]
    gone = Subscriber.objects.get(email="gone@example.org")
    assert gone.status == "disabled" and "550 5.1.1 <gone@example.org>: mailbox unavailable" in gone.disabled_reason
    assert Delivery.objects.get(subscriber=gone).status == "bounced"
    later = Subscriber.objects.get(email="later@example.org")
    assert later.status == "active", "a 4xx is temporary"
    assert Delivery.objects.get(subscriber=later).status == "queued"
    listing = admin_client.get("/admin/digest/subscriber/").content.decode()
    assert "mailbox unavailable" in listing and "disabled: the address bounced" in listing
    change = admin_client.get(f"/admin/digest/subscriber/{gone.pk}/change/").content.decode()
    assert "550 5.1.1" in change and "refused by the server (5xx)" in change  # the reason and the day's record
    assert "gone@example.org" in admin_client.get("/admin/digest/delivery/?status=bounced").content.decode()
    # The next day the disabled address gets nothing; the temporary failure is sent once it is accepted.
    del smtp_mail.refuse["later@example.org"]
    tick(dt.datetime(2026, 2, 21, 7, tzinfo=UTC))
    assert sorted(env[1][0] for env in smtp_mail.envelopes) == [
        "here@example.org", "here@example.org", "later@example.org", "later@example.org",
    ]  # fmt: skip


def test_a_temporary_refusal_is_tried_again_then_given_up(russia, smtp_mail) -> None:
    """A 4xx answer leaves the subscriber active and the record queued; after six attempts the
    day's digest is given up (the subscriber stays active for the next day)."""
    from hodie.digest.models import Delivery, Subscriber

    subscribe(russia, "UTC", 6, email="busy@example.org", name="Busy")
    smtp_mail.refuse["busy@example.org"] = "452 4.2.2 mailbox full"
    start = dt.datetime(2026, 2, 20, 7, tzinfo=UTC)
    for attempt in range(1, 7):
        tick(start + dt.timedelta(minutes=attempt))
        record = Delivery.objects.get()
        assert record.attempts == attempt
        assert record.status == ("queued" if attempt < 6 else "failed"), attempt
    assert "452 4.2.2 mailbox full" in record.error
    assert tick(start + dt.timedelta(minutes=30)) == 0 and smtp_mail.accepted == []
    assert Subscriber.objects.get().status == "active"
    del smtp_mail.refuse["busy@example.org"]
    assert tick(start + dt.timedelta(days=1)) == 1


def test_the_digest_speaks_its_collections_language(russia, settings) -> None:
    """A Russian collection's digest has Russian headings and links, whatever language the
    worker last served; an English one stays English after a Russian request."""
    from django.core import mail
    from django.utils import translation

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    russia.language = "ru"
    russia.save()
    subscribe(russia, "UTC", 6)
    translation.activate("en")
    tick(dt.datetime(2026, 2, 20, 7, tzinfo=UTC))
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert message.subject == "20 февраля: Russian history"
    assert "Отписаться" in html and "Весь день на Hodie" in html and "Unsubscribe<" not in html
    russia.language = "en"
    russia.save()
    translation.activate("ru")
    tick(dt.datetime(2026, 2, 21, 7, tzinfo=UTC))
    assert ">Unsubscribe</a>" in mail.outbox[1].alternatives[0][0]
    translation.deactivate()
