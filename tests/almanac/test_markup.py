"""Markdown and HTML to plain text: one way, every entity read."""

import pytest

from hodie.almanac.markup import plain_text
from hodie.importers.html import html_to_text


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("&nbsp;AT&amp;T", "AT&T"),
        ("AT&amp;T&nbsp;Inc.", "AT&T Inc."),
        ("**Bold** and *italic*", "Bold and italic"),
        ("a &lt; b &gt; c", "a < b > c"),
        ("Line one\n\nLine two", "Line one Line two"),
        ("[a link](https://example.org/) &copy; 1939", "a link © 1939"),
        ("", ""),
    ],
)
def test_plain_text_of_markdown(markdown: str, text: str) -> None:
    assert plain_text(markdown) == text


def test_plain_text_is_the_visible_text_of_the_rendered_html() -> None:
    # The same answer the importers get from HTML: both go through html_to_text.
    assert html_to_text("<p>&nbsp;AT&amp;T</p>") == "AT&T"
    assert html_to_text("<p>one&nbsp;two</p>\n<p>three</p>") == "one two three"
