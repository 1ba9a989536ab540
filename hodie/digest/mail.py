"""The digest email: that day's entries and articles of a collection, as plain text and HTML, with
links back to the pages, RFC 8058 one-click unsubscribe, and a Message-ID fixed by the send record
(a message sent again after a crash carries the same one, so mail clients show it once)."""

from __future__ import annotations

import datetime as dt
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from hodie.almanac.days import DayPage, build_day
from hodie.almanac.web import base_url

from .links import Request as SubscriptionRequest
from .links import absolute, confirm_url, unsubscribe_url
from .models import Delivery, Subscriber


def message_id(delivery: Delivery) -> str:
    domain = base_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return f"<digest.{delivery.subscriber_id}.{delivery.date:%Y%m%d}@{domain}>"


class Pages:
    """Each (collection, date) day page built once per batch: every subscriber of a collection
    gets the same body, only the unsubscribe link differs."""

    def __init__(self) -> None:
        self._built: dict[tuple[int, dt.date], DayPage] = {}

    def get(self, subscriber: Subscriber, date: dt.date) -> DayPage:
        key = (subscriber.collection_id, date)
        if key not in self._built:
            self._built[key] = build_day(subscriber.collection, date.month, date.day, on_date=date, year=date.year)
        return self._built[key]


def _digest_message(delivery: Delivery, pages: Pages) -> EmailMultiAlternatives:
    subscriber = delivery.subscriber
    page = pages.get(subscriber, delivery.date)
    unsubscribe = unsubscribe_url(subscriber.pk)
    context = {
        "page": page,
        "site": base_url(),
        "day_url": absolute(page.url),
        "collection_url": absolute(page.collection.get_absolute_url()),
        "unsubscribe_url": unsubscribe,
        "subscriber": subscriber,
        "date": delivery.date,
    }
    message = EmailMultiAlternatives(
        subject=page.title,
        body=render_to_string("digest/email.txt", context),
        to=[formataddr((subscriber.name, subscriber.email))],
        headers={
            "Message-ID": delivery.message_id or message_id(delivery),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{page.collection.title} <{page.collection.slug}.digest.hodie>",
        },
    )
    message.attach_alternative(render_to_string("digest/email.html", context), "text/html")
    return message


def digest_message(delivery: Delivery, pages: Pages) -> EmailMultiAlternatives:
    """The digest in the collection's language (its headings are already), whatever language the
    worker's thread last served a page in."""
    with translation.override(delivery.subscriber.collection.language):
        return _digest_message(delivery, pages)


def confirmation_message(wanted: SubscriptionRequest, collection_title: str) -> EmailMultiAlternatives:
    context = {
        "wanted": wanted,
        "collection_title": collection_title,
        "confirm_url": confirm_url(wanted),
        "hours": settings.HODIE_DIGEST_CONFIRM_HOURS,
        "collection_url": absolute(reverse("almanac:collection", args=[wanted.collection])),
    }
    return EmailMultiAlternatives(
        subject=f"Confirm your daily digest of {collection_title}",
        body=render_to_string("digest/confirm_email.txt", context),
        to=[formataddr((wanted.name, wanted.email))],
    )
