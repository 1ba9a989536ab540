"""Reading what editors type: every form of the issue, and clear errors for the rest."""

from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hodie.dates import (
    HistoricalDate,
    InconsistentDate,
    InvalidDate,
    Point,
    UnparseableDate,
    format_edtf,
    parse_date,
    parse_edtf,
)


class Case(NamedTuple):
    text: str
    region: str
    edtf: str
    calendar: str


CASES = [
    Case("1939-02-20", "ru", "1939-02-20", "gregorian"),
    Case("1939-02-20/1939-02-21", "ru", "1939-02-20/1939-02-21", "gregorian"),
    Case("1380~", "ru", "1380~", "julian"),
    Case("1938-11?", "ru", "1938-11?", "gregorian"),
    Case("-0043-03-15", "world", "-0043-03-15", "julian"),
    Case("20 February 1939", "ru", "1939-02-20", "gregorian"),
    Case("Feb 20, 1939", "ru", "1939-02-20", "gregorian"),
    Case("February 20th, 1939", "world", "1939-02-20", "gregorian"),
    Case("20.02.1939", "ru", "1939-02-20", "gregorian"),
    Case("26 August 1812 O.S.", "world", "1812-08-26", "julian"),
    Case("26 August 1812 (Old Style)", "gregorian", "1812-08-26", "julian"),
    Case("7 September [O.S. 26 August] 1812", "world", "1812-08-26", "julian"),
    Case("20 January [2 February N.S.] 1905", "world", "1905-01-20", "julian"),
    Case("26 августа 1812", "ru", "1812-08-26", "julian"),
    Case("26 августа 1812 г.", "ru", "1812-08-26", "julian"),
    Case("26 августа (7 сентября) 1812", "ru", "1812-08-26", "julian"),
    Case("13 (25) июля 1826", "ru", "1826-07-13", "julian"),
    Case("14 (1) February 1918", "ru", "1918-02-01", "julian"),
    Case("17 January 1706 [O.S. 6 January 1705]", "gb", "1706-01-06", "julian"),
    Case("c. 1380", "ru", "1380~", "julian"),
    Case("около 1380 года", "ru", "1380~", "julian"),
    Case("night of 20–21 February 1939", "ru", "1939-02-20/1939-02-21", "gregorian"),
    Case("в ночь с 20 на 21 февраля 1939", "ru", "1939-02-20/1939-02-21", "gregorian"),
    Case("night of 11-12 March 1801", "ru", "1801-03-11/1801-03-12", "julian"),
    Case("44 BC", "world", "-0043", "julian"),
    Case("15 March 44 BC", "world", "-0043-03-15", "julian"),
    Case("15 марта 44 до н. э.", "world", "-0043-03-15", "julian"),
    Case("AD 33", "world", "0033", "julian"),
    Case("1380", "ru", "1380", "julian"),
    Case("February 1939", "ru", "1939-02", "gregorian"),
    Case("февраль 1939", "ru", "1939-02", "gregorian"),
    Case("1930s", "world", "193X", "gregorian"),
    Case("19th century", "world", "18XX", "gregorian"),
    Case("XIX век", "ru", "18XX", "julian"),
    Case("20 February", "ru", "XXXX-02-20", "gregorian"),
    Case("XXXX-02-23", "ru", "XXXX-02-23", "gregorian"),
    Case("1941-1945", "ru", "1941/1945", "gregorian"),
    Case("30 January - 2 February 1939", "world", "1939-01-30/1939-02-02", "gregorian"),
    Case("Y-170000002", "world", "Y-170000002", "julian"),
    Case("2001-21", "world", "2001-21", "gregorian"),
    Case("../1985-04-12", "world", "../1985-04-12", "gregorian"),
    Case("1985-04-12/", "world", "1985-04-12/", "gregorian"),
    Case("1985-04-XX", "world", "1985-04", "gregorian"),
    Case("1985-04-12%", "world", "1985-04-12%", "gregorian"),
    Case("on or about 20 February 1939", "ru", "1939-02-20~", "gregorian"),
    Case("29 February 1900", "ru", "1900-02-29", "julian"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text)
def test_forms_are_read(case: Case) -> None:
    date = parse_date(case.text, region=case.region)
    assert (date.edtf, date.calendar) == (case.edtf, case.calendar)


def test_a_year_stays_a_year() -> None:
    """Never invent a part the input lacks: "1380" has no month or day, and no day page."""
    date = parse_date("1380", region="ru")
    assert date.start == Point(1380, precision="year")
    assert not date.is_day


def test_bce_bounds_are_real_days() -> None:
    """15 March 44 BC is Julian Day 1705426 (convertdate: JD 1705425.5)."""
    date = parse_date("15 March 44 BC")
    assert date.earliest == date.latest == 1705426


def test_interval_bounds() -> None:
    date = parse_date("night of 20-21 February 1939", region="ru")
    assert date.latest - date.earliest == 1  # type: ignore[operator]


class Bad(NamedTuple):
    text: str
    error: type
    message: str


BAD = [
    Bad("night of 31-32 February 1939", InvalidDate, "has 28 days"),
    Bad("1900-02-29", InvalidDate, "exists only in the Julian calendar"),
    Bad("29 February 1900 N.S.", InvalidDate, "exists only in the Julian calendar"),
    Bad("5 February 1918", InvalidDate, "skipped in Russia"),
    Bad("7 September [O.S. 25 August] 1812", InconsistentDate, "names two different days"),
    Bad("26 August 1812 O.S. N.S.", InconsistentDate, "both Old Style and New Style"),
    Bad("02/03/1939", UnparseableDate, "could be 2 March or 3 February"),
    Bad("the day after Borodino", UnparseableDate, "Could not read 'the day after Borodino'"),
    Bad("", UnparseableDate, "empty"),
    Bad("20 Smarch 1939", UnparseableDate, "'Smarch' is not a month name"),
    Bad("0 BC", InvalidDate, "no year 0"),
    Bad("20.02.39", UnparseableDate, "write the year in full"),
    Bad("1939-13-01", InvalidDate, "no month 13"),
    Bad("1939-02-21/1939-02-20", InvalidDate, "cannot end before it starts"),
]


@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.text or "empty")
def test_errors_name_the_problem(bad: Bad) -> None:
    with pytest.raises(bad.error, match=bad.message):
        parse_date(bad.text, region="ru")


def test_unreadable_input_is_quoted_with_an_accepted_form() -> None:
    with pytest.raises(UnparseableDate) as info:
        parse_date("sometime in spring")
    assert "'sometime in spring'" in str(info.value)
    assert "20 February 1939" in str(info.value)


def test_explicit_calendar_contradicting_the_marker_is_an_error() -> None:
    with pytest.raises(InconsistentDate):
        parse_date("26 August 1812 O.S.", calendar="gregorian")


DAY_POINTS = st.builds(
    lambda y, m, d, q: Point(y, m, d, "day", None, q in "~%", q in "?%"),
    st.integers(-9999, 9999),
    st.integers(1, 12),
    st.integers(1, 28),
    st.sampled_from(["", "~", "?", "%"]),
)


@given(point=DAY_POINTS, calendar=st.sampled_from(["julian", "gregorian"]))
def test_edtf_round_trip(point: Point, calendar: str) -> None:
    """parse(format(d)) == d for every day point."""
    date = HistoricalDate(calendar, point)  # type: ignore[arg-type]
    assert parse_edtf(format_edtf(date), calendar) == date  # type: ignore[arg-type]


@given(
    year=st.integers(100, 2400),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    calendar=st.sampled_from(["julian", "gregorian"]),
)
def test_human_format_round_trip(year: int, month: int, day: int, calendar: str) -> None:
    """A date written as "20 February 1939" with its calendar marker reads back as itself."""
    from hodie.dates.names import EN_MONTHS

    marker = "O.S." if calendar == "julian" else "N.S."
    date = parse_date(f"{day} {EN_MONTHS[month - 1]} {year} {marker}", region="ru")
    assert (date.calendar, date.start.year, date.start.month, date.start.day) == (calendar, year, month, day)  # type: ignore[union-attr]


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes(text: str) -> None:
    """Any text either parses or raises a HodieError with the input quoted."""
    from hodie.dates import HodieError

    try:
        parse_date(text, region="ru")
    except HodieError as err:
        assert str(err)


def _full_reading(text: str, region: str, calendar: str | None) -> object:
    """What the full reading answers (the common forms' shortcut switched off): a date or an error."""
    from hodie.dates import parse as module

    shortcut, module._common = module._common, lambda *args: None  # type: ignore[assignment]
    try:
        return module.parse_date(text, region=region, calendar=calendar)  # type: ignore[arg-type]
    except (InvalidDate, UnparseableDate) as err:
        return (type(err), str(err))
    finally:
        module._common = shortcut  # type: ignore[assignment]


def _reading(text: str, region: str, calendar: str | None) -> object:
    try:
        return parse_date(text, region=region, calendar=calendar)  # type: ignore[arg-type]
    except (InvalidDate, UnparseableDate) as err:
        return (type(err), str(err))


MONTH_NAMES = ["January", "february", "MARCH", "Apr", "мая", "июня", "Sept", "октября", "Smarch", "BC", "Julian"]


@settings(max_examples=500)
@given(
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(sorted(__import__("hodie.dates.regions", fromlist=["REGIONS"]).REGIONS)),
    st.sampled_from([None, "julian", "gregorian"]),
    st.sampled_from(MONTH_NAMES),
)
def test_the_common_forms_are_read_as_the_full_reading_reads_them(
    year: int, month: int, day: int, region: str, calendar: str | None, word: str
) -> None:
    """The shortcut for "1939-02-20" and "20 February 1939" answers exactly what the full reading
    does, for every region and calendar, impossible days (30 February, month 13, 1500-02-29 in a
    Gregorian region, the days Russia skipped in 1918) and unknown month words included."""
    for text in (f"{year:04d}-{month:02d}-{day:02d}", f"{day} {word} {year:03d}", f" {day}  {word} {year} "):
        assert _reading(text, region, calendar) == _full_reading(text, region, calendar), text


def test_the_shortcut_is_taken_for_the_common_forms() -> None:
    """Guard for the test above: it compares two different paths only if the shortcut answers."""
    from hodie.dates.parse import _common

    assert _common("1939-02-20", "ru", None) == HistoricalDate("gregorian", Point(1939, 2, 20))
    assert _common("26 августа 1812", "ru", None) == HistoricalDate("julian", Point(1812, 8, 26))
    assert _common("20 Feb. 1939", "ru", None) is None  # a dot: the full reading's
    assert _common("1900-02-29", "ru", None) is None  # an ISO 29 February: the full reading's
