"""Pages keyed by a cursor (issue 19: page 5,000 of a tag of 1,000,000 entries took 12 s with OFFSET):
the order, the cursors, the old numbered addresses, and the feeds and widget that read a bounded part."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hodie.almanac import days, feeds, keyset, views
from hodie.almanac.models import Collection, Entry, Tag
from hodie.almanac.onthisday import select

# Titles in listing order, by hand: the dated by date (two on one day: the older id first), the
# undated (no earliest day: an open start, an unknown year) last, by id. "untagged" is in no listing.
ORDER = ["caesar", "borodino", "first-of-1900", "second-of-1900", "undated-one", "undated-two"]


@pytest.fixture
def tagged(db) -> Tag:
    tag = Tag.objects.create(name="Everything")
    made = {}
    for title, date in [
        ("first-of-1900", "1900-01-01"), ("undated-one", "../1900-01-01"), ("borodino", "1812-09-07"),
        ("second-of-1900", "1900-01-01"), ("caesar", "44 BC"), ("undated-two", "XXXX-02-20"),
        ("untagged", "1850-01-01"),
    ]:  # fmt: skip
        made[title] = Entry.objects.create(title=title, slug=title, date_text=date)
    tag.entries.add(*(made[title] for title in ORDER))
    return tag


def walk(entries, size: int) -> list[keyset.Page]:
    pages = [keyset.page(entries, size)]
    while pages[-1].next is not None:
        pages.append(keyset.page(entries, size, pages[-1].next))
    return pages


@pytest.mark.parametrize("small", [2000, 1], ids=["read-whole-and-sorted", "read-in-index-order"])
def test_next_sees_every_entry_once_in_date_order_the_undated_last(tagged, monkeypatch, small) -> None:
    monkeypatch.setattr(keyset, "SMALL", small)
    entries = keyset.within(Entry.tags.through.objects.filter(tag=tagged))
    pages = walk(entries, 2)
    assert [[e.title for e in p.entries] for p in pages] == [ORDER[0:2], ORDER[2:4], ORDER[4:6]]
    assert [p.has_previous for p in pages] == [False, True, True]
    # The second page's previous is the first (no cursor); the third's is the second's cursor.
    assert pages[1].previous is None and pages[2].previous == keyset.Cursor.of(pages[0].entries[-1])
    assert keyset.page(entries, 2, keyset.Cursor.of(pages[2].entries[-1])).entries == []


def test_a_page_backwards_crosses_from_the_undated_to_the_dated(tagged) -> None:
    entries = keyset.within(Entry.tags.through.objects.filter(tag=tagged))
    last = keyset.page(entries, 3, keyset.Cursor.of(Entry.objects.get(slug="borodino")))
    assert [e.title for e in last.entries] == ["first-of-1900", "second-of-1900", "undated-one"]
    assert last.has_previous and last.previous is None  # caesar and borodino: the first page


@pytest.mark.parametrize(
    ("text", "cursor"),
    [("2424567.81", keyset.Cursor(2424567, 81)), ("-1234.5", keyset.Cursor(-1234, 5)), (".7", keyset.Cursor(None, 7))],
    ids=["dated", "before-4713-BC", "undated"],
)
def test_a_cursor_reads_back_as_written(text: str, cursor: keyset.Cursor) -> None:
    assert keyset.Cursor.parse(text) == cursor and str(cursor) == text


@pytest.mark.parametrize("text", ["12", "a.1", "1.2.3", "", "1.", "١٢.3", "1.2\n"])
def test_a_cursor_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(keyset.BadCursor, match=r"is not a cursor: it is <jdn>\.<id>"):
        keyset.Cursor.parse(text)


def test_an_old_page_number_finds_its_cursor_up_to_the_cap(tagged) -> None:
    entries = keyset.within(Entry.tags.through.objects.filter(tag=tagged))
    second_of_1900 = Entry.objects.get(slug="second-of-1900")
    assert keyset.cursor_of_page(entries, 3, 2) == keyset.Cursor(second_of_1900.earliest_jdn, second_of_1900.pk)
    assert keyset.cursor_of_page(entries, 6, 1) == keyset.Cursor(None, Entry.objects.get(slug="undated-one").pk)
    assert keyset.cursor_of_page(entries, 4, 2) is None  # past the end
    with pytest.raises(ValueError, match="is not between 2 and 50"):
        keyset.cursor_of_page(entries, 51, 2)


def test_the_tag_page_moves_old_numbers_to_cursors_and_refuses_what_is_not_a_page(
    tagged, client, monkeypatch, settings
) -> None:
    """?page=N (N <= 50) moves for good to its cursor; a page past the end or past 50, and a cursor
    that is not one or has nothing after it, are 404."""
    monkeypatch.setattr(views, "LISTING_PER_PAGE", 2)
    borodino = Entry.objects.get(slug="borodino")
    second = client.get("/tags/everything/?page=2")
    assert second.status_code == 301
    assert second["Location"] == f"/tags/everything/?after={borodino.earliest_jdn}.{borodino.pk}"
    html = client.get(second["Location"]).content.decode()
    assert re.findall(r'id="entry-(\d+)"', html) == [str(Entry.objects.get(slug=s).pk) for s in ORDER[2:4]]
    assert f'<link rel="canonical" href="{settings.SITE_URL}{second["Location"]}">' in html
    for path, status in [
        ("/tags/everything/?page=1", 301), ("/tags/everything/?page=abc", 301), ("/tags/everything/?page=4", 404),
        ("/tags/everything/?page=51", 404), ("/tags/everything/?after=nonsense", 404),
        (f"/tags/everything/?after=.{Entry.objects.get(slug='undated-two').pk}", 404),
    ]:  # fmt: skip
        assert client.get(path).status_code == status, path
    assert client.get("/tags/everything/?page=abc")["Location"] == "/tags/everything/"


@pytest.mark.parametrize("small", [2000, 1], ids=["read-whole-and-sorted", "read-in-index-order"])
def test_a_tag_feed_is_its_newest_entries_first(tagged, monkeypatch, small) -> None:
    monkeypatch.setattr(keyset, "SMALL", small)
    monkeypatch.setattr(feeds, "LIMIT", 3)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    oldest_first = ["second-of-1900", "undated-one", "undated-two", "caesar", "borodino", "untagged", "first-of-1900"]
    for hours, slug in enumerate(oldest_first):
        Entry.objects.filter(slug=slug).update(created=start + dt.timedelta(hours=hours))
    items = feeds.tag_feed(tagged, "https://hodie.example").items
    assert [i.link.rsplit("/", 2)[-2] for i in items] == ["first-of-1900", "borodino", "caesar"]


def test_the_today_feed_reads_a_page_of_a_big_day_and_counts_the_rest(db, monkeypatch) -> None:
    """Each day of the today feed reads one page of the day (PER_PAGE) and counts the others."""
    collection = Collection.objects.create(slug="c", title="C")
    for year in range(1901, 1908):  # 7 entries on 20 February
        Entry.objects.create(title=f"Event of {year}", slug=f"e{year}", date_text=f"{year}-02-20").join([collection])
    monkeypatch.setattr(days, "PER_PAGE", 3)
    monkeypatch.setattr(feeds, "TODAY_LINES", 2)
    feed = feeds.today_feed(collection, "https://hodie.example", today=dt.date(2024, 2, 20))
    assert feed.items[0].html == "<ul><li>1901: Event of 1901</li><li>1902: Event of 1902</li></ul><p>and 5 more</p>"
    assert days.count_day(collection, 2, 20) == 7


def test_the_today_feed_counts_a_day_only_up_to_its_cap(db, monkeypatch) -> None:
    """Past TODAY_MORE, "and N more" stops counting and says "more than": 7 entries, 2 listed, so 5
    more; with the cap at 4 the feed says "more than 4", and the count reads at most 2 + 4 + 1 rows."""
    collection = Collection.objects.create(slug="c", title="C")
    for year in range(1901, 1908):  # 7 entries on 20 February
        Entry.objects.create(title=f"Event of {year}", slug=f"e{year}", date_text=f"{year}-02-20").join([collection])
    monkeypatch.setattr(days, "PER_PAGE", 3)
    monkeypatch.setattr(feeds, "TODAY_LINES", 2)
    listed = "<ul><li>1901: Event of 1901</li><li>1902: Event of 1902</li></ul>"
    monkeypatch.setattr(feeds, "TODAY_MORE", 5)  # at the cap: the exact number
    feed = feeds.today_feed(collection, "https://hodie.example", today=dt.date(2024, 2, 20))
    assert feed.items[0].html == listed + "<p>and 5 more</p>"
    monkeypatch.setattr(feeds, "TODAY_MORE", 4)  # past it
    with CaptureQueriesContext(connection) as queries:
        feed = feeds.today_feed(collection, "https://hodie.example", today=dt.date(2024, 2, 20))
    assert feed.items[0].html == listed + "<p>and more than 4 more</p>"
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and re.search(r"LIMIT 7\b", counts[0]), counts  # 2 listed + 4 + 1
    assert days.count_day(collection, 2, 20, at_most=3) == 3
    assert days.count_day(collection, 2, 20, at_most=8) == 7


@pytest.mark.parametrize("choice", [None, "standard", "observance"])
def test_a_days_pages_follow_the_date_order_across_28_and_29_february(db, monkeypatch, choice) -> None:
    """A day's page is read from an index (the memberships', or the entries' for a calendar the
    reader chooses), each day key's rows up to the page's end, then merged: on 28 February of a
    common year the 29th's entries fall in among the 28th's by date, whatever order they were filed
    in, on every page; an entry of another collection on the same day is not listed."""
    collection = Collection.objects.create(slug="c", title="C")
    other = Collection.objects.create(slug="o", title="O")
    for text in ["1905-02-28", "1896-02-29", "1902-02-28", "1906-02-28", "1904-02-29", "1901-02-28", "1903-02-28"]:
        Entry.objects.create(title=f"Event of {text}", slug=f"e{text}", date_text=text).join([collection])
    Entry.objects.create(title="Elsewhere", slug="elsewhere", date_text="1900-02-28").join([other])
    monkeypatch.setattr(days, "PER_PAGE", 2)
    common = dt.date(2027, 2, 28)
    pages = [days.build_day(collection, 2, 28, choice, on_date=common, page_number=n) for n in (1, 2, 3, 4, 5)]
    assert [[e.year for e in page.entries] for page in pages] == [
        [1896, 1901], [1902, 1903], [1904, 1905], [1906], []
    ]  # fmt: skip
    assert [page.has_next for page in pages] == [True, True, True, False, False]
    whole = days.build_day(collection, 2, 28, choice, on_date=common)
    assert [e.year for e in whole.entries] == [1896, 1901, 1902, 1903, 1904, 1905, 1906]
    assert [e.year for e in days.build_day(collection, 2, 28, choice, page_number=2).entries] == [1903, 1905]


def test_a_changed_date_moves_the_entry_in_its_days_order(db) -> None:
    """The day's order is a copy of each entry's date on its memberships: changing the date (the
    admin, an import's update) refiles it, the year as much as the day."""
    collection = Collection.objects.create(slug="c", title="C")
    first = Entry.objects.create(title="First", slug="first", date_text="1901-02-20")
    first.join([collection])
    Entry.objects.create(title="Second", slug="second", date_text="1902-02-20").join([collection])
    assert [e.slug for e in days.build_day(collection, 2, 20, page_number=1).entries] == ["first", "second"]
    first.set_date("1903-02-20")
    first.save()
    assert [e.slug for e in days.build_day(collection, 2, 20, page_number=1).entries] == ["second", "first"]
    first.set_date("1900-03-01")
    first.save()
    assert [e.slug for e in days.build_day(collection, 2, 20).entries] == ["second"]
    assert [e.slug for e in days.build_day(collection, 3, 1).entries] == ["first"]


def test_imported_memberships_carry_their_entries_sort_key(demo) -> None:
    """The import writer's own rows (not Membership.save) fill the day's order too."""
    from hodie.almanac.models import Membership

    rows = list(Membership.objects.values_list("entry_jdn", "entry__earliest_jdn"))
    assert len([jdn for jdn, _ in rows if jdn is not None]) > 10
    assert [(jdn, own) for jdn, own in rows if jdn != own] == []


class Key(NamedTuple):
    pk: int
    kind: str
    featured: bool
    year: int | None
    earliest_jdn: int | None


def test_select_keeps_at_most_what_it_returns() -> None:
    """The widget's selection from key rows: featured, then told, then the five best anniversaries
    (in 2025: 1925 is a 100th, 1975 a 50th), and with ``most`` no more featured than that."""
    rows = [Key(1, "event", True, 1901, 10), Key(2, "event", True, 1902, 20), Key(3, "event", True, 1903, 30),
            Key(4, "event", False, 1910, 40), Key(5, "event", False, 1925, 50), Key(6, "holiday", False, 1975, 60),
            Key(7, "event", False, 1975, 70), Key(8, "event", False, 1980, 80)]  # fmt: skip
    assert [r.pk for r in select(iter(rows), {4}, 2025)] == [1, 2, 3, 4, 5, 7, 8]
    assert [r.pk for r in select(iter(rows), {4}, 2025, most=2)] == [1, 2, 4, 5, 7, 8]


def test_the_sitemap_names_each_listing_by_its_first_page_alone(tagged, client) -> None:
    """The sitemap lists a tag by its bare address, which answers 200 itself (no page number to move
    from); its later pages are reached by following "next"."""
    sitemap = client.get("/sitemap.xml").content.decode()
    listed = [url for url in re.findall(r"<loc>([^<]+)</loc>", sitemap) if "/tags/" in url]
    assert [url.split("/", 3)[3] for url in listed] == ["tags/everything/"]
    assert not [url for url in re.findall(r"<loc>([^<]+)</loc>", sitemap) if "?" in url]
    assert client.get("/tags/everything/").status_code == 200
