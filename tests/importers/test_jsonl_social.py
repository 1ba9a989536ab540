"""JSONL lines for the social app's records: an author's partner, a comment's badge."""

import pytest

from hodie.importers.jsonl import typed_record
from hodie.importers.records import AuthorRecord, CommentRecord, ImportProblem


def test_an_author_line_names_the_partner_the_author_writes_for():
    record = typed_record({"type": "author", "name": "Headsman", "partner": "ExecutedToday.com"}, "demo.jsonl:3")
    assert record == AuthorRecord("demo.jsonl:3", "Headsman", "", partner="ExecutedToday.com")


def test_a_comment_line_carries_its_badge():
    line = {"type": "comment", "id": "c1", "article": "a1", "body": "Thanks", "badge": "partner"}
    record = typed_record(line, "demo.jsonl:9")
    assert isinstance(record, CommentRecord) and record.badge == "partner"


def test_an_unknown_badge_is_refused_with_its_line():
    line = {"type": "comment", "id": "c1", "article": "a1", "body": "Thanks", "badge": "moderator"}
    with pytest.raises(ImportProblem, match="moderator") as caught:
        typed_record(line, "demo.jsonl:9")
    assert caught.value.where == "demo.jsonl:9"
