"""Every format through the one writer: stored once, idempotent, all or nothing, per-kind counts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hodie.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
pytestmark = pytest.mark.django_db


@pytest.fixture
def russia(db):
    from hodie.almanac.models import Collection

    return Collection.objects.create(slug="ru", title="Russian history", region="ru")


def run_import(fmt: str, *paths: Path, extra: tuple[str, ...] = ()) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["import", fmt, *map(str, paths), "--collection", "ru", "--json", *extra])
    return result.exit_code, json.loads(result.output)


def test_wxr_import_counts_kinds_and_is_idempotent(russia):
    from hodie.almanac.models import Article, Entry
    from hodie.social.models import Comment

    code, first = run_import("wxr", FIXTURES / "blog.wxr")
    assert code == 0, first
    assert first["created"] == {
        "author": 1, "tag": 2, "article": 3, "page": 1, "entry": 2, "person": 1, "comment": 3, "media": 1,
    }  # fmt: skip
    assert first["skipped_by_kind"] == {"nav_menu_item": 1, "article": 1}
    code, second = run_import("wxr", FIXTURES / "blog.wxr")
    assert code == 0 and second["created"] == {} and second["updated"] == {}
    assert second["unchanged"] == {"author": 1, "article": 3, "page": 1, "comment": 3, "media": 1}
    post = Article.objects.get(title="1939: Georgy Kosenko, NKVD spy")
    assert "<script" not in post.body and "[caption" not in post.body
    assert [a.name for a in post.authors.all()] == ["Headsman Blogger"]
    entry = post.entries.get()
    assert (entry.edtf, entry.standard_key, entry.needs_review) == ("1939-02-20", 220, True)
    reply = Comment.objects.get(author_name="Reader")
    assert reply.parent.author_name == "ExecutedToday" and reply.status == "pending"
    assert 'href="javascript' not in reply.body
    assert Entry.objects.count() == 2


def test_changed_record_updates_in_place(russia, tmp_path):
    from hodie.almanac.models import Entry

    original = (FIXTURES / "events.csv").read_text()
    run_import("csv", FIXTURES / "events.csv")
    changed = tmp_path / "events.csv"
    changed.write_text(original.replace("Battle of Borodino", "The Battle of Borodino"))
    code, summary = run_import("csv", changed)
    assert code == 0 and summary["updated"] == {"entry": 1} and summary["unchanged"] == {"entry": 2}
    assert Entry.objects.get(source_id="csv-2").title == "The Battle of Borodino"


def test_csv_dates_are_read_honestly(russia):
    from hodie.almanac.models import Entry

    code, summary = run_import("csv", FIXTURES / "events.csv")
    assert code == 0, summary
    borodino = Entry.objects.get(source_id="csv-2")
    assert (borodino.edtf, borodino.calendar, borodino.standard_key, borodino.observance_key) == (
        "1812-08-26", "julian", 907, 908,
    )  # fmt: skip
    unknown_year = Entry.objects.get(source_id="csv-3")
    assert (unknown_year.edtf, unknown_year.year, unknown_year.display_year, unknown_year.standard_key) == (
        "XXXX-02-20", None, "", 220,
    )  # fmt: skip


def test_bsd_import_and_moving_holidays_on_day_pages(russia, client):
    from hodie.almanac.models import HolidayRule

    code, summary = run_import("bsd-calendar", FIXTURES / "bsd" / "calendar.test")
    assert code == 0, summary
    assert summary["created"] == {"entry": 6, "holiday rule": 2}
    assert summary["skipped_by_kind"] == {"line": 2}
    assert HolidayRule.objects.get(rule="Paskha+39").title == "Вознесение"
    from hodie.almanac.days import moving_holidays

    assert [h.title for h in moving_holidays(russia, 5, 21, 2026)] == ["Вознесение"]  # Orthodox Easter 2026 is 12 April
    assert moving_holidays(russia, 5, 21, 2025) == []
    page = client.get("/ru/january-14/").content.decode()
    assert "Старый Новый год" in page


def test_bad_line_stores_nothing_and_names_it(russia):
    from hodie.almanac.models import Entry, HolidayRule

    code, summary = run_import("bsd-calendar", FIXTURES / "bsd" / "calendar.bad")
    assert code == 1
    (error,) = summary["errors"]
    assert error["where"].endswith("bsd/calendar.bad:2")
    assert "30" in summary["errors"][0]["reason"]
    assert Entry.objects.count() == 0 and HolidayRule.objects.count() == 0


def test_blogger_both_formats(russia):
    from hodie.almanac.models import Article
    from hodie.social.models import Comment

    code, summary = run_import("blogger", FIXTURES / "blogger-classic.xml", FIXTURES / "takeout-feed.atom")
    assert code == 0, summary
    assert summary["created"]["article"] == 4 and summary["created"]["page"] == 1 and summary["created"]["comment"] == 3
    assert Article.objects.filter(status="draft").count() == 2
    reply = Comment.objects.get(body__contains="Thank you, Boris")
    assert reply.parent.author_name == "Boris"
    assert "onerror" not in Article.objects.get(source_id__endswith="post-1001").body


def test_feed_import_makes_partner_excerpts(russia):
    from hodie.almanac.models import Article
    from hodie.social.models import Partner

    code, summary = run_import("feed", FIXTURES / "partner.rss", extra=("--partner", "ExecutedToday.com"))
    assert code == 0, summary
    assert summary["created"]["article"] == 2 and summary["skipped_by_kind"] == {"article": 1}
    article = Article.objects.get(full_url="https://executedtoday.example/2012/02/20/1939-georgy-kosenko/")
    assert article.partner == Partner.objects.get(name="ExecutedToday.com")
    assert article.body == "" and "its own man" in article.excerpt


def test_wikipedia_import(russia):
    from hodie.almanac.models import Entry

    code, summary = run_import("wikipedia", FIXTURES / "onthisday-02-20.json")
    assert code == 0, summary
    assert summary["created"]["entry"] == 4
    rome = Entry.objects.get(title="A Roman event.")
    assert (rome.year, rome.display_year, rome.calendar) == (-43, "44 BC", "julian")
    assert Entry.objects.get(title__startswith="The Vostok").featured


def test_dry_run_stores_nothing(russia):
    from hodie.almanac.models import Article

    result = CliRunner().invoke(
        main, ["import", "wxr", str(FIXTURES / "blog.wxr"), "--collection", "ru", "--dry-run", "--json"]
    )
    assert result.exit_code == 0 and json.loads(result.output)["created"]["article"] == 3
    assert Article.objects.count() == 0


def test_export_import_export_is_byte_identical(demo, tmp_path, django_db_blocker):
    def invoke(*args: str) -> str:
        result = CliRunner().invoke(main, list(args))
        assert result.exit_code == 0, f"hodie {' '.join(args)}: {result.output}"
        return result.output

    demo_only = tmp_path / "demo.jsonl"
    invoke("export", "jsonl", "-o", str(demo_only))
    first = tmp_path / "first.jsonl"
    added = json.loads(invoke("import", "wxr", str(FIXTURES / "blog.wxr"), "--collection", "russia", "--json"))
    more = json.loads(
        invoke("import", "bsd-calendar", str(FIXTURES / "bsd" / "calendar.test"), "--collection", "russia", "--json")
    )
    invoke("export", "jsonl", "-o", str(first))
    from hodie.almanac import models
    from hodie.social import models as social

    # empty the database (flush cannot TRUNCATE inside the test's transaction on PostgreSQL)
    for model in (social.Comment, models.Article, models.HolidayRule, models.Entry, models.Person, models.Place,
                  models.Tag, social.Author, social.Partner, models.Collection):  # fmt: skip
        model.objects.all().delete()
    from hodie.almanac.models import Entry

    assert Entry.objects.count() == 0
    invoke("import", "jsonl", str(first), "--json")
    second = tmp_path / "second.jsonl"
    invoke("export", "jsonl", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    # Every article, comment, entry and holiday the two imports made is in the export beside the
    # demo's lines: a floor the demo alone does not reach.
    made = sum(n for summary in (added, more) for k, n in summary["created"].items() if k != "author")
    assert made >= 10, (added["created"], more["created"])
    lines, demo_lines = len(first.read_text().splitlines()), len(demo_only.read_text().splitlines())
    assert lines >= demo_lines + made, (lines, demo_lines, made)


def test_duplicate_id_is_caught_across_batches(russia, tmp_path, monkeypatch):
    """The ids met are remembered in the database, not only within one batch of the writer."""
    from hodie.almanac.models import Entry
    from hodie.writer import entries as writer

    monkeypatch.setattr(writer, "BATCH", 2)
    lines = [{"id": f"e{i}", "date": f"1812-09-0{i + 1}", "title": f"Entry {i}"} for i in range(4)]
    lines.append({"id": "e0", "date": "1812-09-09", "title": "Entry 0 again"})
    data = tmp_path / "entries.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, summary = run_import("jsonl", data)
    assert code == 0, summary
    assert summary["created"] == {"entry": 4}
    assert summary["skipped"] == [
        {"where": f"{data}:5", "kind": "entry", "reason": "duplicate of an earlier record (e0)"}
    ]
    assert Entry.objects.get(source_id="e0").title == "Entry 0"
    code, again = run_import("jsonl", data)
    assert again["unchanged"] == {"entry": 4} and len(again["skipped"]) == 1


def test_moving_holidays_in_the_wikimedia_holidays_list(russia, client):
    """Ascension (Пасха+39): 21 May in 2026 (Orthodox Easter 12 April), 29 May in 2025 (20 April)."""
    code, summary = run_import("bsd-calendar", FIXTURES / "bsd" / "calendar.test")
    assert code == 0, summary
    url = "/api/rest_v1/feed/onthisday/holidays/05/{}?collection=ru&year={}"
    holidays = client.get(url.format(21, 2026)).json()["holidays"]
    assert [(h["text"], h["date"]["rule"], h["date"]["computed_for"]) for h in holidays] == [
        ("Вознесение", "Paskha+39", 2026)
    ]
    assert "year" not in holidays[0]
    assert holidays[0]["pages"][0]["content_urls"]["desktop"]["page"].endswith("/ru/may-21/")
    assert client.get(url.format(21, 2025)).json()["holidays"] == []
    assert [h["text"] for h in client.get(url.format(29, 2025)).json()["holidays"]] == ["Вознесение"]
    everything = client.get("/api/rest_v1/feed/onthisday/all/05/21?collection=ru&year=2026").json()
    assert [h["text"] for h in everything["holidays"]] == ["Вознесение"]
    bad = client.get(url.format(21, "MMXXVI"))
    assert bad.status_code == 400 and "MMXXVI" in bad.json()["detail"]


def test_the_same_article_from_two_sources_is_stored_once(russia, tmp_path):
    """A blog's own post (its permalink) and a partner feed's item linking to the same page."""
    from hodie.almanac.models import Article

    url = "https://www.executedtoday.com/2008/02/20/1939-georgy-nikolayevich-kosenko/"
    post = {"type": "article", "id": "wxr-1939", "title": "1939: Kosenko", "body": "Full text.", "permalink": url}
    blog = tmp_path / "blog.jsonl"
    blog.write_text(json.dumps(post) + "\n")
    assert run_import("jsonl", blog)[1]["created"] == {"article": 1}
    feed = tmp_path / "partner.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>ET</title><link>https://www.executedtoday.com/</link>'
        f"<description>x</description><item><title>1939: Kosenko</title><link>{url}</link><guid>et-1939</guid>"
        "<description>Excerpt.</description></item></channel></rss>"
    )
    code, summary = run_import("feed", feed)
    assert code == 0, summary
    assert summary["created"].get("article") is None
    assert summary["skipped"][0]["reason"] == "the same article as wxr-1939, already stored from another source"
    assert Article.objects.count() == 1


def test_the_change_hash_is_the_one_earlier_versions_stored() -> None:
    """Stored entries carry this hash; if it changed, the first re-import after an upgrade would
    take every entry for changed. The values were computed by the writer of commit 45de5e1."""
    import datetime as dt

    from hodie.importers.records import ArticleRecord, EntryRecord, SourceRecord
    from hodie.writer import record_hash

    entry = EntryRecord(
        where="f:1", date="26 August 1812", title="Borodino", tags=("1812",), people=("Kutuzov",),
        sources=(SourceRecord("https://example.org/b", "B"),), observance=(9, 8), source_id="t-1", collections=("ru",),
    )  # fmt: skip
    published = dt.datetime(2020, 2, 20, 10, tzinfo=dt.UTC)
    article = ArticleRecord(where="f:2", source_id="p1", title="Post", published=published, entries=(entry,))
    assert record_hash(entry, "ru") == "0b1695b9e46af2eb550179cf310946c1ab0f0db3"
    assert record_hash(article, "et", "ru") == "a42a5393f7dbc6c509ebc2cb0fc7ec02c55b3957"
    assert record_hash(entry, "ru") != record_hash(entry, "world")


def test_long_tag_names_alike_in_their_first_hundred_characters_are_one_tag(russia, tmp_path):
    from hodie.almanac.models import Tag

    stem = "Siege " + "of the fortress " * 7  # 118 characters: the slug is cut at 100
    rows = [
        {"id": "t1", "date": "1939-02-20", "title": "One", "tags": [stem + "north"]},
        {"id": "t2", "date": "1939-02-21", "title": "Two", "tags": [stem + "south"]},
    ]
    path = tmp_path / "tags.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    code, summary = run_import("jsonl", path)
    assert code == 0, summary
    assert summary["created"] == {"entry": 2, "tag": 1}
    assert Tag.objects.get().slug == ("siege" + "-of-the-fortress" * 7)[:100]


def test_titles_that_slugify_alike_get_numbered_slugs_in_a_constant_number_of_queries(
    db, django_assert_max_num_queries
):
    from hodie.almanac.models import Article

    for n in range(40):  # Cyrillic titles slugify to nothing: all fall back to "article"
        Article.objects.create(title="Расстрел", body=f"Текст {n}.", status="published")
    with django_assert_max_num_queries(4):  # the old loop asked once per slug already taken: 41 queries here
        last = Article.objects.create(title="Ещё один", body="Текст.", status="published")
    slugs = set(Article.objects.values_list("slug", flat=True))
    assert slugs == {"article", *(f"article-{n}" for n in range(2, 42))}
    assert last.slug == "article-41"


BSD_MILITARY = Path(__file__).resolve().parents[3] / "shared" / "data" / "bsd-calendar" / "ru_RU" / "calendar.military"


@pytest.mark.shared
@pytest.mark.skipif(not BSD_MILITARY.is_file(), reason=f"{BSD_MILITARY} is absent")
def test_bsd_lines_stay_on_the_day_the_file_gives(russia, client):
    """ru_RU/calendar.military's "8 сент. … Бородинского сражения (1812 год)" in a Russian
    standard-policy collection: on 8 September, as calendar(1) shows it, not on 20 September."""
    from hodie.almanac.models import Membership

    code, summary = run_import("bsd-calendar", BSD_MILITARY)
    assert code == 0, summary
    borodino = Membership.objects.get(collection=russia, entry__title__contains="Бородинского")
    assert borodino.day_key == 908
    assert "Бородинского" in client.get("/ru/september-8/").content.decode()
    assert "Бородинского" not in client.get("/ru/september-20/").content.decode()
    # Every dated line of the file is on the day it gives.
    for line in BSD_MILITARY.read_text(encoding="utf-8").splitlines():
        if line[:1].isdigit() and "\t" in line:
            day = int(line.split()[0])
            title = re.sub(r"\s*\(\d+ год\)\s*$", "", line.split("\t", 1)[1]).strip()
            filed = Membership.objects.filter(collection=russia, entry__title=title)
            assert filed and all(m.day_key % 100 == day for m in filed), line
