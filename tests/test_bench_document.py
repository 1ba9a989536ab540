"""bench/run.py rewrites docs/benchmarks.md section by section: a run of some sections keeps every
other section, the hand-written ones included, where it stood, and the date and machine of the last
full run (it once dropped the sections it did not write)."""

from __future__ import annotations

import sys

from bench import run

DOCUMENT = """# Benchmarks

Written by `make bench` (bench/run.py) on 2026-11-30.

Machine: a machine of the last full run.

## Day lookup

A table.

## Search keys and related lists

Written by hand.

## HTTP

Figures.

## A collection of 1,000,000 entries

Written by hand too.
"""


def test_a_partial_run_keeps_every_section_and_the_header(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    document = tmp_path / "docs" / "benchmarks.md"
    document.write_text(DOCUMENT, encoding="utf-8")
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(sys, "argv", ["run.py", "none"])
    run.main()
    assert document.read_text(encoding="utf-8") == DOCUMENT


def test_a_section_the_file_lacks_is_added_at_the_end(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    document = tmp_path / "docs" / "benchmarks.md"
    document.write_text(DOCUMENT, encoding="utf-8")
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "wxr_section", lambda: ["## WXR reader memory", "", "Measured now."])
    monkeypatch.setattr(sys, "argv", ["run.py", "wxr"])
    run.main()
    written = document.read_text(encoding="utf-8")
    assert written.startswith(DOCUMENT.rstrip("\n"))
    assert written.endswith("## WXR reader memory\n\nMeasured now.\n")
