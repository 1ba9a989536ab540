"""WordPress's paragraph rules, its shortcodes and headings (hodie/importers/wordpress_html.py),
and Blogger's <br /> paragraphs (hodie/importers/blogger_html.py). Expected HTML is written out
by hand for each case."""

from typing import NamedTuple

import pytest

from hodie.importers import blogger_html, wordpress_html
from hodie.importers.html import clean_html


class Case(NamedTuple):
    source: str
    expected: str


WORDPRESS = {
    "blank line ends a paragraph, newline is a break": Case(
        "First para\nline two\n\nSecond para", "<p>First para<br>\nline two</p>\n<p>Second para</p>"
    ),
    "no <br> after a table, none inside its rows": Case(
        "<table><tr><td>a\nb</td></tr></table>\nafter table",
        "<table>\n<tr>\n<td>a<br>\nb</td>\n</tr>\n</table>\n<p>after table</p>",
    ),
    "an explicit <p> is not wrapped again": Case("<p>explicit</p>\ntext", "<p>explicit</p>\n<p>text</p>"),
    "<pre> untouched": Case("<pre>code\n\n  indented\n</pre>\ntext", "<pre>code\n\n  indented\n</pre>\n<p>text</p>"),
    "list items hold text, not paragraphs": Case(
        "<ul>\n<li>one</li>\n<li>two\nthree</li>\n</ul>", "<ul>\n<li>one</li>\n<li>two<br>\nthree</li>\n</ul>"
    ),
    "a typed <br /> is not doubled": Case("line<br />\nnext", "<p>line<br />\nnext</p>"),
    "caption becomes a figure": Case(
        '[caption id="attachment_1" align="alignleft" width="300"]<a href="http://x.example/"><img src="http://x.'
        'example/a.jpg" alt="a" /></a> The caption[/caption]\nAfter.',
        '<figure><a href="http://x.example/"><img src="http://x.example/a.jpg" alt="a" /></a>'
        "<figcaption>The caption</figcaption></figure>\n<p>After.</p>",
    ),
    "old caption attribute": Case(
        '[caption caption="Old style"]<img src="http://x.example/b.jpg" />[/caption]',
        '<figure><img src="http://x.example/b.jpg" /><figcaption>Old style</figcaption></figure>',
    ),
    "embed and video become links, gallery goes": Case(
        '[embed]https://youtu.be/x[/embed]\n[gallery ids="1,2"]\n[video src="https://v.example/a.mp4"]',
        '<p><a href="https://youtu.be/x">https://youtu.be/x</a></p>\n'
        '<p><a href="https://v.example/a.mp4">https://v.example/a.mp4</a></p>',
    ),
    "code shortcode becomes pre": Case("[code lang=py]x < 1[/code]", "<pre><code>x &lt; 1</code></pre>"),
    "headings demoted, not stripped": Case(
        "<h1>Top</h1>\n<h2>Sub</h2>\ntext", "<h2>Top</h2>\n<h3>Sub</h3>\n<p>text</p>"
    ),
    "h2-based posts keep their levels": Case("<h2>Sub</h2>\ntext", "<h2>Sub</h2>\n<p>text</p>"),
    "blockquote paragraphs": Case(
        "<blockquote>quoted\n\nmore</blockquote>", "<blockquote>\n<p>quoted</p>\n<p>more</p>\n</blockquote>"
    ),
}


@pytest.mark.parametrize("case", WORDPRESS.values(), ids=WORDPRESS.keys())
def test_wordpress_rules(case):
    assert wordpress_html.post_html(case.source) == case.expected


BLOGGER = {
    "two breaks end a paragraph, one stays": Case(
        "Para one.<br /><br />Para two<br />line two.<br /><br /><br />Three",
        "<p>Para one.</p>\n<p>Para two<br />line two.</p>\n<p>Three</p>",
    ),
    "no break after a block, none at a paragraph's end": Case(
        '<div class="separator"><img src="y"></div><br />Text after<br/>',
        '<div class="separator">\n<p><img src="y"></p>\n</div>\n<p>Text after</p>',
    ),
    "newlines are spaces without the line-break setting": Case("a\nb", "<p>a b</p>"),
    "<pre> untouched": Case("<pre>x<br /><br />y\n z</pre><br />after", "<pre>x<br /><br />y\n z</pre>\n<p>after</p>"),
    "headings demoted": Case("<h1>T</h1>text", "<h2>T</h2>\n<p>text</p>"),
}


@pytest.mark.parametrize("case", BLOGGER.values(), ids=BLOGGER.keys())
def test_blogger_paragraphs(case):
    assert blogger_html.post_html(case.source) == case.expected


def test_blogger_line_break_setting_makes_newlines_breaks():
    assert blogger_html.post_html("a\nb\n\nc", line_breaks=True) == "<p>a<br />b</p>\n<p>c</p>"


def test_no_br_follows_a_block_after_cleaning():
    """What is stored (cleaned) has no <br> right after a block element's end."""
    source = "<table><tr><td>1</td></tr></table>\n<ul><li>a</li></ul>\n<h1>x</h1>\n<blockquote>q</blockquote>\ny"
    stored = clean_html(wordpress_html.post_html(source))
    for block in ("</table>", "</ul>", "</h2>", "</blockquote>", "</li>", "</tr>"):
        assert f"{block}<br>" not in stored.replace("\n", "") and f"{block}\n<br>" not in stored
    assert "<h2>x</h2>" in stored
