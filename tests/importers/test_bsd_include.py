"""BSD calendar `#include` reads only the calendar's own folder and the system calendar folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hodie.importers import ImportProblem, bsd
from hodie.importers.records import EntryRecord


def titles_and_problems(path: Path) -> tuple[list[str], list[str]]:
    items = list(bsd.read(path))
    titles = [item.title for item in items if isinstance(item, EntryRecord)]
    problems = [str(item) for item in items if isinstance(item, ImportProblem)]
    return titles, problems


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "secret").write_text("01/01\tSecret from outside\n", encoding="utf-8")
    folder = tmp_path / "calendars"
    (folder / "ru_RU").mkdir(parents=True)
    (folder / "ru_RU" / "history").write_text("02/20\tKosenko shot, 1939\n", encoding="utf-8")
    os.symlink(tmp_path / "secret", folder / "link")
    return folder


@pytest.mark.parametrize(
    "include",
    ["../secret", "{outside}/secret", "link", "ru_RU/../../secret"],
    ids=["dot-dot", "absolute", "symlink-out", "dot-dot-inside"],
)
def test_an_include_leading_outside_is_refused_and_not_read(tree: Path, include: str) -> None:
    name = include.format(outside=tree.parent)
    main = tree / "calendar.main"
    main.write_text(f'#include "{name}"\n#include <ru_RU/history>\n', encoding="utf-8")
    titles, problems = titles_and_problems(main)
    assert titles == ["Kosenko shot"]
    assert problems == [
        f"{main}:1: #include {name}: outside the calendar's folder and the system ones "
        f"({tree}, /usr/share/calendar, /usr/local/share/calendar); not read"
    ]


def test_a_missing_include_is_named_as_missing(tree: Path) -> None:
    main = tree / "calendar.main"
    main.write_text("#include <calendar.nothing>\n", encoding="utf-8")
    assert titles_and_problems(main)[1] == [f"{main}:1: #include calendar.nothing: no such file beside calendar.main"]
