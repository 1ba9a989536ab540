"""Keeping the keys and the related lists up to date: every save or delete through the ORM (the
admin, the editors' forms, the writer's updates in place) rewrites the keys of what changed and
the related lists it touches: a person's, place's or tag's keys at once (a few rows), an entry's
or article's keys and lists when the transaction commits. The writer's bulk inserts send no signal: hodie.writer calls
:func:`after_import` once at the end of an import instead."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from hodie.almanac.models import Alias, Article, Entry, Person, Place, Tag

from . import keys, related
from .models import SearchKey

# Inside an import: the people, places and tags it saved, whose keys wait for its end.
_deferred: ContextVar[set[tuple[str, int]] | None] = ContextVar("search_deferred", default=None)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Saves inside the block leave the keys and lists alone: an import rewrites them once at its
    end (:func:`after_import`), not once per record it updates."""
    token = _deferred.set(set())
    try:
        yield
    finally:
        _deferred.reset(token)


def _named_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if (waiting := _deferred.get()) is not None:
        waiting.add((keys.kind_of(instance), instance.pk))
        return
    keys.write(keys.kind_of(instance), [instance.pk])


def _alias_changed(sender: Any, instance: Alias, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if (waiting := _deferred.get()) is not None:
        waiting.add(("person", instance.person_id))
        return
    if Person.objects.filter(pk=instance.person_id).exists():
        keys.write("person", [instance.person_id])


# The entries and articles whose keys and lists wait for the transaction to commit (one thread's).
_pending = threading.local()


def _later(refs: list[tuple[str, int]]) -> None:
    """Rewrite these entries' and articles' keys and lists when the transaction commits (at once
    outside one): an admin save of an entry with its people, places and tags is one refresh, not
    four. Every signal queues a flush; the first to run does them all, the rest find nothing. A
    rolled-back transaction's refs wait for the next flush, which finds what is there then."""
    if not hasattr(_pending, "refs"):
        _pending.refs = set()
    _pending.refs.update(refs)
    transaction.on_commit(_flush)


def _flush() -> None:
    refs, _pending.refs = set(getattr(_pending, "refs", ())), set()
    if not refs:
        return
    for kind in ("entry", "article"):
        keys.write(kind, sorted(pk for k, pk in refs if k == kind))
    related.store(refs)


def _text_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if _deferred.get() is not None or kwargs.get("raw"):
        return
    _later([(keys.kind_of(instance), instance.pk)])


def _links_changed(sender: Any, instance: Any, action: str, model: Any, pk_set: Any, **kwargs: Any) -> None:
    """An entry's people, places or tags, or an article's entries or tags, changed from either side."""
    if _deferred.get() is not None or not action.startswith("post_"):
        return
    refs = [(keys.kind_of(instance), instance.pk)] if isinstance(instance, Entry | Article) else []
    if model in (Entry, Article):
        refs += [(model.__name__.lower(), pk) for pk in pk_set or ()]
    if refs:
        _later(refs)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    kind = keys.kind_of(instance)
    SearchKey.objects.filter(kind=kind, object_id=instance.pk).delete()
    if kind in ("entry", "article"):
        _later([(kind, instance.pk)])  # its own list goes, and the lists that named it are rewritten


def connect() -> None:
    for model in (Person, Place, Tag):
        post_save.connect(_named_saved, sender=model, dispatch_uid=f"search-keys-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-gone-{model.__name__}")
    for model in (Entry, Article):
        post_save.connect(_text_saved, sender=model, dispatch_uid=f"search-text-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-gone-{model.__name__}")
    post_save.connect(_alias_changed, sender=Alias, dispatch_uid="search-alias-saved")
    post_delete.connect(_alias_changed, sender=Alias, dispatch_uid="search-alias-gone")
    for through in (Entry.people.through, Entry.places.through, Entry.tags.through,
                    Article.entries.through, Article.tags.through):  # fmt: skip
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"search-links-{through.__name__}")


INLINE_MAX = 2000  # an import that stores more entries and articles leaves their keys and lists to a job


def refresh(since: Any) -> int:
    """The keys of the entries and articles stored or changed since ``since``, and the related
    lists of those and their neighbours. Returns how many entries and articles changed."""
    entries = list(Entry.objects.filter(updated__gte=since).values_list("pk", flat=True))
    articles = list(Article.objects.filter(updated__gte=since).values_list("pk", flat=True))
    keys.write("entry", entries)
    keys.write("article", articles)
    related.store([("entry", pk) for pk in entries] + [("article", pk) for pk in articles])
    return len(entries) + len(articles)


def _named_to_write(kind: str, saved: set[tuple[str, int]]) -> list[int]:
    """The people, places or tags whose keys are missing or stale after an import: those it saved,
    those with no key yet (made on the way by the writer), and people whose aliases differ from
    their stored alias keys (the writer adds aliases in bulk, which sends no signal)."""
    model = keys.MODELS[kind]
    stored = SearchKey.objects.filter(kind=kind).values("object_id")
    wanted = {pk for k, pk in saved if k == kind}
    wanted.update(model._default_manager.exclude(pk__in=stored).values_list("pk", flat=True))
    if kind == "person":
        typed = set(Alias.objects.values_list("person_id", "name"))
        indexed = set(SearchKey.objects.filter(kind="person", how="alias").values_list("object_id", "spelling"))
        wanted.update(pk for pk, _ in typed ^ indexed)
    return sorted(wanted)


def after_import(since: Any) -> None:
    """At the end of the writer's run, inside its transaction: the keys of the people, places and
    tags it touched at once; then :func:`refresh` at once for an import of up to INLINE_MAX entries
    and articles, else a job queued for when the import commits."""
    saved = _deferred.get() or set()
    for kind in ("person", "place", "tag"):
        keys.write(kind, _named_to_write(kind, saved))
    changed = Entry.objects.filter(updated__gte=since).count() + Article.objects.filter(updated__gte=since).count()
    if changed <= INLINE_MAX:
        refresh(since)
        return
    from .jobs import refresh_since

    transaction.on_commit(lambda: refresh_since.enqueue(since.isoformat()))
