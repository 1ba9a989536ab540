"""Centuries, numbered as people number them: there is no century 0.

Century 19 is 1801-1900, century 1 is AD 1-100 and century -1 is 100 BC-1 BC. Years are
astronomical (year 0 is 1 BC), so century -1 holds years -99..0 and century -2 years -199..-100.
The API's filter, the search's filter and the editors' timeline all count this one way.
"""

from __future__ import annotations

from .calendars import Calendar, to_jdn
from .errors import InvalidDate
from .names import int_to_roman


def century_of(year: int) -> int:
    """The century an astronomical year falls in (1900 -> 19, 1901 -> 20, 0 -> -1, -100 -> -2)."""
    return (year - 1) // 100 + 1 if year > 0 else -((-year) // 100 + 1)


def century_years(century: int) -> tuple[int, int]:
    """The first and last astronomical year of a century (-1 -> (-99, 0))."""
    if century == 0:
        raise InvalidDate("There is no century 0: 1 is the first century AD, -1 the first BC")
    if century > 0:
        return (century - 1) * 100 + 1, century * 100
    return century * 100 + 1, (century + 1) * 100


def century_jdn_bounds(century: int) -> tuple[int, int]:
    """The Julian Day Numbers of a century's first and last day, both read in one calendar: the
    Julian for a century that ended before the Gregorian reform of 1582, the Gregorian from the
    16th century on."""
    first, last = century_years(century)
    calendar: Calendar = "julian" if last < 1583 else "gregorian"
    return to_jdn(first, 1, 1, calendar), to_jdn(last, 12, 31, calendar)


def ordinal(number: int) -> str:
    """An English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 111th."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def century_label(century: int, language: str = "en") -> str:
    """A century's short name on a chart: 19th, 1c BC; XIX в., I в. до н. э. in Russian."""
    if language == "ru":
        return f"{int_to_roman(abs(century))} в." + (" до н. э." if century < 0 else "")
    if century < 0:
        return f"{-century}c BC"
    return ordinal(century)
