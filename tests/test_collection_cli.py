"""`hodie collection add` on a fresh site, and what `hodie import` says when there is no collection."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hodie.cli import main

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_collection_add_makes_a_collection_an_import_can_fill() -> None:
    from hodie.almanac.models import Collection, Entry

    made = run("collection", "add", "ru", "--title", "Russian history", "--region", "ru", "--policy", "julian")
    assert made.exit_code == 0, made.output
    found = Collection.objects.get(slug="ru")
    made_as = (found.title, found.region, found.anniversary_policy, found.language)
    assert made_as == ("Russian history", "ru", "julian", "en")
    imported = run("import", "blogger", str(FIXTURES / "dayposts-blogger.xml"), "--collection", "ru")
    assert imported.exit_code == 0, imported.output
    assert Entry.objects.filter(collections=found).count() == 5
    listed = run("collection", "list")
    assert "ru\tRussian history\tregion ru\tpolicy julian\t5 entries" in listed.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "X", "--region", "mars"], "Invalid value for '--region': 'mars' is not one of"),
        (["--title", "X", "--policy", "lunar"], "Invalid value for '--policy': 'lunar' is not one of"),
        (["--region", "ru"], "Missing option '--title'"),
    ],
    ids=["region", "policy", "title"],
)
def test_collection_add_refuses_bad_options_by_name(args: list[str], message: str) -> None:
    from hodie.almanac.models import Collection

    result = run("collection", "add", "ru", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert not Collection.objects.exists()


def test_collection_add_refuses_a_taken_slug_and_a_bad_one() -> None:
    assert run("collection", "add", "ru", "--title", "Russian history").exit_code == 0
    again = run("collection", "add", "ru", "--title", "Other")
    assert again.exit_code != 0 and "There is already a collection 'ru'" in again.output
    bad = run("collection", "add", "not a slug!", "--title", "Other")
    assert bad.exit_code != 0 and "--slug:" in bad.output


def test_import_with_no_collection_says_exactly_how_to_make_one() -> None:
    from hodie.almanac.models import Article

    result = run("import", "wxr", str(FIXTURES / "dayposts.wxr"))
    assert result.exit_code != 0
    how = 'hodie collection add history --title "This day in history" --region world --policy standard'
    assert how in result.output
    assert "hodie import FORMAT FILE --collection history" in result.output
    named = run("import", "wxr", str(FIXTURES / "dayposts.wxr"), "--collection", "days")
    assert named.exit_code != 0
    assert 'hodie collection add days --title "…" --region world --policy standard' in named.output
    assert not Article.objects.exists()


def test_import_without_collection_option_uses_the_only_collection() -> None:
    """With a collection made, a blog's import needs no --collection: the site's default one is used."""
    from hodie.almanac.models import Entry

    assert run("collection", "add", "days", "--title", "Days", "--region", "gb").exit_code == 0
    result = run("import", "wxr", str(FIXTURES / "dayposts.wxr"))
    assert result.exit_code == 0, result.output
    assert Entry.objects.filter(collections__slug="days").count() == 5


def test_clear_stored_drops_every_stored_piece_and_pages_are_made_again(client) -> None:
    """`hodie clear-stored`: the demo's day page stores its lines and fragments; the command drops
    them all and says how many; the page is the same afterwards (made again)."""
    from hodie.almanac.models import EntryLine, Fragment
    from hodie.demo import load_demo
    from hodie.site import caching

    load_demo()
    page = client.get("/russia/february-20/").content
    lines, fragments = EntryLine.objects.count(), Fragment.objects.count()
    assert lines > 0 and fragments > 0
    done = run("clear-stored")
    assert done.exit_code == 0, done.output
    assert f"Dropped {lines} stored lines and items and {fragments} fragments." in done.output
    assert EntryLine.objects.count() == 0 and Fragment.objects.count() == 0
    caching.bump()  # the page cache would answer with the page stored before
    assert client.get("/russia/february-20/").content == page
    assert EntryLine.objects.count() > 0
