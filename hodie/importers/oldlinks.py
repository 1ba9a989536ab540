"""The old addresses of an imported blog, beyond each post's own permalink (which the writer keeps
from the article record): the shapes each exporter's site answered at, read from the export.

- Blogger: ``/search/label/X``, ``/feeds/posts/default``, ``/feeds/comments/default`` and each
  post's comment feed ``/feeds/ID/comments/default``;
- WordPress: ``/?p=ID``, ``/?page_id=ID``, ``/category/x/`` (and ``/category/parent/x/``),
  ``/tag/x/``, ``/feed/``, ``/comments/feed/``, attachment pages (``/?attachment_id=ID`` and their
  pretty link), which lead to the post they belong to.

The export is read a second time, on its own, so that the readers stay about content: a list of
addresses is a separate concern, and a reader's changes cannot lose one silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urljoin
from xml.etree.ElementTree import Element

from .records import OldLinkRecord
from .wxr import open_export
from .xmlsafe import children, first_text, iterate, short_name

KIND = "http://schemas.google.com/g/2005#kind"


def _base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def blogger(path: Path) -> Iterator[OldLinkRecord]:
    name = str(path)
    blog = ""
    labels: dict[str, None] = {}
    depth = 0
    for event, element in iterate(path, name):
        if event == "start":
            depth += 1
            continue
        depth -= 1
        tag = short_name(element.tag)
        if depth != 1:
            continue
        if tag == "atom:link" and element.get("rel") == "alternate" and not blog:
            blog = element.get("href", "")
        elif tag == "atom:entry":
            found = children(element)
            links = {link.get("rel", "alternate"): link.get("href", "") for link in found.get("atom:link", [])}
            kinds = [c.get("term", "") for c in found.get("atom:category", []) if c.get("scheme") == KIND]
            is_post = any(k.endswith("#post") for k in kinds) or first_text(found, "blogger:type").upper() == "POST"
            permalink = links.get("alternate", "")
            if not permalink and blog and (filename := first_text(found, "blogger:filename")):
                permalink = blog.rstrip("/") + filename
            if is_post and permalink:
                for category in found.get("atom:category", []):
                    term = (category.get("term") or "").strip()
                    if category.get("scheme") != KIND and term:
                        labels[term] = None
                feed = next((link.get("href", "") for link in found.get("atom:link", [])
                             if link.get("rel") == "replies" and "atom" in link.get("type", "")), "")  # fmt: skip
                if feed:
                    yield OldLinkRecord(f"{name}: {first_text(found, 'atom:id')}", feed, "article", permalink)
            element.clear()
    if not blog:
        return
    where = f"{name}: the blog"
    for label in labels:
        yield OldLinkRecord(where, urljoin(_base(blog), "search/label/" + quote(label, safe="")), "tag", label)
    yield OldLinkRecord(where, urljoin(_base(blog), "feeds/posts/default"), "feed", "atom")
    yield OldLinkRecord(where, urljoin(_base(blog), "feeds/comments/default"), "comments-feed", "atom")


def wxr(path: Path) -> Iterator[OldLinkRecord]:
    name = str(path)
    handle = open_export(path)
    blog = ""
    links: dict[str, str] = {}  # post id -> its permalink
    attachments: list[tuple[str, str, str]] = []  # (where, attachment's address, parent post id)
    categories: dict[str, str] = {}  # nicename -> name
    parents: dict[str, str] = {}  # nicename -> parent's nicename
    tags: dict[str, str] = {}
    depth = 0
    with handle:
        for event, element in iterate(handle, name):
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if depth != 2:
                continue
            tag = short_name(element.tag)
            found = children(element)
            if tag in ("wp:base_blog_url", "link") and not blog:
                blog = (element.text or "").strip()
            elif tag == "wp:category":
                nicename = first_text(found, "wp:category_nicename")
                categories[nicename] = first_text(found, "wp:cat_name") or nicename
                if parent := first_text(found, "wp:category_parent"):
                    parents[nicename] = parent
            elif tag == "wp:tag":
                tags[first_text(found, "wp:tag_slug")] = first_text(found, "wp:tag_name")
            elif tag == "item":
                # Only the path of an old address is kept: without the blog's address, /?p=ID is at the root.
                base = _base(blog or "http://old.invalid/")
                yield from _item(found, name, base, links, attachments, categories, tags)
            element.clear()
    if not blog:
        return
    base = _base(blog)
    where = f"{name}: the blog"
    for item_where, address, parent in attachments:
        if parent in links:
            yield OldLinkRecord(item_where, address, "article", links[parent])
    for nicename, title in categories.items():
        if not nicename:
            continue
        yield OldLinkRecord(where, urljoin(base, f"category/{nicename}/"), "tag", title)
        if nicename in parents and parents[nicename] in categories:
            yield OldLinkRecord(where, urljoin(base, f"category/{parents[nicename]}/{nicename}/"), "tag", title)
    for slug, title in tags.items():
        if slug:
            yield OldLinkRecord(where, urljoin(base, f"tag/{slug}/"), "tag", title or slug)
    yield OldLinkRecord(where, urljoin(base, "feed/"), "feed", "rss")
    yield OldLinkRecord(where, urljoin(base, "comments/feed/"), "comments-feed", "rss")


def _item(
    found: dict[str, list[Element]],
    name: str,
    base: str,
    links: dict[str, str],
    attachments: list[tuple[str, str, str]],
    categories: dict[str, str],
    tags: dict[str, str],
) -> Iterator[OldLinkRecord]:
    post_id = first_text(found, "wp:post_id")
    post_type = first_text(found, "wp:post_type") or "post"
    link = first_text(found, "link")
    guid = first_text(found, "guid")
    where = f"{name}: post {post_id}"
    if post_type == "attachment":
        parent = first_text(found, "wp:post_parent")
        for address in (link, guid if "attachment_id=" in guid else ""):
            if address.startswith(("http://", "https://")) and parent not in ("", "0"):
                attachments.append((where, address, parent))
        return
    if post_type not in ("post", "page") or not link.startswith(("http://", "https://")):
        return
    links[post_id] = link
    for category in found.get("category", []):
        nicename, title = category.get("nicename", ""), (category.text or "").strip()
        if category.get("domain") == "category" and nicename:
            categories.setdefault(nicename, title)
        elif category.get("domain") == "post_tag" and nicename:
            tags.setdefault(nicename, title)
    by_id = urljoin(base, f"?{'page_id' if post_type == 'page' else 'p'}={post_id}") if post_id else ""
    if by_id:
        yield OldLinkRecord(where, by_id, "article", link)
    if guid.startswith(("http://", "https://")) and guid not in (link, by_id):
        yield OldLinkRecord(where, guid, "article", link)


READERS = {"blogger": blogger, "wxr": wxr}


def read(fmt: str, path: Path) -> Iterator[OldLinkRecord]:
    """The old addresses in the export ``path`` of format ``fmt`` (none for other formats)."""
    if fmt in READERS:
        yield from READERS[fmt](path)
