"""Writing the search keys of an object (hodie.search.models.SearchKey), from what it says now:
people with their aliases, places and tags by name, entries and articles by the words of their
title and summary (an article's excerpt). A person's, place's or tag's name in Cyrillic also gets
its romanisations under the named schemes, stored as derived spellings (``how`` is the scheme):
an editor types only the aliases that are really other names (Kislov).

Translations are searched as the originals are (issue 16): a translated name is stored as
``translation``, with its romanisations, and the words of a translated title, summary or excerpt
as ``translated``. Those words are kept apart from ``text`` because "possibly related" compares
the ``text`` words of two entries (hodie/search/related.py), and its measured quality is of
originals compared with originals."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Model

from hodie.almanac.models import Alias, Article, Entry, Person, Place, Tag

from . import spelling
from .models import SearchKey

MODELS: dict[str, type[Model]] = {"person": Person, "place": Place, "tag": Tag, "entry": Entry, "article": Article}
TEXT_MIN_LETTERS = 3  # shorter words of a title or summary (of, в, на) are not worth a key
WORDS = ("text", "translated")  # stored word by word, each word its own spelling


def kind_of(obj: Model) -> str:
    return type(obj).__name__.lower()


def spellings(name: str, how: str) -> list[tuple[str, str]]:
    """(spelling, how) for a name as written and each romanisation derived from it."""
    return [(name, how)] + [(spelled, scheme) for scheme, spelled in spelling.romanisations(name)]


def _rows(kind: str, pk: int, spelled: Iterable[tuple[str, str]]) -> list[tuple[str, int, str, str, str, str]]:
    """The key rows of one object, as tuples in ``COLUMNS`` order, each once."""
    rows: dict[tuple[str, int, str, str, str, str], None] = {}
    for text, how in spelled:
        for word in spelling.words(text):
            if how in WORDS and len(word) < TEXT_MIN_LETTERS:
                continue
            shown = word if how in WORDS else text[:300]
            stem = spelling.stem(word)[:100]
            for key in spelling.keys(word):
                if key:
                    rows[(kind, pk, shown, how, key[:100], stem)] = None
    return list(rows)


# What each kind is read by (values, never model instances: 20,000 of them cost more than their keys).
FIELDS = {"person": ("pk", "name"), "place": ("pk", "name"), "tag": ("pk", "name"),
          "entry": ("pk", "title", "summary"), "article": ("pk", "title", "excerpt")}  # fmt: skip
TAGS = re.compile(r"<[^>]*>")
COLUMNS = ("kind", "object_id", "spelling", "how", "key", "stem")


def _translated(kind: str, translations: dict | None) -> list[str]:
    """The texts of ``translations`` in the fields the original is searched by, each language in turn."""
    fields = FIELDS[kind][1:]
    return [
        TAGS.sub(" ", texts[field]) if field == "excerpt" else texts[field]
        for _, texts in sorted((translations or {}).items())
        if isinstance(texts, dict)
        for field in fields
        if isinstance(texts.get(field), str) and texts[field]
    ]


def _spelled(kind: str, values: tuple, aliases: dict[int, list[str]]) -> list[tuple[str, str]]:
    pk, *texts, translations = values
    if kind in ("person", "place", "tag"):
        found = spellings(texts[0], "name")
        for alias in aliases.get(pk, []):
            found += spellings(alias, "alias")
        for name in _translated(kind, translations):
            found += spellings(name, "translation")
        return found
    if kind == "article":  # imported HTML: its words only
        texts[1] = TAGS.sub(" ", texts[1])
    return [(text, "text") for text in texts] + [(text, "translated") for text in _translated(kind, translations)]


def _insert(rows: list[tuple[str, int, str, str, str, str]]) -> None:
    """Plain ``executemany``, as the writer inserts entries: bulk_create compiles each value."""
    quote = connection.ops.quote_name
    table = quote(SearchKey._meta.db_table)
    columns = ", ".join(quote(SearchKey._meta.get_field(name).column) for name in COLUMNS)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608 - our names
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def write(kind: str, pks: Iterable[int] | None = None) -> int:
    """(Re)write the keys of the objects of ``kind`` with these primary keys (all when None);
    the rows of objects no longer there go too. Returns the number of rows written."""
    model = MODELS[kind]
    objects = model._default_manager.order_by()
    chunks: list[list[int] | None] = [None]
    if pks is not None:
        pks = list(pks)
        chunks = [pks[start : start + 900] for start in range(0, len(pks), 900)]
    written = 0
    for chunk in chunks:
        stored = SearchKey.objects.filter(kind=kind)
        found = objects
        aliases: dict[int, list[str]] = {}
        if chunk is not None:
            stored, found = stored.filter(object_id__in=chunk), found.filter(pk__in=chunk)
        if kind == "person":
            named = Alias.objects.all() if chunk is None else Alias.objects.filter(person_id__in=chunk)
            for person_id, name in named.values_list("person_id", "name").order_by("pk"):
                aliases.setdefault(person_id, []).append(name)
        stored.delete()  # one DELETE: nothing points at a key, no signal listens
        rows: list[tuple[str, int, str, str, str, str]] = []
        for values in found.values_list(*FIELDS[kind], "translations").iterator(chunk_size=2000):
            rows += _rows(kind, values[0], _spelled(kind, values, aliases))
            if len(rows) >= 20000:  # a bounded list, however many objects
                _insert(rows)
                written, rows = written + len(rows), []
        _insert(rows)
        written += len(rows)
    return written


def write_all() -> int:
    return sum(write(kind) for kind in MODELS)
