"""The day-post step between the blog readers and the writer: entries, the --days convention, the plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from hodie.importers import reader
from hodie.importers.dayplan import DayPosts
from hodie.importers.records import ArticleRecord

FIXTURES = Path(__file__).parent.parent / "fixtures"
BLOGGER = FIXTURES / "dayposts-blogger.xml"


def articles(fmt: str, path: Path, step: DayPosts) -> dict[str, ArticleRecord]:
    return {item.title: item for item in step(reader(fmt)(path)) if isinstance(item, ArticleRecord)}


def test_blogger_day_post_becomes_entries_on_its_day() -> None:
    """Each event of "February 20 in Russian history" is an entry on 20 February with its year; labels are tags."""
    post = articles("blogger", BLOGGER, DayPosts("ru"))["February 20 in Russian history"]
    assert [(e.date, e.title) for e in post.entries] == [
        ("20 February 1700", "Peter orders the new year counted from January"),
        ("20 February 1939", "Georgy Kosenko, NKVD spy"),
        ("20 February 44 BC", "A date from far away, to show an old year"),
    ]
    assert post.entries[1].summary == "Shot in Moscow after a closed trial."
    assert all(e.tags == ("Russian history", "Peter the Great") for e in post.entries)
    assert post.excerpt == "<p>Three things happened on this day.</p>"


def test_default_keeps_the_posted_day_and_flags_events_before_the_switch() -> None:
    """Without --days, an event before Russia's 1918 switch stays on the posted day and is marked for review."""
    post = articles("blogger", BLOGGER, DayPosts("ru"))["February 20 in Russian history"]
    peter, kosenko, _ = post.entries
    assert (peter.observance, peter.policy, peter.needs_review, peter.calendar) == ((2, 20), "observance", True, None)
    assert (kosenko.observance, kosenko.policy, kosenko.needs_review) == (None, "", False)


@pytest.mark.parametrize(("days", "calendar"), [("old-style", "julian"), ("new-style", "gregorian")])
def test_days_option_names_the_calendar_of_old_events(days: str, calendar: str) -> None:
    """--days old-style reads the blog's pre-switch days as Julian, new-style as Gregorian; nothing is flagged."""
    post = articles("blogger", BLOGGER, DayPosts("ru", days))["February 20 in Russian history"]
    peter, kosenko, _ = post.entries
    assert (peter.calendar, peter.observance, peter.needs_review) == (calendar, None, False)
    assert kosenko.calendar is None  # after the switch: no convention needed


def test_region_decides_what_is_before_the_switch() -> None:
    """In a Gregorian-everywhere collection no event needs a convention."""
    post = articles("blogger", BLOGGER, DayPosts("gregorian"))["February 20 in Russian history"]
    assert not any(e.needs_review for e in post.entries)


def test_unknown_days_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="--days 'julian' is not one of old-style, new-style"):
        DayPosts("ru", "julian")


def test_plan_counts_posts_entries_days_and_posts_on_no_day_page() -> None:
    step = DayPosts("ru")
    found = articles("blogger", BLOGGER, step)
    assert found["A note on sources"].entries == ()
    assert step.plan.line() == "4 posts → 5 entries on 2 days; 2 posts on no day page"
    assert [p["title"] for p in step.plan.no_day] == ["A note on sources", "March 5 (unfinished)"]
    figures = step.plan.as_dict()
    assert (figures["posts"], figures["entries"], figures["days"], figures["on_no_day_page"]) == (4, 5, 2, 2)


def test_wxr_and_feed_day_posts() -> None:
    """The WXR and feed readers' posts go through the same step: headings, list items, bold paragraphs, BC."""
    wxr = articles("wxr", FIXTURES / "dayposts.wxr", DayPosts("gb"))
    assert [(e.date, e.title) for e in wxr["Feb. 20"].entries] == [
        ("20 February 1472", "Orkney and Shetland pass to Scotland"),
        ("20 February 1547", "Edward VI crowned at Westminster"),
        ("20 February 1835", "Concepción destroyed by an earthquake"),
    ]
    assert [e.date for e in wxr["On this day: March 15"].entries] == ["15 March 44 BC", "15 March 1917"]
    assert wxr["About this blog"].entries == ()  # a page is never a day post
    feed = articles("feed", FIXTURES / "dayposts-feed.rss", DayPosts("world"))
    assert [(e.date, e.title) for e in feed["20 February"].entries] == [
        ("20 February 1939", "Georgy Kosenko, NKVD spy"),
        ("20 February 1962", "John Glenn orbits the Earth"),
    ]


def test_plan_line_singular() -> None:
    step = DayPosts("world")
    articles("feed", FIXTURES / "dayposts-feed.rss", step)
    assert step.plan.line() == "1 post → 2 entries on 1 day; 0 posts on no day page"
