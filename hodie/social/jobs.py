"""Background jobs, run by ``hodie worker`` through django-tasks (the database backend by
default, Redis through django-tasks-rq for many workers). Every job is idempotent on what it
works on (a comment, a partner, a (source, target) pair), so a job run twice, as happens when a
killed worker's job is queued again, does its work once.

django-tasks neither retries nor notices a killed worker, so two small pieces live here:
:func:`retry` queues a job again with exponential backoff, and :func:`requeue_stale` puts back a
job that has been "running" longer than ``HODIE_JOB_LEASE_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from hodie.almanac.models import Article
from hodie.almanac.web import base_url
from hodie.net import FetchFailed

from .models import Comment, Partner

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


def backoff(attempt: int) -> dt.timedelta:
    """1, 2, 4, 8, 16 minutes ... between attempts."""
    return dt.timedelta(minutes=2 ** max(0, attempt - 1))


def retry(job, attempt: int, *args) -> bool:  # type: ignore[no-untyped-def]
    if attempt >= MAX_ATTEMPTS:
        return False
    if default_task_backend.supports_defer:
        job.using(run_after=timezone.now() + backoff(attempt)).enqueue(*args, attempt=attempt + 1)
        return True
    return False


def moderator_emails() -> list[str]:
    if settings.HODIE_MODERATOR_EMAILS:
        return list(settings.HODIE_MODERATOR_EMAILS)
    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return sorted({u.email for u in users})


@task()
def notify_moderators(comment_id: int) -> str:
    """Tell the moderators that a comment waits. Sent once per comment (``notified``)."""
    comment = Comment.objects.filter(pk=comment_id, status="pending", notified=False).first()
    if comment is None:
        return "nothing to tell"
    recipients = moderator_emails()
    if recipients:
        link = base_url() + reverse("admin:social_comment_change", args=[comment.pk])
        send_mail(
            subject=f"[Hodie] A comment waits for moderation: {comment.target_label}"[:200],
            message=(
                f"{comment.author_name or 'Someone'} wrote on {comment.target_label}:\n\n"
                f"{comment.body[:2000]}\n\nApprove, mark as spam or delete it: {link}\n"
            ),
            from_email=None,
            recipient_list=recipients,
        )
    Comment.objects.filter(pk=comment.pk).update(notified=True)
    return f"told {len(recipients)} moderator(s)"


@task()
def poll_partner(partner_id: int) -> str:
    from .partners import poll

    partner = Partner.objects.filter(pk=partner_id).first()
    if partner is None:
        return "no such partner"
    result = poll(partner)
    # Not retried even when it failed in transit (result.transient): the next regular poll asks
    # again, so a feed that is down is not asked every few minutes (docs/partners.md).
    return f"{result.partner}: {result.status}, {result.new} new"


@task()
def verify_mention(mention_id: int, attempt: int = 1) -> str:
    from .models import Mention
    from .webmention import give_up, verify

    mention = Mention.objects.filter(pk=mention_id).select_related("comment").first()
    if mention is None:
        return "no such mention"
    try:
        return verify(mention)
    except FetchFailed as err:  # failed in transit: worth another try; a policy refusal is final in verify
        if retry(verify_mention, attempt, mention_id):
            return f"retrying after attempt {attempt}: {err}"
        return give_up(mention, err)
    except Exception as err:  # a bug or a source nothing foresaw: the mention says so, never "queued" forever
        give_up(mention, Exception(f"verification failed: {type(err).__name__}: {err}"))
        raise


@task()
def send_webmentions(article_id: int) -> str:
    """Queue one Webmention per outside link of a published article (once per pair)."""
    from .models import Announced, Sent
    from .webmention import links_of

    article = Article.objects.published().filter(pk=article_id).first()
    if article is None:
        return "not published"
    Announced.objects.get_or_create(article=article)
    source = f"{base_url()}{article.get_absolute_url()}"
    queued = 0
    for target in links_of(article):
        sent, _ = Sent.objects.get_or_create(source=source[:500], target=target[:500], defaults={"article": article})
        if sent.status in ("queued", "retrying", "failed"):
            send_one.enqueue(sent.pk)
            queued += 1
    return f"{queued} queued"


@task()
def send_one(sent_id: int, attempt: int = 1) -> str:
    from .models import Sent
    from .webmention import send

    sent = Sent.objects.filter(pk=sent_id).first()
    if sent is None or sent.status in ("sent", "no-endpoint"):
        return "already done"
    if send(sent):
        return sent.status
    if retry(send_one, attempt, sent_id):
        Sent.objects.filter(pk=sent_id).update(status="retrying")
        return f"retrying after attempt {attempt}"
    return "gave up"


def _enqueue_each(job, objects) -> int:  # type: ignore[no-untyped-def]
    """Queue ``job`` once for each object's primary key; how many were queued."""
    pks = list(objects.values_list("pk", flat=True))
    for pk in pks:
        job.enqueue(pk)
    return len(pks)


def announce_due(days: int = 7) -> int:
    """Queue the Webmentions of articles whose publication time has come since they were saved
    (scheduled articles), looking back ``days`` days; each article once."""
    since = timezone.now() - dt.timedelta(days=days)
    due = Article.objects.published().filter(publish_at__gte=since, announced__isnull=True)
    return _enqueue_each(send_webmentions, due)


def polls_due(minutes: int) -> int:
    """Queue a poll of each partner feed not polled for ``minutes`` (or never); the number queued.
    ``hodie worker`` calls it every minute with HODIE_PARTNER_POLL_MINUTES, so feeds come in with
    no cron; a poll that fails still counts as one, so a dead feed is not asked again each minute."""
    if minutes <= 0:
        return 0
    cutoff = timezone.now() - dt.timedelta(minutes=minutes)
    stale = Q(feed_state__isnull=True) | Q(feed_state__polled_at__isnull=True) | Q(feed_state__polled_at__lt=cutoff)
    return _enqueue_each(poll_partner, Partner.objects.exclude(feed_url="").filter(stale).order_by("pk"))


def requeue_stale(lease_seconds: int | None = None) -> int:
    """Put back jobs that a killed worker left "running" (database backend only)."""
    if "django_tasks_db" not in settings.INSTALLED_APPS or settings.HODIE_TASKS_BACKEND != "database":
        return 0
    from django_tasks_db.models import DBTaskResult

    lease = lease_seconds if lease_seconds is not None else settings.HODIE_JOB_LEASE_SECONDS
    cutoff = timezone.now() - dt.timedelta(seconds=lease)
    stale = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff)
    count = stale.update(status="READY", started_at=None)
    if count:
        log.warning("Queued again %d job(s) left running by a stopped worker", count)
    return count
