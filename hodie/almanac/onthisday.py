"""The day's content in the shape of Wikimedia's ``feed/onthisday`` responses.

``hodie day --json`` prints exactly what the API serves. Items are ``text``, ``pages`` (page
summaries of our entry and people pages), ``year`` (an integer, negative for BC; absent on
holidays), newest first, plus Hodie's ``date`` extras (EDTF, calendar, display).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hodie.dates import format_date, parse_edtf

from .days import DayPage
from .markup import plain_text
from .models import Entry, HolidayRule, Person

TYPES = ("selected", "events", "births", "deaths", "holidays")
KIND_TYPE = {"event": "events", "birth": "births", "death": "deaths", "holiday": "holidays"}
ROUND_YEARS = (1000, 500, 250, 200, 150, 100, 75, 50, 25)


def _bc_year(entry: Entry) -> int | None:
    """Wikimedia's ``year``: historical numbering, negative for BC (44 BC -> -44)."""
    if entry.year is None:
        return None
    return entry.year if entry.year > 0 else entry.year - 1


def page_summary(
    title: str, extract: str, url: str, pageid: int, language: str, description: str = ""
) -> dict[str, Any]:
    return {
        "type": "standard",
        "title": title.replace(" ", "_"),
        "displaytitle": title,
        "normalizedtitle": title,
        "titles": {"canonical": title.replace(" ", "_"), "normalized": title, "display": title},
        "namespace": {"id": 0, "text": ""},
        "pageid": pageid,
        "lang": language,
        "dir": "ltr",
        "description": description,
        "extract": extract,
        "extract_html": f"<p>{_escape(extract)}</p>" if extract else "",
        "content_urls": {"desktop": {"page": url}, "mobile": {"page": url}},
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def entry_item(entry: Entry, base_url: str, language: str) -> dict[str, Any]:
    date = parse_edtf(entry.edtf, entry.calendar)  # type: ignore[arg-type]
    pages = [
        page_summary(
            entry.title,
            plain_text(entry.summary),
            base_url + entry.get_absolute_url(),
            entry.pk,
            language,
            description=format_date(date, language),
        )
    ]
    people: list[Person] = list(entry.people.all())
    for person in people:
        pages.append(
            page_summary(
                person.name,
                plain_text(person.description),
                base_url + person.get_absolute_url(),
                1_000_000_000 + person.pk,
                language,
            )
        )
    item: dict[str, Any] = {"text": plain_text(entry.summary) or entry.title, "pages": pages}
    if entry.kind != "holiday" and _bc_year(entry) is not None:
        item["year"] = _bc_year(entry)
    item["date"] = {"edtf": entry.edtf, "calendar": entry.calendar, "display": format_date(date, language)}
    return item


def _newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.earliest_jdn is None, -(e.earliest_jdn or 0), -e.pk))


def selected_entries(page: DayPage, this_year: int) -> list[Entry]:
    """Featured entries, then those the day's articles tell, then up to five more (round-number
    anniversaries first), so that a day with entries never has an empty ``selected``."""
    candidates = [entry for entry in page.entries if entry.kind != "holiday"]
    chosen: list[Entry] = [entry for entry in candidates if entry.featured]
    told = {entry.pk for article in page.articles for entry in article.entries.all()}
    chosen += [entry for entry in candidates if entry.pk in told and entry not in chosen]
    rest = [entry for entry in candidates if entry not in chosen]

    def roundness(entry: Entry) -> int:
        if entry.year is None:
            return len(ROUND_YEARS)
        age = this_year - entry.year
        for rank, step in enumerate(ROUND_YEARS):
            if age > 0 and age % step == 0:
                return rank
        return len(ROUND_YEARS)

    rest.sort(key=lambda entry: (roundness(entry), -(entry.earliest_jdn or 0)))
    return chosen + rest[:5]


def moving_item(rule: HolidayRule, page: DayPage, base_url: str, language: str) -> dict[str, Any]:
    """A moving holiday (Easter-2, 03/SunSecond) that falls on this day in ``page.year``: no
    ``year`` (it is a holiday), its page the day page, and the rule in the ``date`` extras."""
    url = f"{base_url}{page.url}"
    return {
        "text": rule.title,
        "pages": [page_summary(rule.title, "", url, 2_000_000_000 + rule.pk, language, description=rule.rule)],
        "date": {"rule": rule.rule, "computed_for": page.year, "display": f"{page.heading} {page.year}"},
    }


def day_feed(page: DayPage, base_url: str, feed_type: str = "all", today: dt.date | None = None) -> dict[str, Any]:
    """The Wikimedia-shaped document for one day (``feed_type`` all or one of :data:`TYPES`)."""
    language = page.collection.language
    this_year = (today or dt.date.today()).year
    document: dict[str, Any] = {}
    if feed_type in ("all", "selected"):
        document["selected"] = [entry_item(e, base_url, language) for e in selected_entries(page, this_year)]
    for kind, name in KIND_TYPE.items():
        if feed_type in ("all", name):
            document[name] = [entry_item(e, base_url, language) for e in _newest_first(page.by_kind(kind))]
    if "holidays" in document:
        document["holidays"] += [moving_item(rule, page, base_url, language) for rule in page.moving]
    return document
