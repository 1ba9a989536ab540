"""The step between a blog's reader (Blogger, WXR, feed) and the writer that makes day posts into
entries on their day, and counts the plan that ``hodie import --dry-run`` prints.

Which day an event before the calendar switch belongs on is the blog's convention, never a guess
(``--days``):

- ``None`` (the default): the event stays on the day it was posted under (its observance day), and
  it is marked for review; the review list shows the date as read in the region and that day.
- ``"old-style"``: the blog's days before the switch are Julian (O.S.) days.
- ``"new-style"``: they are Gregorian (N.S.) days, already converted by the blog's author.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from hodie.dates import HodieError, get_region, parse_date
from hodie.dates.errors import InvalidDate

from .dayposts import Event, day_of_title, events_of, excerpt_for
from .records import ArticleRecord, EntryRecord, ImportProblem, Item, Skipped

DAY_MODES = ("old-style", "new-style")


@dataclass
class DayPlan:
    """What the day posts of an import make: posts read, entries, distinct days, posts on no day."""

    posts: int = 0
    entries: int = 0
    days: set[tuple[int, int]] = field(default_factory=set)
    no_day: list[dict[str, str]] = field(default_factory=list)
    review: int = 0

    def line(self) -> str:
        """One line: "42 posts → 118 entries on 40 days; 3 posts on no day page"."""
        plural = {1: ""}
        return (
            f"{self.posts} post{plural.get(self.posts, 's')} → {self.entries} entr"
            f"{'y' if self.entries == 1 else 'ies'} on {len(self.days)} day{plural.get(len(self.days), 's')}; "
            f"{len(self.no_day)} post{plural.get(len(self.no_day), 's')} on no day page"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "entries": self.entries,
            "days": len(self.days),
            "on_no_day_page": len(self.no_day),
            "posts_on_no_day_page": self.no_day,
            "marked_for_review": self.review,
        }


class DayPosts:
    """Rewrites a reader's stream: a post whose title names a day gets the events it tells as its
    entries. ``region`` is the collection's (its calendar switch); ``days`` one of :data:`DAY_MODES`
    or None."""

    def __init__(self, region: str = "world", days: str | None = None) -> None:
        if days is not None and days not in DAY_MODES:
            raise ValueError(f"--days {days!r} is not one of {', '.join(DAY_MODES)}")
        self.region = get_region(region)
        self.days = days
        self.plan = DayPlan()

    def __call__(self, items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            if isinstance(item, ArticleRecord) and item.kind == "article":
                yield from self._article(item)
            else:
                yield item

    def _article(self, record: ArticleRecord) -> Iterator[Item]:
        self.plan.posts += 1
        day = day_of_title(record.title)
        if day is None:
            if record.entries:  # a "YEAR: title" post: its one entry
                self.plan.entries += len(record.entries)
            else:
                self.plan.no_day.append({"where": record.where, "title": record.title})
            yield record
            return
        month, number = day
        text = record.body or record.excerpt
        intro, events = events_of(text)
        entries: list[EntryRecord] = []
        for index, event in enumerate(events, start=1):
            entry = self._entry(record, event, month, number, index)
            if isinstance(entry, Skipped):
                yield entry
            else:
                entries.append(entry)
        if entries:
            self.plan.days.add(day)
        else:  # a day's title over a text with no event lines: an editor places it
            self.plan.no_day.append({"where": record.where, "title": record.title})
        self.plan.entries += len(entries)
        self.plan.review += sum(1 for e in entries if e.needs_review)
        yield replace(
            record,
            entries=tuple(entries),
            excerpt=record.excerpt or excerpt_for(text, intro),
        )

    def _entry(self, record: ArticleRecord, event: Event, month: int, day: int, index: int) -> EntryRecord | Skipped:
        where = f"{record.where} event {index} ({event.year})"
        text = event.date_text(month, day)
        try:
            civil = self.region.calendar_for(event.year, month, day)
        except InvalidDate:
            civil = "skipped"  # a day the switch left out: only a convention can place it
        calendar: str | None = None
        observance: tuple[int, int] | None = None
        review = False
        if civil != "gregorian":
            if self.days == "old-style":
                calendar = "julian"
            elif self.days == "new-style":
                calendar = "gregorian"
            else:
                calendar = "julian" if civil == "skipped" else None
                observance, review = (month, day), True
        try:
            parse_date(text, region=self.region.code, calendar=calendar)  # type: ignore[arg-type]
        except HodieError as err:
            return Skipped(where, "entry", f"{text} is not a day: {err}")
        try:
            return EntryRecord(
                where=where,
                date=text,
                title=event.title,
                calendar=calendar,
                summary=event.text,
                tags=record.tags,
                observance=observance,
                policy="observance" if observance else "",
                source_id=f"{record.source_id}#event-{index}",
                needs_review=review,
            )
        except ImportProblem as problem:
            return Skipped(where, "entry", problem.reason)
