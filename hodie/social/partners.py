"""Partner feeds in: poll each feed (conditional GET, the fetch policy of :mod:`hodie.net`) into a
queue of suggested excerpts; an editor turns a suggestion into an excerpt article in one action.
That action runs the same day-post step as ``hodie import feed``, so a day post ("February 20 in
Russian history") polled by the worker lands on its day page with one entry per event it tells."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hodie.almanac.models import Article, Collection
from hodie.importers import feed
from hodie.importers.dayplan import DayPosts
from hodie.importers.records import ArticleRecord, EntryRecord, ImportProblem
from hodie.net import FetchFailed, FetchRefused, fetch

from . import fetch_policy
from .models import FeedState, Partner, Suggestion

FEED_MAX_BYTES = 5 * 1024 * 1024


@dataclass
class PollResult:
    partner: str
    status: str
    new: int = 0
    seen: int = 0
    transient: bool = False  # failed in transit: polling again soon may succeed


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
    except FetchFailed as err:
        return _done(state, PollResult(partner.name, f"failed: {err}", transient=True))
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
    from hodie.writer import import_records  # the writer imports this app's models

    source_id = suggestion.guid[:200]
    entries = ()
    if suggestion.entry_date and suggestion.entry_title and collection is not None:
        entries = (
            EntryRecord(
                where=f"suggestion {suggestion.pk}",
                date=suggestion.entry_date,
                title=suggestion.entry_title,
                source_id=f"{suggestion.guid[:190]}#entry",
                needs_review=True,
                collections=(collection.slug,),
            ),
        )
    record = ArticleRecord(
        where=f"suggestion {suggestion.pk}",
        source_id=source_id,
        title=suggestion.title,
        status="published" if publish else "draft",
        published=timezone.now(),
        excerpt=suggestion.excerpt,
        markup="html",
        full_url=suggestion.link,
        partner=partner.name,
        cowritten=cowritten,
        entries=entries,
    )
    # The day-post step of `hodie import feed` (hodie.importers.dayplan): "February 20 in Russian
    # history" gets the events its text tells as entries on that day, as the same post imported
    # from a file would; any other post keeps the entry suggested from its title, if any.
    items = DayPosts(collection.region)([record]) if collection is not None else [record]
    with transaction.atomic():
        import_records(items, collection, partner=partner, announce=True)
        article = Article.objects.get(source_id=source_id)
        suggestion.article = article
        suggestion.status = "accepted"
        suggestion.save(update_fields=["article", "status"])
    return article
