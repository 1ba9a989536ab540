"""What the static site holds, and which of its pages an edited article or entry appears on."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from hodie.almanac import days
from hodie.almanac.models import Alias, Article, Collection, Entry, HolidayRule, Membership, Person, Place, Tag
from hodie.almanac.onthisday import TYPES as API_TYPES
from hodie.social.models import Author, Comment, Partner

FEED_FORMATS = ("rss", "atom", "json")


def api_path(feed_type: str, month: int, day: int) -> str:
    return reverse("almanac:onthisday", args=[feed_type, f"{month:02d}", f"{day:02d}"])


def day_path(collection_slug: str, key: int) -> str:
    return f"/{collection_slug}/{days.day_slug(key // 100, key % 100)}/"


def slugs(model) -> list[str]:
    return list(model._default_manager.order_by("pk").values_list("slug", flat=True))


def today_paths() -> list[str]:
    """Pages whose bytes depend on what day it is."""
    found = ["/"]
    for slug in slugs(Collection):
        found += [f"/{slug}/today.{fmt}" for fmt in FEED_FORMATS]
        found.append(reverse("almanac:widget", args=[slug]))
    return found


def site_feeds() -> list[str]:
    return [reverse("almanac:site-feed", args=[fmt]) for fmt in FEED_FORMATS]


def comment_feeds() -> list[str]:
    """The comments feed names the page each comment is on, so it changes with their titles."""
    return [reverse("social:comments-feed", args=[fmt]) for fmt in FEED_FORMATS]


def collection_paths(slug: str) -> list[str]:
    paths = [reverse("almanac:collection", args=[slug])]
    paths += [f"/{slug}/{days.day_slug(m, d)}/" for m, d in days.ALL_DAYS]
    paths += [f"/{slug}/feed.{fmt}" for fmt in FEED_FORMATS]
    paths += [f"/{slug}/today.{fmt}" for fmt in FEED_FORMATS]
    paths += [reverse("almanac:collection-ics", args=[slug]), reverse("almanac:widget", args=[slug])]
    return paths


def api_paths_for(keys: Iterable[int]) -> list[str]:
    return [api_path(t, k // 100, k % 100) for k in keys for t in ("all", *API_TYPES)]


def all_paths() -> list[str]:
    """Every URL the static site holds, except the sitemap sections (read from the index)."""
    paths = ["/", reverse("almanac:sitemap"), reverse("almanac:robots"), reverse("almanac:about-dates")]
    paths += site_feeds()
    paths += comment_feeds()
    for slug in slugs(Collection):
        paths += collection_paths(slug)
    if days.default_collection() is not None:
        paths += api_paths_for(m * 100 + d for m, d in days.ALL_DAYS)
    paths += [f"/entries/{slug}/" for slug in slugs(Entry)]
    published = Article.objects.published().order_by("pk").values_list("slug", flat=True)
    paths += [f"/articles/{slug}/" for slug in published]
    for slug in slugs(Person):
        paths += [f"/people/{slug}/", *(f"/people/{slug}/feed.{fmt}" for fmt in FEED_FORMATS)]
    for slug in slugs(Tag):
        paths += [f"/tags/{slug}/", *(f"/tags/{slug}/feed.{fmt}" for fmt in FEED_FORMATS), f"/tags/{slug}.ics"]
    paths += [f"/places/{slug}/" for slug in slugs(Place)]
    return paths


def placements_of(articles: Iterable[int] | None = None, entries: Iterable[int] | None = None) -> dict:
    """Where articles and entries sit: ``{"a<pk>": [[collection slug, day key], ...], "e<pk>": ...}``."""
    found: dict[str, list[list[Any]]] = {}
    rows = Membership.objects.exclude(day_key=None)
    if articles is not None:
        pairs = rows.filter(entry__articles__in=list(articles)).values_list(
            "entry__articles", "collection__slug", "day_key"
        )
        for pk, slug, key in pairs:
            found.setdefault(f"a{pk}", []).append([slug, key])
    if entries is not None:
        for pk, slug, key in rows.filter(entry__in=list(entries)).values_list("entry", "collection__slug", "day_key"):
            found.setdefault(f"e{pk}", []).append([slug, key])
    return found


def all_placements() -> dict:
    """Where every article and entry sits, kept in the manifest: an edit that moves one to another
    day must also rewrite the day it left."""
    found: dict[str, list[list[Any]]] = {}
    rows = Membership.objects.exclude(day_key=None)
    for pk, slug, key in rows.filter(entry__articles__isnull=False).values_list(
        "entry__articles", "collection__slug", "day_key"
    ):
        found.setdefault(f"a{pk}", []).append([slug, key])
    for pk, slug, key in rows.values_list("entry", "collection__slug", "day_key"):
        found.setdefault(f"e{pk}", []).append([slug, key])
    return found


def _day_dependants(placed: Iterable[list[Any]], default_slug: str | None, today_key: int) -> set[str]:
    """Day pages, API days, and today's pages for a list of (collection, day key) placements."""
    paths: set[str] = set()
    window = _today_feed_keys()
    for slug, key in placed:
        paths.add(day_path(slug, key))
        if slug == default_slug:
            paths.update(api_paths_for([key]))
        if key == today_key or (today_key == 228 and key == 229):
            paths.update(today_paths())
        if key in window:
            paths.update(f"/{slug}/today.{fmt}" for fmt in FEED_FORMATS)
        paths.update(f"/{slug}/feed.{fmt}" for fmt in FEED_FORMATS)
    return paths


def _today_feed_keys() -> set[int]:
    from hodie.almanac.feeds import TODAY_DAYS

    today = days.today()
    return {(d.month * 100 + d.day) for d in (today - dt.timedelta(days=n) for n in range(TODAY_DAYS))}


def article_dependants(article: Article, placed: Iterable[list[Any]]) -> set[str]:
    """Pages an article appears on: its own, its day pages and their API days and feeds, its
    entries' pages, the site feed and the sitemap (``lastmod``)."""
    default = days.default_collection()
    today = days.today()
    paths = _day_dependants(placed, default.slug if default else None, today.month * 100 + today.day)
    paths.add(f"/articles/{article.slug}/")
    paths.update(f"/entries/{slug}/" for slug in article.entries.values_list("slug", flat=True))
    paths.update(site_feeds())
    paths.update(comment_feeds())
    paths.add(reverse("almanac:sitemap"))
    return paths


def related_dependants(articles: Iterable[Article], entries: Iterable[Entry]) -> set[str]:
    """The entry and article pages whose "possibly related" list (hodie/search/related.py) names one
    of these: a changed title shows there too. (A list the change made drop one of them is not
    found here; a full build or `hodie reindex` followed by one rewrites it.)"""
    from hodie.search.models import Related

    wanted = Q(other_kind="article", other_id__in=[a.pk for a in articles])
    wanted |= Q(other_kind="entry", other_id__in=[e.pk for e in entries])
    rows = Related.objects.filter(wanted).values_list("kind", "object_id")
    entry_ids = {pk for kind, pk in rows if kind == "entry"}
    article_ids = {pk for kind, pk in rows if kind == "article"}
    paths = {f"/entries/{slug}/" for slug in Entry.objects.filter(pk__in=entry_ids).values_list("slug", flat=True)}
    published = Article.objects.published().filter(pk__in=article_ids).values_list("slug", flat=True)
    return paths | {f"/articles/{slug}/" for slug in published}


def entry_dependants(entry: Entry, placed: Iterable[list[Any]]) -> set[str]:
    """Pages an entry appears on: its own, its day pages (and API, feeds), its tags', people's and
    places' pages and feeds, its articles' pages, the calendars and the sitemap."""
    default = days.default_collection()
    today = days.today()
    paths = _day_dependants(placed, default.slug if default else None, today.month * 100 + today.day)
    paths.add(f"/entries/{entry.slug}/")
    for slug, _key in placed:
        paths.add(f"/{slug}.ics")
        paths.add(reverse("almanac:collection", args=[slug]))
    for slug in entry.tags.values_list("slug", flat=True):
        paths.update([f"/tags/{slug}/", f"/tags/{slug}.ics", *(f"/tags/{slug}/feed.{fmt}" for fmt in FEED_FORMATS)])
    for slug in entry.people.values_list("slug", flat=True):
        paths.update([f"/people/{slug}/", *(f"/people/{slug}/feed.{fmt}" for fmt in FEED_FORMATS)])
    paths.update(f"/places/{slug}/" for slug in entry.places.values_list("slug", flat=True))
    paths.update(
        f"/articles/{slug}/"
        for slug in Article.objects.published().filter(entries=entry).values_list("slug", flat=True)
    )
    paths.update(comment_feeds())
    paths.add(reverse("almanac:sitemap"))
    return paths


def fingerprint() -> str:
    """A hash of everything ``--changed`` cannot place by timestamp: the objects without an
    ``updated`` column, which entries and published articles exist (scheduled ones appear by the
    clock), the links between them, the settings that shape pages, and today's date."""
    from django.db import connection

    digest = hashlib.blake2b(digest_size=16)
    edited = [m._meta.db_table for m in (Collection, Partner, Person, Alias, Place, Tag, Author, HolidayRule)]
    # Rows only ever inserted or deleted, never updated (the links an admin edit changes without
    # touching an entry's or article's ``updated``, and which entries exist), with ids never reused:
    # their count, largest and summed id change with any change, and cost one index scan.
    added = [m.through._meta.db_table for m in (Entry.tags, Entry.people, Entry.places, Article.entries)]
    added.append(Entry._meta.db_table)
    quote = connection.ops.quote_name
    # The bare cursor: the ORM's row building costs about a microsecond a row.
    with connection.cursor() as cursor:
        for table in edited:
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY id")  # noqa: S608 - table names from models
            digest.update(repr(cursor.fetchall()).encode())
        for table in added:
            cursor.execute(f"SELECT COUNT(*), MAX(id), SUM(id) FROM {quote(table)}")  # noqa: S608
            digest.update(repr(cursor.fetchone()).encode())
    for row in Comment.objects.order_by("pk").values_list("pk", "status", "body", "author_name", "parent"):
        digest.update(repr(row).encode())
    digest.update(repr(list(Article.objects.published().order_by("pk").values_list("pk", flat=True))).encode())
    digest.update(repr((settings.SITE_URL, settings.TIME_ZONE, days.today().isoformat())).encode())
    return digest.hexdigest()
