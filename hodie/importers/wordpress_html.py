"""A WordPress post's HTML as WordPress shows it: its paragraph rules, its common shortcodes, and
its headings one level under the page's title.

``post_content`` in a WXR file is what the author typed: paragraphs are blank lines and line
breaks single newlines, and WordPress adds ``<p>`` and ``<br />`` only when it shows the post
(``wpautop``). The rules followed here, written from what WordPress documents and does:

- a blank line ends a paragraph; a block element (``<div>``, ``<table>``, ``<ul>``, ``<h2>``,
  ``<figure>``, ``<blockquote>``…) is a paragraph of its own and is never wrapped in ``<p>``;
- a single newline inside a paragraph is a ``<br>``, but never right before or after a block
  element's tag (no ``<br>`` after ``</table>``, none between ``<li>``s);
- ``<pre>`` is left exactly as written (no ``<p>``, no ``<br>``), as are ``<script>``/``<style>``
  (which cleaning drops later) and ``<figure>`` (what ``[caption]`` makes);
- text inside an element that holds text (``<p>``, ``<li>``, ``<td>``, a heading) is not wrapped
  in another ``<p>``;
- ``[caption]`` becomes ``<figure>`` with ``<figcaption>``; ``[embed]``, ``[video]``, ``[audio]``
  and ``[youtube]`` a link to the media; ``[code]``/``[sourcecode]`` a ``<pre><code>``; ``[playlist]``
  and form shortcodes, which need the site that made them, are removed;
- ``[gallery]`` becomes what WordPress's HTML5 galleries are, ``<div class="gallery">`` holding one
  ``<figure>`` per image with the attachment's caption as its ``<figcaption>`` and its alternative
  text as ``alt``. The images are the post's attached images (attachments whose parent is the post,
  in their menu order, then by ID), or those ``ids="…"`` (or ``include="…"``) lists, in that order;
  ``exclude="…"`` leaves some out, ``orderby="ID"``/``"title"`` and ``order="DESC"`` are followed,
  ``orderby="rand"`` keeps the menu order (a page that changes on each build is no page to cache).
  ``columns`` and ``size`` are not followed: the figures wrap to the reader's window (site.css).
  The images keep the attachments' own addresses: the import's image copy (a job, or
  ``--images``) copies them like every other image. Links to attachment pages are not made (those
  pages are not imported; their old addresses redirect to the post). A gallery of no image found in
  the export is removed.

No library does this in Python (html5lib and nh3 parse HTML; neither knows WordPress's rules),
hence the code below.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Mapping
from dataclasses import dataclass

BLOCKS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|figcaption|figure|"
    "footer|form|h[1-6]|header|hgroup|hr|li|main|menu|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|"
    "thead|tr|ul|math|style|script|iframe|object|audio|video|source|noscript"
)
_BLOCK_TAG = re.compile(rf"</?(?:{BLOCKS})\b[^>]*>", re.IGNORECASE)
_KEEP = re.compile(r"<(pre|script|style|figure)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# Elements whose content is text, never paragraphs: the text in them is not wrapped in <p>.
_TEXT_HOLDER = re.compile(r"<(/?)(?:p|h[1-6]|li|td|th|dt|dd|figcaption|caption|summary|address)\b", re.IGNORECASE)
_ENDS_WITH_BREAK = re.compile(r"<br\s*/?>$", re.IGNORECASE)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_ATTRS = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
_CAPTION = re.compile(r"\[(?:wp_)?caption\b([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.IGNORECASE | re.DOTALL)
_ENCLOSED_URL = re.compile(r"\[(embed|youtube)\b[^\]]*\]\s*(.*?)\s*\[/\1\]", re.IGNORECASE | re.DOTALL)
_MEDIA = re.compile(r"\[(video|audio|youtube)\b([^\]]*)\](?:\s*\[/\1\])?", re.IGNORECASE)
_CODE = re.compile(r"\[(code|sourcecode)\b[^\]]*\](.*?)\[/\1\]", re.IGNORECASE | re.DOTALL)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\](?:\s*\[/gallery\])?", re.IGNORECASE)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp)$", re.IGNORECASE)
_DROPPED = re.compile(
    r"\[/?(?:gallery|playlist|contact-form(?:-7)?|more|nextpage)\b[^\]]*\]|<!--\s*(?:more|nextpage)\b.*?-->",
    re.IGNORECASE,
)
_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


@dataclass(frozen=True)
class Attachment:
    """A WXR attachment as a gallery shows it: ``caption`` is HTML (the attachment's excerpt)."""

    id: str
    url: str
    parent: str = ""
    order: int = 0
    title: str = ""
    caption: str = ""
    alt: str = ""

    @property
    def is_image(self) -> bool:
        return bool(_IMAGE_FILE.search(self.url.split("?", 1)[0]))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


def gallery_images(attrs: dict[str, str], post_id: str, attachments: Mapping[str, Attachment]) -> list[Attachment]:
    """The images a ``[gallery]`` with ``attrs`` shows in post ``post_id``, in WordPress's order."""
    listed = [i for i in re.split(r"[\s,]+", attrs.get("ids") or attrs.get("include") or "") if i]
    excluded = set(re.split(r"[\s,]+", attrs.get("exclude", "")))
    if listed:
        images = [attachments[i] for i in dict.fromkeys(listed) if i in attachments]
        orderby = attrs.get("orderby", "post__in").lower()
    else:
        parent = attrs.get("id") or post_id
        images = [a for a in attachments.values() if parent and a.parent == parent]
        orderby = attrs.get("orderby", "menu_order ID").lower()
    images = [a for a in images if a.is_image and a.id not in excluded]
    if orderby == "id":
        images.sort(key=lambda a: _number(a.id))
    elif orderby == "title":
        images.sort(key=lambda a: (a.title.casefold(), _number(a.id)))
    elif orderby != "post__in":
        images.sort(key=lambda a: (a.order, _number(a.id)))
    if attrs.get("order", "ASC").upper() == "DESC":
        images.reverse()
    return images


def gallery(attrs: dict[str, str], post_id: str, attachments: Mapping[str, Attachment]) -> str:
    """A ``[gallery]`` as WordPress's HTML5 markup shows it (see the module's notes)."""
    figures = []
    for image in gallery_images(attrs, post_id, attachments):
        alt = _html.escape(image.alt or image.title)
        caption = f"<figcaption>{image.caption.strip()}</figcaption>" if image.caption.strip() else ""
        figures.append(f'<figure><img src="{_html.escape(image.url)}" alt="{alt}">{caption}</figure>')
    return f'\n\n<div class="gallery">\n{"".join(figures)}\n</div>\n\n' if figures else ""


def _attributes(text: str) -> dict[str, str]:
    return {m[1].lower(): _html.unescape(m[2] or m[3] or m[4] or "") for m in _ATTRS.finditer(text)}


def _link(url: str) -> str:
    url = _html.unescape(url.strip())
    if not re.match(r"https?://", url):
        return ""
    quoted = _html.escape(url)
    return f'<p><a href="{quoted}">{quoted}</a></p>'


def _caption(match: re.Match[str]) -> str:
    attrs, inner = _attributes(match[1]), match[2].strip()
    # WordPress 3.4+ puts the caption after the image inside the shortcode; older posts in caption="…".
    image = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.IGNORECASE | re.DOTALL)
    media, text = (image[1], image[2].strip()) if image else (inner, "")
    text = text or _html.escape(attrs.get("caption", ""))
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"\n\n<figure>{media}{caption}</figure>\n\n"


def shortcodes(text: str, post_id: str = "", attachments: Mapping[str, Attachment] | None = None) -> str:
    """WordPress's common shortcodes as the HTML they stand for (see the module's notes);
    ``attachments`` (by ID) are the export's, for ``[gallery]`` in post ``post_id``."""
    text = _GALLERY.sub(lambda m: gallery(_attributes(m[1]), post_id, attachments or {}), text)
    text = _CAPTION.sub(_caption, text)
    text = _CODE.sub(lambda m: f"\n\n<pre><code>{_html.escape(_html.unescape(m[2].strip()))}</code></pre>\n\n", text)
    text = _ENCLOSED_URL.sub(lambda m: "\n\n" + _link(m[2]) + "\n\n", text)

    def media(match: re.Match[str]) -> str:
        attrs = _attributes(match[2])
        url = attrs.get("src") or attrs.get("mp4") or attrs.get("mp3") or attrs.get("url") or match[2].strip(" =")
        return "\n\n" + _link(url) + "\n\n"

    text = _MEDIA.sub(media, text)
    return _DROPPED.sub("", text)


def demote_headings(text: str) -> str:
    """Headings moved down so that the highest is an ``<h2>`` (the page's title is the ``<h1>``);
    their order is kept, and ``<h6>`` is the floor."""
    levels = [int(level) for closing, level in _HEADING.findall(text) if not closing]
    shift = 2 - min(levels) if levels and min(levels) < 2 else 0
    if not shift:
        return text
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + shift)}", text)


def autop(text: str, breaks: bool = True) -> str:
    """Paragraphs from blank lines, and (with ``breaks``) ``<br>`` from single newlines, by the
    rules in the module's notes."""
    text = _BLOCK_COMMENT.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\n\n<hodie-kept {len(kept) - 1}>\n\n"

    text = _KEEP.sub(keep, text)
    # Every block tag stands apart from the text around it, as a paragraph boundary does.
    text = _BLOCK_TAG.sub(lambda m: f"\n\n{m[0]}\n\n", text)
    out: list[str] = []
    pending: list[str] = []  # the lines of text met since the last block tag
    inline = 0  # how many elements that hold text, not paragraphs (<p>, <li>, <td>…), are open

    def flush() -> None:
        lines = [line.strip() for chunk in pending for line in chunk.split("\n") if line.strip()]
        pending.clear()
        if not lines:
            return
        joined = lines[0]
        for line in lines[1:]:
            joined += ("\n" if _ENDS_WITH_BREAK.search(joined) else "<br>\n" if breaks else " ") + line
        out.append(joined if inline else f"\n<p>{joined}</p>")

    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if _BLOCK_TAG.fullmatch(chunk) or chunk.startswith("<hodie-kept "):
            flush()
            name = _TEXT_HOLDER.match(chunk)
            closing = name is not None and bool(name[1])
            # inside a text holder, tags follow the text directly; a closing holder's tag too
            out.append(chunk if (inline and (closing or name is None)) or closing else "\n" + chunk)
            if name is not None:
                inline = max(0, inline + (-1 if closing else 1))
        elif chunk:
            if not inline:
                flush()  # a blank line ends a paragraph
            pending.append(chunk)
    flush()
    html = "".join(out).strip()
    return re.sub(r"<hodie-kept (\d+)>", lambda m: kept[int(m[1])], html)


def post_html(text: str, post_id: str = "", attachments: Mapping[str, Attachment] | None = None) -> str:
    """A WXR ``content:encoded`` or ``excerpt:encoded`` as WordPress shows it, before cleaning."""
    return demote_headings(autop(shortcodes(text or "", post_id, attachments)))
