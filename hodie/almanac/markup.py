"""Markdown to safe HTML, and to plain text for extracts.

Editors write Markdown (markdown-it-py, CommonMark); raw HTML in it is not passed through,
and the output is cleaned again with nh3 so that nothing an importer or a form let in can run
script in a reader's browser.
"""

from __future__ import annotations

import functools
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_TAGS = {
    "p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "pre", "h2", "h3", "h4",
    "hr", "sup", "sub", "abbr", "cite", "q",
}  # fmt: skip


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(
        ["replacements", "smartquotes"]
    )


def render_markdown(text: str) -> Markup:
    html = _markdown().render(text or "")
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
    return Markup(clean)  # noqa: S704 - cleaned by nh3 just above


def plain_text(text: str) -> str:
    """Markdown without its markup, on one line (for extracts and meta descriptions)."""
    html = _markdown().render(text or "")
    stripped = nh3.clean(html, tags=set())
    stripped = stripped.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return re.sub(r"\s+", " ", stripped).strip()
