"""Pieces of a page rendered once and kept (:class:`Fragment`), beside the entry lines of
:mod:`hodie.almanac.lines`: what the day page's profile showed to cost most once the lines were
stored (docs/benchmarks.md, *Render path*).

- ``lead``: an article's lead as a day page shows it (its excerpt, or the first paragraphs of its
  body, through Markdown and nh3), per interface language. Dropped when the article is saved or
  deleted, and all of them when an image host is allowed or refused (an HTML lead's ``<img>`` from a
  refused host is written as a link).
- ``comments``: a page's comment block (the thread, then the form), kept by :mod:`hodie.social`
  with the form's token cut out (the token is a time, put back per request; no reader's CSRF token
  is ever in it). Dropped, all of them, when a comment that is or was shown is saved or deleted,
  and by the moderation paths that change comments with ``QuerySet.update`` (they call
  :func:`comments_changed`).
- ``rules``: a collection's moving-holiday rules, the rows themselves (as JSON), so that the day
  page reads them with its other fragments instead of a query of their own. Dropped when one of the
  collection's rules is saved or deleted.

A fragment's key holds everything its bytes depend on beyond those rows: the language, and a
digest of the code that renders it (a deploy with other code reads other keys; rows of older code
stay until their owner changes, or :func:`clear` drops them all). Like the lines, fragments are
written while a page is read; a write the database cannot take at once is skipped, and the piece is
rendered again next time (:func:`hodie.almanac.lines._store`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.urls import get_script_prefix
from markupsafe import Markup

from .models import Article, Fragment, HolidayRule
from .stored import code_digest

HODIE = Path(__file__).resolve().parent.parent
LOCALES = sorted((HODIE / "locale").glob("*/LC_MESSAGES/*.mo"))
# What each kind's bytes are made by, besides its rows: a change to any file is a new key.
CODE = {
    "lead": [HODIE / "almanac" / "markup.py", HODIE / "importers" / "html.py", HODIE / "media" / "hosts.py"],
    "comments": [
        HODIE / "social" / "jinja2" / "social" / "_comments.html",
        HODIE / "social" / "threads.py",
        HODIE / "social" / "comments.py",
        HODIE / "social" / "models.py",
        HODIE / "social" / "context_processors.py",
        HODIE / "almanac" / "markup.py",
        HODIE / "almanac" / "steering.py",
        HODIE / "site" / "jinja.py",
        *sorted((HODIE / "dates").glob("*.py")),
        *LOCALES,
    ],
    "rules": [HODIE / "almanac" / "models.py"],
}


#: More fragments a day page reads with its own, from apps the almanac does not import: each is
#: called with (request, collection, day_key, articles) and gives keys (hodie.social: the comment block).
DAY_PAGE_KEYS: list[Callable[..., list[str]]] = []


def digest(kind: str) -> str:
    return code_digest(tuple(CODE[kind]), f"{get_script_prefix()}\n{settings.TIME_ZONE}")


def lead_key(article_pk: int, language: str) -> str:
    return f"lead:{article_pk}:{language}:{digest('lead')}"


def rules_key(collection_pk: int) -> str:
    return f"rules:{collection_pk}:{digest('rules')}"


@functools.cache
def _select(count: int) -> str:
    name = connection.ops.quote_name
    table, marks = name(Fragment._meta.db_table), ", ".join(["%s"] * count)
    # S608: our own table and columns; the keys go in as parameters.
    return f"SELECT {name('key')}, html, meta FROM {table} WHERE {name('key')} IN ({marks})"  # noqa: S608


def read(keys: list[str]) -> dict[str, tuple[str, str]]:
    """The stored fragments among ``keys``, by key: (html, meta), in one statement on the bare cursor
    (the ORM would compile the same query anew on every page)."""
    if not keys:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_select(len(keys)), keys)
        return {key: (html, meta) for key, html, meta in cursor.fetchall()}


def store(*fragments: Fragment) -> None:
    """Keep newly rendered fragments; never makes the reader wait (see ``lines._store``)."""
    from .lines import _without_waiting

    if not fragments:
        return
    try:
        with _without_waiting(), transaction.atomic():
            Fragment.objects.bulk_create(fragments, ignore_conflicts=True)
    except DatabaseError:
        pass


def leads(articles: list[Article], language: str, stored: dict[str, tuple[str, str]]) -> dict[int, Markup]:
    """Each article's lead as the day page shows it to a reader of ``language``: the stored ones from
    ``stored`` (read with the page's other fragments), the others rendered now and stored."""
    from .markup import lead
    from .translations import shown

    found: dict[int, Markup] = {}
    fresh = []
    for article in articles:
        key = lead_key(article.pk, language)
        if key in stored:
            found[article.pk] = Markup(stored[key][0])  # noqa: S704 - stored from markup.lead, cleaned by nh3
            continue
        said = shown(article, "excerpt", language) if article.excerpt else shown(article, "body", language)
        html = str(lead(article, said))
        found[article.pk] = Markup(html)  # noqa: S704 - markup.lead's output
        fresh.append(Fragment(kind="lead", owner=article.pk, key=key, html=html))
    store(*fresh)
    return found


def rules(collection_pk: int, stored: dict[str, tuple[str, str]]) -> list[HolidayRule]:
    """The collection's moving-holiday rules, by title: from ``stored`` when there, else read (and
    kept as their rows' values)."""
    from . import day_sql

    sql = day_sql.statements()
    key = rules_key(collection_pk)
    if key in stored:
        rows = json.loads(stored[key][1])
    else:
        rows = [list(row) for row in day_sql.rows(sql["rules"], [collection_pk])]
        store(Fragment(kind="rules", owner=collection_pk, key=key, html="", meta=json.dumps(rows)))
    return [HolidayRule.from_db("default", sql["rule_names"], row) for row in rows]


def forget(kind: str, owner: int | None = None) -> None:
    """Drop the fragments of ``kind`` (of one owner, when given)."""
    found = Fragment.objects.filter(kind=kind)
    if owner is not None:
        found = found.filter(owner=owner)
    found.delete()


def comments_changed() -> None:
    """Drop every stored comment block: a comment was approved, hidden, deleted, edited, or came
    by Webmention. All of them rather than the ones showing it: a comment is in the block of its own
    page, of the day pages that show its article, of the home page on that day; finding that set
    is where invalidation bugs live, and comments change rarely next to how often pages are read."""
    forget("comments")


def clear() -> int:
    """Drop every stored fragment (after a deploy, to reclaim the rows of older code's keys)."""
    count, _ = Fragment.objects.all().delete()
    return count


def _article_changed(sender: Any, instance: Article, raw: bool = False, created: bool = False, **_: Any) -> None:
    if not created:  # a new article has no stored lead (primary keys are never reused)
        forget("lead", instance.pk)


def _rule_changed(sender: Any, instance: HolidayRule, raw: bool = False, **_: Any) -> None:
    forget("rules", instance.collection_id)


def _host_changed(sender: Any, **_: Any) -> None:
    forget("lead")


def connect() -> None:
    from hodie.media.models import ImageHost

    uid = "hodie.fragments"
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(_article_changed, sender=Article, dispatch_uid=f"{uid}.article.{name}")
        signal.connect(_rule_changed, sender=HolidayRule, dispatch_uid=f"{uid}.rule.{name}")
        signal.connect(_host_changed, sender=ImageHost, dispatch_uid=f"{uid}.host.{name}")
