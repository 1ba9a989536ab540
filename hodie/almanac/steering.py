"""What editors steer by: which days of a collection are thin, what is scheduled ahead, which
round-number anniversaries are coming, which entries need a second look, and how a collection
spreads over the centuries. The charts are SVG drawn here, on the server: no script, no CDN.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from markupsafe import Markup

from hodie.dates import REGIONS, HistoricalDate, Point, format_date, format_day
from hodie.dates.calendars import to_jdn
from hodie.dates.centuries import century_label, century_of
from hodie.dates.names import EN_MONTHS, RU_MONTHS_NOMINATIVE

from .days import ALL_DAYS, day_slug
from .models import Article, Collection, Entry

ROUND_YEARS = (25, 50, 75, 100, 125, 150, 175, 200, 250, 300, 400, 500, 600, 700, 750, 800, 900, 1000)
# Words that say which calendar a typed date is in; without one, the region decided.
_EXPLICIT = re.compile(r"\b(O\.?S|N\.?S|old style|new style|julian|gregorian|ст\.?\s*ст|н\.?\s*ст)\b|\[", re.I)


@dataclass
class Cell:
    month: int
    day: int
    count: int

    @property
    def key(self) -> int:
        return self.month * 100 + self.day

    @property
    def slug(self) -> str:
        return day_slug(self.month, self.day)


def coverage(collection: Collection) -> list[Cell]:
    """The 366 days (29 February included) with the number of entries filed on each."""
    counts = dict(
        collection.membership_set.exclude(day_key=None)
        .values_list("day_key")
        .annotate(n=Count("id"))
        .values_list("day_key", "n")
    )
    return [Cell(month, day, counts.get(month * 100 + day, 0)) for month, day in ALL_DAYS]


def _shade(count: int, top: int) -> str:
    if count == 0:
        return "#c0392b"  # an empty day stands out
    steps = ("#f3e9d2", "#e3c98f", "#c9a24f", "#9c7424", "#6b4b12")
    return steps[min(len(steps) - 1, int((count / max(1, top)) * len(steps)))]


def civil_date(when: dt.date | dt.datetime, language: str) -> str:
    """A day of today's calendar (a publication time, an anniversary) as a reader writes it:
    "20 February 2027" / "20 февраля 2027 г."; a time is taken on the site's clock first."""
    day = timezone.localtime(when).date() if isinstance(when, dt.datetime) else when
    return format_date(HistoricalDate("gregorian", Point(day.year, day.month, day.day)), language)


def month_abbreviation(month: int, language: str) -> str:
    """ "Feb" / "фев": the row labels of the coverage map."""
    return (RU_MONTHS_NOMINATIVE if language == "ru" else EN_MONTHS)[month - 1][:3]


def coverage_svg(collection: Collection, cells: list[Cell], language: str = "en") -> Markup:
    """Twelve rows of days, each cell a link to its day page, coloured by how many entries it has;
    its words in the reader's interface ``language`` (the labels go through gettext)."""
    size, gap, left, top_margin = 18, 2, 44, 16
    top = max((c.count for c in cells), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="group" aria-labelledby="cov-title" class="coverage" '
        f'viewBox="0 0 {left + 31 * (size + gap)} {top_margin + 12 * (size + gap)}">',
        '<title id="cov-title">'
        + html.escape(
            gettext("Entries per day in %(collection)s: %(empty)s of 366 days empty")
            % {"collection": collection.title, "empty": sum(1 for c in cells if c.count == 0)}
        )
        + "</title>",
    ]
    for day in (1, 10, 20, 31):
        x = left + (day - 1) * (size + gap) + size / 2
        parts.append(f'<text x="{x}" y="11" text-anchor="middle" font-size="9">{day}</text>')
    for cell in cells:
        x, y = left + (cell.day - 1) * (size + gap), top_margin + (cell.month - 1) * (size + gap)
        if cell.day == 1:
            parts.append(f'<text x="0" y="{y + 13}" font-size="10">{month_abbreviation(cell.month, language)}</text>')
        count = ngettext("%(num)d entry", "%(num)d entries", cell.count) % {"num": cell.count}
        label = html.escape(f"{format_day(cell.month, cell.day, language)}: {count}")
        href = reverse("almanac:day", args=[collection.slug, cell.slug])
        parts.append(
            f'<a href="{href}" aria-label="{label}"><rect x="{x}" y="{y}" width="{size}" height="{size}" rx="2" '
            f'fill="{_shade(cell.count, top)}" data-count="{cell.count}"><title>{label}</title></rect></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above is a number or escaped


def scheduled_ahead(collection: Collection, now: dt.datetime | None = None) -> tuple[int, dt.datetime | None]:
    """How many articles of the collection are scheduled, and until when."""
    now = now or timezone.now()
    ahead = (
        Article.objects.filter(entries__collections=collection, publish_at__gt=now).exclude(status="draft").distinct()
    )
    last = ahead.order_by("-publish_at").values_list("publish_at", flat=True).first()
    return ahead.count(), last


@dataclass
class Upcoming:
    entry: Entry
    on: dt.date
    years: int


def upcoming_anniversaries(collection: Collection, today: dt.date, days: int = 30) -> list[Upcoming]:
    """Entries whose 25th, 50th, 100th... anniversary falls in the next ``days`` days, on the day
    page the collection files them on."""
    wanted: dict[int, dt.date] = {}
    for offset in range(days + 1):
        day = today + dt.timedelta(days=offset)
        wanted.setdefault(day.month * 100 + day.day, day)
    found = []
    memberships = (
        collection.membership_set.filter(day_key__in=list(wanted)).select_related("entry").exclude(entry__year=None)
    )
    for membership in memberships:
        entry, on = membership.entry, wanted[membership.day_key]  # type: ignore[index]
        years = on.year - entry.year  # type: ignore[operator]
        if entry.precision == "day" and years in ROUND_YEARS:
            found.append(Upcoming(entry, on, years))
    return sorted(found, key=lambda u: (u.on, -u.years))


@dataclass
class Flag:
    entry: Entry
    kind: str  # placeholder, calendar or source: what the editors' page counts
    reason: str


def quality_flags(collection: Collection, limit: int = 200) -> list[Flag]:
    """Entries an editor should look at again: no source; a day before the region's switch whose
    calendar the region decided, not the editor; a day on the 1st or 15th with no source (the
    placeholder trap, where a list parks a day nobody knew)."""
    region = REGIONS.get(collection.region)
    switch = to_jdn(*region.first_gregorian, "gregorian") if region and region.first_gregorian else None
    entries = (
        collection.entries.annotate(n_sources=Count("sources"))
        .filter(Q(n_sources=0) | Q(precision="day"))
        .order_by("earliest_jdn", "pk")
    )
    flags: list[Flag] = []
    for entry in entries.iterator(chunk_size=2000):
        if entry.n_sources == 0 and entry.precision == "day" and entry.edtf[8:10] in ("01", "15"):
            reason = (
                gettext("on the 1st with no source: a day put there for want of one?")
                if entry.edtf[8:10] == "01"
                else gettext("on the 15th with no source: a day put there for want of one?")
            )
            flags.append(Flag(entry, "placeholder", reason))
        elif (
            switch is not None
            and entry.precision == "day"
            and entry.earliest_jdn is not None
            and entry.earliest_jdn < switch
            and not _EXPLICIT.search(entry.date_text)
        ):
            name = region.name if region else collection.region
            reason = gettext("before the switch in %(region)s, calendar taken from the region (%(calendar)s)") % {
                "region": name,
                "calendar": gettext(entry.calendar.capitalize()),
            }
            flags.append(Flag(entry, "calendar", reason))
        elif entry.n_sources == 0:
            flags.append(Flag(entry, "source", gettext("no source")))
        if len(flags) >= limit:
            break
    return flags


def timeline(collection: Collection) -> list[tuple[int, int]]:
    """(century, entries) in order; century 20 is 1901–2000, -1 is 100 BC–1 BC."""
    counts: dict[int, int] = {}
    for year, n in collection.entries.exclude(year=None).values_list("year").annotate(n=Count("id")):
        century = century_of(year)
        counts[century] = counts.get(century, 0) + n
    return sorted(counts.items())


def timeline_svg(collection: Collection, rows: list[tuple[int, int]], language: str = "en") -> Markup:
    """A bar per century, its height the number of entries."""
    height, bar, gap = 140, 22, 6
    top = max((n for _, n in rows), default=1)
    total_width = max(1, len(rows)) * (bar + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="tl-title" class="timeline" '
        f'viewBox="0 0 {total_width} {height + 30}">',
        '<title id="tl-title">'
        + html.escape(gettext("Entries per century in %(collection)s") % {"collection": collection.title})
        + "</title>",
    ]
    for i, (century, n) in enumerate(rows):
        h = max(1.0, n / top * height)
        x = 5 + i * (bar + gap)
        parts.append(
            f'<rect x="{x}" y="{height - h:.1f}" width="{bar}" height="{h:.1f}" fill="#9c7424">'
            f"<title>{century_label(century, language)}: "
            f"{ngettext('%(num)d entry', '%(num)d entries', n) % {'num': n}}</title></rect>"
            f'<text x="{x + bar / 2}" y="{height + 12}" font-size="8" text-anchor="middle">'
            f"{century_label(century, language)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and escaped text only
