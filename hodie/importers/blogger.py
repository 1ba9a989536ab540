"""Blogger exports: the classic "Back up content" file (``kind#`` categories) and the 2018 Takeout
``feed.atom`` (``blogger:type``), told apart entry by entry; streamed.

Posts become articles, pages pages, comments comments (flat in the classic format; threaded
through ``blogger:inReplyTo`` in Takeout). The day of a post is taken in the blog's time zone:
``BLOG_TIME_ZONE`` from the classic settings entries, else the offset Blogger wrote in
``published``. The template and settings entries are skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from xml.etree.ElementTree import Element
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import blogger_html
from .html import autop
from .records import ArticleRecord, CommentRecord, ImportProblem, Item, Skipped, record_or_problem
from .titles import entry_from_title
from .xmlsafe import children, first_text, iterate, short_name

KIND = "http://schemas.google.com/g/2005#kind"
_KIND_TERM = re.compile(r"kind#(\w+)$")


def _when(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


class _Blog:
    def __init__(self, name: str) -> None:
        self.name = name
        self.zone: tzinfo | None = None
        self.line_breaks = False
        self.url = ""
        self.count = 0


def _links(found: dict[str, list[Element]]) -> dict[str, str]:
    links: dict[str, str] = {}
    for link in found.get("atom:link", []):
        rel = link.get("rel", "alternate")
        if rel not in links and link.get("href"):
            links[rel] = link.get("href", "")
    return links


def _labels(found: dict[str, list[Element]]) -> tuple[str, ...]:
    labels = []
    for category in found.get("atom:category", []):
        scheme, term = category.get("scheme", ""), (category.get("term") or "").strip()
        if scheme == KIND or not term:
            continue
        if term not in labels:
            labels.append(term)
    return tuple(labels)


def _body(found: dict[str, list[Element]], blog: _Blog) -> str:
    content = found.get("atom:content")
    text = (content[0].text or "") if content else ""
    return blogger_html.post_html(text, blog.line_breaks)


def _entry(element: Element, blog: _Blog) -> Iterator[Item]:
    blog.count += 1
    found = children(element)
    entry_id = first_text(found, "atom:id")
    where = f"{blog.name}: entry {blog.count}" + (f" ({entry_id.rsplit('.', 1)[-1]})" if entry_id else "")
    kind = ""
    for category in found.get("atom:category", []):
        if category.get("scheme") == KIND and (match := _KIND_TERM.search(category.get("term", ""))):
            kind = match[1]
    takeout_type = first_text(found, "blogger:type").upper()
    if takeout_type:
        kind = {"POST": "post", "PAGE": "page", "COMMENT": "comment"}.get(takeout_type, takeout_type.lower())
    if kind == "settings":
        key = entry_id.rsplit(".settings.", 1)[-1]
        value = first_text(found, "atom:content")
        if key == "BLOG_TIME_ZONE" and value:
            try:
                blog.zone = ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                yield Skipped(where, "settings", f"BLOG_TIME_ZONE {value!r} is not a known time zone; using offsets")
                return
        elif key == "BLOG_CONVERT_LINE_BREAKS":
            blog.line_breaks = value.strip().lower() == "true"
        yield Skipped(where, "settings", f"blog setting {key}")
        return
    if kind == "template":
        yield Skipped(where, "template", "the blog's template")
        return
    if kind not in ("post", "page", "comment"):
        yield Skipped(where, kind or "entry", "not a post, page or comment")
        return
    status = first_text(found, "blogger:status").upper()
    if status == "SOFT_TRASHED" or first_text(found, "blogger:trashed"):
        yield Skipped(where, "page" if kind == "page" else "article" if kind == "post" else "comment", "in the trash")
        return
    published = _when(first_text(found, "atom:published"))
    links = _links(found)
    filename = first_text(found, "blogger:filename")
    permalink = links.get("alternate", "")
    if not permalink and filename and blog.url:
        permalink = blog.url.rstrip("/") + filename
    title = first_text(found, "atom:title")
    if kind == "comment":
        reply = found.get("thr:in-reply-to")
        article_id = reply[0].get("ref", "") if reply else first_text(found, "blogger:parent")
        if not article_id:
            yield Skipped(where, "comment", "does not say which post it answers")
            return
        parent = first_text(found, "blogger:inReplyTo")
        authors = found.get("atom:author", [])
        author = children(authors[0]) if authors else {}
        body = first_text(found, "atom:content")
        if not body:
            yield Skipped(where, "comment", "empty")
            return
        yield record_or_problem(
            CommentRecord,
            where=where,
            source_id=f"blogger:{entry_id}",
            article_id=f"blogger:{article_id}",
            body=autop(body),
            markup="html",
            author_name=first_text(author, "atom:name"),
            author_url=first_text(author, "atom:uri"),
            parent_id=f"blogger:{parent}" if parent else "",
            status="pending" if status == "DRAFT" else "approved",
            created=published,
        )
        return
    control = found.get("app:control")
    draft_flag = first_text(children(control[0]), "app:draft") if control else ""
    draft = draft_flag.lower() == "yes" or status == "DRAFT"
    local = published.astimezone(blog.zone) if published and blog.zone else published
    article_kind = "page" if kind == "page" else "article"
    slug_source = filename or permalink
    slug = slug_source.rsplit("/", 1)[-1].removesuffix(".html") if slug_source else ""
    if not title:
        title = slug.replace("-", " ") or f"Untitled {article_kind}"
    source_id = f"blogger:{entry_id}" if entry_id else f"blogger:{blog.name}#{blog.count}"
    entry = (
        entry_from_title(title, local.date() if local else None, where, source_id)
        if article_kind == "article"
        else None
    )
    authors = found.get("atom:author", [])
    author_name = first_text(children(authors[0]), "atom:name") if authors else ""
    yield record_or_problem(
        ArticleRecord,
        where=where,
        source_id=source_id,
        title=title,
        kind=article_kind,
        status="draft" if draft else "published",
        published=published,
        excerpt=first_text(found, "blogger:metaDescription"),
        body=_body(found, blog),
        markup="html",
        permalink=permalink,
        authors=(author_name,) if author_name else (),
        tags=_labels(found),
        entries=(entry,) if entry else (),
        slug=slug if slug.isascii() else "",
    )


def read(path: Path) -> Iterator[Item]:
    name = str(path)
    if not path.is_file():
        raise ImportProblem(name, "no such file")
    blog = _Blog(name)
    depth = 0
    for event, element in iterate(path, name):
        tag = short_name(element.tag)
        if event == "start":
            depth += 1
            if depth == 1 and tag != "atom:feed":
                raise ImportProblem(name, f"not a Blogger export: the root element is <{tag}>, not an Atom <feed>")
            continue
        depth -= 1
        if depth != 1:
            continue
        if tag == "atom:link" and element.get("rel") == "alternate" and not blog.url:
            blog.url = element.get("href", "")
        elif tag == "atom:entry":
            yield from _entry(element, blog)
            element.clear()
    if blog.count == 0:
        raise ImportProblem(name, "an Atom feed with no entries: not a Blogger export")
