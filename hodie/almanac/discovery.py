"""What every public page tells machines: ``<link rel="alternate">`` for its feeds and calendars
(so feed readers and calendar apps find them), OpenGraph, and schema.org JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language, gettext, ngettext
from markupsafe import Markup

from hodie.dates import format_day, month_name
from hodie.importers.html import is_web_url
from hodie.site.addresses import address

from . import translations
from .markup import plain_text
from .models import Article, Collection, Entry, Person
from .structured import entry_iso
from .translations import shown

FEED_TYPES = (("rss", "application/rss+xml", "RSS"), ("atom", "application/atom+xml", "Atom"),
              ("json", "application/feed+json", "JSON Feed"))  # fmt: skip


def _in_language(href: str, default: str) -> str:
    """``href`` asking for the reader's interface language when the feed's own would be another."""
    language = interface_language()
    return href if language == default else f"{href}?lang={language}"


def _feeds(name: str, args: list[str], title: str, default: str = "en") -> list[dict[str, str]]:
    return [
        {"type": mime, "title": f"{title} ({label})", "href": _in_language(address(name, [*args, fmt]), default),
         "group": title, "label": label}
        for fmt, mime, label in FEED_TYPES
    ]  # fmt: skip


def _calendar(title: str, href: str, default: str = "en") -> dict[str, str]:
    return {"type": "text/calendar", "title": title, "href": _in_language(href, default), "group": title,
            "label": "iCalendar"}  # fmt: skip


def _groups(links: list[dict[str, str]]) -> list[tuple[str, list[dict[str, str]]]]:
    """The same links for a person to read: one line per feed or calendar, its formats side by side."""
    groups: dict[str, list[dict[str, str]]] = {}
    for link in links:
        groups.setdefault(link.get("group", link["title"]), []).append(link)
    return list(groups.items())


def alternates(request: HttpRequest) -> dict[str, Any]:
    """A context processor: the feeds and calendars of the page being shown. Worked out once a
    request: a page's comment block is rendered with the request too, which runs every context
    processor again."""
    found = getattr(request, "_hodie_alternates", None)
    if found is None:
        found = request._hodie_alternates = _alternates(request)  # type: ignore[attr-defined]
    return found


def _alternates(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    links = _feeds("almanac:site-feed", [], gettext("Hodie articles"))
    if match is None:
        return {"alternates": links, "subscribe": _groups(links), "widget_collection": None}
    kwargs = match.kwargs
    collection_slug = kwargs.get("collection")
    if match.url_name in ("home",):
        from .days import default_collection

        found = getattr(request, "hodie_collection", None) or default_collection()  # the view's, when it set one
        collection_slug = found.slug if found else None
    if collection_slug and match.url_name in ("home", "day", "collection"):
        collection = getattr(request, "hodie_collection", None)  # the view's own, when it set one
        if collection is None or collection.slug != collection_slug:
            fields = ("slug", "title", "language", "translations")
            collection = Collection.objects.filter(slug=collection_slug).only(*fields).first()
        if collection is not None:
            title, own = translations.shown(collection, "title", interface_language()).text, collection.language
            today = gettext("Today in %(collection)s") % {"collection": title}
            links += _feeds("almanac:today-feed", [collection_slug], today, own)
            links += _feeds("almanac:collection-feed", [collection_slug], title, own)
            ics = address("almanac:collection-ics", [collection_slug])
            links.append(_calendar(gettext("%(collection)s (calendar)") % {"collection": title}, ics, own))
    if match.url_name == "tag":
        links += _feeds("almanac:tag-feed", [kwargs["slug"]], gettext("This tag"))
        if Entry.objects.filter(tags__slug=kwargs["slug"], standard_key__isnull=False).exists():
            ics = address("almanac:tag-ics", [kwargs["slug"]])
            links.append(_calendar(gettext("This tag (calendar)"), ics))
    if match.url_name == "person":
        links += _feeds("almanac:person-feed", [kwargs["slug"]], gettext("This person"))
    widget = collection_slug if match.url_name in ("home", "day", "collection") else None
    return {"alternates": links, "subscribe": _groups(links), "widget_collection": widget}


def _script(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704 - JSON with <>& escaped


def event_data(entry: Entry, language: str = "") -> dict[str, Any]:
    """A schema.org Event, its addresses relative to the site (what a day page stores with the
    entry's line: hodie/almanac/lines.py), for a reader of ``language`` (the entry's own when
    empty). ``startDate``/``endDate`` only where the EDTF date gives an honest ISO value (see
    :mod:`hodie.almanac.structured` for what is left out, and why).

    The name is the title the reader sees (their language's, else the original); the description
    is the summary *in that same language*, else the date written in it, so that ``inLanguage``
    is true of both. People's and places' names are given in that language where they have it."""
    said_in = shown(entry, "title", language or entry.language).language
    summary = plain_text(written_in(entry, "summary", said_in))
    data: dict[str, Any] = {"@type": "Event", "name": shown(entry, "title", said_in).text,
                            "url": entry.get_absolute_url(), "inLanguage": said_in,
                            "description": summary or entry.display_date(said_in)}  # fmt: skip
    start, end = entry_iso(entry)
    if start:
        data["startDate"] = start
    if end:
        data["endDate"] = end
    places = list(entry.places.all())
    if places:
        data["location"] = [
            {"@type": "Place", "name": shown(p, "name", said_in).text, "url": p.get_absolute_url()} for p in places
        ]
    people = list(entry.people.all())
    if people:
        data["about"] = [{"@type": "Person", "name": shown(p, "name", said_in).text} for p in people]
    return data


def _absolute(data: dict[str, Any], url: str, site: str) -> dict[str, Any]:
    """An :func:`event_data` made absolute: the event at ``url``, its places on ``site``."""
    data["url"] = url
    for place in data.get("location", ()):
        place["url"] = site + place["url"]
    return data


def _event(entry: Entry, url: str, language: str) -> dict[str, Any]:
    return _absolute(event_data(entry, language), url, site_of(url))


def site_of(url: str) -> str:
    """``https://host`` of an absolute URL."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def entry_jsonld(entry: Entry, url: str, language: str = "") -> Markup:
    return _script({"@context": "https://schema.org", **_event(entry, url, language)})


def day_jsonld(page: Any, url: str, events: dict[int, dict[str, Any]] | None = None, language: str = "") -> Markup:
    """A day page: an ItemList of its entries as Events, in the page's order, named in ``language``
    (the collection's when empty). ``events`` are the entries' :func:`event_data` by pk, when the
    page has them already (stored with the lines, in the reader's language)."""
    language = language or page.collection.language
    site = site_of(url)
    entries = [entry for _, listed in page.sections for entry in listed]
    items = []
    for n, entry in enumerate(entries, start=1):
        data = events.get(entry.pk) if events else None
        data = data if data is not None else event_data(entry, language)
        items.append({"@type": "ListItem", "position": n, "item": _absolute(data, site + data["url"], site)})
    data = {
        "@context": "https://schema.org", "@type": "ItemList", "name": page.title_in(language), "url": url,
        "numberOfItems": len(entries), "itemListElement": items,
    }  # fmt: skip
    return _script(data)


def written_in(obj: Any, field: str, language: str) -> str:
    """``obj``'s ``field`` written in ``language`` exactly: the original when it is in it, else the
    translation into it, else nothing (never a text in another language)."""
    if (obj.language or "en") == language:
        return getattr(obj, field) or ""
    return (obj.translations or {}).get(language, {}).get(field, "")


def meta_language(obj: Any, language: str) -> str:
    """The language a page's ``<title>``, description, OpenGraph and JSON-LD are given in, for a
    reader of ``language``: that of the main text (title, name) the reader sees, so the reader's
    where it is translated, else the original's."""
    main = translations.fields_of(obj)[0]
    return shown(obj, main, language).language


def describe(obj: Any, language: str = "") -> str:
    """The meta and og:description of an article, person, place, tag or collection page, in
    ``language`` (the object's own when empty; see :func:`meta_language`): its own words in that
    language when it has them, else what the page lists, said in that language."""
    language = language or obj.language
    if isinstance(obj, Article):
        text = plain_text(written_in(obj, "excerpt", language), obj.markup) or plain_text(
            written_in(obj, "body", language), obj.markup
        )
    else:
        text = plain_text(written_in(obj, "description", language)) if hasattr(obj, "description") else ""
    if not text:
        name = shown(obj, "name" if hasattr(obj, "name") else "title", language).text
        count = obj.entries.count()
        with translation.override(language):
            text = ngettext("%(name)s: %(num)d entry in Hodie", "%(name)s: %(num)d entries in Hodie", count) % {
                "name": name, "num": count}  # fmt: skip
    return text if len(text) <= 200 else text[:199].rsplit(" ", 1)[0] + "…"


def article_jsonld(article: Article, url: str, language: str = "") -> Markup:
    """An Article for a reader of ``language``: its headline theirs where translated, ``inLanguage``
    the headline's."""
    title = shown(article, "title", language or article.language)
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Article", "headline": title.text[:110], "url": url,
        "inLanguage": title.language, "datePublished": article.publish_at.isoformat(),
        "author": [{"@type": "Person", "name": a.name} for a in article.authors.all()] or None,
    }  # fmt: skip
    if article.partner:
        data["publisher"] = {"@type": "Organization", "name": article.partner.name}
        if is_web_url(article.partner.site_url):
            data["publisher"]["url"] = article.partner.site_url
    if is_web_url(article.full_url):
        data["isBasedOn"] = article.full_url
    return _script({k: v for k, v in data.items() if v is not None})


def person_jsonld(person: Person, url: str, language: str = "") -> Markup:
    """A Person named as a reader of ``language`` sees them; the name's other languages and the
    editors' aliases as ``alternateName``. schema.org gives a Person no ``inLanguage``: the page it
    is the main entity of (a ProfilePage) carries the language of the name."""
    name = shown(person, "name", language or person.language)
    others = [person.name, *(texts.get("name", "") for _, texts in sorted((person.translations or {}).items()))]
    alternate = [n for n in dict.fromkeys(others) if n and n != name.text]
    data = {"@context": "https://schema.org", "@type": "Person", "name": name.text, "url": url,
            "alternateName": alternate + sorted(a.name for a in person.aliases.all()),  # the same on any engine
            "mainEntityOfPage": {"@type": "ProfilePage", "@id": url, "inLanguage": name.language}}  # fmt: skip
    return _script(data)


def interface_language() -> str:
    """The language of this request's interface ("en", "ru"), as LocaleMiddleware chose it."""
    return (get_language() or "en")[:2]


def preferences(request: HttpRequest) -> dict[str, Any]:
    """The reader's choices: ``os_first`` (a cookie) puts the Old Style date first; the interface
    language (LocaleMiddleware) names the months of the day picker. Once a request, as above."""
    found = getattr(request, "_hodie_preferences", None)
    if found is None:
        found = request._hodie_preferences = _preferences(request)  # type: ignore[attr-defined]
    return found


def _preferences(request: HttpRequest) -> dict[str, Any]:
    language = interface_language()

    def lang_attr(content_language: str) -> Markup:
        """` lang="en"` on a block whose words are not in the interface's language, else nothing."""
        return Markup(' lang="{}"').format(content_language) if content_language != language else Markup("")

    return {
        "os_first": request.COOKIES.get("hodie_dates") == "os",
        "interface_language": language,
        "month_names": [month_name(month, language) for month in range(1, 13)],
        "local_day": lambda month, day: format_day(month, day, language),
        "lang_attr": lang_attr,
        "tr": lambda obj, field: translations.shown(obj, field, language),
        "entry_iso": entry_iso,
    }
