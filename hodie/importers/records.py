"""The typed records that readers yield and the writer stores."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from hodie.dates import HodieError

KINDS = ("event", "birth", "death", "holiday")


class ImportProblem(HodieError, ValueError):
    """A record that cannot be imported; ``where`` is ``FILE:LINE`` or the item's id."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


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

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ImportProblem(self.where, "the title is empty")
        if not self.date.strip():
            raise ImportProblem(self.where, "the date is empty")
        if self.kind not in KINDS:
            raise ImportProblem(self.where, f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.calendar not in (None, "julian", "gregorian"):
            raise ImportProblem(self.where, f"calendar {self.calendar!r} is not julian or gregorian")

    @property
    def stable_id(self) -> str:
        """The record's id, or one derived from its content so a re-import finds it again."""
        if self.source_id:
            return self.source_id
        digest = hashlib.sha1(  # noqa: S324 - an identity, not a secret
            f"{self.date.strip()}\x1f{self.calendar or ''}\x1f{self.kind}\x1f{self.title.strip()}".encode()
        ).hexdigest()
        return f"content:{digest}"
