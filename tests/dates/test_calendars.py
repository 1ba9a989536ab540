"""Calendar arithmetic: anchors from DOMAIN.md and agreement with convertdate everywhere."""

from typing import NamedTuple

import pytest
from convertdate import gregorian as cd_gregorian
from convertdate import julian as cd_julian
from hypothesis import given
from hypothesis import strategies as st

from hodie.dates import InvalidDate, convert, from_jdn, is_leap, to_jdn


class Pair(NamedTuple):
    julian: tuple[int, int, int]
    gregorian: tuple[int, int, int]


# Output of convertdate quoted in ../shared/DOMAIN.md §1.2.
SWITCH_POINTS = [
    Pair((1700, 2, 28), (1700, 3, 10)),
    Pair((1700, 2, 29), (1700, 3, 11)),
    Pair((1700, 3, 1), (1700, 3, 12)),
    Pair((1900, 2, 28), (1900, 3, 12)),
    Pair((1900, 2, 29), (1900, 3, 13)),
    Pair((1900, 3, 1), (1900, 3, 14)),
    Pair((1918, 1, 31), (1918, 2, 13)),
    Pair((2100, 2, 28), (2100, 3, 13)),
    Pair((2100, 3, 1), (2100, 3, 15)),
    Pair((1812, 8, 26), (1812, 9, 7)),
    Pair((1242, 4, 5), (1242, 4, 12)),
]


@pytest.mark.parametrize("pair", SWITCH_POINTS, ids=lambda p: f"J{p.julian}")
def test_known_julian_gregorian_pairs(pair: Pair) -> None:
    """Each Julian day converts to the Gregorian day DOMAIN.md gives, and back."""
    assert convert(*pair.julian, "julian", "gregorian") == pair.gregorian
    assert convert(*pair.gregorian, "gregorian", "julian") == pair.julian


def test_reform_days_are_consecutive() -> None:
    """Julian 4 October 1582 is followed by Gregorian 15 October 1582."""
    assert to_jdn(1582, 10, 15, "gregorian") - to_jdn(1582, 10, 4, "julian") == 1
    assert to_jdn(1582, 10, 15, "gregorian") == 2299161


def test_julian_only_leap_days_exist_only_in_julian() -> None:
    for year in (1700, 1800, 1900, 2100):
        assert is_leap(year, "julian") and not is_leap(year, "gregorian")
        to_jdn(year, 2, 29, "julian")
        with pytest.raises(InvalidDate, match="exists only in the Julian calendar"):
            to_jdn(year, 2, 29, "gregorian")
    assert is_leap(2000, "gregorian")


@pytest.mark.parametrize("bad", [(1939, 2, 30), (1939, 13, 1), (1939, 4, 31), (1939, 0, 10), (1939, 1, 0)])
def test_impossible_days_are_refused(bad: tuple[int, int, int]) -> None:
    with pytest.raises(InvalidDate):
        to_jdn(*bad, "gregorian")


YEARS = st.integers(min_value=-4000, max_value=4000)


@given(year=YEARS, month=st.integers(1, 12), day=st.integers(1, 28), calendar=st.sampled_from(["julian", "gregorian"]))
def test_jdn_agrees_with_convertdate(year: int, month: int, day: int, calendar: str) -> None:
    """Integer JDN = convertdate's Julian Date + 0.5, for BCE years too (astronomical numbering)."""
    reference = (cd_julian if calendar == "julian" else cd_gregorian).to_jd(year, month, day)
    assert to_jdn(year, month, day, calendar) == int(reference + 0.5)


@given(jdn=st.integers(min_value=0, max_value=3_000_000), calendar=st.sampled_from(["julian", "gregorian"]))
def test_from_jdn_round_trips_and_agrees(jdn: int, calendar: str) -> None:
    ymd = from_jdn(jdn, calendar)
    assert to_jdn(*ymd, calendar) == jdn
    reference = (cd_julian if calendar == "julian" else cd_gregorian).from_jd(jdn - 0.5)
    assert ymd == tuple(reference)


@given(jdn=st.integers(min_value=0, max_value=3_000_000))
def test_julian_gregorian_round_trip(jdn: int) -> None:
    julian = from_jdn(jdn, "julian")
    gregorian = convert(*julian, "julian", "gregorian")
    assert convert(*gregorian, "gregorian", "julian") == julian
