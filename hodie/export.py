"""``hodie export jsonl``: everything stored, as lines that ``hodie import jsonl`` reads back
(beside the apps, as the writer is: it reads the almanac's content and the social app's alike).

Order and content are deterministic (by primary key, lists sorted), and every object carries a
stable id, so export → import into an empty database → export gives the same bytes.

Comments on every kind of target are written (``article``, ``entry`` or ``day``), Webmention
replies with their source and mention, old addresses (django.contrib.redirects), the media files
imports stored (their references: the files stay in ``HODIE_MEDIA_ROOT``, copied beside the export)
and the allowed image hosts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.contrib.redirects.models import Redirect

from hodie.almanac.models import Article, Collection, Entry, HolidayRule, Person, Place, Tag
from hodie.media.models import ImageHost, MediaFile
from hodie.social.models import Author, Comment, Mention, Partner


def _time(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else ""


def _entry_id(entry: Entry) -> str:
    return entry.source_id or f"hodie:entry:{entry.slug}"


def _compact(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values (the reader's defaults), keeping ``type`` first."""
    return {k: v for k, v in obj.items() if k == "type" or v not in ("", None, [], {}, False)}


def _sorted(translations: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Translations in a fixed order (PostgreSQL's jsonb keeps its own), so exports compare as bytes."""
    return {language: dict(sorted(texts.items())) for language, texts in sorted((translations or {}).items())}


def objects() -> Iterator[dict[str, Any]]:
    for c in Collection.objects.order_by("pk"):
        yield _compact({"type": "collection", "slug": c.slug, "title": c.title, "region": c.region,
                        "anniversary_policy": c.anniversary_policy, "language": c.language,
                        "description": c.description, "translations": _sorted(c.translations)})  # fmt: skip
    for p in Partner.objects.order_by("pk"):
        yield _compact({"type": "partner", "slug": p.slug, "name": p.name, "site_url": p.site_url,
                        "feed_url": p.feed_url, "attribution": p.attribution,
                        "description": p.description})  # fmt: skip
    for person in Person.objects.order_by("pk").prefetch_related("aliases"):
        yield _compact({"type": "person", "slug": person.slug, "name": person.name, "description": person.description,
                        "aliases": sorted(a.name for a in person.aliases.all()), "language": person.language,
                        "translations": _sorted(person.translations)})  # fmt: skip
    for place in Place.objects.order_by("pk"):
        yield _compact({"type": "place", "slug": place.slug, "name": place.name, "description": place.description,
                        "language": place.language, "translations": _sorted(place.translations)})  # fmt: skip
    for tag in Tag.objects.order_by("pk"):
        yield _compact({"type": "tag", "slug": tag.slug, "name": tag.name, "language": tag.language,
                        "translations": _sorted(tag.translations)})  # fmt: skip
    for author in Author.objects.order_by("pk").select_related("partner"):
        yield _compact({"type": "author", "name": author.name, "url": author.url,
                        "partner": author.partner.name if author.partner else ""})  # fmt: skip
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
            "language": e.language, "translations": _sorted(e.translations),
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
            "language": a.language, "translations": _sorted(a.translations),
        })  # fmt: skip
    yield from _comments()
    for r in Redirect.objects.order_by("old_path", "pk"):
        yield {"type": "redirect", "old_path": r.old_path, "new_path": r.new_path}
    for m in MediaFile.objects.order_by("pk"):
        yield _compact({"type": "media", "url": m.source_url, "id": m.source_id, "title": m.title, "file": m.file,
                        "content_type": m.content_type, "size": m.size, "sha256": m.sha256, "status": m.status,
                        "reason": m.reason, "fetched": _time(m.fetched_at)})  # fmt: skip
    for h in ImageHost.objects.order_by("host"):
        yield {"type": "image_host", "host": h.host, "allowed": h.allowed, **({"note": h.note} if h.note else {})}


def _target(c: Comment) -> dict[str, str]:
    """The one thing a comment is on: an article, an entry or a collection's day page."""
    if c.article_id:
        assert c.article is not None
        return {"article": c.article.source_id or f"hodie:article:{c.article.slug}"}
    if c.entry_id:
        assert c.entry is not None
        return {"entry": _entry_id(c.entry)}
    assert c.collection is not None and c.day_key is not None
    return {"day": f"{c.collection.slug}/{c.day_key // 100:02d}-{c.day_key % 100:02d}"}


def _comments() -> Iterator[dict[str, Any]]:
    mentions = {m.comment_id: m for m in Mention.objects.filter(comment__isnull=False)}
    comments = Comment.objects.order_by("pk").select_related("article", "entry", "collection", "parent")
    for c in comments.iterator(chunk_size=2000):
        mention = mentions.get(c.pk)
        yield _compact({
            "type": "comment", "id": c.source_id or f"hodie:comment:{c.pk}", **_target(c),
            "parent": (c.parent.source_id or f"hodie:comment:{c.parent.pk}") if c.parent else "",
            "author_name": c.author_name, "author_email": c.author_email, "author_url": c.author_url,
            "body": c.body, "markup": c.markup, "status": c.status, "comment_type": c.comment_type,
            "created": _time(c.created), "badge": c.badge, "source_url": c.source_url,
            "mention_target": mention.target if mention else "", "mention_status": mention.status if mention else "",
            "mention_detail": mention.detail if mention else "",
            "mention_received": _time(mention.received) if mention else "",
            "mention_verified": _time(mention.verified_at) if mention else "",
        })  # fmt: skip


def total() -> int:
    """How many lines :func:`lines` writes (for a progress bar), counted before writing."""
    return sum(
        model.objects.count()
        for model in (Collection, Partner, Person, Place, Tag, Author, Entry, HolidayRule, Article, Comment,
                      Redirect, MediaFile, ImageHost)
    )  # fmt: skip


def line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def lines() -> Iterator[str]:
    for obj in objects():
        yield line(obj)
