"""Which day page an entry belongs on, under each policy."""

from typing import NamedTuple

import pytest

from hodie.dates import InvalidDate, anniversaries, check_month_day, parse_date


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
