"""WordPress eXtended RSS (WXR 1.0, 1.1, 1.2; http and https namespaces), streamed.

Posts become articles and pages pages, with their comments (threading and approval state),
authors, categories and tags; attachments become media files, copied after the import, and the
images of ``[gallery]`` shortcodes (read in a first pass over the file, which keeps only the
attachments' addresses, captions and parents). Menus,
block-theme types, other custom post types, trashed items and spam are skipped and counted. A post
titled "YEAR: Name, epithet" also yields an entry dated from the title's year and the post's day,
for an editor to confirm.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from . import wordpress_html
from .html import autop
from .records import (
    ArticleRecord,
    AuthorRecord,
    CommentRecord,
    ImportProblem,
    Item,
    MediaRecord,
    Skipped,
    record_or_problem,
)
from .titles import entry_from_title
from .xmlsafe import children, first_text, iterate, short_name, with_declared_prefixes

SKIPPED_TYPES = {
    "nav_menu_item": "a menu item",
    "wp_global_styles": "block-theme styles",
    "wp_navigation": "a block-theme menu",
    "wp_block": "a reusable block",
    "wp_template": "a block-theme template",
    "wp_template_part": "a block-theme template part",
    "custom_css": "theme CSS",
    "customize_changeset": "a customizer changeset",
    "oembed_cache": "an oEmbed cache item",
    "user_request": "a privacy request",
    "wp_font_family": "a font",
    "wp_font_face": "a font",
    "revision": "a revision",
}
STATUSES = {"publish": "published", "future": "scheduled", "draft": "draft", "pending": "draft", "private": "draft",
            "inherit": "draft", "auto-draft": "draft"}  # fmt: skip
COMMENT_STATUSES = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash", "post-trashed": "trash"}
COMMENT_TYPES = {"": "comment", "comment": "comment", "pingback": "pingback", "trackback": "trackback"}
_MISSING_PREFIXES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}


def _time(local: str, gmt: str) -> datetime | None:
    """UTC from ``*_gmt``; drafts carry ``0000-00-00 00:00:00`` there, and then the local time is all
    there is (WXR does not record the site's zone: it is read as UTC)."""
    for text in (gmt, local):
        if text and not text.startswith("0000"):
            try:
                return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
            except ValueError:
                continue
    return None


def _local_day(local: str) -> datetime | None:
    if local and not local.startswith("0000"):
        try:
            return datetime.strptime(local.strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None
    return None


class _State:
    def __init__(self, name: str, attachments: dict[str, wordpress_html.Attachment] | None = None) -> None:
        self.name = name
        self.site = ""
        self.count = 0
        self.attachments = attachments or {}


def _item(element: Element, state: _State) -> Iterator[Item]:
    state.count += 1
    found = children(element)
    post_id = first_text(found, "wp:post_id")
    title = first_text(found, "title")
    where = f"{state.name}: item {state.count}" + (f" (post {post_id})" if post_id else "")
    post_type = first_text(found, "wp:post_type") or "post"
    status = first_text(found, "wp:status") or "publish"
    if post_type == "attachment":  # a media file: copied into HODIE_MEDIA_ROOT after the import
        yield record_or_problem(
            MediaRecord, where, first_text(found, "wp:attachment_url") or first_text(found, "guid"),
            source_id=f"wxr:{state.site}#{post_id}", title=title,
        )  # fmt: skip
        return
    if post_type in SKIPPED_TYPES:
        yield Skipped(where, post_type, SKIPPED_TYPES[post_type])
        return
    if post_type not in ("post", "page", "draft"):
        yield Skipped(where, post_type, f"custom post type {post_type!r}")
        return
    kind = "page" if post_type == "page" else "article"
    if status == "trash":
        yield Skipped(where, kind, "in the trash")
        return
    guid = first_text(found, "guid")
    link = first_text(found, "link")
    # guid alone repeats in real exports (the Theme Unit Test data has two posts sharing one), and so
    # does post_id across sites: together they are stable across re-exports and distinct.
    source_id = "wxr:" + (guid or link or state.site) + (f"#{post_id}" if post_id else "")
    slug = unquote(first_text(found, "wp:post_name"))
    local = first_text(found, "wp:post_date")
    published = _time(local, first_text(found, "wp:post_date_gmt"))
    if not title:
        title = slug.replace("-", " ").strip() or f"Untitled {kind} {post_id}".strip()
    tags: list[str] = []
    for category in found.get("category", []):
        domain = category.get("domain", "category")
        name = (category.text or "").strip()
        if domain in ("category", "post_tag", "tag") and name and name not in tags:
            tags.append(name)
    password = first_text(found, "wp:post_password")
    # A password-protected post stays a draft: Hodie has no post passwords, and must not show it.
    mapped = "draft" if password else STATUSES.get(status, "draft")
    if post_type == "draft":
        mapped = "draft"
    day = _local_day(local)
    entry = entry_from_title(title, day.date() if day else None, where, source_id) if kind == "article" else None
    record = record_or_problem(
        ArticleRecord,
        where=where,
        source_id=source_id,
        title=title,
        kind=kind,
        status=mapped,
        published=published,
        excerpt=wordpress_html.post_html(first_text(found, "excerpt:encoded"), post_id, state.attachments),
        body=wordpress_html.post_html(first_text(found, "content:encoded"), post_id, state.attachments),
        markup="html",
        permalink=link if link.startswith(("http://", "https://")) else "",
        authors=tuple(a for a in (first_text(found, "dc:creator"),) if a),
        tags=tuple(tags),
        sticky=first_text(found, "wp:is_sticky") == "1",
        entries=(entry,) if entry else (),
        slug=slug if slug.isascii() else "",
    )
    yield record
    if isinstance(record, ImportProblem):
        return
    for comment in found.get("wp:comment", []):
        yield from _comment(comment, source_id, where)


def _comment(element: Element, article_id: str, where: str) -> Iterator[Item]:
    found = children(element)
    number = first_text(found, "wp:comment_id")
    here = f"{where} comment {number}"
    approved = first_text(found, "wp:comment_approved") or "1"
    if approved not in COMMENT_STATUSES:
        yield Skipped(here, "comment", f"unknown approval state {approved!r}")
        return
    comment_type = first_text(found, "wp:comment_type")
    if comment_type not in COMMENT_TYPES:
        yield Skipped(here, "comment", f"comment type {comment_type!r}")
        return
    parent = first_text(found, "wp:comment_parent")
    body = first_text(found, "wp:comment_content")
    if not body:
        yield Skipped(here, "comment", "empty")
        return
    yield record_or_problem(
        CommentRecord,
        where=here,
        source_id=f"{article_id}#comment-{number}",
        article_id=article_id,
        body=autop(body),
        markup="html",
        author_name=first_text(found, "wp:comment_author"),
        author_email=first_text(found, "wp:comment_author_email"),
        author_url=first_text(found, "wp:comment_author_url"),
        parent_id=f"{article_id}#comment-{parent}" if parent not in ("", "0") else "",
        status=COMMENT_STATUSES[approved],
        comment_type=COMMENT_TYPES[comment_type],
        created=_time(first_text(found, "wp:comment_date"), first_text(found, "wp:comment_date_gmt")),
    )


def _author(element: Element, name: str) -> AuthorRecord | None:
    found = children(element)
    login = first_text(found, "wp:author_login")
    display = first_text(found, "wp:author_display_name") or login
    if not display:
        return None
    return AuthorRecord(where=f"{name}: author {login or display}", name=display, login=login)


def open_export(path: Path):  # type: ignore[no-untyped-def]
    """The export file, read with the namespace prefixes some exporters use undeclared; a file that
    cannot be opened is an :class:`ImportProblem` naming it."""
    try:
        return with_declared_prefixes(path, _MISSING_PREFIXES)
    except OSError as err:
        raise ImportProblem(str(path), f"cannot open: {err.strerror}") from err


def read(path: Path) -> Iterator[Item]:
    with open_export(path) as handle:
        found = attachments(handle, str(path))
    with open_export(path) as handle:
        yield from _channel(handle, str(path), found)


def attachments(handle: IO[bytes], name: str) -> dict[str, wordpress_html.Attachment]:
    """The export's attachments by post ID, for ``[gallery]``: address, parent post, menu order,
    title, caption (the attachment's excerpt) and alternative text (``_wp_attachment_image_alt``)."""
    found: dict[str, wordpress_html.Attachment] = {}
    depth = 0
    channel: Element | None = None
    for event, element in iterate(handle, name):
        if event == "start":
            depth += 1
            if depth == 2:
                channel = element
            continue
        depth -= 1
        if depth != 2:
            continue
        item = children(element)
        if short_name(element.tag) == "item" and first_text(item, "wp:post_type") == "attachment":
            post_id = first_text(item, "wp:post_id")
            url = first_text(item, "wp:attachment_url") or first_text(item, "guid")
            meta = {first_text(children(m), "wp:meta_key"): first_text(children(m), "wp:meta_value")
                    for m in item.get("wp:postmeta", [])}  # fmt: skip
            if post_id and url:
                found[post_id] = wordpress_html.Attachment(
                    id=post_id, url=url, parent=first_text(item, "wp:post_parent"),
                    order=int(order) if (order := first_text(item, "wp:menu_order")).isdigit() else 0,
                    title=first_text(item, "title"), caption=first_text(item, "excerpt:encoded"),
                    alt=meta.get("_wp_attachment_image_alt", ""),
                )  # fmt: skip
        if channel is not None:
            channel.remove(element)
    return found


def _channel(
    handle: IO[bytes], name: str, attachments: dict[str, wordpress_html.Attachment] | None = None
) -> Iterator[Item]:
    state = _State(name, attachments)
    depth: list[str] = []
    saw_channel = False
    channel: Element | None = None
    for event, element in iterate(handle, name):
        tag = short_name(element.tag)
        if event == "start":
            depth.append(tag)
            if len(depth) == 2 and tag == "channel":
                channel = element
            if len(depth) == 1 and tag != "rss":
                raise ImportProblem(name, f"not a WordPress export: the root element is <{tag}>, not <rss>")
            saw_channel = saw_channel or tag == "channel"
            continue
        depth.pop()
        if len(depth) != 2:
            continue
        # a direct child of <channel>
        if tag == "wp:wxr_version":
            version = (element.text or "").strip()
            if not re.fullmatch(r"\d+\.\d+", version):
                raise ImportProblem(name, f"not a WordPress export: WXR version {version!r} is not a number like 1.2")
        elif tag == "wp:base_site_url":
            state.site = (element.text or "").strip()
        elif tag == "wp:author":
            author = _author(element, name)
            if author:
                yield author
        elif tag == "item":
            yield from _item(element, state)
        if channel is not None:  # each child of <channel> is done with: drop it, so memory stays flat
            channel.remove(element)
    if not saw_channel:
        raise ImportProblem(name, "not a WordPress export: no <channel>")
