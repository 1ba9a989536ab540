"""A day-by-day blog moved in with `hodie import`: day pages, and every old address a 301 to its new page.

The old addresses below are written out by hand from the fixtures (tests/fixtures/dayposts-*.xml,
dayposts.wxr), not taken from the code that reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hodie.cli import main

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent.parent / "fixtures"

BLOGGER_POST = "February 20 in Russian history"
# (old address, the text its new page shows)
BLOGGER_LINKS = [
    ("/2008/02/february-20-in-russian-history.html", BLOGGER_POST),
    ("/2008/02/february-20-in-russian-history.html?m=1", BLOGGER_POST),
    ("/2008/02/february-20-in-russian-history.html?showComment=1203494400000", BLOGGER_POST),
    ("/2008/02/february-20-in-russian-history.html?m=0&showComment=1203494400000", BLOGGER_POST),
    ("/feeds/501/comments/default", BLOGGER_POST),
    ("/2009/02/21-fevralya.html", "21 февраля в истории России"),
    ("/2009/03/note-on-sources.html", "A note on sources"),
    ("/search/label/Russian%20history", "Russian history"),
    ("/search/label/Peter%20the%20Great", "Peter the Great"),
    ("/search/label/Notes", "Notes"),
    ("/feeds/posts/default", "<feed"),
    ("/feeds/comments/default", "<feed"),
]
WXR_LINKS = [
    ("/2011/02/20/feb-20/", "Feb. 20"),
    ("/?p=11", "Feb. 20"),
    ("/2011/03/15/on-this-day-march-15/", "On this day: March 15"),
    ("/?p=12", "On this day: March 15"),
    ("/2011/03/15/on-this-day-march-15/caesar-coin/", "On this day: March 15"),
    ("/?attachment_id=13", "On this day: March 15"),
    ("/about/", "About this blog"),
    ("/?page_id=2", "About this blog"),
    ("/2011/04/01/housekeeping/", "Housekeeping"),
    ("/?p=14", "Housekeeping"),
    ("/category/wars/", "Wars"),
    ("/category/sieges/", "Sieges"),
    ("/category/wars/sieges/", "Sieges"),
    ("/tag/rome/", "Rome"),
    ("/feed/", "<rss"),
    ("/comments/feed/", "<rss"),
]


@pytest.fixture
def russia(db):
    from hodie.almanac.models import Collection

    return Collection.objects.create(slug="ru", title="Russian history", region="ru")


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def follow(client, old: str) -> str:
    """The old address answers 301; its target answers 200. Returns the target's text."""
    first = client.get(old)
    assert first.status_code == 301, f"{old} answered {first.status_code}"
    target = first["Location"]
    assert target != old
    second = client.get(target)
    assert second.status_code == 200, f"{old} -> {target} answered {second.status_code}"
    return second.content.decode()


@pytest.mark.parametrize(
    ("fmt", "name", "links"),
    [("blogger", "dayposts-blogger.xml", BLOGGER_LINKS), ("wxr", "dayposts.wxr", WXR_LINKS)],
    ids=["blogger", "wxr"],
)
def test_every_old_link_answers_301_to_a_page_showing_it(client, russia, fmt, name, links) -> None:
    run("import", fmt, str(FIXTURES / name), "--collection", "ru")
    for old, shown in links:
        assert shown in follow(client, old), old


def test_links_that_were_never_kept_still_answer_404(client, russia) -> None:
    """The checker can fail: a draft's address, an address not in the export and a changed slug are 404s."""
    run("import", "blogger", str(FIXTURES / "dayposts-blogger.xml"), "--collection", "ru")
    for path in ("/2009/03/march-5.html", "/2008/02/never-written.html", "/search/label/Unknown"):
        assert client.get(path).status_code == 404, path


def test_redirects_are_editable_rows_and_an_edit_survives_reimport(client, russia) -> None:
    from django.contrib.redirects.models import Redirect

    path = str(FIXTURES / "dayposts-blogger.xml")
    run("import", "blogger", path, "--collection", "ru")
    row = Redirect.objects.get(old_path="/2009/03/note-on-sources.html")
    row.new_path = "/about/dates/"
    row.save()
    again = json.loads(run("import", "blogger", path, "--collection", "ru", "--json").output)
    assert (again["redirects"]["made"], again["redirects"]["already_there"]) == (0, 9)
    assert client.get("/2009/03/note-on-sources.html")["Location"] == "/about/dates/"


def test_day_post_shows_on_its_day_page_with_its_excerpt(client, russia) -> None:
    """The events are entries on 20 February, and the post is their article, shown with its excerpt."""
    run("import", "blogger", str(FIXTURES / "dayposts-blogger.xml"), "--collection", "ru")
    page = client.get("/ru/february-20/").content.decode()
    assert "Georgy Kosenko, NKVD spy" in page
    assert "Peter orders the new year counted from January" in page  # 1700, kept on the posted day
    assert BLOGGER_POST in page
    assert "Three things happened on this day." in page


def test_article_page_names_its_new_address_as_canonical(client, russia) -> None:
    run("import", "blogger", str(FIXTURES / "dayposts-blogger.xml"), "--collection", "ru")
    new = client.get("/2008/02/february-20-in-russian-history.html")["Location"]
    page = client.get(new).content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{new}">' in page
    assert "daysofrussia.example/2008" not in page.split("<body", 1)[0]


def test_dry_run_prints_the_plan_and_stores_nothing(russia) -> None:
    from django.contrib.redirects.models import Redirect

    from hodie.almanac.models import Article

    result = run("import", "blogger", str(FIXTURES / "dayposts-blogger.xml"), "--collection", "ru", "--dry-run")
    assert "Plan: 4 posts → 5 entries on 2 days; 2 posts on no day page" in result.output
    assert "A note on sources" in result.output
    assert not Article.objects.exists() and not Redirect.objects.exists()
    figures = json.loads(
        run("import", "wxr", str(FIXTURES / "dayposts.wxr"), "--collection", "ru", "--dry-run", "--json").output
    )["plan"]
    assert (figures["posts"], figures["entries"], figures["days"], figures["on_no_day_page"]) == (3, 5, 2, 1)


def test_admin_lists_posts_on_no_day_page_and_review_shows_both_dates(admin_client, russia) -> None:
    run("import", "blogger", str(FIXTURES / "dayposts-blogger.xml"), "--collection", "ru")
    listing = admin_client.get("/admin/almanac/article/?day_page=none").content.decode()
    assert "A note on sources" in listing
    assert BLOGGER_POST not in listing
    review = admin_client.get("/admin/almanac/entry/?needs_review__exact=1").content.decode()
    assert "Peter orders the new year counted from January" in review
    assert "2 March [O.S. 20 February] 1700" in review  # the date as read in Russia, both calendars
    assert "20 February" in review  # the day it was posted under
    assert "Georgy Kosenko" not in review  # 1939: after the switch, nothing to review


def test_events_are_linked_to_the_stored_people_and_places_they_name(russia) -> None:
    """An event's text that names a stored person (by an alias too) or place links its entry to them."""
    from hodie.almanac.models import Alias, Entry, Person, Place

    peter = Person.objects.create(name="Peter I")
    Alias.objects.create(person=peter, name="Peter the Great")
    Place.objects.create(name="Moscow")
    Place.objects.create(name="Mos")  # part of a word in the text: never a match
    run("import", "blogger", str(FIXTURES / "dayposts-blogger.xml"), "--collection", "ru")
    decree = Entry.objects.get(title="Peter orders the new year counted from January")
    assert list(decree.people.values_list("name", flat=True)) == ["Peter I"]
    assert not decree.places.exists()
    kosenko = Entry.objects.get(title="Georgy Kosenko, NKVD spy")  # "Shot in Moscow after a closed trial."
    assert list(kosenko.places.values_list("name", flat=True)) == ["Moscow"]
    assert not kosenko.people.exists()  # the post's label "Peter the Great" does not name him here
    assert Person.objects.count() == 1 and Place.objects.count() == 2  # nothing made from a label


def test_days_is_refused_for_formats_without_day_posts(tmp_path, russia) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text('{"date": "1939-02-20", "title": "Kosenko"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "jsonl", str(path), "--collection", "ru", "--days", "old-style"])
    assert result.exit_code != 0
    assert "--days is for a blog's day posts (blogger, wxr, feed), not jsonl" in result.output
