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


def render(text: str, markup: str = "markdown") -> Markup:
    """An article's or a comment's text as safe HTML, whatever it was written in."""
    from hodie.importers.html import clean_html, text_to_html

    if markup == "html":
        return Markup(clean_html(text))  # noqa: S704 - cleaned by nh3
    if markup == "text":
        return Markup(clean_html(text_to_html(text), comment=True, settle=False))  # noqa: S704 - escaped, then cleaned
    return render_markdown(text)


def lead(article) -> Markup:
    """What a day page shows of an article: its excerpt, else the first paragraphs of its body."""
    from hodie.importers.html import excerpt_of

    if article.excerpt:
        return render(article.excerpt, article.markup)
    return Markup(excerpt_of(str(render(article.body, article.markup)), limit=900))  # noqa: S704 - from cleaned HTML


@functools.cache
def _comment_markdown() -> MarkdownIt:
    # The small subset readers get: paragraphs, line breaks, emphasis, code, links, quotes, lists.
    return MarkdownIt("zero", {"html": False, "linkify": False}).enable(
        ["emphasis", "backticks", "link", "newline", "blockquote", "list", "escape"]
    )


def render_comment(comment: object) -> Markup:
    """A comment's text as safe HTML; every link ``rel="nofollow ugc"``, whatever its origin."""
    from hodie.importers.html import clean_html, text_to_html

    body, markup = getattr(comment, "body", ""), getattr(comment, "markup", "text")
    if markup == "markdown":
        html = _comment_markdown().render(body or "")
    elif markup == "text":
        html = text_to_html(body)
    else:
        html = body
    return Markup(clean_html(html, comment=True, settle=False))  # noqa: S704 - cleaned by nh3
