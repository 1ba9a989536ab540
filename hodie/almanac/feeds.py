"""Feeds: RSS 2.0, Atom and JSON Feed 1.1, and the views that serve them.

One list of :class:`Item` per feed, written three ways: Django's ``feedgenerator`` for RSS and Atom
(kept, and escapes correctly), JSON Feed by hand (it is a small JSON shape). The "Today in
<collection>" feed has exactly one item per day, for the last :data:`TODAY_DAYS` days up to today in
HODIE_TIME_ZONE: no gaps, no duplicates, never a future day.

Every feed comes in each content language: ``?lang=ru`` gives the Russian text where there is one
(else the original inside an element marked with its ``lang``) and the feed's own words in Russian;
without it, a collection's feed is in the collection's language and the others in English.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import feedgenerator, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hodie.importers.html import is_web_url

from . import day_sql, days, keyset
from .markup import lead, plain_text, render
from .models import Article, Collection, Entry, Membership, Person, Tag
from .stored import code_digest, item_code
from .translations import Shown, asked_language, shown
from .web import absolute, public, site_url

FORMATS = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
ALTERNATE_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
LIMIT = 50
TODAY_DAYS = 30
TODAY_LINES = 40  # a day's entries listed in its item; "and N more" says how many are not
# "and N more" counts at most this many (then says "and more than N more"): each of the feed's 30
# days counts at most TODAY_LINES + TODAY_MORE + 1 index rows, however many the day holds.
TODAY_MORE = 1000


@dataclass
class Item:
    id: str
    title: str
    link: str
    html: str
    published: dt.datetime
    summary: str = ""
    updated: dt.datetime | None = None
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
    # RFC 4287 §4.1.1: an Atom feed names an author, on the feed or on every entry. Entries have no
    # author of their own, so the feed names its publisher: the site, linked to its home page.
    author: str = "Hodie"


def aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _in(said: Shown, html: str, language: str) -> str:
    """``html`` as is when it is in the feed's language, else in a block that names its own."""
    return html if said.language == language else f'<div lang="{said.language}">{html}</div>'


def _article_item(article: Article, site: str, language: str = "en") -> Item:
    link = f"{site}{article.get_absolute_url()}"
    full = settings.HODIE_FEED_FULL_TEXT
    title = shown(article, "title", language)
    if full and article.body:
        said = shown(article, "body", language)
        html = _in(said, str(render(said.text, article.markup)), language)
    else:
        said = shown(article, "excerpt", language) if article.excerpt else shown(article, "body", language)
        html = _in(said, str(lead(article, said)), language)
    if article.full_url and is_web_url(article.full_url):
        html += f'<p><a href="{escape(article.full_url)}">{escape(_("Read the full article"))}</a></p>'
    return Item(
        id=f"{site}/articles/{article.pk}",
        title=title.text,
        link=link,
        html=html,
        published=aware(article.publish_at),
        updated=max(aware(article.publish_at), aware(article.updated)),
        summary=plain_text(article.excerpt)[:300] if article.markup == "markdown" else "",
        authors=[a.name for a in article.authors.all()],
        tags=[t.name for t in article.tags.all()],
    )


def item_variant(language: str) -> str:
    """The :class:`EntryLine` variant an entry's feed item HTML is kept under: ``feed:ru:<digest>``.
    The HTML (the date, the summary's text, the body's Markdown) depends on the entry alone, so it
    goes with the entry's lines when the entry is saved or deleted (hodie/almanac/lines.py)."""
    return f"feed:{language}:{code_digest(item_code('feeds'), '')}"


def _entry_items(entries, site: str, language: str) -> list[Item]:
    """The feed items of ``entries``, their HTML read from what earlier feeds stored (one query)
    and the missing ones made and stored. Rendering each item's Markdown twice (the summary's text,
    the body) was two thirds of a collection feed. Their tags are read in one statement too (the
    ORM's prefetch built a queryset for each entry: a third of what was left)."""
    from .lines import kept_items

    entries = list(entries)
    tags = day_sql.named_of([e.pk for e in entries])[1]
    stored = kept_items(entries, item_variant(language), lambda entry: _entry_html(entry, language))
    return [_entry_item(entry, site, language, stored[entry.pk], tags[entry.pk]) for entry in entries]


def _entry_html(entry: Entry, language: str) -> str:
    html = f"<p>{escape(entry.display_date(language))}</p>"
    summary, body = shown(entry, "summary", language), shown(entry, "body", language)
    if summary:
        html += _in(summary, f"<p>{escape(plain_text(summary.text))}</p>", language)
    if body:
        html += _in(body, str(render(body.text, "markdown")), language)
    return html


def _entry_item(entry: Entry, site: str, language: str, html: str, tags: list[Tag]) -> Item:
    title = shown(entry, "title", language)
    return Item(
        id=f"{site}/entries/{entry.pk}",
        title=f"{entry.display_year}: {title}" if entry.display_year else title.text,
        link=f"{site}{entry.get_absolute_url()}",
        html=html,
        published=aware(entry.created),
        updated=aware(entry.updated),
        tags=[t.name for t in tags],
    )


def site_feed(site: str, language: str = "") -> Feed:
    language = language or "en"
    articles = Article.objects.published().filter(kind="article").prefetch_related("authors", "tags")[:LIMIT]
    items = [_article_item(a, site, language) for a in articles]
    return Feed(_("Hodie: articles"), f"{site}/", "", _("New articles"), items, language)


def collection_feed(collection: Collection, site: str, language: str = "") -> Feed:
    language = language or collection.language
    name = shown(collection, "title", language).text
    members = keyset.within(Membership.objects.filter(collection=collection))  # read newest first: keyset.py
    entries = members.order_by("-created", "-pk")[:LIMIT]
    articles = (
        Article.objects.published()
        .filter(kind="article", entries__membership__collection=collection)
        .distinct()
        .prefetch_related("authors", "tags")[:LIMIT]
    )
    items = [_article_item(a, site, language) for a in articles]
    items += _entry_items(entries, site, language)
    items.sort(key=lambda i: i.published, reverse=True)
    return Feed(
        name, f"{site}{collection.get_absolute_url()}", "", _("New in %(collection)s") % {"collection": name},
        items[:LIMIT], language,
    )  # fmt: skip


def _entries_feed(title: str, link: str, description: str, entries, site: str, language: str) -> Feed:
    newest = entries.order_by("-created", "-pk")[:LIMIT]
    return Feed(title, link, "", description, _entry_items(newest, site, language), language)


def tag_feed(tag: Tag, site: str, language: str = "") -> Feed:
    language = language or "en"
    name = shown(tag, "name", language).text
    return _entries_feed(
        f"Hodie: {name}", f"{site}{tag.get_absolute_url()}", _("Entries tagged %(tag)s") % {"tag": name},
        keyset.within(Entry.tags.through.objects.filter(tag=tag)), site, language,
    )  # fmt: skip


def person_feed(person: Person, site: str, language: str = "") -> Feed:
    language = language or "en"
    name = shown(person, "name", language).text
    return _entries_feed(
        f"Hodie: {name}", f"{site}{person.get_absolute_url()}", _("Entries about %(person)s") % {"person": name},
        keyset.within(Entry.people.through.objects.filter(person=person)), site, language,
    )  # fmt: skip


def today_feed(collection: Collection, site: str, today: dt.date | None = None, language: str = "") -> Feed:
    """One item per day, the newest today; each lists that day's entries."""
    language = language or collection.language
    name = shown(collection, "title", language).text
    today = today or days.today()
    zone = ZoneInfo(settings.TIME_ZONE)
    items = []
    for back in range(TODAY_DAYS):
        date = today - dt.timedelta(days=back)
        # The day's first page (100 entries of it, at most), and a count when there are more: each
        # day costs one page of it, not the whole day (3,000 entries a day at 1,000,000).
        page = days.build_day(collection, date.month, date.day, on_date=date, page_number=1)
        lines = "".join(_today_line(e, language) for e in page.entries[:TODAY_LINES])
        if page.has_next:
            total = days.count_day(collection, date.month, date.day, date, at_most=TODAY_LINES + TODAY_MORE + 1)
        else:
            total = len(page.entries)
        more = total - TODAY_LINES
        html = f"<ul>{lines}</ul>" if lines else f"<p>{escape(_('Nothing is filed on this day yet.'))}</p>"
        if more > TODAY_MORE:
            html += f"<p>{escape(_('and more than %(more)d more') % {'more': TODAY_MORE})}</p>"
        elif more > 0:
            html += f"<p>{escape(_('and %(more)d more') % {'more': more})}</p>"
        for article in page.articles:
            title = shown(article, "title", language)
            link = f'<a href="{site}{article.get_absolute_url()}">{escape(title.text)}</a>'
            html += f"<p>{_in(title, link, language)}</p>" if title.fallback else f"<p>{link}</p>"
        moment = dt.datetime.combine(date, dt.time(0, 0), tzinfo=zone)
        items.append(
            Item(
                id=f"{site}/{collection.slug}/today/{date.isoformat()}",
                title=page.title_in(language),
                link=f"{site}/{collection.slug}/{page.slug}/",
                html=html,
                published=moment,
            )
        )
    return Feed(
        _("Today in %(collection)s") % {"collection": name}, f"{site}/{collection.slug}/today/", "",
        _("Every day, what happened on this day in %(collection)s") % {"collection": name}, items, language,
    )  # fmt: skip


def _today_line(entry: Entry, language: str) -> str:
    title = shown(entry, "title", language)
    text = escape(f"{entry.display_year}: {title}" if entry.display_year else title.text)
    return f'<li lang="{title.language}">{text}</li>' if title.language != language else f"<li>{text}</li>"


def render_feed(feed: Feed, fmt: str) -> str:
    if fmt == "json":
        document: dict[str, Any] = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed.title,
            "home_page_url": feed.link,
            "feed_url": feed.self_url,
            "description": feed.description,
            "language": feed.language,
            "authors": [{"name": feed.author, "url": feed.link}],
            "items": [
                {
                    "id": item.id,
                    "url": item.link,
                    "title": item.title,
                    "content_html": item.html,
                    "date_published": item.published.isoformat(),
                    **({"date_modified": item.updated.isoformat()} if item.updated else {}),
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
        feed_url=feed.self_url, feed_guid=feed.self_url, author_name=feed.author, author_link=feed.link,
    )  # fmt: skip
    for item in feed.items:
        generator.add_item(
            title=item.title, link=item.link, description=item.html, unique_id=item.id,
            unique_id_is_permalink=False, pubdate=item.published, updateddate=item.updated or item.published,
            author_name=", ".join(item.authors) or None, categories=item.tags or None,
        )  # fmt: skip
    return generator.writeString("utf-8")


def feed_response(feed: Feed, fmt: str) -> HttpResponse:
    return public(HttpResponse(render_feed(feed, fmt), content_type=FORMATS[fmt]), 600)


def _feed_view(build):
    """A view serving the feed ``build(site, **url kwargs)`` makes, in the format the URL asks for."""

    @require_safe
    def view(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
        language = asked_language(request.GET.get("lang"))
        # The feed's own words in its language, whatever the reader's interface is in.
        with translation.override(language or None):
            feed = build(site_url(request), language=language, **kwargs)
        feed.self_url = absolute(request, request.get_full_path())
        return feed_response(feed, fmt)

    return view


site_feed_view = _feed_view(lambda site, language: site_feed(site, language))
collection_feed_view = _feed_view(
    lambda site, language, collection: collection_feed(get_object_or_404(Collection, slug=collection), site, language)
)
today_feed_view = _feed_view(
    lambda site, language, collection: today_feed(
        get_object_or_404(Collection, slug=collection), site, language=language
    )
)
tag_feed_view = _feed_view(lambda site, language, slug: tag_feed(get_object_or_404(Tag, slug=slug), site, language))
person_feed_view = _feed_view(
    lambda site, language, slug: person_feed(get_object_or_404(Person, slug=slug), site, language)
)
