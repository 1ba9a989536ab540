"""Write dates as each language writes them.

English follows Wikipedia's {{OldStyleDate}}: New Style first, Old Style in square brackets,
"7 September [O.S. 26 August] 1812", with both years when they differ ("17 January 1706
[O.S. 6 January 1705]"). Russian follows {{СС}}: Old Style first, New Style in round brackets,
the month written once when it is the same ("13 (25) июля 1826", "26 августа (7 сентября) 1812").
A Julian date before the Gregorian reform (15 October 1582) has no New Style twin worth showing.
"""

from __future__ import annotations

from .calendars import GREGORIAN_REFORM_JDN, convert
from .centuries import ordinal
from .model import HistoricalDate, Point
from .names import EN_MONTHS, RU_MONTHS_GENITIVE, RU_MONTHS_NOMINATIVE, int_to_roman

LANGUAGES = ("en", "ru")


def format_year(year: int, language: str = "en") -> str:
    """Astronomical year as people write it: 1939, 44 BC / 44 до н. э."""
    if year > 0:
        return str(year)
    return f"{1 - year} BC" if language != "ru" else f"{1 - year} до н. э."


def _point(point: Point, language: str, with_year: bool = True) -> str:
    ru = language == "ru"
    if point.precision == "century":
        assert point.year is not None
        number = point.year // 100 + 1
        text = f"{int_to_roman(number)} век" if ru else f"{ordinal(number)} century"
    elif point.precision == "decade":
        text = f"{point.year}-е" if ru else f"{point.year}s"
    elif point.precision == "season":
        names = {21: ("spring", "весна"), 22: ("summer", "лето"), 23: ("autumn", "осень"), 24: ("winter", "зима")}
        assert point.season is not None and point.year is not None
        text = f"{names[point.season][ru]} {format_year(point.year, language)}"
    elif point.precision == "year":
        assert point.year is not None
        text = format_year(point.year, language)
    elif point.precision == "month":
        assert point.month is not None and point.year is not None
        month = RU_MONTHS_NOMINATIVE[point.month - 1] if ru else EN_MONTHS[point.month - 1]
        text = f"{month} {format_year(point.year, language)}"
    else:
        assert point.month is not None
        month = RU_MONTHS_GENITIVE[point.month - 1] if ru else EN_MONTHS[point.month - 1]
        text = f"{point.day} {month}"
        if with_year and point.year is not None:
            text += f" {format_year(point.year, language)}"
    if point.approximate:
        text = ("около " if ru else "c. ") + text
    if point.uncertain:
        text += "?"
    return text


def _dual_point(point: Point, language: str, old_style_first: bool = False) -> str:
    """A Julian day point after the reform, written with its Gregorian twin: New Style first by
    default (Wikipedia's and most English historians' way), Old Style first when asked, and always
    in Russian, where "26 августа (7 сентября)" is the convention."""
    assert point.year is not None and point.month is not None and point.day is not None
    g_year, g_month, g_day = convert(point.year, point.month, point.day, "julian", "gregorian")
    ru = language == "ru"
    prefix = ("около " if ru else "c. ") if point.approximate else ""
    suffix = "?" if point.uncertain else ""
    if ru:
        os_month, ns_month = RU_MONTHS_GENITIVE[point.month - 1], RU_MONTHS_GENITIVE[g_month - 1]
        if g_year != point.year:
            text = f"{point.day} {os_month} {point.year} ({g_day} {ns_month} {g_year})"
        elif g_month == point.month:
            text = f"{point.day} ({g_day}) {os_month} {point.year}"
        else:
            text = f"{point.day} {os_month} ({g_day} {ns_month}) {point.year}"
    else:
        os_month, ns_month = EN_MONTHS[point.month - 1], EN_MONTHS[g_month - 1]
        if old_style_first and g_year != point.year:
            text = f"{point.day} {os_month} {point.year} [N.S. {g_day} {ns_month} {g_year}]"
        elif old_style_first:
            text = f"{point.day} {os_month} [N.S. {g_day} {ns_month}] {point.year}"
        elif g_year != point.year:
            text = f"{g_day} {ns_month} {g_year} [O.S. {point.day} {os_month} {point.year}]"
        else:
            text = f"{g_day} {ns_month} [O.S. {point.day} {os_month}] {point.year}"
    return prefix + text + suffix


def _needs_dual(date: HistoricalDate, point: Point) -> bool:
    if date.calendar != "julian" or point.precision != "day" or point.year is None:
        return False
    jdn = date.start.bounds("julian")[0] if date.start else None
    return jdn is not None and jdn >= GREGORIAN_REFORM_JDN


def format_date(date: HistoricalDate, language: str = "en", old_style_first: bool = False) -> str:
    """The date for readers, dual-dated where it is Julian after the Gregorian reform."""
    if date.interval:
        return _format_interval(date, language, old_style_first)
    assert date.start is not None
    if _needs_dual(date, date.start):
        return _dual_point(date.start, language, old_style_first)
    text = _point(date.start, language)
    if (
        date.calendar == "julian"
        and date.start.precision in ("month", "season", "year")
        and date.start.year
        and date.start.year >= 1583
    ):
        text += " (ст. ст.)" if language == "ru" else " (O.S.)"
    return text


def _format_interval(date: HistoricalDate, language: str, old_style_first: bool = False) -> str:
    start, end = date.start, date.end
    if start is None or end is None:
        known = start or end
        assert known is not None
        text = _point(known, language)
        if language == "ru":
            return f"с {text}" if start else f"по {text}"
        return f"from {text}" if start else f"until {text}"
    if _needs_dual(date, start):
        return f"{_dual_point(start, language, old_style_first)} – {_dual_point(end, language, old_style_first)}"
    if (
        start.precision == end.precision == "day"
        and start.year == end.year
        and start.month == end.month
        and not (start.qualified or end.qualified)
    ):
        return f"{start.day}–{_point(end, language)}"
    if start.precision == end.precision == "year" and not (start.qualified or end.qualified):
        return f"{_point(start, language)}–{_point(end, language)}"
    if start.precision == end.precision == "day" and start.year == end.year:
        return f"{_point(start, language, with_year=False)} – {_point(end, language)}"
    return f"{_point(start, language)} – {_point(end, language)}"


def month_name(month: int, language: str = "en") -> str:
    """A month on its own, as a heading or a menu names it: "February" / "Февраль"."""
    return RU_MONTHS_NOMINATIVE[month - 1].capitalize() if language == "ru" else EN_MONTHS[month - 1]


def format_day(month: int, day: int, language: str = "en") -> str:
    """A day page's heading: "February 20" / "20 февраля"."""
    if language == "ru":
        return f"{day} {RU_MONTHS_GENITIVE[month - 1]}"
    return f"{EN_MONTHS[month - 1]} {day}"
