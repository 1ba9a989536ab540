"""Reading XML files from elsewhere safely: defusedxml with entity declarations, external
entities and DTD fetching refused, streamed with ``iterparse`` so memory stays flat."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .records import ImportProblem

# Namespace URIs vary between WordPress versions and hosts; a local name plus one of these
# prefixes is what the readers look at.
_PREFIXES = (
    ("wordpress.org/export/", "/excerpt/", "excerpt"),
    ("wordpress.org/export/", "", "wp"),
    ("purl.org/rss/1.0/modules/content", "", "content"),
    ("purl.org/dc/elements/1.1", "", "dc"),
    ("www.w3.org/2005/atom", "", "atom"),
    ("purl.org/syndication/thread/1.0", "", "thr"),
    ("purl.org/atom/app", "", "app"),
    ("schemas.google.com/blogger/2018", "", "blogger"),
    ("schemas.google.com/g/2005", "", "gd"),
)


def short_name(tag: str) -> str:
    """``{http://wordpress.org/export/1.2/}post_id`` → ``wp:post_id``; unknown namespaces keep the bare name."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    lowered = uri.lower()
    for needle, suffix, prefix in _PREFIXES:
        if needle in lowered and (not suffix or lowered.endswith(suffix)):
            return f"{prefix}:{local}"
    return local


def describe(err: Exception) -> str:
    if isinstance(err, DefusedXmlException):
        return "declares XML entities or a DTD to fetch; refused (entity expansion is off)"
    if isinstance(err, ParseError):
        line, column = getattr(err, "position", (0, 0))
        message = str(err).split(":")[0]
        return f"not well-formed XML ({message}) at line {line}, column {column}"
    return str(err)


def iterate(
    source: Path | IO[bytes], name: str, events: tuple[str, ...] = ("start", "end")
) -> Iterator[tuple[str, Element]]:
    """``iterparse`` with entities off; a broken file raises :class:`ImportProblem` naming it."""
    try:
        yield from iterparse(source, events=events, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException) as err:
        raise ImportProblem(name, describe(err)) from err


_ROOT = re.compile(rb"<(rss|feed)\b[^>]*>", re.IGNORECASE)


class _Prefixed(io.RawIOBase):
    """The patched head of a file, then the rest of the file as it is read (never all in memory)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head = head
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.rest.close()
        super().close()


def with_declared_prefixes(path: Path, declarations: dict[str, str], head_limit: int = 1 << 20) -> IO[bytes]:
    """The file, streamed, with namespace declarations added to its root element for the prefixes
    it does not declare there (WordPress MU 2008 wrote ``excerpt:`` without declaring it); a
    declared prefix the file never uses changes nothing. Only the head, up to the root element's
    end (at most ``head_limit`` bytes), is held in memory."""
    handle = path.open("rb")
    data = b""
    root = None
    while root is None and len(data) < head_limit:
        chunk = handle.read(64 * 1024)
        if not chunk:
            break
        data += chunk
        root = _ROOT.search(data)
    if root is None:
        return io.BufferedReader(_Prefixed(data, handle))
    head = root.group(0)
    extra = b"".join(
        f' xmlns:{prefix}="{uri}"'.encode()
        for prefix, uri in declarations.items()
        if f"xmlns:{prefix}=".encode() not in head
    )
    fixed = head[:-1].rstrip(b"/") + extra + b">" if extra else head
    return io.BufferedReader(_Prefixed(data[: root.start()] + fixed + data[root.end() :], handle))


def text_of(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def children(element: Element) -> dict[str, list[Element]]:
    found: dict[str, list[Element]] = {}
    for child in element:
        found.setdefault(short_name(child.tag), []).append(child)
    return found


def first_text(found: dict[str, list[Element]], name: str) -> str:
    items = found.get(name)
    return text_of(items[0]) if items else ""
