"""What every part of the writer shares: the run's summary, its collections, its lookups and
the records it has met."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from hodie.almanac.models import Article, Collection
from hodie.dates import HodieError
from hodie.importers.html import is_web_url
from hodie.importers.records import CommentRecord, EntryRecord, ImportProblem, OldLinkRecord
from hodie.social.models import Partner

from .lookups import Lookups, NamedIn
from .summary import ImportSummary


def check_web_url(where: str, label: str, url: str, hint: str = "") -> None:
    """Refuse a link that is not an http(s) address: pages make a link of it, and a
    ``javascript:`` or ``data:`` one would run in the reader's browser."""
    if url and not is_web_url(url):
        raise ImportProblem(where, f"{label} {url[:100]!r} is not an http(s) address{hint}")


class WriterBase:
    def __init__(self, default_collection: Collection | None, partner: Partner | None = None) -> None:
        self.default_collection = default_collection
        self.partner = partner
        self.summary = ImportSummary()
        self.lookups = Lookups(self.summary.created)
        self.named_in = NamedIn()
        self._collections: dict[str, Collection] = {}
        self._seen: set[tuple[str, str]] = set()  # all but entries, which are few per run
        self._seen_table = False
        self._entry_batch: list[EntryRecord] = []
        self._comments: list[CommentRecord] = []
        self._articles: dict[str, Article] = {}
        self._old_links: list[OldLinkRecord] = []

    def _collection(self, slug: str, where: str) -> Collection:
        if slug not in self._collections:
            found = Collection.objects.filter(slug=slug).first()
            if found is None:
                raise ImportProblem(where, f"no collection {slug!r}; create it first or pass --collection")
            self._collections[slug] = found
        return self._collections[slug]

    def _collections_for(self, slugs: tuple[str, ...], where: str) -> list[Collection]:
        slugs = slugs or ((self.default_collection.slug,) if self.default_collection else ())
        if not slugs:
            raise ImportProblem(where, "no collection: pass --collection SLUG or give 'collections'")
        return [self._collection(slug, where) for slug in slugs]

    def _default_slug(self) -> tuple[str, ...]:
        return (self.default_collection.slug,) if self.default_collection else ()

    def _first_time(self, kind: str, stable: str, where: str) -> bool:
        if (kind, stable) in self._seen:
            self.summary.skip(where, kind, f"duplicate of an earlier record ({stable})")
            return False
        self._seen.add((kind, stable))
        return True

    def _guarded(self, where: str, action: Callable[[], object]) -> None:
        try:
            with transaction.atomic():
                action()
        except (HodieError, ValueError, ValidationError) as err:
            self.summary.fail(where, err)
