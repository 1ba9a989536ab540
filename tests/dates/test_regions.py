"""The civil switch table, and the Russian events of DOMAIN.md §1.6."""

from typing import NamedTuple

import pytest

from hodie.dates import REGIONS, InvalidDate, anniversaries, convert, parse_date


def test_every_switch_is_two_consecutive_days() -> None:
    from hodie.dates import to_jdn

    for region in REGIONS.values():
        if region.last_julian and region.first_gregorian:
            assert to_jdn(*region.first_gregorian, "gregorian") - to_jdn(*region.last_julian, "julian") == 1


def test_russia_switched_on_14_february_1918() -> None:
    """Russia: 31 January 1918 (O.S.) was followed by 14 February 1918 (N.S.)."""
    ru = REGIONS["ru"]
    assert ru.last_julian == (1918, 1, 31) and ru.first_gregorian == (1918, 2, 14)
    assert ru.calendar_for(1918, 1, 31) == "julian"
    assert ru.calendar_for(1918, 2, 14) == "gregorian"
    with pytest.raises(InvalidDate, match="skipped in Russia"):
        ru.calendar_for(1918, 2, 5)


def test_britain_switched_in_september_1752() -> None:
    assert parse_date("2 September 1752", region="gb").calendar == "julian"
    assert parse_date("14 September 1752", region="gb").calendar == "gregorian"
    with pytest.raises(InvalidDate, match="skipped in Great Britain"):
        parse_date("10 September 1752", region="gb")


class Event(NamedTuple):
    name: str
    old_style: str
    new_style: tuple[int, int, int]
    day_page: tuple[int, int]


# ../shared/DOMAIN.md §1.6 (checked there with convertdate and against stored sources).
RUSSIAN_EVENTS = [
    Event("Battle on the Ice", "5 April 1242", (1242, 4, 12), (4, 5)),
    Event("Kulikovo", "8 September 1380", (1380, 9, 16), (9, 8)),
    Event("Kitay-gorod stormed", "22 October 1612", (1612, 11, 1), (11, 1)),
    Event("Peter the Great born", "30 May 1672", (1672, 6, 9), (6, 9)),
    Event("St Petersburg founded", "16 May 1703", (1703, 5, 27), (5, 27)),
    Event("Poltava", "27 June 1709", (1709, 7, 8), (7, 8)),
    Event("Gangut", "27 July 1714", (1714, 8, 7), (8, 7)),
    Event("Chesma", "26 June 1770", (1770, 7, 7), (7, 7)),
    Event("Tendra", "29 August 1790", (1790, 9, 9), (9, 9)),
    Event("Izmail", "11 December 1790", (1790, 12, 22), (12, 22)),
    Event("Pushkin born", "26 May 1799", (1799, 6, 6), (6, 6)),
    Event("Borodino", "26 August 1812", (1812, 9, 7), (9, 7)),
    Event("Decembrist revolt", "14 December 1825", (1825, 12, 26), (12, 26)),
    Event("Tolstoy born", "28 August 1828", (1828, 9, 9), (9, 9)),
    Event("Pushkin died", "29 January 1837", (1837, 2, 10), (2, 10)),
    Event("Sinop", "18 November 1853", (1853, 11, 30), (11, 30)),
    Event("Emancipation", "19 February 1861", (1861, 3, 3), (3, 3)),
    Event("Lenin born", "10 April 1870", (1870, 4, 22), (4, 22)),
    Event("Alexander II assassinated", "1 March 1881", (1881, 3, 13), (3, 13)),
    Event("Bloody Sunday", "9 January 1905", (1905, 1, 22), (1, 22)),
    Event("February Revolution", "23 February 1917", (1917, 3, 8), (3, 8)),
    Event("Abdication", "2 March 1917", (1917, 3, 15), (3, 15)),
    Event("October Revolution", "25 October 1917", (1917, 11, 7), (11, 7)),
]


@pytest.mark.parametrize("event", RUSSIAN_EVENTS, ids=lambda e: e.name)
def test_russian_dates_read_as_old_style_and_filed_on_the_right_day(event: Event) -> None:
    """A bare date in a Russian collection before 1918 is Julian; from 1582 it is filed on its
    Gregorian day, before 1582 on its own Julian label."""
    date = parse_date(event.old_style, region="ru")
    assert date.calendar == "julian"
    assert date.start is not None
    y, m, d = date.start.year, date.start.month, date.start.day
    assert convert(y, m, d, "julian", "gregorian") == event.new_style  # type: ignore[arg-type]
    assert anniversaries(date).standard == event.day_page


def test_new_style_marker_overrides_region() -> None:
    """ "20.02.1877" typed into Russian history is Julian unless marked N.S."""
    assert parse_date("20.02.1877", region="ru").calendar == "julian"
    assert parse_date("20.02.1877 N.S.", region="ru").calendar == "gregorian"
    assert parse_date("20.02.1877", region="world").calendar == "gregorian"
