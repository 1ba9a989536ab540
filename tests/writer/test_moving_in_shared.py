"""Every old link of each third-party Blogger and WordPress export in ../shared/data answers 301 to a
page that answers 200 and shows the post (skipped, saying why, when ../shared is absent).

The links and titles are read here with a plain XML parse of the file, not with Hodie's readers."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from defusedxml.ElementTree import ParseError, parse

from hodie.cli import main

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "data" / "fixtures"
pytestmark = [
    pytest.mark.shared,
    pytest.mark.django_db,
    pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"{FIXTURES} is absent: third-party fixtures not available"),
]
BLOGGER_KIND = "http://schemas.google.com/g/2005#kind"


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def kids(element) -> dict[str, list]:
    found: dict[str, list] = {}
    for child in element:
        found.setdefault(local(child.tag), []).append(child)
    return found


def text(found: dict[str, list], name: str) -> str:
    return (found[name][0].text or "").strip() if name in found else ""


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def exports() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    found = []
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file() or path.suffix not in (".xml", ".wxr"):
            continue
        head = path.read_bytes()[:3000].lower()
        if b"wordpress.org/export" in head or (b"blogger" in head and b"feed" in head):
            found.append(path)
    return found


def wxr_links(root) -> list[tuple[str, str]]:
    """(old path, title shown) for each published post and page, by its permalink and by ?p=/?page_id=;
    and (old path, "") for each category and tag, whose page only has to answer."""
    channel = root.find("channel")
    base = ""
    links: list[tuple[str, str]] = []
    first_title: dict[str, str] = {}
    for child in channel:
        name, found = local(child.tag), kids(child)
        if name == "base_blog_url":
            base = (child.text or "").strip()
        elif name == "category" and text(found, "category_nicename") and base:
            links.append((path_of(base.rstrip("/") + f"/category/{text(found, 'category_nicename')}/"), ""))
        elif name == "tag" and text(found, "tag_slug") and base:
            links.append((path_of(base.rstrip("/") + f"/tag/{text(found, 'tag_slug')}/"), ""))
        elif name == "item":
            kind, status, link = text(found, "post_type") or "post", text(found, "status"), text(found, "link")
            if kind not in ("post", "page") or status != "publish" or text(found, "post_password"):
                continue
            if not link.startswith(("http://", "https://")):
                continue
            title = first_title.setdefault(link, text(found, "title"))  # one page per permalink
            links.append((path_of(link), title))
            if text(found, "post_id") and base:
                key = "page_id" if kind == "page" else "p"
                links.append((path_of(base.rstrip("/") + f"/?{key}={text(found, 'post_id')}"), title))
    return links


def blogger_links(root) -> list[tuple[str, str]]:
    links = []
    for entry in root.iter("{http://www.w3.org/2005/Atom}entry"):
        found = kids(entry)
        kinds = [c.get("term", "") for c in found.get("category", []) if c.get("scheme") == BLOGGER_KIND]
        if not any(k.endswith("#post") for k in kinds):
            continue
        control = kids(found["control"][0]) if "control" in found else {}
        if text(control, "draft") == "yes":
            continue
        alternate = [a.get("href", "") for a in found.get("link", []) if a.get("rel") == "alternate"]
        if alternate:
            links.append((path_of(alternate[0]), text(found, "title")))
            old = path_of(alternate[0])
            links.append((old + ("&" if "?" in old else "?") + "m=1", text(found, "title")))
    return links


@pytest.mark.parametrize("path", exports(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_old_link_of_the_export_leads_to_its_post(client, path: Path) -> None:
    from hodie.almanac.models import Collection

    try:
        root = parse(path).getroot()
    except ParseError:
        pytest.skip("not well-formed XML: its refusal is tested in tests/test_shared_fixtures.py")
    Collection.objects.create(slug="moved", title="Moved in", region="world")
    fmt = "wxr" if local(root.tag) == "rss" else "blogger"
    result = CliRunner().invoke(main, ["import", fmt, str(path), "--collection", "moved"])
    if result.exit_code != 0:
        assert str(path) in result.output  # refused, naming the file (tested in detail elsewhere)
        pytest.skip(f"refused: {result.output[:200]}")
    links = wxr_links(root) if fmt == "wxr" else blogger_links(root)
    for old, title in links:
        if old in ("/", ""):
            continue
        answer = client.get("http://testserver" + old)  # a path may start with // (a blog at a site's root)
        assert answer.status_code == 301, f"{old} answered {answer.status_code}"
        page = client.get(answer["Location"])
        assert page.status_code == 200, f"{old} -> {answer['Location']} answered {page.status_code}"
        if title:
            assert title in html.unescape(page.content.decode()), old
