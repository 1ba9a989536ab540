"""Links made of what others gave (imports, readers, partners, the admin) are http(s) addresses or
no link at all (SECURITY.md §7, figure 3). Imports refuse the other schemes, naming the field and
line; rows that reach the database some other way (an older version, the admin's URL fields,
which accept ftp:) are shown as text. Every href and src of the pages is checked."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from hodie.cli import main

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/x", "/relative/path",
    "ftp://files.example/x", "https:alert(1)", "http://",
]  # fmt: skip


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.values += [v or "" for k, v in attrs if k in ("href", "src", "action", "formaction", "srcset")]


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.values


@pytest.mark.parametrize("url", HOSTILE)
def test_imports_refuse_links_that_are_not_web_addresses(tmp_path: Path, demo, url: str) -> None:
    rows = [
        {"id": "u1", "date": "1939-02-20", "title": "With a source", "sources": [{"url": url}]},
        {"type": "article", "id": "u2", "title": "Excerpt", "status": "published", "body": "x",
         "markup": "markdown", "full_url": url},
        {"type": "article", "id": "u3", "title": "Post", "status": "published", "body": "x",
         "markup": "markdown", "permalink": url},
    ]  # fmt: skip
    path = tmp_path / "u.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = CliRunner().invoke(main, ["import", "jsonl", str(path), "--collection", "russia"])
    assert result.exit_code != 0
    for line, label in ((1, "source URL"), (2, "full_url"), (3, "permalink")):
        assert f"u.jsonl:{line}: {label} " in result.output and "is not an http(s) address" in result.output


def test_no_page_links_to_anything_but_a_web_address(client, demo) -> None:
    from hodie.almanac.models import Article, Entry, Source
    from hodie.social.models import Comment, Partner

    partner = Partner.objects.create(name="Odd partner", slug="odd", site_url="ftp://files.example/")
    entry = Entry.objects.get(slug__startswith="1939-georgy")
    article = Article.objects.get(slug="1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy")
    Article.objects.filter(pk=article.pk).update(full_url=HOSTILE[0], partner=partner, cowritten=True)
    for url in HOSTILE:
        Source.objects.create(entry=entry, url=url, title=f"Source {url}")
        Comment.objects.create(article=article, author_name="Reader", author_url=url, source_url=url, body="Hello",
                               status="approved", comment_type="reply")  # fmt: skip
    pages = [article.get_absolute_url(), entry.get_absolute_url(), "/russia/february-20/", "/comments/feed.rss"]
    seen = 0
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        links = _links(text) if "html" in response["Content-Type"] else re.findall(r'href="([^"]*)"', text)
        seen += len(links)
        for value in links:
            # Browsers drop tabs and newlines anywhere in a URL and spaces around it.
            scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", re.sub(r"[\t\n\r]", "", value).strip())
            # Ours: the page's empty favicon (base.html) and the share-by-email link, which has no address.
            ours = value == "data:," or value.startswith("mailto:?subject=")
            assert ours or scheme is None or scheme[1].lower() in ("http", "https"), (path, value)
            assert value not in HOSTILE, (path, value)
    assert seen > 50
    # The hostile links are still shown, as text: nothing the editor stored is hidden.
    assert "Source javascript:alert(1)" in client.get(entry.get_absolute_url()).content.decode()
