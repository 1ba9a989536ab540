"""Dates as each language writes them."""

from typing import NamedTuple

import pytest

from hodie.dates import format_date, format_day, parse_date


class Shown(NamedTuple):
    text: str
    region: str
    en: str
    ru: str


SHOWN = [
    Shown("26 August 1812", "ru", "7 September [O.S. 26 August] 1812", "26 августа (7 сентября) 1812"),
    Shown("13 July 1826", "ru", "25 July [O.S. 13 July] 1826", "13 (25) июля 1826"),
    Shown("25 December 1812", "ru", "6 January 1813 [O.S. 25 December 1812]", "25 декабря 1812 (6 января 1813)"),
    Shown("20 February 1939", "ru", "20 February 1939", "20 февраля 1939"),
    Shown("44 BC", "world", "44 BC", "44 до н. э."),
    Shown("15 March 44 BC", "world", "15 March 44 BC", "15 марта 44 до н. э."),
    Shown("5 April 1242", "ru", "5 April 1242", "5 апреля 1242"),
    Shown("c. 1380", "ru", "c. 1380", "около 1380"),
    Shown("1938-11?", "world", "November 1938?", "ноябрь 1938?"),
    Shown("night of 20-21 February 1939", "ru", "20–21 February 1939", "20–21 февраля 1939"),
    Shown("1930s", "world", "1930s", "1930-е"),
    Shown("19th century", "world", "19th century", "XIX век"),
    Shown("XXXX-02-23", "world", "23 February", "23 февраля"),
]


@pytest.mark.parametrize("shown", SHOWN, ids=lambda s: s.text)
def test_display(shown: Shown) -> None:
    date = parse_date(shown.text, region=shown.region)
    assert format_date(date, "en") == shown.en
    assert format_date(date, "ru") == shown.ru


def test_day_headings() -> None:
    assert format_day(2, 20) == "February 20"
    assert format_day(2, 20, "ru") == "20 февраля"


def test_old_style_first_when_the_reader_asks() -> None:
    from hodie.dates import format_date, parse_date

    borodino = parse_date("26 August 1812", region="ru")
    assert format_date(borodino) == "7 September [O.S. 26 August] 1812"
    assert format_date(borodino, old_style_first=True) == "26 August [N.S. 7 September] 1812"
    new_year = parse_date("25 December 1799", region="ru")  # 5 January 1800 N.S.
    assert format_date(new_year, old_style_first=True) == "25 December 1799 [N.S. 5 January 1800]"
    assert format_date(borodino, "ru", old_style_first=True) == format_date(borodino, "ru")
