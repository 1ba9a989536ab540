"""The typed records that readers yield and the writer stores."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from hodie.dates import HodieError

KINDS = ("event", "birth", "death", "holiday")


class ImportProblem(HodieError, ValueError):
    """A record that cannot be imported; ``where`` is ``FILE:LINE`` or the item's id."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


def check_choice(where: str, label: str, value: object, choices: tuple[object, ...], allowed: str = "") -> None:
    """Refuse ``value`` unless it is one of ``choices``, naming the field and what it may be."""
    if value not in choices:
        names = allowed or f"one of {', '.join(str(c) for c in choices)}"
        raise ImportProblem(where, f"{label} {value!r} is not {names}")


@dataclass(frozen=True)
class SourceRecord:
    url: str = ""
    title: str = ""
    publisher: str = ""


@dataclass(frozen=True)
class EntryRecord:
    where: str
    date: str
    title: str
    kind: str = "event"
    calendar: str | None = None
    summary: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    sources: tuple[SourceRecord, ...] = ()
    featured: bool = False
    observance: tuple[int, int] | None = None
    source_id: str | None = None
    collections: tuple[str, ...] = field(default=())
    needs_review: bool = False
    slug: str = ""
    policy: str = ""

    def __post_init__(self) -> None:
        check_choice(self.where, "policy", self.policy, ("", "standard", "julian", "observance"),
                     "standard, julian or observance")  # fmt: skip
        if not self.title.strip():
            raise ImportProblem(self.where, "the title is empty")
        if not self.date.strip():
            raise ImportProblem(self.where, "the date is empty")
        check_choice(self.where, "kind", self.kind, KINDS)
        check_choice(self.where, "calendar", self.calendar, (None, "julian", "gregorian"), "julian or gregorian")

    @property
    def stable_id(self) -> str:
        """The record's id, or one derived from its content so a re-import finds it again."""
        if self.source_id:
            return self.source_id
        digest = hashlib.sha1(  # noqa: S324 - an identity, not a secret
            f"{self.date.strip()}\x1f{self.calendar or ''}\x1f{self.kind}\x1f{self.title.strip()}".encode()
        ).hexdigest()
        return f"content:{digest}"


ARTICLE_KINDS = ("article", "page")
ARTICLE_STATUSES = ("published", "scheduled", "draft")
COMMENT_STATUSES = ("approved", "pending", "spam", "trash")
COMMENT_KINDS = ("comment", "pingback", "trackback", "webmention")


@dataclass(frozen=True)
class AuthorRecord:
    where: str
    name: str
    url: str = ""
    login: str = ""


@dataclass(frozen=True)
class ArticleRecord:
    """A blog post (``kind="article"``) or a static page (``kind="page"``).

    ``markup`` says what ``excerpt`` and ``body`` hold: ``html`` (imported; sanitised when
    stored and again when shown) or ``markdown``. ``entries`` are dated entries the article tells;
    an importer that guesses one marks it ``needs_review``.
    """

    where: str
    source_id: str
    title: str
    kind: str = "article"
    status: str = "published"
    published: datetime | None = None
    excerpt: str = ""
    body: str = ""
    markup: str = "html"
    permalink: str = ""
    full_url: str = ""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    partner: str = ""
    cowritten: bool = False
    sticky: bool = False
    entries: tuple[EntryRecord, ...] = ()
    entry_ids: tuple[str, ...] = ()
    slug: str = ""

    def __post_init__(self) -> None:
        if not self.source_id:
            raise ImportProblem(self.where, "the article has no id")
        if not self.title.strip():
            raise ImportProblem(self.where, "the article has no title")
        check_choice(self.where, "article kind", self.kind, ARTICLE_KINDS)
        check_choice(self.where, "status", self.status, ARTICLE_STATUSES)
        check_choice(self.where, "markup", self.markup, ("html", "markdown"), "html or markdown")
        if self.published is not None and self.published.tzinfo is None:
            raise ImportProblem(self.where, "the publication time has no time zone")


@dataclass(frozen=True)
class CommentRecord:
    """A reader's comment on an article; ``parent_id`` is another comment's ``source_id``."""

    where: str
    source_id: str
    article_id: str
    body: str
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    parent_id: str = ""
    status: str = "approved"
    comment_type: str = "comment"
    created: datetime | None = None
    markup: str = "text"

    def __post_init__(self) -> None:
        check_choice(self.where, "comment status", self.status, COMMENT_STATUSES)
        check_choice(self.where, "comment type", self.comment_type, COMMENT_KINDS)
        check_choice(self.where, "markup", self.markup, ("html", "markdown", "text"), "html, markdown or text")
        if self.created is not None and self.created.tzinfo is None:
            raise ImportProblem(self.where, "the comment's time has no time zone")


@dataclass(frozen=True)
class HolidayRuleRecord:
    """A holiday whose day moves from year to year (``Easter-2``, ``03/SunSecond``)."""

    where: str
    title: str
    rule: str
    source_id: str = ""
    collections: tuple[str, ...] = ()

    @property
    def stable_id(self) -> str:
        if self.source_id:
            return self.source_id
        digest = hashlib.sha1(f"{self.rule}\x1f{self.title.strip()}".encode()).hexdigest()  # noqa: S324
        return f"content:{digest}"


@dataclass(frozen=True)
class ObjectRecord:
    """A collection, partner, person, place or tag, keyed by its slug (``hodie export`` writes them)."""

    where: str
    model: str
    slug: str
    fields: tuple[tuple[str, object], ...] = ()
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.model not in ("collection", "partner", "person", "place", "tag"):
            raise ImportProblem(self.where, f"unknown type {self.model!r}")
        if not self.slug:
            raise ImportProblem(self.where, f"a {self.model} needs a slug")


@dataclass(frozen=True)
class Skipped:
    """An item a reader passes over on purpose (an attachment, a menu, spam), counted per kind."""

    where: str
    kind: str
    reason: str


Record = EntryRecord | ArticleRecord | CommentRecord | AuthorRecord | HolidayRuleRecord | ObjectRecord | Skipped
Item = Record | ImportProblem
