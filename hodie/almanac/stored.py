"""The pieces of pages rendered once and kept: by-products of rendering, never edited, dropped when
the rows they were made from change (:mod:`hodie.almanac.lines`, :mod:`hodie.almanac.fragments`).
Kept apart from :mod:`hodie.almanac.models`, which holds what editors write."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.db import models

from .models import Entry


class EntryLine(models.Model):
    """An entry's line on a list page, rendered once and kept (:mod:`hodie.almanac.lines`): the
    HTML before and after the page's own "told in the article above" link, for one ``variant``
    (the interface language, the date order, the entries' language, and a digest of the code that
    renders a line), and on a day page the entry's JSON-LD Event. Deleted whenever the entry, its
    people, places or tags change."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, db_index=False, related_name="+")
    variant = models.CharField(max_length=64)
    head = models.TextField()
    tail = models.TextField()
    event = models.TextField(blank=True)  # a day page's: the entry's JSON-LD Event, relative addresses

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "variant"], name="unique_entry_line")]

    def __str__(self) -> str:
        return f"line of entry {self.entry_id} ({self.variant})"


class Fragment(models.Model):
    """A piece of a page rendered once and kept (:mod:`hodie.almanac.fragments`): an article's lead,
    a page's comment block, a collection's moving-holiday rules. ``key`` names the piece and every
    input its bytes depend on besides the rows it is made from (the language, a digest of the code
    that renders it); ``kind`` and ``owner`` (the article's or the collection's id) say which rows
    those are, so that a change to them deletes exactly the pieces it alters."""

    kind = models.CharField(max_length=16)
    owner = models.IntegerField(null=True, blank=True)
    key = models.CharField(max_length=200, unique=True)
    html = models.TextField()
    meta = models.TextField(blank=True)  # JSON: what the page needs beside the HTML (comment counts, rules)

    class Meta:
        indexes = [models.Index(fields=["kind", "owner"], name="fragment_kind_owner")]

    def __str__(self) -> str:
        return self.key


@functools.cache
def code_digest(paths: tuple[Path, ...], salt: str) -> str:
    """A short digest of the files a kept piece is rendered by, and of ``salt`` (the script prefix,
    whatever else its bytes depend on): part of its key, so that new code never reads old pieces."""
    digest = hashlib.sha1(salt.encode(), usedforsecurity=False)
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


HODIE = Path(__file__).resolve().parent.parent


@functools.cache  # read on every request that names a variant: the globs once a process
def item_code(writer: str) -> tuple[Path, ...]:
    """What an entry's kept item (the API's, a feed's, a calendar's) is made by besides the entry:
    the module ``writer`` that writes it (``hodie/almanac/<writer>.py``), the Markdown and HTML
    filters, the translations, the models, the date core and the interface's messages. Their
    :func:`code_digest` is in the item's variant, so a change to any of them is a new variant."""
    return (
        HODIE / "almanac" / f"{writer}.py",
        HODIE / "almanac" / "markup.py",
        HODIE / "almanac" / "translations.py",
        HODIE / "almanac" / "models.py",
        HODIE / "importers" / "html.py",
        *sorted((HODIE / "dates").glob("*.py")),
        *sorted((HODIE / "locale").glob("*/LC_MESSAGES/*.mo")),
    )
