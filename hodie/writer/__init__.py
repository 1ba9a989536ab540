"""The one place imported records are stored: idempotent on a stable source id, in one
transaction, so a run with a bad record stores nothing and a second run changes nothing.

An editor's change in the admin is kept when the same file is imported again; a changed record in
the file wins over it. The parts: ``summary`` (what a run reports), ``hashing`` (a record's
fingerprint), ``rows`` (an entry's columns, declared once), ``lookups`` (people, tags, places,
authors and partners by name), ``entries``, ``articles``, ``objects``, ``comments`` and ``extras``
(redirects, media, image hosts).

It sits beside the apps rather than in one: it stores the almanac's entries and articles and the
social app's partners, authors and comments alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext

from django.db import connection, transaction
from django.utils import timezone

from hodie.almanac.models import Collection
from hodie.importers import controls
from hodie.importers.records import (
    ArticleRecord,
    AuthorRecord,
    CommentRecord,
    EntryRecord,
    HolidayRuleRecord,
    ImageHostRecord,
    ImportProblem,
    Item,
    MediaRecord,
    ObjectRecord,
    OldLinkRecord,
    RedirectRecord,
    Skipped,
)
from hodie.search import signals as search
from hodie.social.models import Partner
from hodie.social.signals import quiet

from .articles import ArticleWriting
from .base import check_web_url
from .comments import CommentWriting
from .extras import ExtrasWriting
from .hashing import record_hash
from .objects import ObjectWriting
from .redirects import RedirectWriting
from .rows import ENTRY_COLUMNS
from .summary import ImportFailed, ImportSummary

__all__ = [
    "ENTRY_COLUMNS", "ImportFailed", "ImportSummary", "Writer", "check_web_url", "import_records", "record_hash",
]  # fmt: skip

IMPORT_CACHE_KIB = 32 * 1024


class _Rollback(Exception):
    pass


class Writer(ArticleWriting, ObjectWriting, CommentWriting, RedirectWriting, ExtrasWriting):
    def add(self, item: Item) -> None:
        if isinstance(item, EntryRecord):
            self.add_entry(item)
            return
        self.flush()
        if isinstance(item, Skipped):
            self.summary.skip(item.where, item.kind, item.reason)
        elif isinstance(item, ArticleRecord):
            self._guarded(item.where, lambda: self.write_article(item))
        elif isinstance(item, CommentRecord):
            self._comments.append(item)
        elif isinstance(item, AuthorRecord):
            self._guarded(item.where, lambda: self.write_author(item))
        elif isinstance(item, HolidayRuleRecord):
            self._guarded(item.where, lambda: self.write_rule(item))
        elif isinstance(item, ObjectRecord):
            self._guarded(item.where, lambda: self.write_object(item))
        elif isinstance(item, OldLinkRecord):
            self.add_old_link(item)
        elif isinstance(item, RedirectRecord):
            self._guarded(item.where, lambda: self.write_redirect(item))
        elif isinstance(item, MediaRecord):
            self._guarded(item.where, lambda: self.write_media(item))
        elif isinstance(item, ImageHostRecord):
            self._guarded(item.where, lambda: self.write_image_host(item))

    def finish(self) -> None:
        self.flush()
        if not self.summary.errors:
            self._guarded("comments", self.write_comments)
        if not self.summary.errors:
            self._guarded("redirects", self.write_redirects)


@contextmanager
def _import_cache() -> Iterator[None]:
    """A larger SQLite page cache for the run (32 MiB, a fixed bound however long the input): the
    indexes of a million entries stop being re-read from the file. The connection's own size is
    restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def import_records(
    items: Iterable[Item],
    collection: Collection | None,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
    partner: Partner | None = None,
    announce: bool = False,
) -> ImportSummary:
    """Store every record in one transaction. Any problem: nothing is stored and
    :class:`ImportFailed` lists every problem with its ``FILE:LINE``.

    Published articles are stored as already announced (imported history is never sent out as
    Webmentions late) unless ``announce``: an editor accepting a partner's suggestion publishes
    something new."""
    writer = Writer(collection, partner)
    summary = writer.summary
    summary.dry_run = dry_run
    since = timezone.now()
    try:
        with transaction.atomic(), _import_cache(), nullcontext() if announce else quiet(), search.deferred():
            for item in items:
                if progress:
                    progress()
                if not isinstance(item, ImportProblem):  # control characters, NUL: refused, never stored
                    item = controls.record_problem(item) or item
                if isinstance(item, ImportProblem):
                    summary.errors.append({"where": item.where, "reason": item.reason})
                    continue
                writer.add(item)
            writer.finish()
            if summary.errors or dry_run:
                raise _Rollback
            search.after_import(since)  # keys and related lists, once for the run (hodie/search)
    except _Rollback:
        pass
    if summary.errors:
        raise ImportFailed(summary)
    if not dry_run:
        from hodie.site import caching

        caching.changed()  # the entries went in by plain SQL, which sends no signal
    return summary
