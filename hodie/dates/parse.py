"""Read dates as editors type them, in English and Russian, without inventing missing parts.

``parse_date("26 августа 1812", region="ru")`` is Julian 26 August 1812; ``"1380"`` stays a year;
``"20 February"`` is a day whose year is unknown. Anything unreadable raises
:class:`UnparseableDate` quoting the input and showing accepted forms.

Why by hand: dateparser and dateutil guess (they fill a missing day with today's, read "44 BC" as
year 44 AD and know nothing of Old Style), and the ``edtf`` package's text front end mis-reads
"44 BC" and "night of 20-21 February 1939". Guessing is exactly what Hodie must not do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .calendars import Calendar, to_jdn
from .edtf import parse_edtf
from .errors import InconsistentDate, InvalidDate, UnparseableDate
from .model import HistoricalDate, Point, Precision
from .names import EN_MONTHS, MONTH_WORDS, roman_to_int
from .regions import get_region

ACCEPTED = (
    "20 February 1939, Feb 20, 1939, 20.02.1939, 1939-02-20, 26 August 1812 O.S., "
    "7 September [O.S. 26 August] 1812, 26 августа 1812, c. 1380, 44 BC"
)

_OS = (
    r"(?:O\.\s?S\.?|\bOS\b|[Oo]ld [Ss]tyle|\b[Jj]ulian\b"
    r"|ст\.\s?ст\.?|по\s+ст(?:арому|\.)\s?ст(?:илю|\.)?|по юлианскому календарю)"
)
_NS = (
    r"(?:N\.\s?S\.?|\bNS\b|[Nn]ew [Ss]tyle|\b[Gg]regorian\b"
    r"|н\.\s?ст\.?|по\s+нов(?:ому|\.)\s?ст(?:илю|\.)?|по григорианскому календарю)"
)
_MARKER = re.compile(rf"\(?\s*(?:(?P<os>{_OS})|(?P<ns>{_NS}))\s*\)?")
_BC = re.compile(r"(?<!\w)(?:B\.?\s?C\.?(?:\s?E\.?)?|до\s?н\.\s?э\.?|до нашей эры)(?!\w)", re.IGNORECASE)
_AD = re.compile(r"(?<!\w)(?:A\.\s?D\.?|AD|C\.E\.|CE|н\.\s?э\.|нашей эры)(?!\w)")
_APPROX = re.compile(
    r"^(?:on or about|c\.|ca\.|circa|c(?=\s)|about|around|approximately|approx\."
    r"|около|ок\.|примерно|приблизительно)\s*",
    re.IGNORECASE,
)
_YEAR_WORD = re.compile(r"(?<=\d)\s*(?:г\.|гг\.|года|год)(?!\w)")
_NIGHT_EN = re.compile(r"^(?:the\s+)?night\s+of\s+(?:the\s+)?", re.IGNORECASE)
_NIGHT_RU = re.compile(
    r"^в\s+ночь\s+с\s+(?P<a>\d{1,2})(?:\s+(?P<am>[^\d\s]+))?\s+на\s+(?P<rest>\d{1,2}\s.*)$", re.IGNORECASE
)
_BRACKET = re.compile(r"[\[(](?P<inner>[^\])]*\d[^\])]*)[\])]")
_EDTF_LIKE = re.compile(r"^(?:\.\.|[-Y\dX])[-\dX~?%/.:TZ+]*$")
_MONTH = r"(?P<{}>[^\W\d_]+\.?)"
# The two forms nearly every file uses, "1939-02-20" and "20 February 1939", are read directly
# (see _common); everything else, and any doubt, goes through the full reading.
_ISO_DAY = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*", re.ASCII)
_WRITTEN_DAY = re.compile(r"\s*([0-9]{1,2}) +([^\W\d_]+) +([0-9]{3,4})\s*")


@dataclass
class _Parts:
    year: int | None
    month: int | None = None
    day: int | None = None
    precision: Precision = "day"

    def point(self, approximate: bool = False, uncertain: bool = False) -> Point:
        return Point(self.year, self.month, self.day, self.precision, None, approximate, uncertain)


def _fail(source: str, why: str = "") -> UnparseableDate:
    reason = f" ({why})" if why else ""
    return UnparseableDate(f"Could not read {source!r} as a date{reason}; try {ACCEPTED}")


def _month(word: str | None, source: str) -> int:
    if word is None:
        raise _fail(source)
    number = MONTH_WORDS.get(word.lower().rstrip("."))
    if number is None:
        raise _fail(source, f"{word!r} is not a month name")
    return number


def _year(text: str, bc: bool, era: bool, source: str) -> int:
    if len(text) < 3 and not era:
        raise _fail(source, "write the year in full (1939), or with its era (44 BC, AD 33)")
    year = int(text)
    if year == 0:
        raise InvalidDate(f"{source!r}: there is no year 0 in BC/AD counting (1 BC is followed by AD 1)")
    return 1 - year if bc else year


_SIMPLE_FORMS = [
    # 1930s, 1930-е, 1930-х
    (re.compile(r"^(?P<dec>\d{2,3}0)(?:s|'s|-е|-х|-e)$"), "decade"),
    # 19th century, XIX век, XIX в.
    (re.compile(r"^(?P<cent>\d{1,2})(?:st|nd|rd|th)\s+century$", re.IGNORECASE), "century"),
    (re.compile(r"^(?P<roman>[IVXLC]+)\s+(?:век|в\.?|века|веке|century)$", re.IGNORECASE), "century"),
    # 20.02.1939
    (re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{1,5})$"), "dmy"),
    # 20 February 1939, 20th of February 1939, 26 августа 1812
    (
        re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.format("mw") + r",?\s+(?P<y>\d{1,5})$"),
        "dmy",
    ),
    # Feb 20, 1939 / February 20th 1939
    (re.compile(r"^" + _MONTH.format("mw") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{1,5})$"), "dmy"),
    # 20 February (year unknown)
    (re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.format("mw") + r"$"), "dm"),
    (re.compile(r"^" + _MONTH.format("mw") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?$"), "dm"),
    # February 1939, февраль 1939
    (re.compile(r"^" + _MONTH.format("mw") + r",?\s+(?P<y>\d{1,5})$"), "my"),
    # 1939
    (re.compile(r"^(?P<y>\d{1,5})$"), "y"),
]


def _simple(text: str, source: str, bc: bool, era: bool) -> _Parts:
    text = text.strip().strip(",").strip()
    for pattern, form in _SIMPLE_FORMS:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        if form == "decade":
            return _Parts(int(groups["dec"]), precision="decade")
        if form == "century":
            number = int(groups["cent"]) if groups.get("cent") else roman_to_int(groups["roman"])
            if not number:
                raise _fail(source)
            # "19th century" is read as the 1800s (EDTF 18XX), as most editors mean it.
            return _Parts((number - 1) * 100, precision="century")
        if "mw" in groups:
            month = _month(groups["mw"], source)
        elif "m" in groups:
            month = int(groups["m"])
        else:
            month = None
        year = _year(groups["y"], bc, era, source) if groups.get("y") else None
        day = int(groups["d"]) if groups.get("d") else None
        if form == "dm" and bc:
            raise _fail(source, "a BC date needs its year")
        precision: Precision = "day" if day else "month" if month else "year"
        return _Parts(year, month, day, precision)
    raise _fail(source)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = text.replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _resolve_calendar(start: _Parts | None, region: str) -> Calendar:
    area = get_region(region)
    if area.always_julian:
        return "julian"
    if start is None or start.year is None or area.last_julian is None:
        return "gregorian"
    if start.precision == "day":
        assert start.month is not None and start.day is not None
        return "julian" if area.calendar_for(start.year, start.month, start.day) == "julian" else "gregorian"
    # A month, year, decade or century is read in the calendar in force when it began.
    return "julian" if (start.year, start.month or 1, 1) <= area.last_julian else "gregorian"


def _dual(outer_text: str, inner_text: str, source: str) -> HistoricalDate:
    """ "7 September [O.S. 26 August] 1812", "26 августа (7 сентября) 1812", "13 (25) июля 1826"."""
    label = None
    marker = _MARKER.search(inner_text)
    if marker:
        label = "julian" if marker["os"] else "gregorian"
        inner_text = (inner_text[: marker.start()] + " " + inner_text[marker.end() :]).strip()
    outer = _simple(outer_text, source, False, False)
    if outer.precision != "day" or outer.year is None:
        raise _fail(source, "a dual date needs day, month and year")
    inner_match = re.fullmatch(r"(?P<d>\d{1,2})(?:\s+(?P<mw>[^\W\d_]+\.?))?(?:\s+(?P<y>\d{3,5}))?", inner_text.strip())
    if not inner_match:
        raise _fail(source, f"could not read {inner_text!r} inside the brackets")
    inner_day = int(inner_match["d"])
    inner_month = _month(inner_match["mw"], source) if inner_match["mw"] else outer.month
    assert inner_month is not None and outer.month is not None and outer.day is not None
    inner_years = [int(inner_match["y"])] if inner_match["y"] else [outer.year, outer.year + 1, outer.year - 1]
    a = (outer.year, outer.month, outer.day)
    orders = (
        [("gregorian", "julian")]
        if label == "julian"
        else [("julian", "gregorian")]
        if label
        else [
            ("julian", "gregorian"),
            ("gregorian", "julian"),
        ]
    )
    for outer_cal, inner_cal in orders:
        for inner_year in inner_years:
            b = (inner_year, inner_month, inner_day)
            try:
                same = to_jdn(*a, outer_cal) == to_jdn(*b, inner_cal)  # type: ignore[arg-type]
            except InvalidDate:
                continue
            if same:
                julian = a if outer_cal == "julian" else b
                return HistoricalDate("julian", Point(*julian))
            # England (and its colonies) began the Old Style year on 25 March until 1752, so
            # "17 January 1706 [O.S. 6 January 1705]": the Julian half is stored with the
            # year counted from 1 January, as Hodie counts every year.
            julian_half = a if outer_cal == "julian" else b
            if (julian_half[1], julian_half[2]) < (3, 25):
                shifted = (julian_half[0] + 1, julian_half[1], julian_half[2])
                other = b if outer_cal == "julian" else a
                try:
                    if to_jdn(*shifted, "julian") == to_jdn(*other, "gregorian"):
                        return HistoricalDate("julian", Point(*shifted))
                except InvalidDate:
                    continue
    first = orders[0]
    b = (inner_years[0], inner_month, inner_day)
    raise InconsistentDate(
        f"{source!r} names two different days: {_ymd(a)} {first[0].capitalize()} is not "
        f"{_ymd(b)} {first[1].capitalize()}; check the Old Style and New Style halves"
    )


def _ymd(ymd: tuple[int, int, int]) -> str:
    return f"{ymd[2]} {EN_MONTHS[ymd[1] - 1]} {ymd[0]}"


def _common(text: str, region: str, calendar: Calendar | None) -> HistoricalDate | None:
    """A plain ISO day or "D Month YYYY", read without the normalising and the twenty-odd patterns
    of the full reading (a million-line import spent most of its date time there); ``None`` for
    anything else and for any doubt, which the full reading then answers with its own message.

    The answer is the one the full reading gives (tests/dates/test_parse.py compares the two over
    every region): an ISO date is read like EDTF, a written one like ``_simple``. The full reading
    checks an ISO 29 February in the Gregorian calendar too, so that day is always left to it."""
    parts = None
    iso = _ISO_DAY.fullmatch(text)
    if iso:
        month, day = int(iso[2]), int(iso[3])
        if 1 <= month <= 12 and (month, day) != (2, 29):
            parts = _Parts(int(iso[1]), month, day)
    else:
        written = _WRITTEN_DAY.fullmatch(text)
        if written and unicodedata.is_normalized("NFKC", text):
            month = MONTH_WORDS.get(written[2].lower(), 0)
            year = int(written[3])
            if month and year:
                parts = _Parts(year, month, int(written[1]))
    if parts is None:
        return None
    try:
        return HistoricalDate(calendar or _resolve_calendar(parts, region), parts.point())
    except InvalidDate:
        return None


def parse_date(text: str, region: str = "world", calendar: Calendar | None = None) -> HistoricalDate:
    """Read ``text`` as a historical date.

    ``region`` decides the calendar of a date that does not say (see :mod:`hodie.dates.regions`);
    ``calendar`` forces one (an importer's explicit ``calendar`` column). An "O.S."/"N.S." marker in
    the text wins over both, and contradicting an explicit ``calendar`` is an error.
    """
    if not isinstance(text, str):
        raise UnparseableDate(f"Could not read {text!r} as a date: expected text")
    common = _common(text, region, calendar)
    if common is not None:
        return common
    source = text
    text = _normalise(text)
    if not text:
        raise UnparseableDate(f"Could not read an empty date; try {ACCEPTED}")

    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}", text):
        raise _fail(source, "02/03/1939 could be 2 March or 3 February; write the month as a word")

    bracket = _BRACKET.search(text)
    if bracket and not re.fullmatch(r"\s*\d{3,4}\s*(?:год|г\.)?\s*", bracket["inner"]):
        outer = (text[: bracket.start()] + " " + text[bracket.end() :]).strip()
        date = _dual(_YEAR_WORD.sub("", outer), bracket["inner"], source)
        if calendar == "gregorian":
            return date.in_calendar("gregorian")
        return date

    explicit: Calendar | None = None
    for marker in list(_MARKER.finditer(text)):
        found: Calendar = "julian" if marker["os"] else "gregorian"
        if explicit and explicit != found:
            raise InconsistentDate(f"{source!r} is marked both Old Style and New Style")
        explicit = found
    text = _MARKER.sub(" ", text).strip()
    if explicit and calendar and explicit != calendar:
        raise InconsistentDate(f"{source!r} is marked {explicit} but was given as {calendar}")
    explicit = explicit or calendar

    bc = bool(_BC.search(text))
    era = bc or bool(_AD.search(text))
    text = _AD.sub(" ", _BC.sub(" ", text))
    text = _YEAR_WORD.sub("", text)
    approximate = bool(_APPROX.match(text))
    text = _APPROX.sub("", text)
    uncertain = text.endswith("?")
    text = re.sub(r"\s+", " ", text.rstrip("?")).strip()
    if not text:
        raise _fail(source)

    if _EDTF_LIKE.match(text) and not re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{1,5}|\d{1,5}", text):
        years = re.fullmatch(r"(\d{3,4})\s*-\s*(\d{3,4})", text)
        if years and int(years[2]) > 12:
            start, end = _Parts(int(years[1]), precision="year"), _Parts(int(years[2]), precision="year")
            return _interval(start, end, explicit, region, approximate, uncertain, source)
        if era:
            raise _fail(source, "an EDTF date carries its era in the sign: -0043 is 44 BC")
        cal = explicit or "gregorian"
        date = parse_edtf(text + ("?" if uncertain else ""), cal)
        if explicit is None:
            start_parts = (
                _Parts(date.start.year, date.start.month, date.start.day, date.start.precision) if date.start else None
            )
            cal = _resolve_calendar(start_parts, region)
            if cal != "gregorian":
                date = parse_edtf(text + ("?" if uncertain else ""), cal)
        if approximate:
            raise _fail(source, "in EDTF write an approximate date with ~, as 1380~")
        return date

    night = _NIGHT_EN.match(text)
    if night:
        text = text[night.end() :]
    ru_night = _NIGHT_RU.match(text)
    if ru_night:
        text = f"{ru_night['a']}{' ' + ru_night['am'] if ru_night['am'] else ''} - {ru_night['rest']}"

    # Ranges: "20-21 February 1939", "Feb 20-21, 1939", "30 January - 2 February 1939".
    same_month = re.fullmatch(r"(\d{1,2})\s*[-/]\s*(\d{1,2})\s+(.+)", text)
    month_first = re.fullmatch(r"([^\W\d_]+\.?)\s+(\d{1,2})\s*-\s*(\d{1,2}),?\s+(\d{1,5})", text)
    spaced = re.split(r"\s+-\s+|\s+to\s+|\s+по\s+", text)
    if same_month or month_first or len(spaced) == 2:
        if same_month:
            end = _simple(f"{same_month[2]} {same_month[3]}", source, bc, era)
            start = _Parts(end.year, end.month, int(same_month[1]))
        elif month_first:
            end = _simple(f"{month_first[1]} {month_first[3]}, {month_first[4]}", source, bc, era)
            start = _Parts(end.year, end.month, int(month_first[2]))
        else:
            end = _simple(spaced[1], source, bc, era)
            left = spaced[0].strip()
            if re.fullmatch(r"\d{1,2}", left):
                start = _Parts(end.year, end.month, int(left))
            else:
                try:
                    start = _simple(left, source, bc, era)
                except UnparseableDate:
                    start = _simple(f"{left} {end.year}", source, bc, era)
                if start.year is None and start.precision == "day":
                    start.year = end.year
        return _interval(start, end, explicit, region, approximate, uncertain, source)
    if night:
        raise _fail(source, "a night spans two days, as night of 20-21 February 1939")

    parts = _simple(text, source, bc, era)
    cal = explicit or _resolve_calendar(parts, region)
    try:
        return HistoricalDate(cal, parts.point(approximate, uncertain))
    except InvalidDate as err:
        raise InvalidDate(f"{source!r} is not a real date: {err}") from err


def _interval(
    start: _Parts,
    end: _Parts,
    explicit: Calendar | None,
    region: str,
    approximate: bool,
    uncertain: bool,
    source: str,
) -> HistoricalDate:
    cal = explicit or _resolve_calendar(start, region)
    try:
        return HistoricalDate(
            cal, start.point(approximate, uncertain), end.point(approximate, uncertain), interval=True
        )
    except InvalidDate as err:
        raise InvalidDate(f"{source!r} is not a real date range: {err}") from err
