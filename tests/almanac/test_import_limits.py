"""Input that used to end `hodie import` with a traceback now gets FILE:LINE and its reason."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from hodie.cli import main

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    name: str
    line: str
    reason: str


CASES = [
    Case("200,000-deep JSON", "[" * 200_000 + "]" * 200_000, "nested too deeply to read"),
    Case("lone surrogate", json.dumps({"date": "1812-09-07", "title": "\ud800"}), "a lone surrogate (U+D800)"),
    Case("5,000-digit id", '{"id": ' + "9" * 5000 + ', "date": "1812-09-07", "title": "x"}', "too many digits"),
    Case("far year", json.dumps({"date": "Y99999999999999999999", "title": "x"}), "lies too far away to store"),
    Case(
        "before the first instant",
        json.dumps({"type": "article", "id": "a1", "title": "x", "published": "0001-01-01T00:00+05:00"}),
        "published '0001-01-01T00:00+05:00' is out of range",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_file_and_line_not_a_traceback(tmp_path, demo, case: Case) -> None:
    from hodie.almanac.models import Article, Entry

    before = (Entry.objects.count(), Article.objects.count())
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"date": "1939-02-20", "title": "Fine"}) + "\n" + case.line + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "jsonl", str(path), "--collection", "russia"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert f"{path}:2: " in result.output and case.reason in result.output
    assert (Entry.objects.count(), Article.objects.count()) == before
