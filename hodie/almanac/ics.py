"""iCalendar subscriptions: a collection's or a tag's anniversaries as yearly events, and their views.

An anniversary that falls on one fixed Gregorian month and day is one event with a yearly RRULE;
one that moves (an Old Style date, 29 February) lists its days in RDATEs for the years asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from hodie.dates.anniversary import anniversary_dates

from . import days
from .feeds import aware
from .markup import plain_text
from .models import Collection, Entry, Tag
from .stored import code_digest, item_code
from .translations import asked_language, shown
from .web import public, site_url

ICS_YEARS_DEFAULT = 20
ICS_MAX_SPAN = 200


def calendar_ics(title: str, entries, policy: str, site: str, first: int, last: int, language: str = "en") -> bytes:
    """The whole calendar at once (for a caller that wants bytes; the views stream it)."""
    return b"".join(calendar_chunks(title, entries, policy, site, first, last, language))


def calendar_chunks(
    title: str,
    entries: Iterable[Any],
    policy: str,
    site: str,
    first: int,
    last: int,
    language: str = "en",
    keep: bool = False,
) -> Iterator[bytes]:
    """The calendar as it is written: its head, then one ``VEVENT`` per entry, then its end. Memory
    stays flat at any collection size, and a client that goes away stops the work (the server stops
    asking for the next chunk). icalendar writes a whole calendar only at once, so the head is its
    calendar without events and each event is written on its own.

    With ``keep``, each entry's event is read from what an earlier calendar stored (an
    :class:`EntryLine` of :func:`event_variant`, one query a chunk) and the missing ones are made
    and stored: writing an event through icalendar, its summary's Markdown and its address were
    four fifths of a calendar. The views keep only their default years, on a site whose address is
    configured, so that ``?from=``, ``?to=`` and the Host header cannot fill the table."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//Hodie//this day in history//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", title)
    end = b"END:VCALENDAR\r\n"
    head = cal.to_ical()
    assert head.endswith(end)
    yield head[: -len(end)]
    variant = event_variant(policy, site, first, last, language) if keep else ""
    batch: list[Any] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= 200:  # a chunk of events at a time: few writes, one read, little memory
            yield _events(batch, policy, site, first, last, language, variant)
            batch = []
    yield _events(batch, policy, site, first, last, language, variant) + end


def by_pk(entries: QuerySet[Any], cap: int, size: int = 1000) -> Iterator[Any]:
    """The first ``cap`` of ``entries`` by number, read ``size`` at a time, each chunk a query of its
    own. Not ``QuerySet.iterator()``: its cursor stays open between chunks, and the calendar streams
    a piece at a time from whichever of the server's threads is free (hodie/site/threads.py), so the
    cursor would be read from one thread on the connection another thread's next request uses."""
    after, left = 0, cap
    while left > 0:
        want = min(size, left)
        chunk = list(entries.filter(pk__gt=after).order_by("pk")[:want])
        yield from chunk
        if len(chunk) < want:
            return
        after, left = chunk[-1].pk, left - want


def event_variant(policy: str, site: str, first: int, last: int, language: str) -> str:
    """The :class:`EntryLine` variant an entry's ``VEVENT`` is kept under: ``ics:<language>:<digest>``,
    the digest of the code and of all the event's bytes depend on beside the entry (the policy, the
    site's address, the years, the leap-day setting). Dropped with the entry's lines when it is
    saved or deleted (hodie/almanac/lines.py)."""
    salt = f"{policy}|{site}|{first}|{last}|{settings.HODIE_LEAP_DAY_ON_FEB28}"
    return f"ics:{language}:{code_digest(item_code('ics'), salt)}"


def _events(entries: list[Any], policy: str, site: str, first: int, last: int, language: str, variant: str) -> bytes:
    def make(entry: Any) -> str:
        return _event(entry, policy, site, first, last, language).decode()

    if not variant or not entries:
        return "".join(make(entry) for entry in entries).encode()
    from .lines import kept_items

    kept = kept_items(entries, variant, make)
    return "".join(kept[entry.pk] for entry in entries).encode()


def _event(entry: Any, policy: str, site: str, first: int, last: int, language: str) -> bytes:
    """The entry's ``VEVENT`` (empty when it has no day in these years)."""
    from icalendar import Event

    key = entry.key_for(policy)
    if key is None:
        return b""
    effective = entry.policy or policy
    # A yearly Julian feast with no year (Theophany, XXXX-01-06 Julian) is kept on its Old Style day
    # in every year whatever the policy: its Gregorian day (19 January now) moves to 20 January in
    # 2101, so one fixed RRULE would be wrong from then on. The policy only says where a day page
    # files it; an observance (a day the editor named) stays fixed.
    yearless_julian = entry.year is None and entry.calendar == "julian" and effective != "observance"
    julian = (effective == "julian" or yearless_julian) and bool(entry.julian_key)
    dates = anniversary_dates(
        entry.julian_key if julian else key, first, last, julian=julian,
        leap_day_on_28=settings.HODIE_LEAP_DAY_ON_FEB28,
    )  # fmt: skip
    if dates == []:
        return b""
    event = Event()
    event.add("uid", f"entry-{entry.pk}@{site.split('//')[-1]}")
    title, summary = shown(entry, "title", language), shown(entry, "summary", language)
    # RFC 5545 §3.2.10: LANGUAGE names the language of a text that is not the calendar's.
    words = {"language": title.language} if title.language != language else {}
    event.add("summary", f"{entry.display_year}: {title}" if entry.display_year else title.text, parameters=words)
    event.add(
        "description",
        entry.display_date(language) + (f"\n{plain_text(summary.text)}" if summary else ""),
        parameters={"language": summary.language} if summary and summary.language != language else {},
    )
    event.add("url", f"{site}{entry.get_absolute_url()}")
    event.add("dtstamp", aware(entry.updated) if entry.updated else STAMP)
    event.add("transp", "TRANSPARENT")
    if dates is None:
        month, day = divmod(key, 100)
        event.add("dtstart", dt.date(first, month, day))
        event.add("rrule", {"freq": "yearly"})
    else:
        event.add("dtstart", dates[0])
        if len(dates) > 1:
            event.add("rdate", dates[1:])
    return event.to_ical()


STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # DTSTAMP of an entry with no time of change


def _years(request: HttpRequest) -> tuple[int, int, bool]:
    """The years asked for, and whether the calendar's events are kept: for the default years, on a
    site whose address is configured (HODIE_SITE_URL). Without it the address comes from the
    request's Host, whose port a client may vary at will: each value would be a new set of rows."""
    this_year = days.today().year
    try:
        first = int(request.GET.get("from", this_year - 1))
        last = int(request.GET.get("to", first + ICS_YEARS_DEFAULT))
    except ValueError as err:
        raise Http404("from and to are years, e.g. ?from=2026&to=2046") from err
    if not (1 <= first <= last <= 9999) or last - first > ICS_MAX_SPAN:
        raise Http404(f"Give years with from <= to and at most {ICS_MAX_SPAN} years apart")
    return first, last, "from" not in request.GET and "to" not in request.GET and bool(settings.SITE_URL)


def _not_empty(entries: Any, title: str) -> None:
    """RFC 5545 §3.6: a calendar holds at least one component; an empty one is refused by some
    clients and tells a subscriber nothing. Checked before streaming starts (a 404 cannot follow a
    first chunk); pages advertise only calendars with a day in them."""
    if not entries.filter(standard_key__isnull=False).exists():
        raise Http404(f"{title} has no entry with a day and month, so no calendar")


def _ics_response(chunks: Iterator[bytes], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    public(response, 3600)  # type: ignore[arg-type]  # it sets headers only
    return response


@require_safe
def collection_ics(request: HttpRequest, collection: str) -> StreamingHttpResponse:
    """Streamed, and capped at ``HODIE_ICS_MAX_EVENTS`` entries (the first by number): its cost
    is bounded whatever the collection's size."""
    found = get_object_or_404(Collection, slug=collection)
    first, last, keep = _years(request)
    language = asked_language(request.GET.get("lang")) or found.language
    cap = settings.HODIE_ICS_MAX_EVENTS
    entries = Entry.objects.filter(membership__collection=found)
    _not_empty(entries, found.title)
    chunks = calendar_chunks(
        shown(found, "title", language).text, by_pk(entries, cap), found.anniversary_policy,
        site_url(request), first, last, language, keep,
    )  # fmt: skip
    return _ics_response(chunks, found.slug)


@require_safe
def tag_ics(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    found = get_object_or_404(Tag, slug=slug)
    first, last, keep = _years(request)
    language = asked_language(request.GET.get("lang")) or "en"
    collection = days.default_collection()
    policy = collection.anniversary_policy if collection else "standard"
    _not_empty(found.entries.all(), f"Hodie: {found.name}")
    entries = by_pk(found.entries.all(), settings.HODIE_ICS_MAX_EVENTS)
    name = shown(found, "name", language).text
    chunks = calendar_chunks(f"Hodie: {name}", entries, policy, site_url(request), first, last, language, keep)
    return _ics_response(chunks, found.slug)
