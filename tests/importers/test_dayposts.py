"""Day posts as text: which titles name a day, and how a post's events are split (pure, no database)."""

from __future__ import annotations

import subprocess
import sys
from typing import NamedTuple

import pytest

from hodie.importers.dayposts import Event, day_of_title, events_of


class Title(NamedTuple):
    title: str
    day: tuple[int, int] | None


TITLES = [
    Title("February 20 in Russian history", (2, 20)),
    Title("20 February", (2, 20)),
    Title("Feb. 20", (2, 20)),
    Title("Feb 20", (2, 20)),
    Title("On this day: February 20", (2, 20)),
    Title("20 февраля в истории России", (2, 20)),
    Title("20 февраля", (2, 20)),
    Title("29 February", (2, 29)),
    Title("May 5th", (5, 5)),
    Title("this day in history: 1 September", (9, 1)),
    # Not a day of the year: one dated event, a "YEAR:" post, an impossible day, plain words.
    Title("February 20, 1939", None),
    Title("20 February 1939", None),
    Title("1939: Georgy Kosenko, NKVD spy", None),
    Title("February 30", None),
    Title("31 April in history", None),
    Title("A note on sources", None),
    Title("Maybe 20 things", None),
    Title("March 5 (unfinished)", None),
]


@pytest.mark.parametrize("case", TITLES, ids=[c.title for c in TITLES])
def test_day_of_title(case: Title) -> None:
    """A title that names a day and nothing more gives (month, day); one with a year or no day gives None."""
    assert day_of_title(case.title) == case.day


class Body(NamedTuple):
    name: str
    html: str
    intro: str
    events: list[Event]


BODIES = [
    Body(
        "headings then paragraphs",
        "<p>Intro.</p><h3>1939: Georgy Kosenko, NKVD spy</h3><p>Shot in Moscow.</p><p>After a closed trial.</p>"
        "<h3>1962: John Glenn orbits the Earth</h3>",
        "Intro.",
        [
            Event(1939, "Georgy Kosenko, NKVD spy", "Shot in Moscow. After a closed trial."),
            Event(1962, "John Glenn orbits the Earth", ""),
        ],
    ),
    Body(
        "bold lines separated by <br> (Blogger)",
        "Today:<br /><br /><b>1700:</b> Peter's decree. It came in December.<br />More.<br /><br />"
        "<b>44 BC</b><br />Caesar is warned<br />",
        "Today:",
        [Event(1700, "Peter's decree", "It came in December. More."), Event(-44, "Caesar is warned", "")],
    ),
    Body(
        "list items with dashes, and a numbered line that is no year",
        "<ul><li>1547 – Edward VI crowned</li><li>1835 — Concepción destroyed</li></ul><ol><li>1. a footnote</li></ol>",
        "",
        [Event(1547, "Edward VI crowned", ""), Event(1835, "Concepción destroyed", "1. a footnote")],
    ),
    Body(
        "Russian years and BC in Russian",
        "<p>1613 год — Земский собор</p><p>Михаил избран.</p><p>44 до н. э.: Цезарь</p>",
        "",
        [Event(1613, "Земский собор", "Михаил избран."), Event(-44, "Цезарь", "")],
    ),
    Body(
        "no event lines at all",
        "<p>Where the dates come from.</p><p>In 1939 many things happened.</p>",
        "Where the dates come from.\nIn 1939 many things happened.",
        [],
    ),
]


@pytest.mark.parametrize("case", BODIES, ids=[c.name for c in BODIES])
def test_events_of(case: Body) -> None:
    """Each "YEAR: title" heading, bold line, list item or paragraph starts an event; what follows is its text."""
    intro, events = events_of(case.html)
    assert intro == case.intro
    assert events == case.events


def test_event_date_text_names_the_era() -> None:
    assert Event(-44, "Caesar").date_text(3, 15) == "15 March 44 BC"
    assert Event(1939, "Kosenko").date_text(2, 20) == "20 February 1939"


def test_day_post_parsing_does_not_import_django() -> None:
    """The recognition is text parsing on the reader's side: importing it loads no Django."""
    code = "import sys, hodie.importers.dayposts, hodie.importers.dayplan; assert 'django' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_captions_of_pictures_and_galleries_are_neither_intro_nor_event_text() -> None:
    body = (
        "<p>Two things happened.</p>\n"
        '<figure><img src="/m/a.jpg" alt="Moscow"><figcaption>Moscow, drawn for this post</figcaption></figure>\n'
        "<p><strong>1939: Georgy Kosenko, NKVD spy</strong><br>\nShot in Moscow.</p>\n"
        "<p><strong>1965:</strong> A spacewalk is rehearsed.</p>\n"
        '<div class="gallery">\n<figure><img src="/m/b.jpg" alt=""><figcaption>Suzdal in spring</figcaption></figure>\n'
        "</div>\n<p>Written in 2012.</p>"
    )
    intro, events = events_of(body)
    assert intro == "Two things happened."
    assert events == [
        Event(1939, "Georgy Kosenko, NKVD spy", "Shot in Moscow."),
        Event(1965, "A spacewalk is rehearsed", "Written in 2012."),
    ]
