"""Importers: one reader per format, each yielding :class:`~hodie.importers.records.EntryRecord`
values; :mod:`hodie.writer` is the one place that stores them. Readers never touch the ORM.

:data:`READERS` is the one list of formats: the ``hodie import`` command offers exactly these."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path

from .records import EntryRecord, ImportProblem, Item, SourceRecord, record_or_problem

# Format name -> (module in this package, what it reads). Modules are imported when a format is
# asked for, so that importing this package does not load every reader's parser (feedparser, nh3).
READERS: dict[str, tuple[str, str]] = {
    "jsonl": ("jsonl", "Hodie's own JSON Lines (what `hodie export` writes)"),
    "csv": ("csvfile", "a CSV table with a header row"),
    "bsd-calendar": ("bsd", "BSD calendar(1) files"),
    "wikipedia": ("wikipedia", "Wikimedia's On this day JSON"),
    "wxr": ("wxr", "a WordPress export (WXR)"),
    "blogger": ("blogger", "a Blogger export (Atom)"),
    "feed": ("feed", "an RSS or Atom feed of a partner's articles"),
}


def reader(fmt: str, partner: str = "") -> Callable[[Path], Iterator[Item]]:
    """The function that reads one file of ``fmt``; ``partner`` names whose articles a feed holds."""
    if fmt not in READERS:
        raise ValueError(f"unknown import format {fmt!r}; use one of {', '.join(READERS)}")
    module = importlib.import_module(f".{READERS[fmt][0]}", __name__)
    read: Callable[..., Iterator[Item]] = module.read
    if fmt == "feed":
        return lambda path: read(path, partner)
    return read


__all__ = ["READERS", "EntryRecord", "ImportProblem", "Item", "SourceRecord", "reader", "record_or_problem"]
