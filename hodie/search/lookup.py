"""A query answered from the stored keys: each word of it, in any script and spelling, is turned
into keys as the stored words were (hodie/search/spelling.py) and looked up by equality and by
prefix. Plain ``=`` and ranges on lowercase a-z keys behave alike on SQLite and PostgreSQL, so
both engines give the same hits for the same query (tests/search/test_engines.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from . import spelling
from .models import SearchKey

PREFIX_MIN = 4  # a query word of this many key letters also finds the words it begins (Khrush)
STEM_MIN, STEM_SLACK = 5, 3  # a stored stem of 5 letters or more finds the words it begins, if 3 or fewer longer
MAX_WORDS = 8
MAX_ROWS = 5000  # per query word: a bound on the work of a word found everywhere
# Which matched spelling is shown first: the name, its translation or an editor's alias, then the
# spellings English readers meet most (Wikipedia's, then BGN/PCGN), then the other schemes.
HOW_ORDER = {"name": 0, "translation": 1, "alias": 1, "popular": 2, "BGN/PCGN": 3}


@dataclass
class Found:
    kind: str
    object_id: int
    # The spellings that matched, as (spelling, how): how is "name", "translation", "alias", "text",
    # "translated" (a word of a translated title or summary) or a scheme.
    matched: list[tuple[str, str]] = field(default_factory=list)
    exact: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def also_written(self, name: str, latin: bool) -> str:
        """The spelling to show beside ``name`` when the reader typed another script or another name:
        "Kosenko" beside Косенко for a reader who typed Kossenko; empty when ``name`` itself matched
        in the script the reader typed (``latin`` or Cyrillic)."""
        for text, how in self.matched:
            if how == "name" and spelling.is_cyrillic(text) != latin:
                return ""
        for text, how in self.matched:
            if how not in ("name", "text", "translated") and spelling.is_cyrillic(text) != latin and text != name:
                return text
        return ""


def _condition(word: str) -> Q:
    """Stored words whose key or stem is one of the word's forms; whose key the word begins
    (Khrush finds Khrushchev); and whose stem begins the word, within a few letters (Tchaikovsky
    finds Чайковского, stemmed to чайковск): the last as equality with the word's own beginnings."""
    forms = set(spelling.keys(word)) | {spelling.stem(word)}
    beginnings = set(forms)
    for key in spelling.keys(word):
        beginnings |= {key[:n] for n in range(max(STEM_MIN, len(key) - STEM_SLACK), len(key))}
    condition = Q(key__in=forms) | Q(stem__in=beginnings)
    for key in spelling.keys(word):
        if len(key) >= PREFIX_MIN:
            # "Begins with" as a range, which both engines answer from the index (SQLite's LIKE is
            # case-blind and skips it): keys are lowercase a-z only, and at most 100 letters long,
            # so every key from ``key`` up to ``key`` followed by z's begins with ``key``.
            condition |= Q(key__gte=key, key__lte=key + "z" * (100 - len(key)))
    return condition


def find(query: str, kinds: tuple[str, ...] = ()) -> list[Found]:
    """Everything every word of ``query`` matches, ordered by kind and primary key (a caller ranks).
    Among an object's matched spellings, those whose key equals the word's come first."""
    words = [w for w in spelling.words(query) if spelling.keys(w)[0]][:MAX_WORDS]
    if not words:
        return []
    found: dict[tuple[str, int], Found] | None = None
    for word in words:
        rows = SearchKey.objects.filter(_condition(word))
        if kinds:
            rows = rows.filter(kind__in=kinds)
        exact = set(spelling.keys(word))
        this: dict[tuple[str, int], Found] = {}
        # Ordered before the bound, so that a word found everywhere gives the same hits on both engines.
        rows = rows.order_by("kind", "object_id")
        for kind, pk, text, how, key in rows.values_list("kind", "object_id", "spelling", "how", "key")[:MAX_ROWS]:
            hit = this.setdefault((kind, pk), Found(kind, pk))
            if (text, how) not in hit.matched:
                hit.matched.append((text, how))
            if key in exact:
                hit.exact.add((text, how))
        for hit in this.values():
            # Exact matches of the key before prefix matches, then by spelling, in Python: the engines'
            # collations order Cyrillic and Latin text differently, and the order decides what is shown.
            hit.matched.sort(key=lambda m, h=hit: (m not in h.exact, HOW_ORDER.get(m[1], 4), m[0], m[1]))
        if found is None:
            found = this
        else:
            found = {k: v for k, v in found.items() if k in this}
            for k, v in found.items():
                v.matched += [m for m in this[k].matched if m not in v.matched]
    return sorted((found or {}).values(), key=lambda f: (f.kind, f.object_id))
