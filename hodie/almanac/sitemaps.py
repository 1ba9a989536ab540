"""The sitemap, through ``django.contrib.sitemaps``, and robots.txt that points to it.

Six sections: day pages (``/``, each collection's page and its days with entries), entries, people, tags,
places and published articles. While the site has at most :data:`SITEMAP_LIMIT` URLs,
``/sitemap.xml`` is one urlset; past that it is an index of ``/sitemaps/<section>-<page>.xml``.
Django's own index view names pages ``?p=N``; the index here is built from the same sitemap
objects and Django's ``sitemap_index.xml`` template so that the file names stay as they were.
Absolute URLs come from HODIE_SITE_URL, else the request's address, as robots.txt's do.

The sitemap classes are Django's (their items, pagination and counts); the urlset files are written
by :func:`_urlset` rather than by Django's view and ``sitemap.xml`` template, to the same bytes.
Measured on the demo (docs/benchmarks.md, *Render path*): Django's view spent about 90 µs a URL,
56 % of it in the template's per-URL loop and the date filter, most of the rest in a ``reverse()``
and four ``getattr`` lookups per URL; a file of 50,000 URLs took seconds and 63 MiB.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from hodie.site.addresses import filler

from . import days
from .models import Article, Collection, Entry, Membership, Person, Place, Tag
from .web import site_url

SITEMAP_LIMIT = 50_000  # URLs per sitemap file (the protocol's limit)


class _HodieSitemap(Sitemap):
    """Locations from ``location()`` (made absolute by :func:`_urlset`), each with ``lastmod``; no
    changefreq or priority."""

    @property  # type: ignore[override]
    def limit(self) -> int:
        return SITEMAP_LIMIT

    def count(self) -> int:
        """How many URLs, without their lastmod: what the index needs (see DaysSitemap.count)."""
        return self.paginator.count

    def pages(self) -> range:
        return range(1, -(-self.count() // self.limit) + 1)


class DaysSitemap(_HodieSitemap):
    """The home page, then for each collection its page and the days that have entries filed on
    them (a day saying "Nothing is filed on this day yet" is no page to index: it is left out here
    and marked noindex itself). Each carries the time its newest entry last changed."""

    def items(self) -> list[tuple[str, dt.datetime | None]]:
        newest: dict[int, dt.datetime | None] = {}
        filed: dict[int, list[tuple[int, dt.datetime]]] = {}
        rows = (
            Membership.objects.filter(day_key__isnull=False)
            .values("collection_id", "day_key")
            .annotate(changed=Max("entry__updated"))
            .order_by("collection_id", "day_key")
        )
        for row in rows:
            filed.setdefault(row["collection_id"], []).append((row["day_key"], row["changed"]))
        paths: list[tuple[str, dt.datetime | None]] = []
        for collection in Collection.objects.order_by("pk"):
            its_days = filed.get(collection.pk, [])
            newest[collection.pk] = max((changed for _, changed in its_days), default=None)
            paths.append((collection.get_absolute_url(), newest[collection.pk]))
            paths += [(f"/{collection.slug}/{days.day_slug(*divmod(key, 100))}/", changed) for key, changed in its_days]
        home = days.default_collection()
        return [("/", newest.get(home.pk) if home else None), *paths]

    def count(self) -> int:
        """The home page, each collection's page and each (collection, day) with an entry filed on
        it: ``items()`` without the newest change of each day, which joins every membership to its
        entry (3 s at 1,000,000 entries, where this count takes 0.06 s)."""
        days_filed = Membership.objects.filter(day_key__isnull=False).values("collection_id", "day_key").distinct()
        return 1 + Collection.objects.count() + days_filed.count()

    def location(self, item: tuple[str, dt.datetime | None]) -> str:
        return item[0]

    def lastmod(self, item: tuple[str, dt.datetime | None]) -> dt.datetime | None:
        return item[1]


class _BySlug(_HodieSitemap):
    """Items are (slug, lastmod); each address is the page's URL pattern with the slug put in: one
    ``reverse()`` a file, not one a URL (a slug matches ``[-a-zA-Z0-9_]+``, so it needs no quoting)."""

    url_name: str

    @functools.cached_property
    def _address(self) -> Callable[[str], str]:
        return filler(f"almanac:{self.url_name}", [None], 0)

    def location(self, item: tuple[str, dt.datetime | None]) -> str:
        return self._address(item[0])

    def lastmod(self, item: tuple[str, dt.datetime | None]) -> dt.datetime | None:
        return item[1]


class EntriesSitemap(_BySlug):
    url_name = "entry"

    def items(self):
        return Entry.objects.order_by("pk").values_list("slug", "updated")


class ArticlesSitemap(_BySlug):
    url_name = "article"

    def items(self):
        return Article.objects.published().order_by("pk").values_list("slug", "updated")


class _SlugSitemap(_BySlug):
    """A person's, tag's or place's page lists its entries: it last changed when the newest did."""

    model: type[Person] | type[Tag] | type[Place]

    def items(self):
        return (
            self.model._default_manager.order_by("pk")
            .annotate(changed=Max("entries__updated"))
            .values_list("slug", "changed")
        )

    def count(self) -> int:
        return self.model._default_manager.count()


class PeopleSitemap(_SlugSitemap):
    model, url_name = Person, "person"


class TagsSitemap(_SlugSitemap):
    model, url_name = Tag, "tag"


class PlacesSitemap(_SlugSitemap):
    model, url_name = Place, "place"


SITEMAPS: dict[str, type[Sitemap]] = {
    "days": DaysSitemap,
    "entries": EntriesSitemap,
    "people": PeopleSitemap,
    "tags": TagsSitemap,
    "places": PlacesSitemap,
    "articles": ArticlesSitemap,
}


def _urlset(sections: Iterable[tuple[_HodieSitemap, Iterable[Any]]], site: str) -> HttpResponse:
    """Each section's items as one urlset, byte for byte what Django's ``sitemap`` view and
    template write (whitespace between tags removed; ``lastmod`` as the date on the site's clock),
    with its Last-Modified when every URL has a lastmod, as Django sets it."""
    tz = timezone.get_current_timezone()
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    ]
    newest: dt.datetime | None = None
    every_one_dated = True
    for section, items in sections:
        location, lastmod = section.location, section.lastmod
        section_newest = None
        dated = True
        for item in items:
            when = lastmod(item)
            if when is None:
                dated = False
                parts.append(f"<url><loc>{escape(site + location(item))}</loc></url>")
                continue
            if dated and (section_newest is None or when > section_newest):
                section_newest = when
            day = when.astimezone(tz) if isinstance(when, dt.datetime) and timezone.is_aware(when) else when
            parts.append(f"<url><loc>{escape(site + location(item))}</loc><lastmod>{day:%Y-%m-%d}</lastmod></url>")
        if dated and section_newest is not None and every_one_dated:
            newest = sitemap_views._get_latest_lastmod(newest, section_newest)
        else:
            every_one_dated = False
    parts.append("\n</urlset>\n")
    headers = {"Last-Modified": http_date(newest.timestamp())} if every_one_dated and newest else None
    return HttpResponse("".join(parts), content_type="application/xml", headers=headers)


@require_safe
@cache_control(public=True, max_age=3600)
@sitemap_views.x_robots_tag
def sitemap(request: HttpRequest) -> HttpResponse:
    """One urlset while the site has at most SITEMAP_LIMIT URLs; past that, an index of files."""
    sections = {name: cls() for name, cls in SITEMAPS.items()}
    if sum(section.count() for section in sections.values()) <= SITEMAP_LIMIT:
        return _urlset([(section, section.items()) for section in sections.values()], site_url(request))
    site = site_url(request)
    files = [
        sitemap_views.SitemapIndexItem(site + reverse("almanac:sitemap-section", args=[name, page]), None)
        for name, section in sections.items()
        for page in section.pages()
    ]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": files}, content_type="application/xml")


@require_safe
@cache_control(public=True, max_age=3600)
@sitemap_views.x_robots_tag
def sitemap_section(request: HttpRequest, section: str, page: int) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("No such sitemap")
    chosen = SITEMAPS[section]()
    try:
        items = chosen.paginator.page(page).object_list
    except (EmptyPage, PageNotAnInteger) as missing:
        raise Http404(f"No page {page} of the {section} sitemap") from missing
    return _urlset([(chosen, items)], site_url(request))


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    site = site_url(request)
    body = "\n".join(
        ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Allow: /", f"Sitemap: {site}/sitemap.xml", ""]
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
