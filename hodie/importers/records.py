"""The typed records that readers yield and the writer stores."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import ParamSpec, TypeVar

from hodie.dates import HodieError

P = ParamSpec("P")
R = TypeVar("R")

KINDS = ("event", "birth", "death", "holiday")

# The languages content may be written in: an object's ``language`` and the keys of its
# translations. A third is one more code here (and its interface catalogue); no migration.
LANGUAGES = ("en", "ru")
# What can be translated, by the type names the JSONL export uses.
TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "collection": ("title", "description"),
    "entry": ("title", "summary", "body"),
    "article": ("title", "excerpt", "body"),
    "person": ("name", "description"),
    "place": ("name", "description"),
    "tag": ("name",),
}
# A record's translations: ((language, ((field, text), ...)), ...), sorted, so that records stay
# frozen and hashable and an unchanged re-import hashes the same.
Translations = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


class ImportProblem(HodieError, ValueError):
    """A record that cannot be imported; ``where`` is ``FILE:LINE`` or the item's id."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


def record_or_problem(build: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R | ImportProblem:
    """``build(*args, **kwargs)``, or the problem that stopped it. Readers yield the result: the
    writer gathers every problem of a file (file and line each) before refusing it, instead of
    stopping at the first."""
    try:
        return build(*args, **kwargs)
    except ImportProblem as problem:
        return problem


def check_choice(where: str, label: str, value: object, choices: tuple[object, ...], allowed: str = "") -> None:
    """Refuse ``value`` unless it is one of ``choices``, naming the field and what it may be."""
    if value not in choices:
        names = allowed or f"one of {', '.join(str(c) for c in choices)}"
        raise ImportProblem(where, f"{label} {value!r} is not {names}")


def check_language(where: str, language: object) -> str:
    """An original language: empty (the collection's) or one of :data:`LANGUAGES`."""
    check_choice(where, "language", language, ("", *LANGUAGES), f"one of {', '.join(LANGUAGES)}")
    return str(language)


def read_translations(where: str, value: object, kind: str, original: str = "") -> Translations:
    """``{"ru": {"title": "..."}}`` as :data:`Translations`, or the problem with it, named. Empty
    texts are dropped; a translation into the original's own language is refused."""
    if value in (None, "", {}):
        return ()
    if not isinstance(value, dict):
        raise ImportProblem(where, 'translations must be an object by language: {"ru": {"title": "..."}}')
    allowed = TRANSLATABLE[kind]
    found = []
    for language, texts in sorted(value.items()):
        if language not in LANGUAGES:
            raise ImportProblem(where, f"translation language {language!r} is not one of {', '.join(LANGUAGES)}")
        if language == original:
            raise ImportProblem(where, f"a translation into {language!r} of a text written in {language!r}")
        if not isinstance(texts, dict) or not all(isinstance(t, str) for t in texts.values()):
            raise ImportProblem(where, f"translations.{language} must be an object of field: text")
        unknown = sorted(set(texts) - set(allowed))
        if unknown:
            raise ImportProblem(
                where,
                f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} has no translatable field {', '.join(unknown)} "
                f"(only {', '.join(allowed)})",
            )
        kept = tuple((f, texts[f]) for f in allowed if texts.get(f, "").strip())
        if kept:
            found.append((language, kept))
    return tuple(found)


def translations_dict(translations: Translations) -> dict[str, dict[str, str]]:
    """:data:`Translations` as the JSON the models store."""
    return {language: dict(texts) for language, texts in translations}


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
    language: str = ""  # the original's; empty: the first collection's
    translations: Translations = ()

    def __post_init__(self) -> None:
        check_language(self.where, self.language)
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
# What a comment is: the comment types of hodie.social.models.Comment (Webmention replies, likes… included).
COMMENT_KINDS = ("comment", "pingback", "trackback", "webmention", "reply", "like", "repost", "mention")
MENTION_STATUSES = ("", "queued", "verified", "refused", "deleted")
COMMENT_BADGES = ("", "partner", "author")


@dataclass(frozen=True)
class AuthorRecord:
    where: str
    name: str
    url: str = ""
    login: str = ""
    partner: str = ""  # the name of the partner the author writes for


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
    language: str = ""  # the original's; empty: the default collection's, else English
    translations: Translations = ()

    def __post_init__(self) -> None:
        check_language(self.where, self.language)
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
    """A reader's comment on one target: an article (``article_id``: its ``source_id``), an entry
    (``entry_id``) or a day page (``day``: ``COLLECTION/MM-DD``). ``parent_id`` is another comment's
    ``source_id``. A Webmention keeps its source page and, when it was received here, the mention's
    state (``mention_*``)."""

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
    badge: str = ""  # shown beside the name: "partner" or "author"
    entry_id: str = ""
    day: str = ""
    source_url: str = ""
    mention_target: str = ""
    mention_status: str = ""
    mention_detail: str = ""
    mention_received: datetime | None = None
    mention_verified: datetime | None = None

    def __post_init__(self) -> None:
        targets = [name for name in ("article_id", "entry_id", "day") if getattr(self, name)]
        if len(targets) != 1:
            raise ImportProblem(self.where, "a comment names exactly one of article, entry or day")
        if self.day and not re.fullmatch(r"[-\w]+/\d\d-\d\d", self.day):
            raise ImportProblem(self.where, f"day {self.day!r} is not COLLECTION/MM-DD (russia/02-20)")
        check_choice(self.where, "comment status", self.status, COMMENT_STATUSES)
        check_choice(self.where, "badge", self.badge, COMMENT_BADGES, "partner or author (or none)")
        check_choice(self.where, "comment type", self.comment_type, COMMENT_KINDS)
        check_choice(self.where, "markup", self.markup, ("html", "markdown", "text"), "html, markdown or text")
        check_choice(self.where, "mention status", self.mention_status, MENTION_STATUSES)
        if self.mention_status and not self.mention_target:
            raise ImportProblem(self.where, "a mention's state needs its target (mention_target)")
        for when in (self.created, self.mention_received, self.mention_verified):
            if when is not None and when.tzinfo is None:
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
    translations: Translations = ()

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


OLD_LINK_TARGETS = ("article", "tag", "feed", "comments-feed")


@dataclass(frozen=True)
class OldLinkRecord:
    """An address of the old site that is to answer with a 301 to its new page: an article (``key``
    is the article's old permalink), a tag (``key`` is its name) or a feed (``key``: rss or atom)."""

    where: str
    old_url: str
    target: str
    key: str = ""

    def __post_init__(self) -> None:
        check_choice(self.where, "old link target", self.target, OLD_LINK_TARGETS)


@dataclass(frozen=True)
class RedirectRecord:
    """A stored redirect as ``hodie export`` writes it: an old address of the site (a blog's
    ``/2008/02/slug.html``) and the path it now leads to. (A reader of a blog's own export gives
    :class:`OldLinkRecord` instead, whose new page is found when the import has stored it.)"""

    where: str
    old_path: str
    new_path: str

    def __post_init__(self) -> None:
        if not self.old_path.startswith("/"):
            raise ImportProblem(self.where, f"redirect from {self.old_path!r}: an old path starts with /")
        if not self.new_path:
            raise ImportProblem(self.where, f"redirect from {self.old_path!r} names no new path")


@dataclass(frozen=True)
class MediaRecord:
    """A remote file an import met (a WXR attachment), or a stored one as ``hodie export`` writes
    it: the file itself is in ``HODIE_MEDIA_ROOT`` under ``file``."""

    where: str
    url: str
    source_id: str = ""
    title: str = ""
    file: str = ""
    content_type: str = ""
    size: int = 0
    sha256: str = ""
    status: str = "queued"
    reason: str = ""
    fetched: datetime | None = None

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ImportProblem(self.where, f"media address {self.url[:100]!r} is not an http(s) address")
        check_choice(self.where, "media status", self.status, ("queued", "stored", "failed"))
        if (self.status == "stored" and not re.fullmatch(r"[\w./-]+", self.file)) or ".." in self.file:
            raise ImportProblem(self.where, f"media file name {self.file!r} is not a name under HODIE_MEDIA_ROOT")
        if self.fetched is not None and self.fetched.tzinfo is None:
            raise ImportProblem(self.where, "the media's time has no time zone")


@dataclass(frozen=True)
class ImageHostRecord:
    """A host pages may (or, unticked, may not) load images from."""

    where: str
    host: str
    allowed: bool = True
    note: str = ""


Record = (
    EntryRecord | ArticleRecord | CommentRecord | AuthorRecord | HolidayRuleRecord | ObjectRecord | Skipped
    | OldLinkRecord | RedirectRecord | MediaRecord | ImageHostRecord
)  # fmt: skip
Item = Record | ImportProblem
