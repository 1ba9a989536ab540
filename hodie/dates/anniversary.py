"""On which day page an entry belongs.

Policies (chosen per collection, overridable per entry):

* ``standard`` (Wikipedia's day pages): a Julian date before 15 October 1582 keeps its Julian
  month and day (Battle on the Ice, 5 April 1242 -> 5 April); a Julian date from then on is
  filed under its Gregorian equivalent (Borodino, 26 August 1812 O.S. -> 7 September). A
  Gregorian date is filed under itself.
* ``julian``: the Old Style label (church feasts: 26 August).
* ``observance``: a day the editor names (Russia's 1995 law observes Borodino on 8 September);
  without one, the standard day.

Only day-precision dates have a day; an interval is filed under its start. A Julian date whose
year is unknown (a recurring church feast) has no fixed Gregorian day: under ``standard`` it is
filed under its Gregorian equivalent in ``reference_year``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, NamedTuple, Protocol

from .calendars import GREGORIAN_REFORM_JDN, convert, from_jdn, is_leap, month_length, to_jdn
from .errors import InvalidDate
from .model import HistoricalDate

Policy = Literal["standard", "julian", "observance"]
POLICIES: tuple[Policy, ...] = ("standard", "julian", "observance")

MonthDay = tuple[int, int]


@dataclass(frozen=True)
class Anniversaries:
    """Every candidate day of one date (None where the date has no day)."""

    standard: MonthDay | None
    julian: MonthDay | None
    gregorian: MonthDay | None
    observance: MonthDay | None

    def for_policy(self, policy: Policy) -> MonthDay | None:
        if policy == "julian":
            return self.julian
        if policy == "observance":
            return self.observance or self.standard
        if policy == "standard":
            return self.standard
        raise InvalidDate(f"Unknown anniversary policy {policy!r}; use one of {', '.join(POLICIES)}")


def check_month_day(month: int, day: int) -> MonthDay:
    """Validate a (month, day) pair as a day page: 29 February exists, 30 February does not."""
    if not 1 <= month <= 12:
        raise InvalidDate(f"There is no month {month}")
    # 2000 is a leap year in both calendars, so its February has the 29th a day page needs.
    if not 1 <= day <= month_length(2000, month, "gregorian"):
        raise InvalidDate(f"There is no day {month:02d}-{day:02d} in any year")
    return month, day


def anniversaries(
    date: HistoricalDate, observance: MonthDay | None = None, reference_year: int = 2000
) -> Anniversaries:
    if observance is not None:
        check_month_day(*observance)
    point = date.first
    if point is None or point.precision != "day":
        return Anniversaries(None, None, None, observance)
    assert point.month is not None and point.day is not None
    label = (point.month, point.day)
    year = point.year if point.year is not None else reference_year
    if date.calendar == "gregorian":
        gregorian = label
        julian: MonthDay | None
        if point.year is None:
            julian = convert(reference_year, *label, "gregorian", "julian")[1:]
        else:
            julian = convert(year, *label, "gregorian", "julian")[1:]
        return Anniversaries(label, julian, gregorian, observance)
    # Julian. A Julian-only day (29 February 1900) converts to a real Gregorian day (13 March).
    if point.year is None and point.day == 29 and point.month == 2 and not is_leap(year, "julian"):
        year = reference_year - reference_year % 4
    gregorian = convert(year, *label, "julian", "gregorian")[1:]
    before_reform = point.year is not None and to_jdn(year, *label, "julian") < GREGORIAN_REFORM_JDN
    standard = label if before_reform else gregorian
    return Anniversaries(standard, label, gregorian, observance)


def day_key(month_day: MonthDay | None) -> int | None:
    """An integer index key, month * 100 + day (220 for 20 February)."""
    return None if month_day is None else month_day[0] * 100 + month_day[1]


class Filing(NamedTuple):
    """What is stored beside a date so that queries are integer comparisons: its precision, its
    Julian Day Number bounds, its year and its day key under each policy (``day_key`` values)."""

    precision: str
    earliest: int | None
    latest: int | None
    year: int | None
    standard_key: int | None
    julian_key: int | None
    observance_key: int | None


class FilingKeys(Protocol):
    """What carries a day key for each policy: a :class:`Filing`, or an entry that stored one."""

    @property
    def standard_key(self) -> int | None: ...
    @property
    def julian_key(self) -> int | None: ...
    @property
    def observance_key(self) -> int | None: ...


def filing_key(keys: FilingKeys, policy: str) -> int | None:
    """The day key (``day_key`` value) that ``keys`` is filed under by ``policy``: the one
    definition the models and the import writer share."""
    if policy == "standard":
        return keys.standard_key
    if policy == "julian":
        return keys.julian_key
    if policy == "observance":
        return keys.observance_key
    raise ValueError(f"Unknown anniversary policy {policy!r}; use one of {', '.join(POLICIES)}")


def filing(date: HistoricalDate, observance: MonthDay | None = None) -> Filing:
    """The stored columns of ``date``. The year of a Julian day after the reform is the Gregorian
    one (17 January 1706 [O.S. 6 January 1705] belongs to 1706).

    A day with a known year, nearly every entry, is worked out from its one Julian Day Number;
    ``tests/dates/test_anniversary.py`` checks that the answer is :func:`anniversaries`' on
    every kind of date."""
    point = date.first
    precision = point.precision if point else (date.end.precision if date.end else "")
    earliest, latest = date.earliest, date.latest
    year = date.year
    if point is None or point.precision != "day" or point.year is None or earliest is None:
        if date.calendar == "julian" and date.is_day and (earliest or 0) >= GREGORIAN_REFORM_JDN:
            year = date.in_calendar("gregorian").year
        keys = anniversaries(date, observance)
        return Filing(precision, earliest, latest, year, day_key(keys.standard), day_key(keys.julian),
                      day_key(keys.observance or keys.standard))  # fmt: skip
    if observance is not None:
        check_month_day(*observance)
    label = point.month * 100 + point.day  # type: ignore[operator]
    if date.calendar == "gregorian":
        _, month, day = from_jdn(earliest, "julian")
        standard, julian = label, month * 100 + day
    else:
        gregorian_year, month, day = from_jdn(earliest, "gregorian")
        julian = label
        if earliest >= GREGORIAN_REFORM_JDN:
            year, standard = gregorian_year, month * 100 + day
        else:
            standard = label
    chosen = observance[0] * 100 + observance[1] if observance else standard
    return Filing(precision, earliest, latest, year, standard, julian, chosen)


def anniversary_dates(
    key: int, first: int, last: int, julian: bool = False, leap_day_on_28: bool = True
) -> list[dt.date] | None:
    """The Gregorian days a day page's anniversary (``key``, a :func:`day_key`) falls on in the
    years ``first..last``, or None when a yearly repetition of one fixed month and day says exactly
    the same (what a calendar feed writes as a yearly RRULE).

    ``julian``: the key is an Old Style label, which moves against the Gregorian calendar (13 days
    now, 14 from 1 March 2100), so each year's day is worked out. 29 February falls on 28 February
    in common years when ``leap_day_on_28``, and is left out of them otherwise."""
    month, day = divmod(key, 100)
    check_month_day(month, day)
    if julian:
        found = set()
        for year in range(first, last + 1):
            # The Old Style label of a Gregorian year's day may carry the year before or after.
            for label_year in (year - 1, year, year + 1):
                if (month, day) == (2, 29) and not is_leap(label_year, "julian"):
                    continue
                y, m, d = from_jdn(to_jdn(label_year, month, day, "julian"), "gregorian")
                if y == year:
                    found.add(dt.date(y, m, d))
        return sorted(found)
    if (month, day) == (2, 29):
        return [
            dt.date(y, 2, 29) if is_leap(y, "gregorian") else dt.date(y, 2, 28)
            for y in range(first, last + 1)
            if is_leap(y, "gregorian") or leap_day_on_28
        ]
    return None
