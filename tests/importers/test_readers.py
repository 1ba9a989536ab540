"""Each reader on the project's own small fixtures (written for these tests): what it yields."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hodie.dates.recurring import parse_rule
from hodie.importers import blogger, bsd, csvfile, feed, jsonl, wikipedia, wxr
from hodie.importers.records import (
    ArticleRecord,
    AuthorRecord,
    CommentRecord,
    EntryRecord,
    HolidayRuleRecord,
    ImportProblem,
    Skipped,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"


def of(items, kind):
    return [item for item in items if isinstance(item, kind)]


def test_wxr_posts_pages_comments_and_skips():
    items = list(wxr.read(FIXTURES / "blog.wxr"))
    articles = of(items, ArticleRecord)
    assert [(a.title, a.kind, a.status) for a in articles] == [
        ("1939: Georgy Kosenko, NKVD spy", "article", "published"),
        ("Unfinished thoughts", "article", "draft"),
        ("About", "page", "published"),
        ("1812: The Moscow fire", "article", "scheduled"),
    ]
    post = articles[0]
    assert post.published == dt.datetime(2012, 2, 20, 15, 0, tzinfo=dt.UTC)
    assert post.tags == ("Россия", "NKVD")  # post_format is not a tag
    assert post.authors == ("hb",) and post.sticky
    assert "]]>" in post.body  # the CDATA split is joined again
    assert post.body.startswith("<p>First paragraph about Kosenko.</p>")
    assert "<br>" in post.body
    # the title "YEAR: Name, epithet" gives an entry on the post's local day, for review
    (entry,) = post.entries
    assert (entry.date, entry.title, entry.people, entry.needs_review) == (
        "20 February 1939", "Georgy Kosenko, NKVD spy", ("Georgy Kosenko",), True,
    )  # fmt: skip
    assert articles[1].published is None  # 0000-00-00 GMT on a draft
    comments = of(items, CommentRecord)
    assert [(c.author_name, c.status, c.comment_type, bool(c.parent_id)) for c in comments] == [
        ("ExecutedToday", "approved", "comment", False),
        ("Reader", "pending", "comment", True),
        ("Other blog", "approved", "pingback", False),
    ]
    assert comments[1].parent_id == comments[0].source_id
    assert [(s.kind, s.reason) for s in of(items, Skipped)] == [
        ("nav_menu_item", "a menu item"),
        ("article", "in the trash"),
    ]
    assert of(items, AuthorRecord) == [
        AuthorRecord(
            "blog.wxr: author hb".replace("blog.wxr", str(FIXTURES / "blog.wxr")), "Headsman Blogger", "", "hb"
        )
    ]


def test_wxr_refuses_what_is_not_wordpress(tmp_path):
    with pytest.raises(ImportProblem, match="not a WordPress export: the root element is <atom:feed>"):
        list(wxr.read(FIXTURES / "takeout-feed.atom"))
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item><title>x</title></channel></rss>")
    with pytest.raises(ImportProblem, match=r"broken.xml: not well-formed XML \(mismatched tag\) at line 1"):
        list(wxr.read(broken))


@pytest.mark.parametrize("reader", [wxr.read, blogger.read, feed.read])
def test_xml_entities_are_refused(reader):
    with pytest.raises(ImportProblem, match="entit"):
        list(reader(FIXTURES / "bomb.xml"))


def test_blogger_classic():
    items = list(blogger.read(FIXTURES / "blogger-classic.xml"))
    post, draft = of(items, ArticleRecord)
    assert post.status == "published" and draft.status == "draft"
    assert post.tags == ("NKVD", "1930s")
    assert post.permalink == "https://rushist.example/2012/02/kosenko.html"
    # published 22:30 on the 19th in California is the 20th in Moscow, the blog's zone
    assert post.entries[0].date == "20 February 1939"
    (comment,) = of(items, CommentRecord)
    assert comment.article_id == post.source_id and comment.author_name == "ExecutedToday"
    assert sorted(s.kind for s in of(items, Skipped)) == ["settings", "template"]


def test_blogger_takeout():
    items = list(blogger.read(FIXTURES / "takeout-feed.atom"))
    articles = of(items, ArticleRecord)
    assert [(a.title, a.kind, a.status) for a in articles] == [
        ("1918: Russia adopts the Gregorian calendar", "article", "published"),
        ("Draft post", "article", "draft"),
        ("About", "page", "published"),
    ]
    assert articles[0].permalink == "https://takeout.example/2019/02/calendar-reform.html"
    assert articles[0].tags == ("Calendar", "Reform")
    assert articles[0].entries[0].date == "14 February 1918"
    first, reply = of(items, CommentRecord)
    assert first.parent_id == "" and reply.parent_id == first.source_id
    assert [s.reason for s in of(items, Skipped)] == ["in the trash"]


def test_bsd_calendar():
    items = list(bsd.read(FIXTURES / "bsd" / "calendar.test"))
    entries = of(items, EntryRecord)
    assert [(e.date, e.title, e.kind) for e in entries] == [
        ("27 January 1944", "День снятия блокады Ленинграда", "event"),  # from the include, read once
        ("12 April 1961", "День космонавтики", "event"),
        ("5 April 1242", "Ледовое побоище", "event"),
        ("XXXX-01-14", "Старый Новый год", "holiday"),
        ("20 July 1969", "First footsteps on the Moon", "event"),
        ("22 August 1991", "A long line that goes on and on", "event"),
    ]
    assert entries[2].needs_review and not entries[1].needs_review
    assert entries[2].observance == (4, 5)
    assert {e.policy for e in entries} == {"observance"}
    assert entries[0].where == "ru/calendar.inc:5"
    assert [(r.title, r.rule) for r in of(items, HolidayRuleRecord)] == [
        ("Вознесение", "Paskha+39"),
        ("День работников геодезии", "03/SunSecond"),
    ]
    reasons = [s.reason for s in of(items, Skipped)]
    assert reasons == [
        "05/19*: a date marked * moves from year to year and no rule is given",
        "ChineseNewYear: an astronomical or lunar date Hodie does not compute",
    ]


@pytest.mark.parametrize(
    ("rule", "year", "expected"),
    [
        ("Easter", 2026, (4, 5)),
        ("Easter-2", 2024, (3, 29)),
        ("Paskha", 2026, (4, 12)),  # Orthodox Easter, Julian computus
        ("Paskha+39", 2025, (5, 29)),
        ("03/SunSecond", 2026, (3, 8)),
        ("10/SundayLast", 2026, (10, 25)),
        ("May Sun+2", 2026, (5, 10)),
        ("Nov Thu+4", 2026, (11, 26)),
        ("10/Sun-1", 2026, (10, 25)),
        ("Oct/SatThird-1", 2026, (10, 16)),
        ("SunThird Sep", 2026, (9, 20)),
        ("03/MonFifth", 2026, (3, 30)),
        ("02/MonFifth", 2026, None),
    ],
)
def test_moving_holidays(rule, year, expected):
    assert parse_rule(rule).on(year) == expected


def test_csv():
    items = list(csvfile.read(FIXTURES / "events.csv"))
    assert [(i.where.rsplit(":", 1)[1], i.title, i.kind, i.calendar, i.featured, i.observance) for i in items] == [
        ("2", "Georgy Kosenko (aka Kislov), NKVD spy, is shot", "death", None, True, None),
        ("3", "Battle of Borodino", "event", "julian", False, (9, 8)),
        ("4", "A day whose year nobody recorded", "holiday", None, False, None),
    ]
    assert items[0].tags == ("NKVD", "Spies")


def test_csv_unknown_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,title,colour\n1939-02-20,x,red\n")
    with pytest.raises(ImportProblem, match=r"bad.csv:1: unknown column\(s\) colour"):
        list(csvfile.read(bad))


def test_wikipedia_day_from_file_name():
    items = list(wikipedia.read(FIXTURES / "onthisday-02-20.json"))
    assert [(i.date, i.kind, i.featured) for i in items] == [
        ("20 February 1961", "event", True),
        ("20 February 44 BC", "event", False),
        ("20 February 1830", "birth", False),
        ("XXXX-02-20", "holiday", False),
    ]
    assert items[0].sources[0].url == "https://en.wikipedia.org/wiki/Vostok"
    assert items[2].people == ("Ivan Example",)


def test_wikipedia_without_a_day_is_refused(tmp_path):
    nameless = tmp_path / "response.json"
    nameless.write_text((FIXTURES / "onthisday-02-20.json").read_text())
    (problem,) = list(wikipedia.read(nameless))
    assert "cannot tell which day" in problem.reason


def test_feed_excerpts_and_links():
    items = list(feed.read(FIXTURES / "partner.rss"))
    first, second = of(items, ArticleRecord)
    assert first.full_url == "https://executedtoday.example/2012/02/20/1939-georgy-kosenko/"  # origLink, not feedproxy
    assert first.partner == "Executed Today"
    assert "NKVD shot its own man" in first.excerpt and "<script" not in first.excerpt
    assert first.entries[0].date == "20 February 1939"
    assert second.title == "A bold title without description"
    assert second.excerpt.startswith("<p>Only content here")
    assert of(items, Skipped)[0].reason == "no link to the full article"


def test_jsonl_typed_line_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "spaceship", "slug": "x"}\n{"type": "article", "title": "t"}\n')
    problems = list(jsonl.read(bad))
    assert problems[0].where.endswith("bad.jsonl:1") and "unknown type 'spaceship'" in problems[0].reason
    assert problems[1].where.endswith("bad.jsonl:2") and "the article has no id" in problems[1].reason


@pytest.mark.parametrize(
    ("dirty", "stored"),
    [
        # nh3 alone gives "<p><p></p></p>" for both: nested paragraphs, read differently when parsed again
        ("<p><select autofocus onfocus=alert(22)></p>", "<p></p><p></p><p></p>"),
        ("<p><object data=javascript:alert(16)></p>", "<p></p><p></p><p></p>"),
        ('<p>Kept <a href="https://ok.example" onclick="alert(1)">link</a></p>',
         '<p>Kept <a href="https://ok.example" rel="noopener">link</a></p>'),
    ],
)  # fmt: skip
def test_cleaned_html_is_a_fixed_point(dirty, stored):
    from hodie.importers.html import clean_html

    assert clean_html(dirty) == stored
    assert clean_html(stored) == stored


def test_the_registry_gives_each_formats_reader_and_the_cli_offers_exactly_those() -> None:
    from click.testing import CliRunner

    from hodie.cli import main
    from hodie.importers import READERS, reader

    assert reader("jsonl") is jsonl.read and reader("wxr") is wxr.read and reader("bsd-calendar") is bsd.read
    items = list(reader("feed", partner="A partner")(FIXTURES / "partner.rss"))
    assert items and all(i.partner == "A partner" for i in items if isinstance(i, ArticleRecord))
    with pytest.raises(ValueError, match="unknown import format 'docx'; use one of jsonl, csv,"):
        reader("docx")
    result = CliRunner().invoke(main, ["import", "docx", "x"])
    assert result.exit_code == 2
    for name in READERS:
        assert repr(name) in result.output


def test_record_or_problem_hands_back_the_problem_instead_of_raising_it() -> None:
    from hodie.importers import record_or_problem

    made = record_or_problem(EntryRecord, where="f.jsonl:1", title="Coronation", date="1547-01-16")
    assert isinstance(made, EntryRecord) and made.title == "Coronation"
    problem = record_or_problem(EntryRecord, where="f.jsonl:2", title="", date="1547-01-16")
    assert isinstance(problem, ImportProblem) and str(problem) == "f.jsonl:2: the title is empty"
