"""``hodie export jsonl``: everything stored, as lines that ``hodie import jsonl`` reads back.

Order and content are deterministic (by primary key, lists sorted), and every object carries a
stable id, so export → import into an empty database → export gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from .models import Article, Author, Collection, Comment, Entry, HolidayRule, Partner, Person, Place, Tag


def _time(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else ""


def _entry_id(entry: Entry) -> str:
    return entry.source_id or f"hodie:entry:{entry.slug}"


def _compact(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values (the reader's defaults), keeping ``type`` first."""
    return {k: v for k, v in obj.items() if k == "type" or v not in ("", None, [], False)}


def objects() -> Iterator[dict[str, Any]]:
    for c in Collection.objects.order_by("pk"):
        yield _compact({"type": "collection", "slug": c.slug, "title": c.title, "region": c.region,
                        "anniversary_policy": c.anniversary_policy, "language": c.language,
                        "description": c.description})  # fmt: skip
    for p in Partner.objects.order_by("pk"):
        yield _compact({"type": "partner", "slug": p.slug, "name": p.name, "site_url": p.site_url,
                        "feed_url": p.feed_url, "attribution": p.attribution,
                        "description": p.description})  # fmt: skip
    for person in Person.objects.order_by("pk").prefetch_related("aliases"):
        yield _compact({"type": "person", "slug": person.slug, "name": person.name, "description": person.description,
                        "aliases": sorted(a.name for a in person.aliases.all())})  # fmt: skip
    for place in Place.objects.order_by("pk"):
        yield _compact({"type": "place", "slug": place.slug, "name": place.name, "description": place.description})
    for tag in Tag.objects.order_by("pk"):
        yield _compact({"type": "tag", "slug": tag.slug, "name": tag.name})
    for author in Author.objects.order_by("pk"):
        yield _compact({"type": "author", "name": author.name, "url": author.url})
    entries = Entry.objects.order_by("pk").prefetch_related("collections", "people", "tags", "places", "sources")
    for e in entries.iterator(chunk_size=2000):
        observance = (
            f"{e.observance_month:02d}-{e.observance_day:02d}" if e.observance_month and e.observance_day else ""
        )
        yield _compact({
            "type": "entry", "id": _entry_id(e), "slug": e.slug, "date": e.date_text, "calendar": e.calendar,
            "kind": e.kind, "title": e.title, "summary": e.summary, "body": e.body, "featured": e.featured,
            "observance": observance, "policy": e.policy, "needs_review": e.needs_review,
            "collections": sorted(c.slug for c in e.collections.all()),
            "people": sorted(p.name for p in e.people.all()),
            "tags": sorted(t.name for t in e.tags.all()),
            "places": sorted(p.name for p in e.places.all()),
            "sources": [_compact({"url": s.url, "title": s.title, "publisher": s.publisher})
                        for s in sorted(e.sources.all(), key=lambda s: s.pk)],
        })  # fmt: skip
    for rule in HolidayRule.objects.order_by("pk").select_related("collection"):
        yield _compact({"type": "holiday_rule", "id": rule.source_id or f"hodie:rule:{rule.pk}", "title": rule.title,
                        "rule": rule.rule, "collections": [rule.collection.slug]})  # fmt: skip
    articles = Article.objects.order_by("pk").select_related("partner").prefetch_related("authors", "tags", "entries")
    for a in articles:
        yield _compact({
            "type": "article", "id": a.source_id or f"hodie:article:{a.slug}", "kind": a.kind, "slug": a.slug,
            "title": a.title, "status": a.status, "published": _time(a.publish_at), "excerpt": a.excerpt,
            "body": a.body, "markup": a.markup, "permalink": a.permalink, "full_url": a.full_url,
            "authors": sorted(x.name for x in a.authors.all()), "tags": sorted(t.name for t in a.tags.all()),
            "partner": a.partner.name if a.partner else "", "cowritten": a.cowritten, "sticky": a.sticky,
            "entries": sorted(_entry_id(e) for e in a.entries.all()),
        })  # fmt: skip
    comments = Comment.objects.order_by("pk").select_related("article", "parent")
    for c in comments.iterator(chunk_size=2000):
        yield _compact({
            "type": "comment", "id": c.source_id or f"hodie:comment:{c.pk}",
            "article": c.article.source_id or f"hodie:article:{c.article.slug}",
            "parent": (c.parent.source_id or f"hodie:comment:{c.parent.pk}") if c.parent else "",
            "author_name": c.author_name, "author_email": c.author_email, "author_url": c.author_url,
            "body": c.body, "markup": c.markup, "status": c.status, "comment_type": c.comment_type,
            "created": _time(c.created),
        })  # fmt: skip


def lines() -> Iterator[str]:
    for obj in objects():
        yield json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
