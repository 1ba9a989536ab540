"""Feeds (RSS 2.0, Atom, JSON Feed 1.1) and iCalendar subscriptions.

One list of :class:`Item` per feed, written three ways: Django's ``feedgenerator`` for RSS and Atom
(kept, and escapes correctly), JSON Feed by hand (it is a small JSON shape). The "Today in
<collection>" feed has exactly one item per day, for the last :data:`TODAY_DAYS` days up to today in
HODIE_TIME_ZONE: no gaps, no duplicates, never a future day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import feedgenerator
from django.utils.html import escape

from hodie.dates.calendars import from_jdn, is_leap, to_jdn
from hodie.importers.html import is_web_url

from . import days
from .markup import lead, plain_text, render
from .models import Article, Collection, Entry, Person, Tag

FORMATS = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
ALTERNATE_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
LIMIT = 50
TODAY_DAYS = 30


@dataclass
class Item:
    id: str
    title: str
    link: str
    html: str
    published: dt.datetime
    summary: str = ""
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Feed:
    title: str
    link: str
    self_url: str
    description: str
    items: list[Item]
    language: str = "en"


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _article_item(article: Article, site: str) -> Item:
    link = f"{site}{article.get_absolute_url()}"
    full = getattr(settings, "HODIE_FEED_FULL_TEXT", False)
    html = str(render(article.body, article.markup)) if full and article.body else str(lead(article))
    if article.full_url and is_web_url(article.full_url):
        html += f'<p><a href="{escape(article.full_url)}">Read the full article</a></p>'
    return Item(
        id=f"{site}/articles/{article.pk}",
        title=article.title,
        link=link,
        html=html,
        published=_aware(article.publish_at),
        summary=plain_text(article.excerpt)[:300] if article.markup == "markdown" else "",
        authors=[a.name for a in article.authors.all()],
        tags=[t.name for t in article.tags.all()],
    )


def _entry_item(entry: Entry, site: str, language: str) -> Item:
    html = f"<p>{escape(entry.display_date(language))}</p>"
    if entry.summary:
        html += f"<p>{escape(plain_text(entry.summary))}</p>"
    if entry.body:
        html += str(render(entry.body, "markdown"))
    return Item(
        id=f"{site}/entries/{entry.pk}",
        title=str(entry),
        link=f"{site}{entry.get_absolute_url()}",
        html=html,
        published=_aware(entry.created),
        tags=[t.name for t in entry.tags.all()],
    )


def site_feed(site: str) -> Feed:
    articles = Article.objects.published().filter(kind="article").prefetch_related("authors", "tags")[:LIMIT]
    return Feed("Hodie: articles", f"{site}/", "", "New articles", [_article_item(a, site) for a in articles])


def collection_feed(collection: Collection, site: str) -> Feed:
    entries = (
        Entry.objects.filter(membership__collection=collection).order_by("-created", "-pk").prefetch_related("tags")
    )[:LIMIT]
    articles = (
        Article.objects.published()
        .filter(kind="article", entries__membership__collection=collection)
        .distinct()
        .prefetch_related("authors", "tags")[:LIMIT]
    )
    items = [_article_item(a, site) for a in articles] + [_entry_item(e, site, collection.language) for e in entries]
    items.sort(key=lambda i: i.published, reverse=True)
    return Feed(
        collection.title, f"{site}{collection.get_absolute_url()}", "", f"New in {collection.title}",
        items[:LIMIT], collection.language,
    )  # fmt: skip


def _entries_feed(title: str, link: str, description: str, entries, site: str) -> Feed:
    items = [_entry_item(e, site, "en") for e in entries.order_by("-created", "-pk").prefetch_related("tags")[:LIMIT]]
    return Feed(title, link, "", description, items)


def tag_feed(tag: Tag, site: str) -> Feed:
    return _entries_feed(
        f"Hodie: {tag.name}", f"{site}{tag.get_absolute_url()}", f"Entries tagged {tag.name}", tag.entries, site
    )


def person_feed(person: Person, site: str) -> Feed:
    return _entries_feed(
        f"Hodie: {person.name}", f"{site}{person.get_absolute_url()}", f"Entries about {person.name}",
        person.entries, site,
    )  # fmt: skip


def today_feed(collection: Collection, site: str, today: dt.date | None = None) -> Feed:
    """One item per day, the newest today; each lists that day's entries."""
    today = today or days.today()
    zone = ZoneInfo(settings.TIME_ZONE)
    items = []
    for back in range(TODAY_DAYS):
        date = today - dt.timedelta(days=back)
        page = days.build_day(collection, date.month, date.day, on_date=date)
        lines = "".join(f"<li>{escape(str(e))}</li>" for e in page.entries[:40])
        more = len(page.entries) - 40
        html = f"<ul>{lines}</ul>" if lines else "<p>Nothing is filed on this day yet.</p>"
        if more > 0:
            html += f"<p>and {more} more</p>"
        for article in page.articles:
            html += f'<p><a href="{site}{article.get_absolute_url()}">{escape(article.title)}</a></p>'
        moment = dt.datetime.combine(date, dt.time(0, 0), tzinfo=zone)
        items.append(
            Item(
                id=f"{site}/{collection.slug}/today/{date.isoformat()}",
                title=page.title,
                link=f"{site}/{collection.slug}/{page.slug}/",
                html=html,
                published=moment,
            )
        )
    return Feed(
        f"Today in {collection.title}", f"{site}/{collection.slug}/today/", "",
        f"Every day, what happened on this day in {collection.title}", items, collection.language,
    )  # fmt: skip


def render_feed(feed: Feed, fmt: str) -> str:
    if fmt == "json":
        document: dict[str, Any] = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed.title,
            "home_page_url": feed.link,
            "feed_url": feed.self_url,
            "description": feed.description,
            "language": feed.language,
            "items": [
                {
                    "id": item.id,
                    "url": item.link,
                    "title": item.title,
                    "content_html": item.html,
                    "date_published": item.published.isoformat(),
                    **({"summary": item.summary} if item.summary else {}),
                    **({"authors": [{"name": a} for a in item.authors]} if item.authors else {}),
                    **({"tags": item.tags} if item.tags else {}),
                }
                for item in feed.items
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=1)
    generator_class = feedgenerator.Atom1Feed if fmt == "atom" else feedgenerator.Rss201rev2Feed
    generator = generator_class(
        title=feed.title, link=feed.link, description=feed.description, language=feed.language,
        feed_url=feed.self_url, feed_guid=feed.self_url,
    )  # fmt: skip
    for item in feed.items:
        generator.add_item(
            title=item.title, link=item.link, description=item.html, unique_id=item.id,
            unique_id_is_permalink=False, pubdate=item.published, updateddate=item.published,
            author_name=", ".join(item.authors) or None, categories=item.tags or None,
        )  # fmt: skip
    return generator.writeString("utf-8")


# --------------------------------------------------------------------------- iCalendar
ICS_YEARS_DEFAULT = 20
ICS_MAX_SPAN = 200


def anniversary_dates(entry: Entry, policy: str, first: int, last: int) -> list[dt.date] | None:
    """The Gregorian days the entry's anniversary falls on in years ``first..last``, or None when
    a yearly RRULE on one fixed month and day says the same exactly."""
    effective = entry.policy or policy
    key = entry.key_for(policy)
    if key is None:
        return []
    month, day = divmod(key, 100)
    if effective == "julian" and entry.julian_key:
        # The Old Style label moves against the Gregorian calendar (13 days now, 14 from 1 March 2100).
        found = []
        for year in range(first, last + 1):
            for label_year in (year - 1, year, year + 1):
                if (month, day) == (2, 29) and not is_leap(label_year, "julian"):
                    continue
                y, m, d = from_jdn(to_jdn(label_year, month, day, "julian"), "gregorian")
                if y == year:
                    found.append(dt.date(y, m, d))
        return sorted(set(found))
    if (month, day) == (2, 29):
        leap_on_28 = getattr(settings, "HODIE_LEAP_DAY_ON_FEB28", True)
        return [
            dt.date(y, 2, 29) if is_leap(y, "gregorian") else dt.date(y, 2, 28)
            for y in range(first, last + 1)
            if is_leap(y, "gregorian") or leap_on_28
        ]
    return None


def calendar_ics(title: str, entries, policy: str, site: str, first: int, last: int, language: str = "en") -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Hodie//this day in history//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", title)
    stamp = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    for entry in entries:
        key = entry.key_for(policy)
        if key is None:
            continue
        dates = anniversary_dates(entry, policy, first, last)
        if dates == []:
            continue
        event = Event()
        event.add("uid", f"entry-{entry.pk}@{site.split('//')[-1]}")
        event.add("summary", str(entry))
        event.add(
            "description", entry.display_date(language) + (f"\n{plain_text(entry.summary)}" if entry.summary else "")
        )
        event.add("url", f"{site}{entry.get_absolute_url()}")
        event.add("dtstamp", _aware(entry.updated) if entry.updated else stamp)
        event.add("transp", "TRANSPARENT")
        if dates is None:
            month, day = divmod(key, 100)
            event.add("dtstart", dt.date(first, month, day))
            event.add("rrule", {"freq": "yearly"})
        else:
            event.add("dtstart", dates[0])
            if len(dates) > 1:
                event.add("rdate", dates[1:])
        cal.add_component(event)
    return cal.to_ical()
