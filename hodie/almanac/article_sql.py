"""The article page's reads, written once as SQL, as the day and entry pages' are (day_sql.py,
entry_sql.py).

Profiling the article page (docs/benchmarks.md, *Render path*) found 38 % of its CPU in
``get_object_or_404`` over ``select_related`` and three ``prefetch_related`` lookups, compiled to
SQL anew on every request. The same reads are three fixed statements on the bare cursor: the
published article with its partner, its authors, and the entries it tells. The instances they make
answer ``article.authors.all()``, ``article.entries.all()`` and ``article.partner`` from what was
read, so templates and helpers are unchanged. (The entries' collections were prefetched too; nothing
on the page reads them.)
"""

from __future__ import annotations

import functools
from typing import Any

from django.http import Http404

from . import day_sql
from .models import Article, Entry


@functools.cache
def statements() -> dict[str, Any]:
    article_names, article_cols = day_sql.columns(Article, "a")
    # Partner and Author are the social app's: reached through the fields, not imported.
    partner = Article._meta.get_field("partner").related_model
    author = Article._meta.get_field("authors").related_model
    partner_names, partner_cols = day_sql.columns(partner, "p")
    author_names, author_cols = day_sql.columns(author, "au")
    entry_names, entry_cols = day_sql.columns(Entry, "e")
    authored, told = Article.authors.through._meta.db_table, Article.entries.through._meta.db_table
    # S608: every name below is a table or column of our own models; values go in as parameters.
    return {
        "article_names": article_names,
        "partner_model": partner,
        "partner_names": partner_names,
        "article": f"SELECT {article_cols}, {partner_cols} FROM {Article._meta.db_table} a "  # noqa: S608
        f"LEFT JOIN {partner._meta.db_table} p ON p.id = a.partner_id WHERE a.slug = %s AND {day_sql.PUBLISHED}",
        "author_model": author,
        "author_names": author_names,
        # in the authors' own order (Author.Meta: name), as the prefetch gave them
        "authors": f"SELECT {author_cols} FROM {authored} x JOIN {author._meta.db_table} au "  # noqa: S608
        "ON au.id = x.author_id WHERE x.article_id = %s ORDER BY au.name, au.id",
        "entry_names": entry_names,
        # in date order (Entry.Meta: earliest_jdn, pk)
        "entries": f"SELECT {entry_cols} FROM {told} x JOIN {Entry._meta.db_table} e "  # noqa: S608
        "ON e.id = x.entry_id WHERE x.article_id = %s ORDER BY e.earliest_jdn, e.id",
    }


def article_page(slug: str) -> Article:
    """The published article at ``slug`` with its partner, authors and entries read. Http404 when
    no published article has that slug (a draft, or one scheduled for later, is not found)."""
    sql = statements()
    found = day_sql.rows(sql["article"], [slug, day_sql.published_now()])
    if not found:
        raise Http404("No article at this address")
    width = len(sql["article_names"])
    article = day_sql.from_row(Article, sql["article_names"], found[0][:width])
    partner = None
    if article.partner_id is not None:
        partner = day_sql.from_row(sql["partner_model"], sql["partner_names"], found[0][width:])
    Article.partner.field.set_cached_value(article, partner)
    author, names = sql["author_model"], sql["author_names"]
    authors = [day_sql.from_row(author, names, row) for row in day_sql.rows(sql["authors"], [article.pk])]
    entries = [day_sql.from_row(Entry, sql["entry_names"], row) for row in day_sql.rows(sql["entries"], [article.pk])]
    article._prefetched_objects_cache = {}
    day_sql.prefetched(article, "authors", author, authors)
    day_sql.prefetched(article, "entries", Entry, entries)
    return article
