"""Partner feeds in: poll each feed (conditional GET, the fetch policy of :mod:`hodie.net`) into a
queue of suggested excerpts; an editor turns a suggestion into an excerpt article in one action."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hodie.almanac.models import Article, Collection, Entry, Partner, unique_slug
from hodie.almanac.writer import import_records
from hodie.importers import feed
from hodie.importers.records import ArticleRecord, ImportProblem
from hodie.net import FetchRefused, fetch

from . import fetch_policy
from .models import FeedState, Suggestion

FEED_MAX_BYTES = 5 * 1024 * 1024


@dataclass
class PollResult:
    partner: str
    status: str
    new: int = 0
    seen: int = 0


def poll(partner: Partner, collection: Collection | None = None) -> PollResult:
    """Fetch one partner's feed and queue its new items. The ETag and Last-Modified advance only
    after the items are stored, so a poll killed halfway fetches the same items next time."""
    state, _ = FeedState.objects.get_or_create(partner=partner)
    if not partner.feed_url:
        return PollResult(partner.name, "no feed URL")
    headers = {"Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        response = fetch(partner.feed_url, fetch_policy(FEED_MAX_BYTES), headers=headers)
    except FetchRefused as err:
        return _done(state, PollResult(partner.name, f"refused: {err}"))
    if response.status == 304:
        return _done(state, PollResult(partner.name, "not modified"))
    if response.status != 200:
        return _done(state, PollResult(partner.name, f"HTTP {response.status}"))
    try:
        parsed = feed.parse_bytes(response.body, partner.feed_url)
    except ImportProblem as err:
        return _done(state, PollResult(partner.name, f"unreadable: {err.reason}"))
    result = PollResult(partner.name, "ok")
    collection = collection or _collection_for(partner)
    with transaction.atomic():
        for record in feed.records(parsed, partner.feed_url, partner.name):
            if not isinstance(record, ArticleRecord):
                continue
            entry = record.entries[0] if record.entries else None
            _, created = Suggestion.objects.get_or_create(
                partner=partner,
                guid=record.source_id[:500],
                defaults={
                    "title": record.title[:300],
                    "link": record.full_url[:500],
                    "excerpt": record.excerpt,
                    "published": record.published,
                    "entry_date": entry.date if entry else "",
                    "entry_title": entry.title[:300] if entry else "",
                    "collection": collection,
                },
            )
            result.new += created
            result.seen += 1
        state.etag = response.headers.get("etag", "")[:300]
        state.last_modified = response.headers.get("last-modified", "")[:100]
        _done(state, result)
    return result


def _done(state: FeedState, result: PollResult) -> PollResult:
    state.polled_at = timezone.now()
    state.last_status = (
        f"{result.status}: {result.new} new of {result.seen}" if result.status == "ok" else result.status
    )[:300]
    state.save()
    return result


def _collection_for(partner: Partner) -> Collection | None:
    """The collection the partner's articles were filed in before, else the site's default."""
    from hodie.almanac.days import default_collection

    used = Collection.objects.filter(entries__articles__partner=partner).distinct().first()
    return used or default_collection()


def accept(suggestion: Suggestion, cowritten: bool = False, publish: bool = True) -> Article:
    """Make the excerpt article: the partner credited, "Read the full article" to the partner's
    URL, and the suggested entry (marked for review) so that it files on its day page."""
    if suggestion.article_id:
        return suggestion.article  # type: ignore[return-value]
    partner = suggestion.partner
    collection = suggestion.collection or _collection_for(partner)
    same = Article.objects.at_any_url(suggestion.link).exclude(source_id=suggestion.guid).first()
    if same is not None:  # already here (imported from the partner's own export, say): never twice
        Suggestion.objects.filter(pk=suggestion.pk).update(article=same, status="accepted")
        return same
    with transaction.atomic():
        article = Article.objects.filter(source_id=suggestion.guid).first() or Article(source_id=suggestion.guid[:200])
        article.title = suggestion.title
        article.slug = article.slug or unique_slug(Article, suggestion.title)
        article.excerpt = suggestion.excerpt
        article.markup = "html"
        article.full_url = suggestion.link
        article.partner = partner
        article.cowritten = cowritten
        article.status = "published" if publish else "draft"
        article.publish_at = timezone.now()
        article.full_clean(exclude=["slug", "source_id"])
        article.save()
        if suggestion.entry_date and suggestion.entry_title and collection is not None:
            from hodie.importers.records import EntryRecord

            entry_record = EntryRecord(
                where=f"suggestion {suggestion.pk}",
                date=suggestion.entry_date,
                title=suggestion.entry_title,
                source_id=f"{suggestion.guid[:190]}#entry",
                needs_review=True,
                collections=(collection.slug,),
            )
            import_records([entry_record], collection)
            entry = Entry.objects.get(source_id=entry_record.stable_id)
            article.entries.add(entry)
        suggestion.article = article
        suggestion.status = "accepted"
        suggestion.save(update_fields=["article", "status"])
    return article
