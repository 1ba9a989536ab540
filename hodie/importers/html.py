"""HTML from other platforms: cleaned with nh3, paragraphs restored, excerpts cut at a paragraph.

WordPress exports ``post_content`` raw: paragraphs are blank lines (``wpautop`` has not run) and
shortcodes such as ``[caption]`` are still there: :mod:`.wordpress_html` restores what readers
saw, and :mod:`.blogger_html` makes paragraphs of Blogger's ``<br />``s; :func:`clean_html` keeps
the structure of an article and drops anything that can run script or load from elsewhere without
the reader asking.
"""

from __future__ import annotations

import html as _html
import re
from urllib.parse import urlsplit

import nh3

from . import wordpress_html

ARTICLE_TAGS = {
    "p", "br", "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "pre", "code", "kbd", "samp",
    "figure", "figcaption", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "hr",
    "sup", "sub", "abbr", "cite", "q", "span", "div", "time",
}  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "srcset", "sizes", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "time": {"datetime"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# The one class kept: WordPress's [gallery] (hodie.importers.wordpress_html), laid out by site.css.
ARTICLE_CLASSES = {"div": {"gallery"}}
COMMENT_TAGS = {"p", "br", "a", "em", "strong", "b", "i", "blockquote", "code", "pre", "ul", "ol", "li", "q", "cite"}

_SHORTCODE = re.compile(
    r"\[/?(?:caption|wp_caption|gallery|embed|audio|video|playlist|contact-form(?:-7)?|more)\b[^\]]*\]", re.IGNORECASE
)
_PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.DOTALL | re.IGNORECASE)


def autop(text: str) -> str:
    """Blank-line paragraphs to ``<p>``, single newlines to ``<br>``, leaving block elements alone
    (WordPress's rules: :func:`hodie.importers.wordpress_html.autop`)."""
    return wordpress_html.autop(text)


_CANDIDATE = re.compile(r"^(\S+)(?:\s+(\d+(?:\.\d+)?[wx]))?$")


def srcset_candidates(value: str) -> list[tuple[str, str]] | None:
    """A ``srcset``'s (address, descriptor) pairs, or None when one is not an http(s) address or a
    path on this site, or is not written as the HTML standard says (``URL 300w``, ``URL 2x``).
    nh3 checks the schemes of ``src`` and ``href`` but not of each address in a ``srcset``."""
    found = []
    for part in (value or "").split(","):
        match = _CANDIDATE.match(part.strip())
        if match is None:
            return None
        url = _html.unescape(match[1])
        if not (is_web_url(url) or (url.startswith("/") and not url.startswith("//"))):
            return None
        found.append((url, match[2] or ""))
    return found or None


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "srcset":  # kept whole or not at all: the src is always there to fall back on
        return value if srcset_candidates(value) is not None else None
    return value


def clean_html(text: str, comment: bool = False, settle: bool = True) -> str:
    """Sanitise HTML from an import or a feed; links get ``rel="nofollow ugc"`` in comments.

    nh3's output is not always a fixed point: a ``</p>`` met inside a dropped ``<select>`` or
    ``<object>`` leaves ``<p><p></p></p>``, which the next parse reads differently. Cleaning repeats
    until nothing changes (two rounds in every case of the XSS corpora), so what is stored is
    exactly what cleaning it again gives. ``settle=False`` is one round, for HTML made just now to
    be shown and not stored: it is as safe, and a page of comments is not cleaned twice over."""
    text = _SHORTCODE.sub("", text or "")
    for _ in range(4 if settle else 1):
        cleaned = nh3.clean(
            text,
            tags=COMMENT_TAGS if comment else ARTICLE_TAGS,
            attributes={"a": {"href", "title"}} if comment else ARTICLE_ATTRIBUTES,
            allowed_classes={} if comment else ARTICLE_CLASSES,
            attribute_filter=None if comment else _attribute_filter,
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow ugc noopener" if comment else "noopener",
            strip_comments=True,
        ).strip()
        if cleaned == text:
            break
        text = cleaned
    return text


def text_to_html(text: str) -> str:
    """Plain text (a feed's text summary) as escaped paragraphs."""
    return autop(_html.escape(text or ""))


_BLOCK_END = re.compile(
    r"(</(?:p|div|li|h[1-6]|blockquote|pre|tr|td|th|dd|dt|figcaption|section|article|ul|ol|table)\s*>|<br\s*/?>)",
    re.IGNORECASE,
)


def html_to_text(text: str) -> str:
    """Visible text of an HTML fragment, on one line; the words either side of a block's end or a
    line break stay two words (``<p>a</p><p>b</p>`` is "a b", as a reader sees it, not "ab")."""
    stripped = nh3.clean(_BLOCK_END.sub(r"\1 ", text or ""), tags=set())
    return re.sub(r"\s+", " ", _html.unescape(stripped)).strip()


def excerpt_of(text: str, limit: int = 1200) -> str:
    """The leading paragraphs of cleaned HTML, cut at a paragraph boundary (at least one)."""
    paragraphs = _PARAGRAPH.findall(text or "")
    if not paragraphs:
        plain = html_to_text(text)
        if len(plain) <= limit:
            return text_to_html(plain)
        cut = plain.rfind(". ", 0, limit)
        return text_to_html(plain[: cut + 1 if cut > 0 else limit] + ("" if cut > 0 else "…"))
    kept: list[str] = []
    size = 0
    for paragraph in paragraphs:
        if kept and size + len(paragraph) > limit:
            break
        kept.append(paragraph)
        size += len(paragraph)
    return "\n".join(kept)


def is_web_url(url: str) -> bool:
    """Whether ``url`` is an absolute http or https address with a host: the only links pages make
    of what an import or a reader gave (no ``javascript:``, ``data:``, ``vbscript:``, relative or
    protocol-relative ones). Whitespace and control characters that browsers ignore before the
    scheme are not ignored here: such a value is simply not a web address."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and url == url.strip() and url.isprintable()
