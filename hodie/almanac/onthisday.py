"""The day's content in the shape of Wikimedia's ``feed/onthisday`` responses.

``hodie day --json`` prints exactly what the API serves. Items are ``text``, ``pages`` (page
summaries of our entry and people pages), ``year`` (an integer, negative for BC; absent on
holidays), newest first, plus Hodie's ``date`` extras (EDTF, calendar, display).
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from hodie.dates import HodieError, format_date, parse_edtf
from hodie.site.problems import WIKIMEDIA, Problem, answers

from . import days
from .days import DayPage
from .markup import plain_text
from .models import Entry, EntryLine, HolidayRule, Person
from .stored import code_digest, item_code
from .translations import asked_language, shown
from .web import public, site_url

TYPES = ("selected", "events", "births", "deaths", "holidays")
KIND_TYPE = {"event": "events", "birth": "births", "death": "deaths", "holiday": "holidays"}
ROUND_YEARS = (1000, 500, 250, 200, 150, 100, 75, 50, 25)


def _bc_year(entry: Entry) -> int | None:
    """Wikimedia's ``year``: historical numbering, negative for BC (44 BC -> -44)."""
    if entry.year is None:
        return None
    return entry.year if entry.year > 0 else entry.year - 1


@dataclass(frozen=True)
class Revision:
    """Where a summarised page is edited and its history read (the admin's change and history
    pages of the object behind it), and when it last changed.

    Hodie keeps no numbered revisions; the last change's time in microseconds since 1970 stands for
    Wikimedia's revision id: it is a string of digits, and it changes exactly when the page does."""

    admin_url_name: str  # "almanac_entry": admin:<name>_change / _history
    pk: int
    updated: dt.datetime

    def fields(self, base_url: str) -> dict[str, Any]:
        moment = self.updated.astimezone(dt.UTC)
        return {
            "revision": str(int(moment.timestamp() * 1_000_000)),
            "timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "edit": base_url + reverse(f"admin:{self.admin_url_name}_change", args=[self.pk]),
            "revisions": base_url + reverse(f"admin:{self.admin_url_name}_history", args=[self.pk]),
        }


def page_summary(
    title: str,
    extract: str,
    url: str,
    pageid: int,
    language: str,
    revision: Revision,
    base_url: str,
    description: str = "",
) -> dict[str, Any]:
    """One of Wikimedia's page summaries (``definitions/summary``). A page with no text to extract
    is typed ``no-extract``, as Wikipedia types its own."""
    history = revision.fields(base_url)
    urls = {"page": url, "revisions": history["revisions"], "edit": history["edit"]}
    return {
        "type": "standard" if extract else "no-extract",
        "title": title.replace(" ", "_"),
        "displaytitle": title,
        "normalizedtitle": title,
        "titles": {"canonical": title.replace(" ", "_"), "normalized": title, "display": title},
        "namespace": {"id": 0, "text": ""},
        "pageid": pageid,
        "revision": history["revision"],
        "timestamp": history["timestamp"],
        "lang": language,
        "dir": "ltr",
        "description": description,
        "extract": extract,
        "extract_html": f"<p>{_escape(extract)}</p>" if extract else "",
        "content_urls": {"desktop": urls, "mobile": dict(urls)},
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def entry_item(
    entry: Entry, base_url: str, language: str, changed: dict[int, dt.datetime] | None = None
) -> dict[str, Any]:
    """One entry for a reader of ``language``: its text in that language where it has it, else in
    its own, each page's ``lang`` naming the language of the words it carries. ``changed`` keeps each
    person's last change once found, for the document's other entries (a person under a million
    entries costs one aggregate, not one a line)."""
    date = parse_edtf(entry.edtf, entry.calendar)  # type: ignore[arg-type]
    title, summary = shown(entry, "title", language), shown(entry, "summary", language)
    pages = [
        page_summary(
            title.text,
            plain_text(summary.text),
            base_url + entry.get_absolute_url(),
            entry.pk,
            summary.language if summary else title.language,
            Revision("almanac_entry", entry.pk, entry.updated),
            base_url,
            description=format_date(date, language),
        )
    ]
    people: list[Person] = list(entry.people.all())
    for person in people:
        # A person has no time of its own: its page is its description and its entries, so it last
        # changed when its newest entry did (this one at the latest).
        known = changed if changed is not None else {}
        if person.pk not in known:  # one aggregate in SQL: never the person's entries as rows
            known[person.pk] = person.entries.aggregate(newest=Max("updated"))["newest"] or entry.updated
        name, description = shown(person, "name", language), shown(person, "description", language)
        pages.append(
            page_summary(
                name.text,
                plain_text(description.text),
                base_url + person.get_absolute_url(),
                1_000_000_000 + person.pk,
                description.language if description else name.language,
                Revision("almanac_person", person.pk, known[person.pk]),
                base_url,
            )
        )
    item: dict[str, Any] = {"text": plain_text(summary.text) or title.text, "pages": pages}
    shown_in = summary.language if summary else title.language
    if shown_in != language:
        item["lang"] = shown_in  # a fallback: the words are not in the language asked for
    if entry.kind != "holiday" and _bc_year(entry) is not None:
        item["year"] = _bc_year(entry)
    item["date"] = {"edtf": entry.edtf, "calendar": entry.calendar, "display": format_date(date, language)}
    return item


def _newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.earliest_jdn is None, -(e.earliest_jdn or 0), -e.pk))


def selected_entries(page: DayPage, this_year: int) -> list[Entry]:
    """Featured entries, then those the day's articles tell, then up to five more (round-number
    anniversaries first), so that a day with entries never has an empty ``selected``."""
    return select(page.entries, set(page.told_in), this_year)


class Selectable(Protocol):
    """What :func:`select` reads of an entry: an Entry, or its key row alone (the widget's)."""

    pk: Any
    kind: str
    featured: bool
    year: int | None
    earliest_jdn: int | None


S = TypeVar("S", bound=Selectable)


def select(entries: Iterable[S], told: AbstractSet[int], this_year: int, most: int | None = None) -> list[S]:
    """The rule of :func:`selected_entries`, in one pass over ``entries`` (in page order; ``told``:
    the ids of those an article tells), keeping the five best of the rest as it goes. With
    ``most``, no more than that many featured or told ones are kept either, so a day of any size
    costs memory for ``most`` + 5 of them: the widget reads the day's keys as they come."""
    featured: list[S] = []
    telling: list[S] = []

    def rest() -> Iterator[S]:
        for entry in entries:
            if entry.kind == "holiday":
                continue
            if entry.featured or entry.pk in told:
                kept = featured if entry.featured else telling
                if most is None or len(kept) < most:
                    kept.append(entry)
            else:
                yield entry

    def roundness(entry: S) -> int:
        if entry.year is None:
            return len(ROUND_YEARS)
        age = this_year - entry.year
        for rank, step in enumerate(ROUND_YEARS):
            if age > 0 and age % step == 0:
                return rank
        return len(ROUND_YEARS)

    # nsmallest is sorted(...)[:5] (stable on ties) without holding the rest.
    best = heapq.nsmallest(5, rest(), key=lambda entry: (roundness(entry), -(entry.earliest_jdn or 0)))
    return featured + telling + best


def moving_item(rule: HolidayRule, page: DayPage, base_url: str, language: str, changed: dt.datetime) -> dict[str, Any]:
    """A moving holiday (Easter-2, 03/SunSecond) that falls on this day in ``page.year``: no
    ``year`` (it is a holiday), its page the day page, and the rule in the ``date`` extras."""
    url = f"{base_url}{page.url}"
    return {
        "text": rule.title,
        "pages": [
            page_summary(
                rule.title,
                "",
                url,
                2_000_000_000 + rule.pk,
                language,
                Revision("almanac_holidayrule", rule.pk, changed),
                base_url,
                description=rule.rule,
            )
        ],
        "date": {"rule": rule.rule, "computed_for": page.year, "display": f"{page.heading} {page.year}"},
    }


def day_feed(
    page: DayPage, base_url: str, feed_type: str = "all", today: dt.date | None = None, language: str = ""
) -> dict[str, Any]:
    """The Wikimedia-shaped document for one day (``feed_type`` all or one of :data:`TYPES`), in
    ``language`` (the collection's when empty)."""
    language = language or page.collection.language
    this_year = (today or dt.date.today()).year
    document: dict[str, Any] = {}
    people_changed: dict[int, dt.datetime] = {}  # a person's last change, found once for the document
    if feed_type in ("all", "selected"):
        document["selected"] = [
            entry_item(e, base_url, language, people_changed) for e in selected_entries(page, this_year)
        ]
    for kind, name in KIND_TYPE.items():
        if feed_type in ("all", name):
            entries = _newest_first(page.by_kind(kind))
            document[name] = [entry_item(e, base_url, language, people_changed) for e in entries]
    if "holidays" in document:
        changed = _holidays_changed(page)
        document["holidays"] += [moving_item(rule, page, base_url, language, changed) for rule in page.moving]
    return document


def _holidays_changed(page: DayPage) -> dt.datetime:
    """The day page a moving holiday links to last changed when its newest entry did; a day with
    none shows only what the collection holds, so the collection's newest entry stands for it."""
    if not page.moving:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # (not shown: no moving holiday to date)
    return max((e.updated for e in page.entries), default=None) or (
        Entry.objects.filter(membership__collection=page.collection).aggregate(Max("updated"))["updated__max"]
        or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    )


@csrf_exempt  # read-only: an unsafe method gets require_safe's 405, not the CSRF check's 403
@answers(WIKIMEDIA)
@require_safe
def onthisday_api(request: HttpRequest, feed_type: str, mm: str, dd: str, lang: str | None = None) -> HttpResponse:
    """``/api/rest_v1/feed/onthisday/{type}/{MM}/{DD}`` in Wikimedia's shape; the language from
    ``/feed/v1/wikipedia/{lang}/...`` or ``?lang=``, else the collection's."""

    if feed_type not in ("all", *TYPES):
        raise Problem(f"Unknown type {feed_type!r}; use all, {', '.join(TYPES)}", 404)
    try:
        month, number = days.parse_month_day(f"{mm}-{dd}")
    except HodieError as err:
        raise Problem(str(err), 404) from err
    slug = request.GET.get("collection")
    collections = days.all_collections()  # one statement on the bare cursor, not an ORM query built anew
    if slug:
        collection = next((c for c in collections if c.slug == slug), None)
    else:
        collection = days.default_collection(collections)
    if collection is None:
        raise Problem(f"No collection {slug!r}" if slug else "No collection yet", 404)
    year = None
    if request.GET.get("year"):
        try:
            year = int(request.GET["year"])
            if not 1 <= year <= 9999:
                raise ValueError
        except ValueError:
            raise Problem(f"year {request.GET['year']!r} is not a year from 1 to 9999") from None
    language = asked_language(lang, 404) if lang else asked_language(request.GET.get("lang"))
    language = language or collection.language
    # Each entry's item is read with the entries, stored per language (api_day_body).
    page = days.build_day(collection, month, number, year=year, line_variant=api_variant(language))
    response = HttpResponse(
        api_day_body(page, site_url(request), feed_type, language),
        content_type='application/json; charset=utf-8; profile="https://www.mediawiki.org/wiki/Specs/onthisday/0.3.3"',
    )
    return public(response, 300)


# Stored items are written with this in place of the site's address, put back per request.
SITE_MARK = "\x00hodie-site\x00"
SITE_MARK_JSON = json.dumps(SITE_MARK)[1:-1]


def api_variant(language: str) -> str:
    """The :class:`EntryLine` variant an entry's item is kept under: ``api:ru:<digest>``. Its
    ``head`` is the item's JSON with :data:`SITE_MARK` for the site's address. Dropped with the
    entry's lines (hodie/almanac/lines.py), and when an entry that shares one of its people changes
    (a person's page summary carries the time of the person's newest entry)."""
    return f"api:{language}:{code_digest(item_code('onthisday'), get_script_prefix())}"


def api_day_body(page: DayPage, site: str, feed_type: str, language: str = "") -> bytes:
    """The API's day document as sent (``hodie build`` writes all its types from one day page):
    :func:`day_feed`'s document, written as JSON, with each entry's item taken from what
    ``page`` read with its entries when it was built with :func:`api_variant` (else made now, and
    then kept). The items are joined as text: ``json.dumps`` writes a list of them the same way."""
    language = language or page.collection.language
    this_year = days.today().year
    people_changed: dict[int, dt.datetime] = {}
    fresh: list[EntryLine] = []
    variant = api_variant(language)

    def item(entry: Entry) -> str:
        stored = getattr(entry, "_line", None)
        if stored is not None:
            return stored[0]
        text = json.dumps(entry_item(entry, SITE_MARK, language, people_changed), ensure_ascii=False)
        if hasattr(entry, "_line"):  # read in the variant, and none stored yet: keep it
            fresh.append(EntryLine(entry_id=entry.pk, variant=variant, head=text, tail="", event=""))
        return text

    parts = []
    if feed_type in ("all", "selected"):
        parts.append('"selected": [' + ", ".join(item(e) for e in selected_entries(page, this_year)) + "]")
    for kind, name in KIND_TYPE.items():
        if feed_type in ("all", name):
            items = [item(e) for e in _newest_first(page.by_kind(kind))]
            if name == "holidays":
                changed = _holidays_changed(page)
                moving = [moving_item(rule, page, site, language, changed) for rule in page.moving]
                items += [json.dumps(m, ensure_ascii=False) for m in moving]
            parts.append(f'"{name}": [' + ", ".join(items) + "]")
    if fresh:
        from .lines import _store

        _store(fresh)
    body = "{" + ", ".join(parts) + "}"
    return body.replace(SITE_MARK_JSON, json.dumps(site, ensure_ascii=False)[1:-1]).encode()
