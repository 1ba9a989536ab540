"""The sitemap, through ``django.contrib.sitemaps``, and robots.txt that points to it.

Six sections: day pages (``/``, each collection's page and its days with entries), entries, people, tags,
places and published articles. While the site has at most :data:`SITEMAP_LIMIT` URLs,
``/sitemap.xml`` is one urlset; past that it is an index of ``/sitemaps/<section>-<page>.xml``.
Django's own index view names pages ``?p=N``; the index here is built from the same sitemap
objects and Django's ``sitemap_index.xml`` template so that the file names stay as they were.
Absolute URLs come from HODIE_SITE_URL, as everywhere else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import days
from .models import Article, Collection, Entry, Membership, Person, Place, Tag
from .web import site_url

SITEMAP_LIMIT = 50_000  # URLs per sitemap file (the protocol's limit)


class _HodieSitemap(Sitemap):
    """Locations from ``location()``, made absolute with HODIE_SITE_URL (the request's host when
    that is empty), each with ``lastmod``; no changefreq or priority, as before."""

    @property  # type: ignore[override]
    def limit(self) -> int:
        return SITEMAP_LIMIT

    def count(self) -> int:
        """How many URLs, without their lastmod: what the index needs (see DaysSitemap.count)."""
        return self.paginator.count

    def pages(self) -> range:
        return range(1, -(-self.count() // self.limit) + 1)

    def get_protocol(self, protocol: str | None = None) -> str:
        if settings.SITE_URL:
            return settings.SITE_URL.split("://", 1)[0]
        return super().get_protocol(protocol)

    def get_domain(self, site: Any = None) -> str:
        if settings.SITE_URL:
            return settings.SITE_URL.split("://", 1)[1]
        return super().get_domain(site)


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


class EntriesSitemap(_HodieSitemap):
    def items(self):
        return Entry.objects.order_by("pk").values_list("slug", "updated")

    def location(self, item: tuple[str, dt.datetime]) -> str:
        return reverse("almanac:entry", args=[item[0]])

    def lastmod(self, item: tuple[str, dt.datetime]) -> dt.datetime | None:
        return item[1]


class ArticlesSitemap(EntriesSitemap):
    def items(self):
        return Article.objects.published().order_by("pk").values_list("slug", "updated")

    def location(self, item: tuple[str, dt.datetime]) -> str:
        return reverse("almanac:article", args=[item[0]])


class _SlugSitemap(_HodieSitemap):
    """A person's, tag's or place's page lists its entries: it last changed when the newest did."""

    model: type[Person] | type[Tag] | type[Place]
    url_name: str

    def items(self):
        return (
            self.model._default_manager.order_by("pk")
            .annotate(changed=Max("entries__updated"))
            .values_list("slug", "changed")
        )

    def count(self) -> int:
        return self.model._default_manager.count()

    def location(self, item: tuple[str, dt.datetime | None]) -> str:
        return reverse(f"almanac:{self.url_name}", args=[item[0]])

    def lastmod(self, item: tuple[str, dt.datetime | None]) -> dt.datetime | None:
        return item[1]


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


def _with_page(request: HttpRequest, page: int) -> HttpRequest:
    # Django's sitemap view reads the page from ?p=; our file names carry it instead.
    request.GET = request.GET.copy()
    request.GET["p"] = str(page)
    return request


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap(request: HttpRequest) -> HttpResponse:
    """One urlset while the site has at most SITEMAP_LIMIT URLs; past that, an index of files."""
    sections = {name: cls() for name, cls in SITEMAPS.items()}
    if sum(section.count() for section in sections.values()) <= SITEMAP_LIMIT:
        return sitemap_views.sitemap(_with_page(request, 1), SITEMAPS)
    site = site_url(request)
    files = [
        sitemap_views.SitemapIndexItem(site + reverse("almanac:sitemap-section", args=[name, page]), None)
        for name, section in sections.items()
        for page in section.pages()
    ]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": files}, content_type="application/xml")


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap_section(request: HttpRequest, section: str, page: int) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("No such sitemap")
    return sitemap_views.sitemap(_with_page(request, page), SITEMAPS, section=section)


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    site = site_url(request)
    body = "\n".join(
        ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Allow: /", f"Sitemap: {site}/sitemap.xml", ""]
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
