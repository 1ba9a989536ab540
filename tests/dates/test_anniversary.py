"""Which day page an entry belongs on, under each policy."""

from typing import NamedTuple

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from hodie.dates import HistoricalDate, InvalidDate, Point, anniversaries, check_month_day, filing, parse_date


class Filed(NamedTuple):
    text: str
    region: str
    standard: tuple[int, int] | None
    julian: tuple[int, int] | None


FILED = [
    # Before 1582 a Julian date keeps its own month and day (Battle on the Ice; Ides of March).
    Filed("5 April 1242", "ru", (4, 5), (4, 5)),
    Filed("15 March 44 BC", "world", (3, 15), (3, 15)),
    # From 1582 a Julian date is filed on its Gregorian equivalent.
    Filed("26 August 1812", "ru", (9, 7), (8, 26)),
    Filed("25 October 1917", "ru", (11, 7), (10, 25)),
    # A Julian-only day has a real Gregorian day.
    Filed("29 February 1900", "ru", (3, 13), (2, 29)),
    # An interval is filed on its start.
    Filed("night of 16-17 December 1916", "ru", (12, 29), (12, 16)),
    # Month and year precision: no day page.
    Filed("1917-10", "ru", None, None),
    Filed("1380", "ru", None, None),
]


@pytest.mark.parametrize("filed", FILED, ids=lambda f: f.text)
def test_policies(filed: Filed) -> None:
    keys = anniversaries(parse_date(filed.text, region=filed.region))
    assert keys.standard == filed.standard
    assert keys.julian == filed.julian
    assert keys.for_policy("standard") == filed.standard
    assert keys.for_policy("julian") == filed.julian


def test_observance_is_the_editors_day() -> None:
    """Russia's 1995 law observes Borodino on 8 September."""
    keys = anniversaries(parse_date("26 August 1812", region="ru"), observance=(9, 8))
    assert keys.for_policy("observance") == (9, 8)
    assert keys.for_policy("standard") == (9, 7)
    assert anniversaries(parse_date("26 August 1812", region="ru")).for_policy("observance") == (9, 7)


def test_leap_day_exists_and_february_30_does_not() -> None:
    assert check_month_day(2, 29) == (2, 29)
    with pytest.raises(InvalidDate):
        check_month_day(2, 30)
    with pytest.raises(InvalidDate):
        check_month_day(13, 1)


# ---------------------------------------------------------------- the stored columns
def _reference_filing(date, observance):  # type: ignore[no-untyped-def]
    """The stored columns as the definitions give them, with no shortcut: bounds from the date,
    keys from anniversaries(), the Gregorian year for a Julian day after the reform."""
    from hodie.dates import GREGORIAN_REFORM_JDN, day_key

    year = date.year
    if date.calendar == "julian" and date.is_day and (date.earliest or 0) >= GREGORIAN_REFORM_JDN:
        year = date.in_calendar("gregorian").year
    keys = anniversaries(date, observance)
    precision = date.start.precision if date.start else (date.end.precision if date.end else "")
    return (precision, date.earliest, date.latest, year, day_key(keys.standard), day_key(keys.julian),
            day_key(keys.observance or keys.standard))  # fmt: skip


@st.composite
def _dates(draw):  # type: ignore[no-untyped-def]
    calendar = draw(st.sampled_from(["julian", "gregorian"]))
    known = draw(st.booleans()) or draw(st.booleans())
    year = draw(st.integers(-3000, 9999)) if known else None
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))
    precision = draw(st.sampled_from(["day", "day", "day", "month", "year"])) if known else "day"
    try:
        if precision == "day":
            point = Point(year, month, day)
        elif precision == "month":
            point = Point(year, month, None, "month")
        else:
            point = Point(year, None, None, "year")
        date = HistoricalDate(calendar, point)
        if known and draw(st.booleans()):
            end = Point(year + draw(st.integers(0, 3)), month, min(day, 28))
            date = HistoricalDate(calendar, point, end, interval=True)
    except InvalidDate:
        assume(False)
    return date


@settings(max_examples=1000)
@example(HistoricalDate("julian", Point(1582, 10, 4)), None)  # the last Julian day of the reform
@example(HistoricalDate("julian", Point(1582, 10, 5)), None)  # = Gregorian 15 October, its first
@example(HistoricalDate("gregorian", Point(None, 2, 29)), (9, 8))
@given(_dates(), st.one_of(st.none(), st.tuples(st.integers(1, 12), st.integers(1, 29))))
def test_the_stored_columns_are_the_defined_ones(date, observance) -> None:  # type: ignore[no-untyped-def]
    assert tuple(filing(date, observance)) == _reference_filing(date, observance)


def test_the_stored_columns_of_known_days() -> None:
    """Borodino, the Battle on the Ice (observed on 18 April), a Julian-only day; the Julian Day
    Numbers are convertdate's (julian.to_jd(1812, 8, 26) + 0.5 and julian.to_jd(1242, 4, 5) + 0.5)."""
    assert filing(parse_date("26 August 1812", region="ru")) == (
        "day", 2383129, 2383129, 1812, 907, 826, 907)  # fmt: skip
    assert filing(parse_date("5 April 1242", region="ru"), (4, 18)) == (
        "day", 2174793, 2174793, 1242, 405, 405, 418)  # fmt: skip
    assert filing(parse_date("17 January 1706 [O.S. 6 January 1705]")).year == 1706
    assert filing(parse_date("29 February 1900", region="ru"))[4:6] == (313, 229)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("standard", 907), ("julian", 826), ("observance", None)],
    ids=["standard: the Gregorian day", "julian: the day as written", "observance: none given"],
)
def test_filing_key_picks_the_policys_key(policy, expected):
    """Borodino, 26 August 1812 O.S.: filed on 7 September, or on 26 August by the Julian policy."""
    from hodie.dates import Filing, filing_key

    borodino = Filing("day", 2383172, 2383172, 1812, 907, 826, None)
    assert filing_key(borodino, policy) == expected


def test_filing_key_refuses_an_unknown_policy():
    from hodie.dates import Filing, filing_key

    with pytest.raises(ValueError, match="Unknown anniversary policy 'gregorian'; use one of standard, julian"):
        filing_key(Filing("day", 1, 1, 1, 101, 101, None), "gregorian")
