"""Control characters (NUL, \\x0b, \\x1b ...) and lone surrogates: refused by imports with FILE:LINE
and by the comment form; never in the database; never able to break a feed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from hodie.cli import main
from hodie.importers import controls
from tests.social.test_comments import ARTICLE, post

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Bad:
    field: str
    value: object
    reason: str


BAD = [
    Bad("title", "Borodino\x0b", "title holds the control character vertical tab (U+000B) at character 9"),
    Bad("title", "Bo\x00rodino", "title holds the control character NUL (U+0000) at character 3"),
    Bad("summary", "\x1b[31mred", "summary holds the control character escape (U+001B) at character 1"),
    Bad("tags", ["fine", "ba\x07d"], "tags[1] holds the control character U+0007 at character 3"),
    Bad("people", ["\ud800"], "people[0] holds a lone surrogate (U+D800) at character 1"),
]


@pytest.fixture
def russia(db):
    from hodie.almanac.models import Collection

    return Collection.objects.create(slug="ru", title="Russian history", region="ru")


@pytest.mark.parametrize("bad", BAD, ids=[b.reason.split(" at ")[0] for b in BAD])
def test_an_import_names_the_file_line_field_and_character_and_stores_nothing(tmp_path, russia, bad: Bad) -> None:
    from hodie.almanac.models import Entry, Person, Tag

    good = {"id": "ok-1", "date": "1812-08-26", "title": "Fine"}
    row = {"id": "bad-1", "date": "1812-09-07", "title": "Borodino", bad.field: bad.value}
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(row) + "\n", encoding="utf-8")  # \u escapes in the file
    result = CliRunner().invoke(main, ["import", "jsonl", str(path), "--collection", "ru"])
    assert result.exit_code != 0
    assert f"{path}:2: {bad.reason}; remove it from the source" in result.output
    assert (Entry.objects.count(), Tag.objects.count(), Person.objects.count()) == (0, 0, 0)


def test_tab_and_line_breaks_are_text(tmp_path, russia) -> None:
    from hodie.almanac.models import Entry

    row = {"date": "1812-09-07", "title": "Borodino", "body": "one\ttwo\r\nthree\n"}
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["import", "jsonl", str(path), "--collection", "ru"]).exit_code == 0
    assert Entry.objects.get().title == "Borodino"


def test_the_comment_form_refuses_control_characters(client, demo) -> None:
    from hodie.social.models import Comment

    response = post(client, ARTICLE, body="Look \x1b[2J here")
    assert response.status_code == 400
    assert "escape (U+001B) at character 6" in response.content.decode()
    assert not Comment.objects.filter(body__contains="here").exists()


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_comment_stored_with_a_control_character_does_not_break_the_comments_feed(client, demo, fmt) -> None:
    """One stored before the form refused them (SQLite takes \\x0b as it is)."""
    from hodie.almanac.models import Article
    from hodie.social.models import Comment

    article = Article.objects.get(source_id="demo-article-kosenko")
    Comment.objects.create(article=article, author_name="Vera\x1b", body="Tabs\x0bare not\x0cpages", status="approved")
    response = client.get(f"/comments/feed.{fmt}")
    assert response.status_code == 200
    text = response.content.decode()
    ElementTree.fromstring(response.content)  # well-formed XML
    assert "Tabsare notpages" in text and "Vera on" in text


def test_strip_keeps_everything_else() -> None:
    assert controls.strip("a\x00b\tc\nd\u200fe\x7f") == "ab\tc\nd\u200fe\x7f"
