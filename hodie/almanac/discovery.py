"""What every public page tells machines: ``<link rel="alternate">`` for its feeds and calendars
(so feed readers and calendar apps find them), OpenGraph, and schema.org JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from markupsafe import Markup

from hodie.dates import month_name
from hodie.dates.calendars import from_jdn
from hodie.importers.html import is_web_url

from .models import Article, Collection, Entry, Person

FEED_TYPES = (("rss", "application/rss+xml", "RSS"), ("atom", "application/atom+xml", "Atom"),
              ("json", "application/feed+json", "JSON Feed"))  # fmt: skip


def _feeds(name: str, args: list[str], title: str) -> list[dict[str, str]]:
    return [
        {"type": mime, "title": f"{title} ({label})", "href": reverse(name, args=[*args, fmt])}
        for fmt, mime, label in FEED_TYPES
    ]


def alternates(request: HttpRequest) -> dict[str, Any]:
    """A context processor: the feeds and calendars of the page being shown."""
    match = getattr(request, "resolver_match", None)
    links = _feeds("almanac:site-feed", [], "Hodie articles")
    if match is None:
        return {"alternates": links}
    kwargs = match.kwargs
    collection_slug = kwargs.get("collection")
    if match.url_name in ("home",):
        from .days import default_collection

        found = default_collection()
        collection_slug = found.slug if found else None
    if collection_slug and match.url_name in ("home", "day", "collection"):
        title = Collection.objects.filter(slug=collection_slug).values_list("title", flat=True).first()
        if title:
            links += _feeds("almanac:today-feed", [collection_slug], f"Today in {title}")
            links += _feeds("almanac:collection-feed", [collection_slug], title)
            links.append({"type": "text/calendar", "title": f"{title} (calendar)",
                          "href": reverse("almanac:collection-ics", args=[collection_slug])})  # fmt: skip
    if match.url_name == "tag":
        links += _feeds("almanac:tag-feed", [kwargs["slug"]], "This tag")
        links.append({"type": "text/calendar", "title": "This tag (calendar)",
                      "href": reverse("almanac:tag-ics", args=[kwargs["slug"]])})  # fmt: skip
    if match.url_name == "person":
        links += _feeds("almanac:person-feed", [kwargs["slug"]], "This person")
    return {"alternates": links}


def _iso(entry: Entry) -> str:
    """schema.org wants ISO 8601 (proleptic Gregorian) dates; a Julian day is converted."""
    if entry.earliest_jdn is None:
        return ""
    y, m, d = from_jdn(entry.earliest_jdn, "gregorian")
    if y <= 0:
        return f"-{1 - y:04d}"
    if entry.precision == "day":
        return f"{y:04d}-{m:02d}-{d:02d}"
    if entry.precision == "month":
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}"


def _script(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704 - JSON with <>& escaped


def entry_jsonld(entry: Entry, url: str) -> Markup:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Event", "name": entry.title, "url": url,
                            "description": entry.display_date()}  # fmt: skip
    if iso := _iso(entry):
        data["startDate"] = iso
    people = list(entry.people.all())
    if people:
        data["about"] = [{"@type": "Person", "name": p.name} for p in people]
    return _script(data)


def article_jsonld(article: Article, url: str) -> Markup:
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Article", "headline": article.title[:110], "url": url,
        "datePublished": article.publish_at.isoformat(),
        "author": [{"@type": "Person", "name": a.name} for a in article.authors.all()] or None,
    }  # fmt: skip
    if article.partner:
        data["publisher"] = {"@type": "Organization", "name": article.partner.name}
        if is_web_url(article.partner.site_url):
            data["publisher"]["url"] = article.partner.site_url
    if is_web_url(article.full_url):
        data["isBasedOn"] = article.full_url
    return _script({k: v for k, v in data.items() if v is not None})


def person_jsonld(person: Person, url: str) -> Markup:
    data = {"@context": "https://schema.org", "@type": "Person", "name": person.name, "url": url,
            "alternateName": [a.name for a in person.aliases.all()]}  # fmt: skip
    return _script(data)


def interface_language() -> str:
    """The language of this request's interface ("en", "ru"), as LocaleMiddleware chose it."""
    return (get_language() or "en")[:2]


def preferences(request: HttpRequest) -> dict[str, Any]:
    """The reader's choices: ``os_first`` (a cookie) puts the Old Style date first; the interface
    language (LocaleMiddleware) names the months of the day picker."""
    language = interface_language()
    return {
        "os_first": request.COOKIES.get("hodie_dates") == "os",
        "interface_language": language,
        "month_names": [month_name(month, language) for month in range(1, 13)],
    }
