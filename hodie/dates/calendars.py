"""Julian and Gregorian calendar arithmetic on integer Julian Day Numbers.

Years are astronomical: year 0 is 1 BC, year -43 is 44 BC (the numbering EDTF uses).

Why by hand and not through convertdate at run time: convertdate returns float Julian Dates
(``x.5``) and is about ten times slower per call; importers convert millions of dates. The
formulas below are the integer ones of Richards ("Mapping Time", 1998), extended to negative
years by floor division. ``tests/dates/test_calendars.py`` checks them against convertdate
over the whole range with hypothesis.
"""

from __future__ import annotations

from typing import Literal

from .errors import InvalidDate

Calendar = Literal["gregorian", "julian"]
CALENDARS: tuple[Calendar, ...] = ("gregorian", "julian")

# Gregorian 15 October 1582, the first day of the reform (Julian 4 October 1582 came before it).
GREGORIAN_REFORM_JDN = 2299161

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap(year: int, calendar: Calendar) -> bool:
    """Whether ``year`` (astronomical) has a 29 February in ``calendar``."""
    if calendar == "julian":
        return year % 4 == 0
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_length(year: int, month: int, calendar: Calendar) -> int:
    if not 1 <= month <= 12:
        raise InvalidDate(f"There is no month {month}; months run from 1 to 12")
    if month == 2 and is_leap(year, calendar):
        return 29
    return _MONTH_DAYS[month - 1]


def validate(year: int, month: int, day: int, calendar: Calendar) -> None:
    """Raise :class:`InvalidDate` unless the day exists in ``calendar``."""
    if calendar not in CALENDARS:
        raise InvalidDate(f"Unknown calendar {calendar!r}; use 'gregorian' or 'julian'")
    length = month_length(year, month, calendar)
    if not 1 <= day <= length:
        raise InvalidDate(
            f"{calendar.capitalize()} {year:04d}-{month:02d} has {length} days, not {day}"
            + (
                " (29 February of a century year exists only in the Julian calendar)"
                if month == 2 and day == 29 and calendar == "gregorian"
                else ""
            )
        )


def to_jdn(year: int, month: int, day: int, calendar: Calendar) -> int:
    """The Julian Day Number of a day (validated)."""
    validate(year, month, day, calendar)
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    if calendar == "gregorian":
        jdn += -(y // 100) + y // 400 + 38
    return jdn


def from_jdn(jdn: int, calendar: Calendar) -> tuple[int, int, int]:
    """(year, month, day) of a Julian Day Number in ``calendar``."""
    if calendar == "gregorian":
        a = jdn + 32044
        b = (4 * a + 3) // 146097
        c = a - 146097 * b // 4
    elif calendar == "julian":
        b = 0
        c = jdn + 32082
    else:
        raise InvalidDate(f"Unknown calendar {calendar!r}; use 'gregorian' or 'julian'")
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = 100 * b + d - 4800 + m // 10
    return year, month, day


def convert(year: int, month: int, day: int, source: Calendar, target: Calendar) -> tuple[int, int, int]:
    """The same day written in another calendar."""
    return from_jdn(to_jdn(year, month, day, source), target)
