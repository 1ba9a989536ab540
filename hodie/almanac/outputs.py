"""Feeds, calendars, sitemaps and robots.txt: what readers' tools and search engines fetch."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape as xml_escape

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import days, syndication
from .models import Article, Collection, Entry, Person, Place, Tag
from .views import public, site_url

SITEMAP_LIMIT = 50_000  # URLs per sitemap file (the protocol's limit)


def feed_response(feed: syndication.Feed, fmt: str) -> HttpResponse:
    return public(HttpResponse(syndication.render_feed(feed, fmt), content_type=syndication.FORMATS[fmt]), 600)


def _feed_view(build):
    """A view serving the feed ``build(site, **url kwargs)`` makes, in the format the URL asks for."""

    @require_safe
    def view(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
        feed = build(site_url(request), **kwargs)
        feed.self_url = request.build_absolute_uri()
        return feed_response(feed, fmt)

    return view


site_feed = _feed_view(lambda site: syndication.site_feed(site))
collection_feed = _feed_view(
    lambda site, collection: syndication.collection_feed(get_object_or_404(Collection, slug=collection), site)
)
today_feed = _feed_view(
    lambda site, collection: syndication.today_feed(get_object_or_404(Collection, slug=collection), site)
)
tag_feed = _feed_view(lambda site, slug: syndication.tag_feed(get_object_or_404(Tag, slug=slug), site))
person_feed = _feed_view(lambda site, slug: syndication.person_feed(get_object_or_404(Person, slug=slug), site))


def _years(request: HttpRequest) -> tuple[int, int]:
    this_year = days.today().year
    try:
        first = int(request.GET.get("from", this_year - 1))
        last = int(request.GET.get("to", first + syndication.ICS_YEARS_DEFAULT))
    except ValueError as err:
        raise Http404("from and to are years, e.g. ?from=2026&to=2046") from err
    if not (1 <= first <= last <= 9999) or last - first > syndication.ICS_MAX_SPAN:
        raise Http404(f"Give years with from <= to and at most {syndication.ICS_MAX_SPAN} years apart")
    return first, last


def _ics_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return public(response, 3600)


@require_safe
def collection_ics(request: HttpRequest, collection: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=collection)
    first, last = _years(request)
    entries = Entry.objects.filter(membership__collection=found).order_by("pk")
    body = syndication.calendar_ics(
        found.title, entries.iterator(chunk_size=2000), found.anniversary_policy, site_url(request), first, last,
        found.language,
    )  # fmt: skip
    return _ics_response(body, found.slug)


@require_safe
def tag_ics(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Tag, slug=slug)
    first, last = _years(request)
    collection = days.default_collection()
    policy = collection.anniversary_policy if collection else "standard"
    body = syndication.calendar_ics(
        f"Hodie: {found.name}", found.entries.order_by("pk"), policy, site_url(request), first, last
    )
    return _ics_response(body, found.slug)


# --------------------------------------------------------------------------- sitemaps
def _sections() -> dict[str, int]:
    return {
        "days": 1 + sum(1 + len(days.ALL_DAYS) for _ in Collection.objects.all()),
        "entries": Entry.objects.count(),
        "people": Person.objects.count(),
        "tags": Tag.objects.count(),
        "places": Place.objects.count(),
        "articles": Article.objects.published().count(),
    }


def _paths(section: str, offset: int, limit: int) -> list[tuple[str, dt.datetime | None]]:
    if section == "days":
        paths: list[tuple[str, dt.datetime | None]] = [("/", None)]
        for collection in Collection.objects.order_by("pk"):
            paths.append((collection.get_absolute_url(), None))
            paths += [(f"/{collection.slug}/{days.day_slug(m, d)}/", None) for m, d in days.ALL_DAYS]
        return paths[offset : offset + limit]
    if section == "entries":
        rows = Entry.objects.order_by("pk").values_list("slug", "updated")[offset : offset + limit]
        return [(reverse("almanac:entry", args=[slug]), updated) for slug, updated in rows]
    if section == "articles":
        rows = Article.objects.published().order_by("pk").values_list("slug", "updated")[offset : offset + limit]
        return [(reverse("almanac:article", args=[slug]), updated) for slug, updated in rows]
    model, name = {"people": (Person, "person"), "tags": (Tag, "tag"), "places": (Place, "place")}[section]
    slugs = model._default_manager.order_by("pk").values_list("slug", flat=True)[offset : offset + limit]
    return [(reverse(f"almanac:{name}", args=[slug]), None) for slug in slugs]


def _urlset(site: str, paths: list[tuple[str, dt.datetime | None]]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, modified in paths:
        lastmod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
        lines.append(f"<url><loc>{xml_escape(site + path)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _xml(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """One urlset while the site has at most SITEMAP_LIMIT URLs; past that, an index of files."""
    site = site_url(request)
    sections = _sections()
    if sum(sections.values()) <= SITEMAP_LIMIT:
        paths = [p for name in sections for p in _paths(name, 0, SITEMAP_LIMIT)]
        return _xml(_urlset(site, paths))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for name, count in sections.items():
        for page in range(max(1, -(-count // SITEMAP_LIMIT)) if count else 0):
            loc = site + reverse("almanac:sitemap-section", args=[name, page + 1])
            lines.append(f"<sitemap><loc>{xml_escape(loc)}</loc></sitemap>")
    lines.append("</sitemapindex>")
    return _xml("\n".join(lines) + "\n")


@require_safe
def sitemap_section(request: HttpRequest, section: str, page: int) -> HttpResponse:
    sections = _sections()
    if section not in sections or page < 1 or (page - 1) * SITEMAP_LIMIT >= max(sections[section], 1):
        raise Http404("No such sitemap")
    return _xml(_urlset(site_url(request), _paths(section, (page - 1) * SITEMAP_LIMIT, SITEMAP_LIMIT)))


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    site = site_url(request)
    body = "\n".join(
        ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Allow: /", f"Sitemap: {site}/sitemap.xml", ""]
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
