"""Subscribers to the daily email digest, and one send record per subscriber and local date.

Nothing is stored before an address is confirmed: the subscription form's data travels inside the
signed confirmation link (:mod:`hodie.digest.links`), so an unconfirmed address leaves no row."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

from hodie.almanac.models import Collection


class Subscriber(models.Model):
    ACTIVE, UNSUBSCRIBED, DISABLED = "active", "unsubscribed", "disabled"
    STATUSES = [
        (ACTIVE, "active"),
        (UNSUBSCRIBED, "unsubscribed by the reader"),
        (DISABLED, "disabled: the address bounced"),
    ]

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=100, blank=True)
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="subscribers")
    time_zone = models.CharField(max_length=64, help_text="An IANA zone name, e.g. Europe/Moscow.")
    hour = models.PositiveSmallIntegerField(help_text="Local hour of delivery, 0-23.")
    status = models.CharField(max_length=12, choices=STATUSES, default=ACTIVE, db_index=True)
    confirmed_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    disabled_reason = models.TextField(blank=True, help_text="Why sending stopped: the SMTP server's answer.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "collection"], name="digest_one_subscription")]
        indexes = [models.Index(fields=["status", "time_zone", "hour"], name="digest_due")]

    def __str__(self) -> str:
        return f"{self.email} ({self.collection.slug})"

    def local_now(self, now: dt.datetime | None = None) -> dt.datetime:
        return (now or timezone.now()).astimezone(ZoneInfo(self.time_zone))


class Delivery(models.Model):
    """The send record of one digest: (subscriber, local date) is unique, and the row is committed
    before the message leaves. See docs/reach.md for the crash window this leaves."""

    QUEUED, SENDING, SENT, BOUNCED, FAILED, SKIPPED = "queued", "sending", "sent", "bounced", "failed", "skipped"
    MAX_ATTEMPTS = 6
    STATUSES = [
        (QUEUED, "queued"),
        (SENDING, "being sent"),
        (SENT, "sent"),
        (BOUNCED, "refused by the server (5xx)"),
        (FAILED, "given up after repeated temporary refusals (4xx)"),
        (SKIPPED, "not sent: unsubscribed meanwhile"),
    ]

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    date = models.DateField(help_text="The subscriber's local date: whose entries the digest carries.")
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    message_id = models.CharField(max_length=200)
    touched = models.DateTimeField(null=True, blank=True, help_text="Last queued or claimed: the lease starts here.")
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["subscriber", "date"], name="digest_once_a_day")]
        indexes = [models.Index(fields=["status", "touched"], name="digest_pending")]

    def __str__(self) -> str:
        return f"{self.subscriber.email} {self.date}: {self.status}"
