"""Centuries counted one way: no century 0, the first century BC is 100 BC-1 BC."""

import pytest

from hodie.dates import InvalidDate, to_jdn
from hodie.dates.centuries import century_jdn_bounds, century_label, century_of, century_years, ordinal


@pytest.mark.parametrize(
    ("year", "century"),
    [(1, 1), (100, 1), (101, 2), (1900, 19), (1901, 20), (2000, 20), (2001, 21),
     (0, -1), (-99, -1), (-100, -2), (-199, -2), (-200, -3)],
)  # fmt: skip
def test_century_of_a_year(year: int, century: int) -> None:
    # Astronomical years: 0 is 1 BC, -99 is 100 BC, -100 is 101 BC.
    assert century_of(year) == century


@pytest.mark.parametrize(
    ("century", "years"),
    [(19, (1801, 1900)), (1, (1, 100)), (21, (2001, 2100)), (-1, (-99, 0)), (-2, (-199, -100))],
)
def test_century_years(century: int, years: tuple[int, int]) -> None:
    assert century_years(century) == years


def test_every_year_falls_in_the_century_whose_years_hold_it() -> None:
    for year in range(-1000, 2101):
        first, last = century_years(century_of(year))
        assert first <= year <= last, year


def test_there_is_no_century_zero() -> None:
    with pytest.raises(InvalidDate, match="no century 0"):
        century_years(0)


def test_century_bounds_are_julian_before_the_reform_and_gregorian_from_its_century() -> None:
    assert century_jdn_bounds(15) == (to_jdn(1401, 1, 1, "julian"), to_jdn(1500, 12, 31, "julian"))
    assert century_jdn_bounds(16) == (to_jdn(1501, 1, 1, "gregorian"), to_jdn(1600, 12, 31, "gregorian"))
    assert century_jdn_bounds(-1) == (to_jdn(-99, 1, 1, "julian"), to_jdn(0, 12, 31, "julian"))
    # From 1 January 2000 (JDN 2451545) back by Python's proleptic Gregorian day counts.
    assert century_jdn_bounds(19) == (2451545 - 72683, 2451545 - 36160)


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (20, "20th"), (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th"), (112, "112th")],
)  # fmt: skip
def test_ordinal(number: int, text: str) -> None:
    assert ordinal(number) == text


def test_century_labels() -> None:
    assert century_label(19) == "19th"
    assert century_label(-2) == "2c BC"
    assert century_label(19, "ru") == "XIX в."
    assert century_label(-1, "ru") == "I в. до н. э."
