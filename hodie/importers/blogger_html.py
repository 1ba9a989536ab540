"""A Blogger post's HTML in paragraphs. Blogger's editor separates paragraphs with ``<br />``
(two in a row between paragraphs, one for a line break) rather than ``<p>``; shown as it is, the
text has no paragraph spacing the site's stylesheet can style, and a ``<br />`` after a ``<div>``
or a table adds an empty line. Here two or more breaks in a row end a paragraph, one stays a line
break, a break beside a block element's tag is dropped, and the paragraphs are made by the same
rules as WordPress's (:mod:`.wordpress_html`). ``<pre>`` is left untouched.

With the blog's ``BLOG_CONVERT_LINE_BREAKS`` setting the author's newlines were shown as breaks,
so they count as ``<br />`` here; without it, newlines in the HTML are only spaces.
"""

from __future__ import annotations

import re

from .wordpress_html import _BLOCK_TAG, _KEEP, autop, demote_headings

_BREAK = r"<br\s*/?>"
_BREAKS = re.compile(rf"(?:{_BREAK}(?:\s|&nbsp;|&#160;)*){{2,}}", re.IGNORECASE)
_BREAK_BEFORE_BLOCK = re.compile(rf"(?:{_BREAK}\s*)+(?=(?:{_BLOCK_TAG.pattern}))", re.IGNORECASE)
_EDGE_BREAKS = re.compile(rf"(<p>)(?:{_BREAK}\s*)+|(?:\s*{_BREAK})+(</p>)", re.IGNORECASE)
_BREAK_AFTER_BLOCK = re.compile(rf"((?:{_BLOCK_TAG.pattern}))\s*(?:{_BREAK}\s*)+", re.IGNORECASE)


def _paragraphs(part: str, line_breaks: bool) -> str:
    part = part.replace("\r\n", "\n").replace("\r", "\n")
    part = part.replace("\n", "<br />") if line_breaks else part.replace("\n", " ")
    part = _BREAKS.sub("\n\n", part)
    part = _BREAK_BEFORE_BLOCK.sub("", part)
    return _BREAK_AFTER_BLOCK.sub(r"\1", part)


def post_html(text: str, line_breaks: bool = False) -> str:
    """A Blogger entry's ``content`` in paragraphs, before cleaning."""
    text = text or ""
    out, last = [], 0
    for match in _KEEP.finditer(text):  # <pre> (and <figure>, <script>, <style>) as written
        out.append(_paragraphs(text[last : match.start()], line_breaks))
        out.append("\n\n" + match[0] + "\n\n")
        last = match.end()
    out.append(_paragraphs(text[last:], line_breaks))
    html = autop("".join(out), breaks=False)
    return demote_headings(_EDGE_BREAKS.sub(lambda m: m[1] or m[2], html))
