""" "Possibly related": up to five entries and articles for each entry and article, computed when
something changes and stored (hodie.search.models.Related), read by the page with one query.

The order is the issue's: the same people first, then the same places and tags, then words in
common. Within a tier more in common ranks higher; words count by rarity (a word in a tenth of the
texts says nothing). Articles are seen through their entries: an article is about the people,
places and tags of the entries it tells, and its own tags. Collections do not matter, and words
meet across scripts because their stems are the search keys (hodie/search/spelling.py).

All links and stems are read once into memory (:class:`Graph`, seven queries) and every list is
computed from there: a query per list cost 0.15 s a list on the demo.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection

from hodie.almanac import day_sql
from hodie.almanac.models import Article, Entry, Person, Place, Tag

from .models import Related, SearchKey

LIMIT = 5
TEXT_MIN_STEM = 4  # shorter stems (war, day) are too common to say two texts are alike
TEXT_MAX_SHARE = 0.1  # a stem in more than this share of the texts is left out (the, russian)
TEXT_MIN_WORDS = 2  # rare words two texts must share to count as alike (one is a coincidence)
HOLDERS_MAX = 200  # candidates taken from one person, place, tag or word (see Graph._nearest)
TIERS = {"person": 0, "place": 1, "tag": 1, "text": 2}
FIELDS = (("person", "people", Person), ("place", "places", Place), ("tag", "tags", Tag))

Ref = tuple[str, int]  # ("entry" | "article", primary key)


class Graph:
    """Every entry and published article with its people, places, tags and text stems."""

    def __init__(self) -> None:
        self.refs: list[Ref] = [("entry", pk) for pk in Entry.objects.values_list("pk", flat=True)]
        articles = set(Article.objects.published().values_list("pk", flat=True))
        self.refs += [("article", pk) for pk in sorted(articles)]
        self.links: dict[str, dict[Ref, set[int]]] = {}
        self.holders: dict[str, dict[int, set[Ref]]] = {}
        self.names: dict[str, dict[int, str]] = {}
        self.rarity_of: dict[str, dict[str, float]] = {}
        told = Article.entries.through.objects.filter(article_id__in=articles).values_list("article_id", "entry_id")
        self.told: dict[Ref, set[Ref]] = defaultdict(set)
        for article_id, entry_id in told:
            self.told[("article", article_id)].add(("entry", entry_id))
            self.told[("entry", entry_id)].add(("article", article_id))
        for reason, field, model in FIELDS:
            through = getattr(Entry, field).through
            column = f"{model.__name__.lower()}_id"
            links: dict[Ref, set[int]] = defaultdict(set)
            for entry_id, other in through.objects.values_list("entry_id", column):
                links[("entry", entry_id)].add(other)
            for article in [r for r in self.refs if r[0] == "article"]:
                for entry in self.told[article]:
                    links[article] |= links.get(entry, set())
            if reason == "tag":
                for article_id, tag_id in Article.tags.through.objects.filter(article_id__in=articles).values_list(
                    "article_id", "tag_id"
                ):
                    links[("article", article_id)].add(tag_id)
            holding: dict[int, set[Ref]] = defaultdict(set)
            for ref, ids in links.items():
                for i in ids:
                    holding[i].add(ref)
            holders = {i: sorted(refs) for i, refs in holding.items()}
            self.links[reason], self.holders[reason] = links, holders
            self.names[reason] = dict(model._default_manager.filter(pk__in=holders).values_list("pk", "name"))
            everyone = max(1, len(self.refs))
            self.rarity_of[reason] = {
                self.names[reason].get(i, ""): 1 + math.log(everyone / len(refs)) for i, refs in holders.items()
            }
        self.stems: dict[Ref, dict[str, str]] = defaultdict(dict)
        by_stem: dict[str, set[Ref]] = defaultdict(set)
        rows = SearchKey.objects.filter(how="text").values_list("kind", "object_id", "stem", "spelling")
        for kind, pk, stem, word in rows.order_by("pk"):
            if len(stem) >= TEXT_MIN_STEM:
                self.stems[(kind, pk)].setdefault(stem, word)
                by_stem[stem].add((kind, pk))
        texts = max(1, len(self.stems))
        common = max(2, TEXT_MAX_SHARE * texts)  # a pair of texts always counts, however few texts there are
        self.by_stem = {s: sorted(refs) for s, refs in by_stem.items() if 1 < len(refs) <= common}
        self.rarity = {s: math.log(texts / len(refs)) for s, refs in self.by_stem.items()}
        self.known = set(self.refs)

    def compute(self, ref: Ref) -> list[tuple]:
        """The related list of one entry or article, best first, as rows (kind, object_id, rank,
        other_kind, other_id, reason, because), not yet stored."""
        shared: dict[Ref, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for reason, _, _ in FIELDS:
            for i in self.links[reason].get(ref, ()):
                for other in self._nearest(self.holders[reason][i], ref):
                    shared[other][reason].add(self.names[reason].get(i, ""))
        # Per candidate: [tier, strength, reason, because]; a lower tier wins, then more strength.
        best: dict[Ref, list] = {}
        for other, reasons in shared.items():
            tier = min(TIERS[r] for r in reasons)
            # Within a tier, what is shared counts by rarity: a tag on four entries (nkvd) says more
            # than a place on forty (Moscow); the reason shown is the rarest thing in common.
            weights = {(r, n): self._rarity(r, n) for r in reasons if TIERS[r] == tier for n in reasons[r]}
            strength = sum(weights.values()) + sum(self._rarity(r, n) for r in reasons if TIERS[r] > tier
                                                   for n in reasons[r]) / 100  # fmt: skip
            reason, _ = max(weights, key=lambda k: (weights[k], k[1]))
            names = sorted((n for (r, n) in weights if r == reason), key=lambda n: -weights[(reason, n)])
            best[other] = [tier, strength, reason, ", ".join(names)]
        words: dict[Ref, list[str]] = defaultdict(list)
        scores: dict[Ref, float] = defaultdict(float)
        for stem, word in self.stems.get(ref, {}).items():
            for other in self._nearest(self.by_stem.get(stem, []), ref):
                scores[other] += self.rarity[stem]
                words[other].append(word)
        for other, score in scores.items():
            if other in best:
                best[other][1] += score  # within a tier, words in common count as much as a rare tag
            elif len(set(words[other])) >= TEXT_MIN_WORDS:
                best[other] = [TIERS["text"], score, "text", ", ".join(sorted(set(words[other]), key=str.lower)[:3])]
        # Itself, and what its page shows already (an entry's articles, an article's entries), are left out.
        left_out = self.told.get(ref, set()) | {ref}
        ranked = sorted(
            ((o, v) for o, v in best.items() if o not in left_out and o in self.known),
            key=lambda item: (item[1][0], -item[1][1], item[0][0], item[0][1]),
        )
        return [(ref[0], ref[1], n, o[0], o[1], v[2], v[3][:300]) for n, (o, v) in enumerate(ranked[:LIMIT], start=1)]

    def _rarity(self, reason: str, name: str) -> float:
        """log(texts / holders) of a shared person, place or tag, found by the name it was listed by."""
        return self.rarity_of[reason].get(name, 0.0)

    def _nearest(self, holders: list[Ref], ref: Ref) -> list[Ref]:
        """The holders of one person, place, tag or stem, or, when it has more than HOLDERS_MAX (a
        tag on 10,000 entries), the HOLDERS_MAX nearest to ``ref`` in the sorted list: each list then
        costs a bounded time, and the five kept from so many equals are as good as any five."""
        if len(holders) <= HOLDERS_MAX:
            return holders
        at = bisect.bisect_left(holders, ref)
        start = max(0, min(at - HOLDERS_MAX // 2, len(holders) - HOLDERS_MAX))
        return holders[start : start + HOLDERS_MAX]

    def neighbours(self, refs: Iterable[Ref]) -> set[Ref]:
        """``refs`` and every entry or article sharing a person, a place or a tag with one of them,
        or words enough: those whose lists may change when these change."""
        found = set(refs)
        for ref in list(found):
            for reason, _, _ in FIELDS:
                for i in self.links[reason].get(ref, ()):
                    found.update(self._nearest(self.holders[reason][i], ref))
            for stem in self.stems.get(ref, {}):
                found.update(self.by_stem.get(stem, ()))
        return found


def _store(graph: Graph, refs: Iterable[Ref]) -> int:
    refs = list(dict.fromkeys(refs))
    for kind in ("entry", "article"):
        ids = [pk for k, pk in refs if k == kind]
        for start in range(0, len(ids), 900):
            Related.objects.filter(kind=kind, object_id__in=ids[start : start + 900]).delete()
    quote = connection.ops.quote_name
    columns = ("kind", "object_id", "rank", "other_kind", "other_id", "reason", "because")
    sql = (
        f"INSERT INTO {quote(Related._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    rows: list[tuple] = []
    with connection.cursor() as cursor:  # plain executemany, as hodie.search.keys writes its rows
        for ref in refs:
            if ref in graph.known:
                rows += graph.compute(ref)
            if len(rows) >= 5000 or (rows and ref is refs[-1]):
                cursor.executemany(sql, rows)
                rows = []
    return len(refs)


def store(changed: Iterable[Ref]) -> int:
    """After ``changed`` entries or articles changed (or went): the lists of each, of those that list
    one of them now, and of those sharing something with one of them. Returns how many lists."""
    changed = set(changed)
    graph = Graph()
    listing: set[Ref] = set()
    for kind in ("entry", "article"):
        ids = sorted(pk for k, pk in changed if k == kind)
        for start in range(0, len(ids), 900):
            naming = Related.objects.filter(other_kind=kind, other_id__in=ids[start : start + 900])
            listing.update(naming.values_list("kind", "object_id"))
    return _store(graph, graph.neighbours(changed) | listing)


def store_all() -> int:
    """Every entry's and published article's list, afresh. Returns how many lists."""
    Related.objects.all().delete()
    graph = Graph()
    return _store(graph, graph.refs)


@dataclass
class Shown:
    obj: Entry | Article
    reason: str
    because: str
    because_language: str  # the language of what is shared: the named one's, or the related text's


NAMED = {"person": Person, "place": Place, "tag": Tag}


@functools.cache
def _statements() -> dict[str, Any]:
    """The list's reads as fixed SQL, as the day and entry pages' are (hodie/almanac/day_sql.py):
    compiling the same three ORM queries on every request cost a third of the entry page's CPU."""
    related = Related._meta.db_table
    entry_names, entry_cols = day_sql.columns(Entry, "e")
    article_names, article_cols = day_sql.columns(Article, "a")
    # S608: every name below is a table or column of our own models; values go in as parameters.
    named = " UNION ALL ".join(
        f"SELECT '{reason}', n.name, n.language, n.id FROM {model._meta.db_table} n "  # noqa: S608
        f"WHERE '{reason}' = %s AND n.name IN ({{names}})"
        for reason, model in NAMED.items()
    )
    return {
        "entry_names": entry_names,
        # the list's rows in rank order, each entry read in the same statement
        "rows": f"SELECT r.other_kind, r.other_id, r.reason, r.because, {entry_cols} FROM {related} r "  # noqa: S608
        f"LEFT JOIN {Entry._meta.db_table} e ON r.other_kind = 'entry' AND e.id = r.other_id "
        "WHERE r.kind = %s AND r.object_id = %s ORDER BY r.rank",
        "article_names": article_names,
        "articles": f"SELECT {article_cols} FROM {Article._meta.db_table} a WHERE a.id IN ({{ids}}) "  # noqa: S608
        f"AND {day_sql.PUBLISHED}",
        # each name's language: a reason's names, the others' placeholders given an empty list
        "named": named + " ORDER BY 1, 2, 4",
    }


def shown(obj: Entry | Article) -> list[Shown]:
    """The stored list of an entry or article with its objects: one statement for the list and its
    entries, one for its articles if it has any, and one for the language each shared name is
    written in if it names any."""
    sql = _statements()
    width = len(sql["entry_names"])
    rows = day_sql.rows(sql["rows"], [type(obj).__name__.lower(), obj.pk])
    entries = {
        row[1]: day_sql.from_row(Entry, sql["entry_names"], row[4 : 4 + width])
        for row in rows
        if row[0] == "entry" and row[4] is not None
    }
    article_ids = [row[1] for row in rows if row[0] == "article"]
    articles = {}
    if article_ids:
        statement = sql["articles"].format(ids=day_sql.marks(article_ids))
        for row in day_sql.rows(statement, [*article_ids, day_sql.published_now()]):
            article = day_sql.from_row(Article, sql["article_names"], row)
            articles[article.pk] = article
    names = {reason: sorted({n for r in rows if r[2] == reason for n in r[3].split(", ")}) for reason in NAMED}
    languages: dict[tuple[str, str], str] = {}
    if any(names.values()):
        params: list[Any] = []
        placeholders = []
        for reason in NAMED:
            wanted = names[reason] or [""]  # an empty name matches nothing: names are never empty
            params += [reason, *wanted]
            placeholders.append(day_sql.marks(wanted))
        statement = sql["named"]
        for marks in placeholders:  # each part's {names}, in order
            statement = statement.replace("{names}", marks, 1)
        languages.update(((reason, name), language) for reason, name, language, _ in day_sql.rows(statement, params))
    found = []
    for other_kind, other_id, reason, because, *_ in rows:
        other = entries.get(other_id) if other_kind == "entry" else articles.get(other_id)
        if other is not None:
            first = because.split(", ")[0]
            language = languages.get((reason, first), other.language)
            found.append(Shown(other, reason, because, language))
    return found
