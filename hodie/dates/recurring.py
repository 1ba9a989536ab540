"""Holidays whose day moves from year to year, in the notation of BSD calendar files.

Written here because no kept library reads this notation; :mod:`convertdate.holidays` does the
Easter arithmetic (its ``church="orthodox"`` is the Julian computus, returned as a Gregorian date).

Accepted forms (month as a number or an English name; day names in English, long or short):

- ``Easter``, ``Easter-2``, ``Easter+39``: Western Easter, Gregorian computus;
- ``Paskha``, ``Paskha+39``: Orthodox Easter, Julian computus, given on the Gregorian calendar;
- ``03/SunSecond``, ``10/SundayLast``, ``Mar/MonSecond``, ``Oct/SatThird-1`` (a day before);
- ``May Sun+2`` (second Sunday of May), ``Oct Sun-1`` and ``10/Sun-1`` (last Sunday), ``SunThird Sep``.

:func:`parse_rule` gives a :class:`Rule` whose :meth:`Rule.on` says the day in a year, and whose
``canonical`` text (``Easter+39``, ``Paskha-2``, ``03/SunSecond``, ``10/SatThird-1``) is what is stored.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as _dt
import re
from dataclasses import dataclass

from convertdate import holidays as _holidays

from .errors import UnparseableDate
from .names import EN_MONTHS

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
ORDINAL_NAMES = {value: name.capitalize() for name, value in ORDINALS.items()}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Croatian calendar files write Sunday in their own language (``05/NedjeljaLast``).
_LOCAL_WEEKDAYS = {"nedjelja": 6, "ned": 6}


@dataclass(frozen=True)
class Rule:
    base: str  # "easter", "paskha" or "weekday"
    offset: int = 0
    month: int = 0
    weekday: int = 0  # Monday = 0
    ordinal: int = 0  # 1..5 from the start of the month, -1..-5 from its end

    @property
    def canonical(self) -> str:
        shift = f"{self.offset:+d}" if self.offset else ""
        if self.base == "easter":
            return f"Easter{shift}"
        if self.base == "paskha":
            return f"Paskha{shift}"
        if self.ordinal in ORDINAL_NAMES:
            return f"{self.month:02d}/{WEEKDAY_NAMES[self.weekday]}{ORDINAL_NAMES[self.ordinal]}{shift}"
        return f"{self.month:02d}/{WEEKDAY_NAMES[self.weekday]}{self.ordinal:+d}"

    def on(self, year: int) -> tuple[int, int] | None:
        """The (month, day) in Gregorian ``year``, or None when it does not occur (a fifth Sunday)."""
        if self.base in ("easter", "paskha"):
            y, m, d = _holidays.easter(year, church="orthodox" if self.base == "paskha" else None)
            day = _dt.date(y, m, d)
        else:
            found = _nth_weekday(year, self.month, self.weekday, self.ordinal)
            if found is None:
                return None
            day = found
        day += _dt.timedelta(days=self.offset)
        if day.year != year:
            return None
        return day.month, day.day


def _nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> _dt.date | None:
    days = [
        d for d in range(1, _calendar.monthrange(year, month)[1] + 1) if _dt.date(year, month, d).weekday() == weekday
    ]
    if abs(ordinal) > len(days):
        return None
    return _dt.date(year, month, days[ordinal] if ordinal < 0 else days[ordinal - 1])


def _month(text: str) -> int | None:
    if text.isascii() and text.isdigit():  # "²".isdigit() is true too
        number = int(text)
        return number if 1 <= number <= 12 else None
    key = text.lower().rstrip(".")
    for number, name in enumerate(EN_MONTHS, start=1):
        if len(key) >= 3 and name.lower().startswith(key):
            return number
    # Dutch "mei", German "Mai", French "mai" and the like: the three-letter forms that differ.
    return {"mei": 5, "mai": 5, "okt": 10, "dez": 12, "mrt": 3, "maart": 3, "juni": 6, "juli": 7}.get(key)


def _weekday(text: str) -> int | None:
    key = text.lower()
    if key in _LOCAL_WEEKDAYS:
        return _LOCAL_WEEKDAYS[key]
    for number, name in enumerate(_calendar.day_name):
        if key in (name.lower(), WEEKDAYS[number]):
            return number
    return None


_DAY = r"(?P<dow>[A-Za-zА-Яа-я]+?)"
_ORD = r"(?P<ord>First|Second|Third|Fourth|Fifth|Last)"
_SHIFT = r"(?P<shift>[+-]\d+)?"
_EASTER = re.compile(r"^(?P<name>easter|paskha)(?P<shift>[+-]\d+)?$", re.IGNORECASE)
_MONTH_SLASH_ORD = re.compile(rf"^(?P<month>\w+)/{_DAY}{_ORD}{_SHIFT}$", re.IGNORECASE)
_MONTH_SLASH_NUM = re.compile(r"^(?P<month>\w+)/(?P<dow>[A-Za-z]+)(?P<n>[+-]\d)$")
_MONTH_SPACE_NUM = re.compile(r"^(?P<month>[A-Za-z]+)\.?\s+(?P<dow>[A-Za-z]+)(?P<n>[+-]\d)$")
_MONTH_SLASH_ORD_FIRST = re.compile(rf"^(?P<month>\w+)/{_ORD}(?P<dow>[A-Za-z]+){_SHIFT}$", re.IGNORECASE)
_ORD_SPACE_MONTH = re.compile(rf"^{_DAY}{_ORD}\s+(?P<month>[A-Za-z]+)$", re.IGNORECASE)


def parse_rule(text: str, aliases: dict[str, str] | None = None) -> Rule:
    """Read a moving-holiday rule; ``aliases`` maps a file's own names (``Пасха``) to ``Paskha``/``Easter``."""
    raw = text.strip()
    for local, standard in (aliases or {}).items():
        if raw.lower().startswith(local.lower()):
            raw = standard + raw[len(local) :]
            break
    if match := _EASTER.match(raw):
        shift = int(match["shift"] or 0)
        return Rule(match["name"].lower(), shift)
    for pattern in (_MONTH_SLASH_ORD, _MONTH_SLASH_ORD_FIRST, _ORD_SPACE_MONTH):
        if match := pattern.match(raw):
            month, weekday = _month(match["month"]), _weekday(match["dow"])
            if month is None or weekday is None:
                break
            shift = int(match.groupdict().get("shift") or 0)
            return Rule("weekday", shift, month, weekday, ORDINALS[match["ord"].lower()])
    for pattern in (_MONTH_SLASH_NUM, _MONTH_SPACE_NUM):
        if match := pattern.match(raw):
            month, weekday, n = _month(match["month"]), _weekday(match["dow"]), int(match["n"])
            if month is None or weekday is None or n == 0 or abs(n) > 5:
                break
            return Rule("weekday", 0, month, weekday, n)
    raise UnparseableDate(
        f"{text.strip()!r} is not a rule Hodie reads (Easter±N, Paskha±N, MM/DowOrdinal, 'Mon Dow+N')"
    )
