"""``hodie build``: the static site, served by nginx, says what the live server says; ``--changed``
rewrites exactly the files whose bytes an edit changes."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.django_db

NGINX = "/usr/sbin/nginx"
SITE = "http://127.0.0.1:8000"  # HODIE_SITE_URL's default, which the tests run with
# The forms a static page leaves out (they need the server); everything else is byte for byte.
SERVER_FORMS = re.compile(
    r'<details class="leave-comment".*?</details>'
    r'|<form class="(?:search|date-order|language|comment-form)"[^>]*>.*?</form>',
    re.S,
)

TOY = [
    {"type": "collection", "slug": "toy", "title": "Toy history", "language": "en"},
    {"id": "e1", "date": "1812-08-26", "calendar": "julian", "title": "Borodino", "tags": ["War"],
     "people": ["Kutuzov"], "places": ["Borodino"], "collections": ["toy"], "summary": "A *battle*."},
    {"id": "e2", "date": "1961-04-12", "title": "Gagarin flies", "tags": ["Space"], "people": ["Gagarin"],
     "collections": ["toy"]},
    {"id": "e3", "date": "1703-05-27", "calendar": "julian", "title": "Saint Petersburg founded", "tags": ["War"],
     "collections": ["toy"]},
    {"type": "article", "id": "a1", "title": "Why Borodino", "status": "published", "published": "2020-01-01T10:00:00Z",
     "excerpt": "The day before Moscow.", "body": "Long **text**.", "tags": ["War"], "entries": ["e1"]},
    {"type": "article", "id": "a2", "title": "First orbit", "status": "published", "published": "2021-04-12T10:00:00Z",
     "excerpt": "Poyekhali.", "body": "Round the Earth.", "entries": ["e2"]},
]  # fmt: skip


@pytest.fixture
def toy(db, tmp_path):
    """A small site through the real importer, with an approved comment on an article."""
    from hodie.almanac.models import Article
    from hodie.importers import jsonl
    from hodie.social.models import Comment
    from hodie.writer import import_records

    source = tmp_path / "toy.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in TOY) + "\n", encoding="utf-8")
    import_records(jsonl.read(source), None)
    article = Article.objects.get(title="Why Borodino")
    Comment.objects.create(article=article, author_name="Reader", body="Well said.", status="approved")
    return article


def without_server_forms(body: bytes) -> bytes:
    return SERVER_FORMS.sub("", body.decode()).encode()


def test_the_comparison_strips_only_the_server_forms():
    """The checker removes the four server-only forms and nothing else, so a page differing in any
    other byte still fails the comparison."""
    page = b'<header>\n  <form class="search" role="search">x</form>\n</header><p>same</p>\n'
    assert without_server_forms(page) == b"<header>\n  \n</header><p>same</p>\n"
    other = page.replace(b"same", b"sane")
    assert without_server_forms(other) != without_server_forms(page)
    kept = b'<form class="comment-form-preview">x</form>'
    assert without_server_forms(kept) == kept


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    """Start Debian's nginx on a free loopback port serving a folder; yields a function(folder) -> base URL."""
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's nginx-light is not installed (apt-get install nginx-light)")
        pytest.skip("Debian's nginx-light is not installed (apt-get install nginx-light)")
    started: list[subprocess.Popen] = []

    def serve(root: Path, http: str = "", server: str = "") -> str:
        prefix = tmp_path / "nginx"
        (prefix / "logs").mkdir(parents=True)
        port = _free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"""{user}
daemon off; worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/logs/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types; default_type application/octet-stream; access_log off;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy; fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  {http}
  server {{
    listen 127.0.0.1:{port}; root {root}; index index.html;
    location /api/ {{ default_type application/json; }}
    {server}
  }}
}}
"""
        )
        process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"])
        started.append(process)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                assert process.poll() is None, "nginx exited; see its error log above"
                time.sleep(0.05)
        raise AssertionError("nginx did not start listening within 10 s")

    yield serve
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, url
        return response.read()


def _live(settings, out: Path):
    """The live site's test client, with the hashed asset names the build collected."""
    from django.test import Client

    settings.STATIC_ROOT = out / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return Client(HTTP_HOST="127.0.0.1:8000")


@pytest.mark.slow
def test_every_sitemap_url_served_by_nginx_equals_the_live_page(toy, tmp_path, nginx, settings):
    """Every URL of the sitemap, fetched from nginx serving OUT, has the body the live server sends
    (less the forms that need the server); the API days and feeds too; assets are hashed."""
    from hodie.cli import main

    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(r"full build: \d+ pages rendered, \d+ files written", result.output)
    base = nginx(out)
    live = _live(settings, out)

    sitemap = _fetch(f"{base}/sitemap.xml")
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap.decode())
    # The sitemap lists the days with entries (an empty day is noindex); the build still writes
    # every day page, so the day-to-day links of a static site never break.
    assert f"{SITE}/" in urls and f"{SITE}/toy/september-7/" in urls and f"{SITE}/toy/february-29/" not in urls
    assert (out / "toy" / "february-29" / "index.html").is_file()
    assert any("/articles/" in u for u in urls) and any("/tags/" in u for u in urls)
    pages_with_forms = 0
    for url in urls:
        path = url.removeprefix(SITE)
        static = _fetch(base + path)
        response = live.get(path)
        assert response.status_code == 200, path
        assert b"csrfmiddlewaretoken" not in static, path
        if b'class="comment-form"' in response.content:
            pages_with_forms += 1
        assert static == without_server_forms(response.content), path
    assert pages_with_forms > 0, "no page with a comment form was compared"

    extras = ["/feed.atom", "/toy/feed.json", "/toy/today.rss", "/toy.ics", "/tags/war/feed.rss", "/tags/war.ics",
              "/api/rest_v1/feed/onthisday/all/09/07", "/api/rest_v1/feed/onthisday/births/04/12", "/robots.txt",
              "/widget/toy/"]  # fmt: skip
    for path in extras:
        assert _fetch(base + path) == live.get(path).getvalue(), path
    (event,) = json.loads(_fetch(f"{base}/api/rest_v1/feed/onthisday/all/09/07"))["events"]
    assert event["year"] == 1812 and "Borodino" in json.dumps(event)

    css = re.search(rb'href="(/static/hodie/site\.[0-9a-f]{12}\.css)"', _fetch(f"{base}/"))
    assert css, "the stylesheet is not under a hashed name"
    assert _fetch(base + css.group(1).decode()) == (out / css.group(1).decode().lstrip("/")).read_bytes()
    assert (out / css.group(1).decode().lstrip("/")).with_suffix(".css.gz").exists()
    today = (out / "toy/today/index.html").read_text()
    assert 'http-equiv="refresh"' in today and "/toy/" in today


def _hashes(folder: Path) -> dict[str, bytes]:
    from hodie.publish import iter_files

    return {str(p.relative_to(folder)): p.read_bytes() for p in iter_files(folder) if "static" not in p.parts[:1]}


@pytest.mark.slow
def test_changed_rewrites_exactly_the_files_an_article_edit_changes(toy, tmp_path):
    """After one article is edited, ``--changed`` writes exactly the files that differ from a fresh
    full build, re-rendering only a few pages, and reports how many it wrote."""
    from hodie.publish import build

    out, fresh = tmp_path / "site", tmp_path / "fresh"
    full = build(out)
    before = _hashes(out)
    toy.title = "Why Borodino mattered"
    toy.body = "Longer **text**."
    toy.save()

    report = build(out, changed=True)
    assert report.mode == "changed" and not report.reason
    build(fresh)
    expected = {name for name, body in _hashes(fresh).items() if before.get(name) != body}
    assert "articles/why-borodino/index.html" in expected and "toy/september-7/index.html" in expected
    assert set(report.written_files) == expected
    assert report.written == len(expected)
    assert _hashes(out) == _hashes(fresh)
    assert report.rendered * 20 < full.rendered, (report.rendered, full.rendered)

    again = build(out, changed=True)
    assert again.written == 0 and again.rendered == 0


@pytest.mark.slow
def test_changed_rewrites_the_day_an_entry_leaves(toy, tmp_path):
    """An entry whose date is corrected moves to another day page: ``--changed`` rewrites both days
    (the one it left from the manifest), ending byte for byte where a fresh build does."""
    from hodie.almanac.models import Entry
    from hodie.publish import build

    out, fresh = tmp_path / "site", tmp_path / "fresh"
    build(out)
    assert b"Gagarin flies" in (out / "toy/april-12/index.html").read_bytes()
    entry = Entry.objects.get(title="Gagarin flies")
    entry.set_date("1961-04-13")
    entry.save()

    report = build(out, changed=True)
    assert report.mode == "changed" and not report.reason
    assert {"toy/april-12/index.html", "toy/april-13/index.html"} <= set(report.written_files)
    assert b"Gagarin flies" not in (out / "toy/april-12/index.html").read_bytes()
    build(fresh)
    assert _hashes(out) == _hashes(fresh)


@pytest.mark.slow
def test_changed_renders_everything_when_a_change_has_no_timestamp(toy, tmp_path):
    """A renamed tag (no ``updated`` column) is still caught: every page is compared, and only the
    files whose bytes changed are written."""
    from hodie.almanac.models import Tag
    from hodie.publish import build

    out = tmp_path / "site"
    full = build(out)
    Tag.objects.filter(name="Space").update(name="Spaceflight")
    report = build(out, changed=True)
    assert report.reason.startswith("a change without a timestamp")
    assert report.rendered == full.rendered
    assert "tags/space/index.html" in report.written_files
    assert 0 < report.written < full.written
    assert b"Spaceflight" in (out / "tags/space/index.html").read_bytes()


def test_a_site_url_with_a_path_is_refused(toy, tmp_path, settings):
    """A site URL with a path cannot be served from a folder's root: the build says so."""
    from hodie.publish import BuildError, build

    settings.SITE_URL = "https://example.org/history"
    with pytest.raises(BuildError, match="has a path"):
        build(tmp_path / "site")
    assert not (tmp_path / "site" / "index.html").exists()


# The configuration docs/deploy.md gives for the old addresses ("Old addresses on a static host").
OLD_LINKS_HTTP = """
  map $uri $hodie_moved {{ default ""; include {out}/redirects.nginx.map; }}
  map $request_uri $hodie_moved_query {{ default ""; include {out}/redirects-query.nginx.map; }}
"""
OLD_LINKS_SERVER = """
    if ($hodie_moved_query) { return 301 $hodie_moved_query; }
    if ($hodie_moved) { return 301 $hodie_moved; }
"""


def _head(url: str) -> tuple[int, str, bytes]:
    """Status, Location and body of one GET, redirects not followed."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Location", ""), body


@pytest.mark.slow
def test_old_addresses_answer_301_from_nginx_serving_the_build(toy, tmp_path, nginx, settings):
    """The maps `hodie build` writes, included as docs/deploy.md says, make nginx answer each old
    address (a path, with ?m=1 too, a label with a space, and WordPress's /?p=ID) with a 301 to the
    page the live site redirects to, and that page is served; Hodie's own pages are not redirected."""
    from django.contrib.redirects.models import Redirect

    from hodie.cli import main

    rows = {
        "/2008/02/why-borodino.html": "/articles/why-borodino/",
        "/?p=12": "/articles/first-orbit/",
        "/search/label/Great%20War": "/tags/war/",
        "/tags/war/": "/articles/first-orbit/",  # Hodie's own tag page is there and wins
    }
    for old, new in rows.items():
        Redirect.objects.create(site_id=settings.SITE_ID, old_path=old, new_path=new)
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(out)])
    assert result.exit_code == 0, result.output
    assert "old addresses: 2 paths and 1 query strings mapped, 2 pages, 1 left out" in result.output
    base = nginx(out, http=OLD_LINKS_HTTP.format(out=out), server=OLD_LINKS_SERVER)

    for old, new in [
        ("/2008/02/why-borodino.html", "/articles/why-borodino/"),
        ("/2008/02/why-borodino.html?m=1", "/articles/why-borodino/"),
        ("/?p=12", "/articles/first-orbit/"),
        ("/search/label/Great%20War", "/tags/war/"),
    ]:
        status, location, _ = _head(base + old)
        assert (status, urllib.parse.urlsplit(location).path) == (301, new), old
        assert _head(base + new)[0] == 200, new
    status, _, body = _head(base + "/tags/war/")
    assert status == 200 and b"Saint Petersburg founded" in body
    assert _head(base + "/?p=13")[0] == 200  # an unknown post: the home page, as on the live site
    # with no map (a host that reads no configuration) the page at the old path moves the reader on
    stub = (out / "2008/02/why-borodino.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/articles/why-borodino/">' in stub
    assert f'<link rel="canonical" href="{SITE}/articles/why-borodino/">' in stub
