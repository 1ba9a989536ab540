"""What the actors post: once a day, at the hour the editor set, a Note with the day's selected
entries and a link to the day page; and each article when it goes live (scheduled ones too).
:func:`due` is called every minute by ``hodie worker`` (and by ``hodie announce`` from cron)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape

from hodie.almanac import days
from hodie.almanac.models import Article, Collection

from . import activities
from .delivery import publish
from .models import Actor, Post

log = logging.getLogger(__name__)
ENTRIES_IN_NOTE = 8
ARTICLE_LOOKBACK = dt.timedelta(days=7)


def get_actor(collection: Collection) -> Actor:
    """The collection's actor, made (with a new key pair) the first time it is asked for."""
    actor = Actor.objects.filter(collection=collection).first()
    if actor is not None:
        return actor
    from .signatures import generate_keys

    private, public = generate_keys()
    try:
        with transaction.atomic():
            return Actor.objects.create(collection=collection, private_key_pem=private, public_key_pem=public)
    except IntegrityError:  # made by another request in the meantime
        return Actor.objects.get(collection=collection)


def selected(page: days.DayPage) -> list:
    """The day's entries for the Note: featured ones first, then the rest by date."""
    ordered = sorted(page.entries, key=lambda e: (not e.featured, e.earliest_jdn or 0, e.pk))
    return ordered[:ENTRIES_IN_NOTE]


def daily_content(page: days.DayPage) -> str:
    lines = []
    for entry in selected(page):
        link = activities.absolute(entry.get_absolute_url())
        year = f"{escape(entry.display_year)}: " if entry.display_year else ""
        lines.append(f'{year}<a href="{escape(link)}">{escape(entry.title)}</a>')
    more = len(page.entries) - len(lines)
    day_url = activities.absolute(page.url)
    closing = (
        f'{more} more and the whole day: <a href="{escape(day_url)}">{escape(day_url)}</a>'
        if more > 0
        else f'The whole day: <a href="{escape(day_url)}">{escape(day_url)}</a>'
    )
    return f"<p>{escape(page.title)}</p><p>{'<br>'.join(lines)}</p><p>{closing}</p>"


def post_day(actor: Actor, date: dt.date) -> Post | None:
    """The daily Note for ``date``, made and sent once; None when the day has no entries."""
    existing = Post.objects.filter(actor=actor, day=date).first()
    if existing is not None:
        return existing
    page = days.build_day(actor.collection, date.month, date.day, on_date=date)
    if not page.entries:
        return None
    with transaction.atomic():
        post, created = Post.objects.get_or_create(
            actor=actor,
            day=date,
            defaults={
                "content": daily_content(page),
                "url": activities.absolute(page.url),
                "published": timezone.now(),
            },
        )
        if created:
            publish(post)
    return post


def article_content(article: Article) -> str:
    from hodie.almanac.markup import plain_text

    link = activities.absolute(article.get_absolute_url())
    lead = plain_text(article.excerpt) if article.markup == "markdown" else ""
    lead = lead if len(lead) <= 400 else lead[:399].rsplit(" ", 1)[0] + "…"
    parts = [f'<p><a href="{escape(link)}">{escape(article.title)}</a></p>']
    if lead:
        parts.append(f"<p>{escape(lead)}</p>")
    return "".join(parts)


def post_article(actor: Actor, article: Article) -> Post:
    with transaction.atomic():
        post, created = Post.objects.get_or_create(
            actor=actor,
            article=article,
            defaults={
                "content": article_content(article),
                "url": activities.absolute(article.get_absolute_url()),
                "published": max(article.publish_at, actor.created),
            },
        )
        if created:
            publish(post)
    return post


def articles_due(actor: Actor, now: dt.datetime) -> list[Article]:
    """Articles of the actor's collection (through their entries) that went live since the actor
    was made, within a week, and have not been posted."""
    since = max(actor.created, now - ARTICLE_LOOKBACK)
    return list(
        Article.objects.published()
        .filter(publish_at__gte=since, kind="article", entries__collections=actor.collection)
        .exclude(fedi_posts__actor=actor)
        .distinct()
        .order_by("publish_at", "pk")
    )


def due(now: dt.datetime | None = None) -> int:
    """Make the posts whose time has come: today's Note once the site's local hour reaches the
    actor's ``post_hour`` (a worker that was down catches up once, with today's), and each article
    gone live. The number of posts made."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    made = 0
    for actor in Actor.objects.filter(enabled=True).select_related("collection"):
        if local.hour >= actor.post_hour and not Post.objects.filter(actor=actor, day=local.date()).exists():
            made += post_day(actor, local.date()) is not None
        for article in articles_due(actor, now):
            post_article(actor, article)
            made += 1
    return made
