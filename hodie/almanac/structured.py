"""Machine-readable dates: what HTML's ``<time datetime>``, microformats' ``dt-start``/``dt-end``
and schema.org's ``startDate``/``endDate`` may say about an entry's EDTF date.

These formats know one proleptic Gregorian instant of day, month or year precision, from year 1.
An EDTF date says more, and a single ISO value would say something false about it, so the value
is left out (``None``) when the date is:

- approximate or uncertain (``1380~``, ``1812?``): the ISO value would state it as certain;
- a decade, century or season (``193X``, ``1930-21``): "1930" would claim the year 1930;
- before year 1 (HTML's grammar has no BC years, and schema.org readers differ on year 0);
- without a year (``XXXX-01-06``: a yearly feast).

A day in the Julian calendar is converted to its Gregorian day, as ISO 8601 wants. A Julian month
or year keeps its label: the two calendars' months overlap by all but two weeks.
"""

from __future__ import annotations

from hodie.dates.calendars import from_jdn
from hodie.dates.model import HistoricalDate, Point

from .models import Entry


def iso_point(point: Point | None, calendar: str) -> str | None:
    if point is None or point.year is None or point.qualified or point.year < 1:
        return None
    if point.precision == "day":
        earliest, _ = point.bounds(calendar)  # type: ignore[arg-type]
        assert earliest is not None
        year, month, day = from_jdn(earliest, "gregorian")
        return f"{year:04d}-{month:02d}-{day:02d}" if year >= 1 else None
    if point.precision == "month":
        return f"{point.year:04d}-{point.month:02d}"
    if point.precision == "year":
        return f"{point.year:04d}"
    return None


def iso_bounds(date: HistoricalDate) -> tuple[str | None, str | None]:
    """(start, end): the start of a point or interval, and an interval's end. An end without a
    start is dropped too: "until 1812" is no event's start."""
    start = iso_point(date.start, date.calendar)
    if start is None:
        return None, None
    end = iso_point(date.end, date.calendar) if date.interval else None
    return start, end


def entry_iso(entry: Entry) -> tuple[str | None, str | None]:
    return iso_bounds(entry.date)
