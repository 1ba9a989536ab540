"""Markdown to safe HTML, and to plain text for extracts.

Editors write Markdown (markdown-it-py, CommonMark); raw HTML in it is not passed through,
and the output is cleaned again with nh3 so that nothing an importer or a form let in can run
script in a reader's browser.
"""

from __future__ import annotations

import functools
from typing import Any

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


# Both below are pure functions of their text, asked for the same texts again and again: an entry's
# summary made plain for each of the API's six documents of its day, for its feed item and its
# page's description; its body for its page after every change to the site empties the page cache.
# Markdown was a tenth of a static build's CPU (docs/benchmarks.md, *Static build*). Remembered only
# for texts up to CACHED_TEXT characters (an article's whole body is made plain for a description),
# and only the last few hundred, so each worker's memory stays a few MB.
CACHED_TEXT = 8192


def render_markdown(text: str) -> Markup:
    return _render_markdown(text) if len(text or "") <= CACHED_TEXT else _render_markdown.__wrapped__(text)


@functools.lru_cache(maxsize=512)
def _render_markdown(text: str) -> Markup:
    html = _markdown().render(text or "")
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
    return Markup(clean)  # noqa: S704 - cleaned by nh3 just above


def plain_text(text: str, markup: str = "markdown") -> str:
    """A text without its markup, on one line (for extracts and meta descriptions): the visible
    text of its HTML, every entity read (``&nbsp;`` becomes a space). ``markup`` is what the text
    is written in: an imported article's HTML read as Markdown would show its tags as words."""
    if len(text or "") > CACHED_TEXT:
        return _plain_text.__wrapped__(text, markup)
    return _plain_text(text, markup)


@functools.lru_cache(maxsize=2048)
def _plain_text(text: str, markup: str) -> str:
    from hodie.importers.html import html_to_text

    if markup == "html":
        return html_to_text(text or "")
    if markup == "text":
        return " ".join((text or "").split())
    return html_to_text(_markdown().render(text or ""))


def render(text: str, markup: str = "markdown") -> Markup:
    """An article's or a comment's text as safe HTML, whatever it was written in."""
    from hodie.importers.html import clean_html, text_to_html

    if markup == "html":
        from hodie.media.hosts import unblocked  # images from a host the CSP refuses become links

        return Markup(unblocked(clean_html(text)))  # noqa: S704 - cleaned by nh3; unblocked escapes what it writes
    if markup == "text":
        return Markup(clean_html(text_to_html(text), comment=True, settle=False))  # noqa: S704 - escaped, then cleaned
    return render_markdown(text)


def lead(article, said: Any = None) -> Markup:
    """What a day page shows of an article: its excerpt, else the first paragraphs of its body.
    ``said`` is that text as the reader is shown it (hodie.almanac.translations.Shown), when given."""
    from hodie.importers.html import excerpt_of

    if article.excerpt:
        return render(str(said) if said is not None else article.excerpt, article.markup)
    body = str(said) if said is not None else article.body
    return Markup(excerpt_of(str(render(body, article.markup)), limit=900))  # noqa: S704 - from cleaned HTML


#: How deep a comment's Markdown may nest (quotes in lists in emphasis…): deeper is left as text.
COMMENT_MAX_NESTING = 8


@functools.cache
def _comment_markdown() -> MarkdownIt:
    # The small subset readers get: paragraphs, line breaks, emphasis, code, links, quotes, lists.
    md = MarkdownIt("zero", {"html": False, "linkify": False}).enable(
        ["emphasis", "backticks", "link", "newline", "blockquote", "list", "escape"]
    )
    md.options["maxNesting"] = COMMENT_MAX_NESTING
    return md


def render_comment_source(body: str, markup: str) -> Markup:
    """A comment's text as safe HTML, rendered now; every link ``rel="nofollow ugc"``. Called when a
    comment is stored (its ``html``): a page shows what this gave, never renders again."""
    from hodie.importers.html import clean_html, text_to_html

    if markup == "markdown":
        html = _comment_markdown().render(body or "")
    elif markup == "text":
        html = text_to_html(body)
    else:
        html = body
    return Markup(clean_html(html, comment=True))  # noqa: S704 - cleaned by nh3


def render_comment(comment: object) -> Markup:
    """A comment as safe HTML: the HTML rendered when it was stored, or (a row stored before that
    column) rendered now from its text."""
    stored = getattr(comment, "html", "")
    if stored:
        return Markup(stored)  # noqa: S704 - rendered and cleaned by render_comment_source when stored
    return render_comment_source(getattr(comment, "body", ""), getattr(comment, "markup", "text"))
