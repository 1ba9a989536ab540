"""Where the civil calendar switched from Julian to Gregorian.

A collection names its region; a date typed without "O.S."/"N.S." is read in the calendar that
was in civil use there on that day. Each row is (last Julian day, first Gregorian day); both are
checked in tests to be consecutive days. Sources: ../shared/DOMAIN.md §1.1 (dates confirmed there
by stored sources and by convertdate).
"""

from __future__ import annotations

from dataclasses import dataclass

from .calendars import to_jdn
from .errors import InvalidDate

YMD = tuple[int, int, int]


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    # None: the region never used the Julian calendar as its civil calendar in our range
    # ("gregorian", proleptic everywhere) or never left it ("julian", e.g. a church calendar).
    last_julian: YMD | None
    first_gregorian: YMD | None
    note: str = ""

    def __post_init__(self) -> None:
        if (self.last_julian is None) != (self.first_gregorian is None):
            raise ValueError(f"Region {self.code}: give both switch days or neither")
        if self.last_julian and self.first_gregorian:
            gap = to_jdn(*self.first_gregorian, "gregorian") - to_jdn(*self.last_julian, "julian")
            if gap != 1:
                raise ValueError(f"Region {self.code}: switch days are {gap} days apart, not consecutive")

    @property
    def always_julian(self) -> bool:
        return self.code == "julian"

    def calendar_for(self, year: int, month: int, day: int) -> str:
        """The civil calendar of a day given by its label (year, month, day) in this region.

        Raises :class:`InvalidDate` for a label that fell in the skipped days.
        """
        if self.always_julian:
            return "julian"
        if self.last_julian is None or self.first_gregorian is None:
            return "gregorian"
        label = (year, month, day)
        if label <= self.last_julian:
            return "julian"
        if label >= self.first_gregorian:
            return "gregorian"
        raise InvalidDate(
            f"{day} {_MONTHS[month - 1]} {year} was skipped in {self.name}: "
            f"{_fmt(self.last_julian)} (O.S.) was followed by {_fmt(self.first_gregorian)} (N.S.). "
            "Mark the date O.S. or N.S."
        )


_MONTHS = ("January February March April May June July August September October November December").split()


def _fmt(ymd: YMD) -> str:
    return f"{ymd[2]} {_MONTHS[ymd[1] - 1]} {ymd[0]}"


_REGIONS = (
    # The convention of Wikipedia's day pages and most reference works: Julian until the reform
    # (Thu 4 October 1582), Gregorian from Fri 15 October 1582, wherever the event happened.
    Region("world", "Julian until the 1582 reform, Gregorian after", (1582, 10, 4), (1582, 10, 15)),
    Region("gregorian", "Gregorian everywhere (proleptic)", None, None),
    Region("julian", "Julian everywhere (church calendar)", None, None),
    # Papal States, Italy, Spain, Portugal, Poland-Lithuania: Thu 4 Oct 1582 -> Fri 15 Oct 1582.
    Region("it", "Italy", (1582, 10, 4), (1582, 10, 15)),
    Region("es", "Spain", (1582, 10, 4), (1582, 10, 15)),
    Region("pt", "Portugal", (1582, 10, 4), (1582, 10, 15)),
    Region("pl", "Poland-Lithuania", (1582, 10, 4), (1582, 10, 15)),
    Region("fr", "France", (1582, 12, 9), (1582, 12, 20)),
    # Duchy of Prussia: 22 Aug -> 2 Sep 1610.
    Region("prussia", "Duchy of Prussia", (1610, 8, 22), (1610, 9, 2)),
    # Protestant Germany and Denmark-Norway: Sun 18 Feb -> Mon 1 Mar 1700.
    Region("de-protestant", "Protestant Germany", (1700, 2, 18), (1700, 3, 1)),
    Region("dk", "Denmark-Norway", (1700, 2, 18), (1700, 3, 1)),
    # Great Britain, Ireland and the colonies: Wed 2 Sep -> Thu 14 Sep 1752.
    Region("gb", "Great Britain", (1752, 9, 2), (1752, 9, 14)),
    Region("us", "British North America", (1752, 9, 2), (1752, 9, 14)),
    # Sweden (with Finland): 17 Feb -> 1 Mar 1753. The "Swedish calendar" of 1700-1712, one day
    # ahead of the Julian, is not modelled: such dates must be entered with an explicit calendar.
    Region(
        "se",
        "Sweden",
        (1753, 2, 17),
        (1753, 3, 1),
        note="1700-1712 used the Swedish calendar; give those dates as Julian or Gregorian.",
    ),
    Region("al", "Albania", (1912, 11, 14), (1912, 11, 28)),
    Region("bg", "Bulgaria", (1916, 3, 31), (1916, 4, 14)),
    # Soviet Russia: Wed 31 Jan 1918 (O.S.) was followed by Thu 14 Feb 1918 (N.S.).
    Region("ru", "Russia", (1918, 1, 31), (1918, 2, 14)),
    Region("ee", "Estonia", (1918, 2, 15), (1918, 3, 1)),
    Region("transcaucasia", "Transcaucasia", (1918, 4, 17), (1918, 5, 1)),
    Region("ro", "Romania", (1919, 3, 31), (1919, 4, 14)),
    # Greece (civil calendar; the Church moved to the Revised Julian calendar in 1924).
    Region("gr", "Greece", (1923, 2, 15), (1923, 3, 1)),
)

REGIONS: dict[str, Region] = {region.code: region for region in _REGIONS}


def get_region(code: str) -> Region:
    try:
        return REGIONS[code]
    except KeyError:
        known = ", ".join(sorted(REGIONS))
        raise InvalidDate(f"Unknown region {code!r}; known regions: {known}") from None
