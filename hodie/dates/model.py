"""Value objects for historical dates.

A :class:`HistoricalDate` is what a source says, in the calendar it says it in: an EDTF-shaped
point or interval plus the calendar (``julian`` or ``gregorian``). It never holds a
``datetime.date``: that type has no BCE years, no year 0 and no Julian 29 February 1900.
Integer Julian Day Number bounds (earliest, latest) make sorting and range queries plain
integer comparisons (the idea of python-edtf's stored bounds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .calendars import CALENDARS, Calendar, convert, month_length, to_jdn, validate
from .errors import InvalidDate

Precision = Literal["day", "month", "season", "year", "decade", "century"]
PRECISIONS: tuple[Precision, ...] = ("day", "month", "season", "year", "decade", "century")

# EDTF level 1 seasons (21 spring .. 24 winter), read as northern-hemisphere quarters.
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}


@dataclass(frozen=True)
class Point:
    """One date of a given precision. ``year`` is astronomical; ``None`` means unknown (``XXXX``).

    For ``decade`` the year is the decade's first year (1930 for ``193X``), for ``century`` the
    century's first year in EDTF's sense (1900 for ``19XX``).
    """

    year: int | None
    month: int | None = None
    day: int | None = None
    precision: Precision = "day"
    season: int | None = None
    approximate: bool = False
    uncertain: bool = False

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise InvalidDate(f"Unknown precision {self.precision!r}")
        wants_month = self.precision in ("day", "month")
        if wants_month != (self.month is not None):
            raise InvalidDate(f"A {self.precision}-precision date {'needs' if wants_month else 'has no'} month")
        if (self.precision == "day") != (self.day is not None):
            raise InvalidDate(
                f"A {self.precision}-precision date {'needs' if self.precision == 'day' else 'has no'} day"
            )
        if (self.precision == "season") != (self.season is not None):
            raise InvalidDate("A season needs a season number (21-24) and nothing else")
        if self.season is not None and self.season not in SEASON_MONTHS:
            raise InvalidDate(f"There is no season {self.season}; EDTF seasons are 21-24")
        if self.year is None and self.precision != "day":
            raise InvalidDate("Only a day and month may stand without a year (XXXX-MM-DD)")
        if self.precision == "decade" and self.year is not None and self.year % 10:
            raise InvalidDate(f"A decade starts on a year divisible by 10, not {self.year}")
        if self.precision == "century" and self.year is not None and self.year % 100:
            raise InvalidDate(f"A century starts on a year divisible by 100, not {self.year}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise InvalidDate(f"There is no month {self.month}; months run from 1 to 12")

    def validate_in(self, calendar: Calendar) -> None:
        if self.precision == "day":
            assert self.month is not None and self.day is not None
            # A day without a year is valid when it exists in a leap year (29 February).
            validate(self.year if self.year is not None else 2000, self.month, self.day, calendar)

    def bounds(self, calendar: Calendar) -> tuple[int | None, int | None]:
        """(earliest, latest) Julian Day Numbers the point may denote; ``None`` when the year is unknown."""
        if self.year is None:
            return None, None
        y = self.year
        if self.precision == "day":
            assert self.month is not None and self.day is not None
            jdn = to_jdn(y, self.month, self.day, calendar)
            return jdn, jdn
        if self.precision == "month":
            assert self.month is not None
            return (
                to_jdn(y, self.month, 1, calendar),
                to_jdn(y, self.month, month_length(y, self.month, calendar), calendar),
            )
        if self.precision == "season":
            assert self.season is not None
            first, last = SEASON_MONTHS[self.season]
            last_year = y + 1 if last < first else y
            return (
                to_jdn(y, first, 1, calendar),
                to_jdn(last_year, last, month_length(last_year, last, calendar), calendar),
            )
        span = {"year": 1, "decade": 10, "century": 100}[self.precision]
        return to_jdn(y, 1, 1, calendar), to_jdn(y + span - 1, 12, 31, calendar)

    @property
    def qualified(self) -> bool:
        return self.approximate or self.uncertain


@dataclass(frozen=True)
class HistoricalDate:
    """A point or an interval, in one calendar.

    An interval's ``start`` or ``end`` is ``None`` when that end is open (``..``) or unknown
    (empty in EDTF); ``open_start``/``open_end`` tell which.
    """

    calendar: Calendar
    start: Point | None
    end: Point | None = None
    interval: bool = False
    open_start: bool = False
    open_end: bool = False

    def __post_init__(self) -> None:
        if self.calendar not in CALENDARS:
            raise InvalidDate(f"Unknown calendar {self.calendar!r}; use 'gregorian' or 'julian'")
        if not self.interval:
            if self.start is None or self.end is not None:
                raise InvalidDate("A single date has a start and no end")
        elif self.start is None and self.end is None:
            raise InvalidDate("An interval needs at least one known end")
        for point in (self.start, self.end):
            if point is not None:
                point.validate_in(self.calendar)
        # The bounds are worked out once, here (the value is frozen): an import asks for each
        # several times a date. They are not fields, so equality and hashing ignore them.
        first = self.start.bounds(self.calendar) if self.start else (None, None)
        last_point = self.end if self.interval else self.start
        last = first if last_point is self.start else last_point.bounds(self.calendar) if last_point else (None, None)
        if self.interval and first[0] is not None and last[1] is not None and first[0] > last[1]:
            raise InvalidDate("An interval cannot end before it starts")
        object.__setattr__(self, "_bounds", (first[0], last[1]))

    # ----------------------------------------------------------------- derived values
    @property
    def earliest(self) -> int | None:
        return self._bounds[0]  # type: ignore[attr-defined,no-any-return]

    @property
    def latest(self) -> int | None:
        return self._bounds[1]  # type: ignore[attr-defined,no-any-return]

    @property
    def first(self) -> Point | None:
        """The point a day page files the date under: the start of an interval."""
        return self.start

    @property
    def is_day(self) -> bool:
        """Whether the date names a month and day, so that it can appear on a day page."""
        return self.start is not None and self.start.precision == "day"

    @property
    def year(self) -> int | None:
        """Astronomical year of the (start) point, in its own calendar."""
        return self.start.year if self.start else None

    @property
    def edtf(self) -> str:
        from .edtf import format_edtf

        return format_edtf(self)

    def in_calendar(self, calendar: Calendar) -> HistoricalDate:
        """The same date written in another calendar (day precision only; others keep their labels)."""
        if calendar == self.calendar:
            return self

        def move(point: Point | None) -> Point | None:
            if point is None or point.precision != "day" or point.year is None:
                return point
            assert point.month is not None and point.day is not None
            y, m, d = convert(point.year, point.month, point.day, self.calendar, calendar)
            return Point(y, m, d, "day", None, point.approximate, point.uncertain)

        return HistoricalDate(calendar, move(self.start), move(self.end), self.interval, self.open_start, self.open_end)

    def __str__(self) -> str:
        return f"{self.edtf} ({self.calendar})"
