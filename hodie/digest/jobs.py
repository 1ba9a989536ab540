"""Sending the digests: never twice, never missed.

1. :func:`queue_due` (``hodie worker`` every minute, or ``hodie digest`` from cron) writes one
   send record per subscriber whose local clock has reached their hour today and who has no record
   for today or a later date, and commits it. (subscriber, date) is unique, so two workers, a
   restart or a clock that goes back (DST, a change of zone) cannot make a second record.
2. It queues :func:`send_digests` jobs of ``HODIE_DIGEST_BATCH`` records each, one SMTP connection
   per job; records queued or being sent for longer than ``HODIE_JOB_LEASE_SECONDS`` (a killed
   worker's, a lost job's) are queued again.
3. :func:`deliver` claims each record with a conditional UPDATE (queued, or sending past the
   lease -> sending), commits, hands the message to the SMTP server, and commits "sent" once the
   server has said 250. A worker killed anywhere leaves each record queued, sending (its message
   not accepted, or accepted in the instant before the commit) or sent; see docs/reach.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .mail import Pages, digest_message, message_id
from .models import Delivery, Subscriber

log = logging.getLogger(__name__)


def _lease_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.HODIE_JOB_LEASE_SECONDS)


def create_due(now: dt.datetime | None = None) -> int:
    """Write the send records that are due at ``now``; how many were written (one that another
    worker wrote in the same instant is counted here too, but stays one row)."""
    now = now or timezone.now()
    active = Subscriber.objects.filter(status=Subscriber.ACTIVE)
    created = 0
    for zone in active.values_list("time_zone", flat=True).distinct().order_by():
        local = now.astimezone(ZoneInfo(zone))
        # On the night the clocks go forward an hour that never shows on the clock (02:00 in
        # Berlin) is still reached: the test is "at or past the hour", not "at the hour".
        due = (
            active.filter(time_zone=zone, hour__lte=local.hour)
            .exclude(deliveries__date__gte=local.date())
            .values_list("pk", flat=True)
        )
        rows = []
        for pk in due.iterator(chunk_size=2000):
            record = Delivery(subscriber_id=pk, date=local.date())
            record.message_id = message_id(record)
            rows.append(record)
        # ignore_conflicts: a record another worker wrote a moment ago stays the only one.
        Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        created += len(rows)
    return created


def keep_the_day(subscriber: Subscriber, new_zone: str, now: dt.datetime) -> bool:
    """Before a subscriber's zone changes: when the new zone's date is already past the old
    zone's and the old zone's day has no digest yet (Los Angeles at 08:00 with a 10:00 digest,
    moving to Tokyo, where it is tomorrow), that day's record is written now, so the move skips no
    day. A move west needs nothing: no date earlier than a sent one is ever due again."""
    old_today = subscriber.local_now(now).date()
    if now.astimezone(ZoneInfo(new_zone)).date() <= old_today:
        return False
    if subscriber.deliveries.filter(date__gte=old_today).exists():
        return False
    record = Delivery(subscriber=subscriber, date=old_today)
    record.message_id = message_id(record)
    Delivery.objects.bulk_create([record], ignore_conflicts=True)
    return True


def queue_due(now: dt.datetime | None = None) -> int:
    """Write the due send records, then queue a job for each batch of records that waits: new
    ones, and those a lost job or a killed worker left queued or sending past the lease."""
    now = now or timezone.now()
    create_due(now)
    cutoff = _lease_cutoff(now)
    waiting = Delivery.objects.filter(
        Q(status=Delivery.QUEUED, touched__isnull=True) | Q(touched__lt=cutoff),
        status__in=[Delivery.QUEUED, Delivery.SENDING],
    )
    ids = list(waiting.order_by("pk").values_list("pk", flat=True))
    size = max(1, settings.HODIE_DIGEST_BATCH)
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        Delivery.objects.filter(pk__in=batch).filter(
            Q(status=Delivery.QUEUED) | Q(status=Delivery.SENDING, touched__lt=cutoff)
        ).update(status=Delivery.QUEUED, touched=now)
        send_digests.enqueue(batch)
    return len(ids)


@task()
def send_digests(delivery_ids: list[int]) -> str:
    sent = deliver(delivery_ids)
    return f"{sent} of {len(delivery_ids)} sent"


def _claim(pk: int, now: dt.datetime) -> bool:
    claimable = Q(status=Delivery.QUEUED) | Q(status=Delivery.SENDING, touched__lt=_lease_cutoff(now))
    claimed = Delivery.objects.filter(claimable, pk=pk).update(
        status=Delivery.SENDING, touched=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _finish(pk: int, status: str, error: str = "", now: dt.datetime | None = None) -> None:
    Delivery.objects.filter(pk=pk).update(
        status=status, error=error[:2000], sent_at=(now or timezone.now()) if status == Delivery.SENT else None
    )


def _smtp_answer(err: smtplib.SMTPException) -> tuple[int, str]:
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        for code, text in err.recipients.values():
            return code, text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if isinstance(err, smtplib.SMTPResponseException):
        text = err.smtp_error.decode(errors="replace") if isinstance(err.smtp_error, bytes) else str(err.smtp_error)
        return err.smtp_code, text
    return 0, str(err)


def deliver(delivery_ids: list[int], now: dt.datetime | None = None) -> int:
    """Send the records of ``delivery_ids`` this worker can claim; how many were sent. A record,
    once written, is sent even late (a worker killed mid-batch and down past midnight): its date
    was due, and only :func:`create_due` decides which dates are."""
    pages = Pages()
    sent = 0
    with get_connection() as connection:
        for pk in delivery_ids:
            moment = now or timezone.now()
            if not _claim(pk, moment):
                continue  # sent, or being sent by another worker
            record = Delivery.objects.select_related("subscriber__collection").get(pk=pk)
            subscriber = record.subscriber
            if subscriber.status != Subscriber.ACTIVE:
                _finish(pk, Delivery.SKIPPED, f"subscriber {subscriber.get_status_display()}")
                continue
            message = digest_message(record, pages)
            try:
                connection.send_messages([message])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as err:
                code, text = _smtp_answer(err)
                if 500 <= code < 600:
                    reason = (
                        f"{timezone.now():%Y-%m-%d %H:%M} UTC: the server refused {subscriber.email}: {code} {text}"
                    )
                    _finish(pk, Delivery.BOUNCED, reason)
                    Subscriber.objects.filter(pk=subscriber.pk).update(
                        status=Subscriber.DISABLED, disabled_reason=reason
                    )
                    log.warning("Digest: disabled %s after %s %s", subscriber.email, code, text)
                elif record.attempts >= Delivery.MAX_ATTEMPTS:  # read after the claim, which counted this one
                    _finish(pk, Delivery.FAILED, f"{code} {text}, {Delivery.MAX_ATTEMPTS} times")
                else:  # 4xx: try again after the lease
                    Delivery.objects.filter(pk=pk).update(status=Delivery.QUEUED, error=f"{code} {text}"[:2000])
                continue
            except (smtplib.SMTPException, OSError) as err:
                # The connection or our sender address is at fault, not this subscriber: stop the
                # batch; the record waits in "sending" and is taken again after the lease.
                Delivery.objects.filter(pk=pk).update(error=str(err)[:2000])
                log.warning("Digest: SMTP failed, batch stopped: %s", err)
                break
            _finish(pk, Delivery.SENT, now=moment)
            sent += 1
    return sent
