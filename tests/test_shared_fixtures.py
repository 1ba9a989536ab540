"""Acceptance on third-party files in ../shared/data (skipped, saying why, when it is absent):
every file imports or is refused with a message naming it, and FORMATS.md §5's counts hold."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from hodie.cli import main
from hodie.importers import blogger, feed, wxr
from hodie.importers.records import ArticleRecord, CommentRecord, ImportProblem, MediaRecord, Skipped

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXTURES = SHARED / "fixtures"
pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"{FIXTURES} is absent: third-party fixtures not available"),
]


def reader_for(path: Path):
    head = path.read_bytes()[:4000].lower()
    if b"wordpress.org/export" in head or path.suffix == ".wxr":
        return wxr.read
    if b"blogger" in head and b"<feed" in head:
        return blogger.read
    return feed.read


def all_fixture_files() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".xml", ".wxr", ".rss", ".atom"))


@pytest.mark.parametrize("path", all_fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_file_imports_or_is_refused_clearly(path):
    try:
        items = list(reader_for(path)(path))
    except ImportProblem as problem:
        assert problem.where.startswith(str(path)) and len(problem.reason) > 10
        return
    for item in items:
        if isinstance(item, ImportProblem):
            assert item.where.startswith(str(path))


def kinds(items):
    counts: Counter[str] = Counter()
    for item in items:
        if isinstance(item, ArticleRecord):
            counts[f"{item.kind}:{item.status}"] += 1
        elif isinstance(item, CommentRecord):
            counts["comment"] += 1
            counts[f"comment:{item.status}"] += 1
            counts[f"comment:{item.comment_type}"] += 1
            counts["threaded"] += bool(item.parent_id)
        elif isinstance(item, Skipped):
            counts[f"skip:{item.kind}"] += 1
        elif isinstance(item, MediaRecord):
            counts["media"] += 1
    return counts


def test_blogger_sample2():
    items = list(blogger.read(FIXTURES / "google-blog-converters-appengine" / "blogger-sample2.xml"))
    posts = [i for i in items if isinstance(i, ArticleRecord)]
    assert len(posts) == 4 and all(p.status == "published" for p in posts)
    assert all("Everything" in p.tags for p in posts)
    comments = Counter(i.article_id.rsplit(".", 1)[1] for i in items if isinstance(i, CommentRecord))
    assert comments == {"post-7031156583478223661": 2, "post-720686382913388888": 1}


def test_theme_unit_test_data():
    path = FIXTURES / "wordpress-importer" / "theme-unit-test-data.xml"
    assert b'xmlns:wp="https://wordpress.org/export/1.2/"' in path.read_bytes()[:3000]
    items = list(wxr.read(path))
    counts = kinds(items)
    # 58 posts: 56 published, one of them password-protected (kept as a draft: Hodie has no post
    # passwords and must not show it), 1 draft, 1 scheduled.
    assert counts["article:published"] + counts["article:draft"] + counts["article:scheduled"] == 58
    protected = [i for i in items if isinstance(i, ArticleRecord) and "protected" in i.title.lower()]
    assert len(protected) == 1 and protected[0].status == "draft"
    assert (counts["article:published"], counts["article:draft"], counts["article:scheduled"]) == (55, 2, 1)
    assert counts["page:published"] + counts["page:draft"] == 21
    assert counts["media"] == 37 and counts["skip:attachment"] == 0
    assert counts["comment"] == 33 and counts["comment:pending"] == 3
    assert counts["comment:pingback"] + counts["comment:trackback"] == 4
    assert counts["threaded"] == 10
    assert sum(1 for i in items if isinstance(i, ArticleRecord) and i.sticky) == 1


def test_jekyll_block_theme_export():
    counts = kinds(wxr.read(FIXTURES / "jekyll-import" / "sitetitle.wordpress.2025-01-19.000.xml"))
    assert counts["article:published"] == 7 and counts["page:published"] == 1
    assert counts["skip:wp_global_styles"] == 1 and counts["skip:wp_navigation"] == 1


def test_wordpress_mu_undeclared_excerpt_prefix():
    items = list(wxr.read(FIXTURES / "google-blog-converters-appengine" / "wordpress-sample2.wxr"))
    counts = kinds(items)
    assert counts["article:published"] == 4 and counts["article:draft"] == 6


def test_feedburner_orig_link():
    first = next(iter(feed.read(FIXTURES / "rss-parser" / "feedburner.atom")))
    assert first.full_url == "http://googleadsdeveloper.blogspot.com/2016/06/adwords-and-dfp-java-client-library.html"


EXPECT = re.compile(r"Expect:\s*(.+)")
NOT_APPLICABLE = {
    "http_item_description_base_docuri.xml": "resolves against the URL feedparser's own test server serves it from; "
    "a file import has no document URL",
}


def feedparser_cases() -> list[Path]:
    return sorted((FIXTURES / "feedparser").rglob("*.xml")) if FIXTURES.is_dir() else []


@pytest.mark.parametrize("path", feedparser_cases(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_feedparser_expect_lines_hold_for_our_parser_settings(path):
    """Each file's ``Expect:`` line is checked against the feed as Hodie parses it (with its
    sanitiser and URI settings), unless Hodie refuses the file, as it must for entity declarations."""
    if path.name in NOT_APPLICABLE:
        pytest.skip(NOT_APPLICABLE[path.name])
    data = path.read_bytes()
    text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8", "replace")
    match = EXPECT.search(text)
    assert match, "every feedparser fixture carries an Expect line"
    try:
        parsed = feed.parse_bytes(data, str(path))
    except ImportProblem as problem:
        assert "entit" in problem.reason or "not an RSS or Atom feed" in problem.reason
        return
    namespace = dict(parsed)
    namespace.setdefault("entries", parsed.entries)
    assert eval(match.group(1), {}, namespace), match.group(1)


@pytest.mark.django_db
def test_whole_bsd_calendar_set_imports():
    from hodie.almanac.models import Collection, Entry, HolidayRule

    Collection.objects.create(slug="bsd", title="BSD calendars")
    root = SHARED / "bsd-calendar"
    files = sorted(str(p) for p in root.rglob("calendar.*"))
    result = CliRunner().invoke(main, ["import", "bsd-calendar", *files, "--collection", "bsd", "--json"])
    assert result.exit_code == 0, result.output[:2000]
    summary = json.loads(result.output)
    # the same lines reached through several top-level files are stored once
    assert summary["created"]["entry"] > 4_500 and summary["created"]["holiday rule"] > 150
    assert summary["skipped_by_kind"]["entry"] > 10_000
    assert Entry.objects.filter(edtf__startswith="XXXX").exists()
    assert HolidayRule.objects.filter(rule__startswith="Paskha").exists()
    assert all(s["reason"] for s in summary["skipped"])
