"""EDTF (Extended Date/Time Format, ISO 8601-2) levels 0 and 1: parse and format.

Why not the ``edtf`` package: it is slow for bulk imports, and its natural-language front end
mis-reads "44 BC" and "night of 20-21 February 1939" (../shared/DOMAIN.md). The grammar of
levels 0 and 1 is small enough to hold here in full:

* level 0: ``1985``, ``1985-04``, ``1985-04-12``, ``1985-04-12T23:20:30`` (the time is dropped:
  day pages have no time of day), ``1964/2008``;
* level 1: ``Y170000002`` / ``Y-170000002``, seasons ``2001-21``..``2001-24``, qualifiers
  ``?`` ``~`` ``%`` after a date, unspecified digits ``201X`` ``20XX`` ``2004-XX``
  ``1985-04-XX`` ``1985-XX-XX``, open and unknown interval ends ``../1985``, ``1985/``, and
  negative years (``-0043`` is 44 BC: year 0 is 1 BC).

Hodie also reads ``XXXX-MM-DD`` (a day whose year is unknown, EDTF level 2's unspecified year),
which recurring holidays and BSD calendar lines need.
"""

from __future__ import annotations

import re

from .calendars import Calendar
from .errors import InvalidDate, UnparseableDate
from .model import HistoricalDate, Point

EXAMPLE = "1939-02-20, 1939-02, 1380~, 1938-11?, -0043-03-15 or 1939-02-20/1939-02-21"

_POINT = re.compile(
    r"""^(?:
        Y(?P<bigyear>-?\d{5,})                       # level 1 long year
      | (?P<year>-?[\dX]{4})
        (?:-(?P<month>[\dX]{2})(?:-(?P<day>[\dX]{2})(?:T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?
    )(?P<qual>[?~%])?$""",
    re.VERBOSE,
)


def _point(text: str, source: str) -> Point:
    match = _POINT.match(text)
    if not match:
        raise UnparseableDate(f"Could not read {source!r} as EDTF; try {EXAMPLE}")
    qual = match["qual"] or ""
    approximate, uncertain = qual in "~%" and bool(qual), qual in "?%" and bool(qual)
    if match["bigyear"]:
        return Point(int(match["bigyear"]), precision="year", approximate=approximate, uncertain=uncertain)
    ytext, mtext, dtext = match["year"], match["month"], match["day"]
    negative = ytext.startswith("-")
    digits = ytext.lstrip("-")
    if "X" in digits:
        if negative:
            raise UnparseableDate(f"Could not read {source!r}: unspecified digits in a BCE year are not supported")
        if digits == "XXXX":
            if not (mtext and dtext and "X" not in mtext + dtext):
                raise UnparseableDate(
                    f"Could not read {source!r}: a date whose year is unknown needs month and day, as XXXX-02-23"
                )
            month, day = int(mtext), int(dtext)
            return Point(None, month, day, "day", approximate=approximate, uncertain=uncertain)
        if mtext:
            raise UnparseableDate(f"Could not read {source!r}: a decade or century has no month")
        if re.fullmatch(r"\d{3}X", digits):
            return Point(int(digits[:3]) * 10, precision="decade", approximate=approximate, uncertain=uncertain)
        if re.fullmatch(r"\d{2}XX", digits):
            return Point(int(digits[:2]) * 100, precision="century", approximate=approximate, uncertain=uncertain)
        raise UnparseableDate(f"Could not read {source!r}: only 193X (decade) and 19XX (century) are supported")
    year = int(ytext)
    if not mtext or mtext == "XX":
        if dtext and dtext != "XX":
            raise UnparseableDate(f"Could not read {source!r}: a day needs a month")
        return Point(year, precision="year", approximate=approximate, uncertain=uncertain)
    if "X" in mtext:
        raise UnparseableDate(f"Could not read {source!r}: a month is either known (04) or XX")
    month = int(mtext)
    if 21 <= month <= 24 and not dtext:
        return Point(year, precision="season", season=month, approximate=approximate, uncertain=uncertain)
    if not dtext or dtext == "XX":
        return Point(year, month, precision="month", approximate=approximate, uncertain=uncertain)
    if "X" in dtext:
        raise UnparseableDate(f"Could not read {source!r}: a day is either known (12) or XX")
    return Point(year, month, int(dtext), "day", approximate=approximate, uncertain=uncertain)


def parse_edtf(text: str, calendar: Calendar = "gregorian") -> HistoricalDate:
    """Read an EDTF level 0/1 string. The calendar is not part of EDTF; it is given separately."""
    source = text
    text = text.strip()
    if not text:
        raise UnparseableDate(f"Could not read an empty date; try {EXAMPLE}")
    try:
        if "/" not in text:
            return HistoricalDate(calendar, _point(text, source))
        left, _, right = text.partition("/")
        if "/" in right:
            raise UnparseableDate(f"Could not read {source!r}: an interval has one '/'")
        start = None if left in ("", "..") else _point(left, source)
        end = None if right in ("", "..") else _point(right, source)
        return HistoricalDate(calendar, start, end, interval=True, open_start=left == "..", open_end=right == "..")
    except InvalidDate as err:
        if isinstance(err, UnparseableDate):
            raise
        raise InvalidDate(f"{source!r} is not a real date: {err}") from err


def _year(year: int) -> str:
    if abs(year) > 9999:
        return f"Y{year}"
    return f"-{abs(year):04d}" if year < 0 else f"{year:04d}"


def format_point(point: Point) -> str:
    qual = (
        "%" if point.approximate and point.uncertain else "~" if point.approximate else "?" if point.uncertain else ""
    )
    if point.year is None:
        return f"XXXX-{point.month:02d}-{point.day:02d}{qual}"
    if point.precision == "decade":
        return f"{point.year // 10:03d}X{qual}"
    if point.precision == "century":
        return f"{point.year // 100:02d}XX{qual}"
    text = _year(point.year)
    if point.precision == "season":
        text += f"-{point.season}"
    elif point.precision in ("month", "day"):
        text += f"-{point.month:02d}"
        if point.precision == "day":
            text += f"-{point.day:02d}"
    return text + qual


def format_edtf(date: HistoricalDate) -> str:
    if not date.interval:
        assert date.start is not None
        return format_point(date.start)
    left = format_point(date.start) if date.start else (".." if date.open_start else "")
    right = format_point(date.end) if date.end else (".." if date.open_end else "")
    return f"{left}/{right}"
