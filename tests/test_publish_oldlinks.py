"""What ``hodie build`` writes for the stored redirects (hodie.publish.oldlinks): the nginx maps,
``_redirects`` and a page at each old path; the expected files are written out by hand."""

from __future__ import annotations

import pytest

from hodie.publish import oldlinks
from hodie.publish.output import Output, Report

HEADING = "# Written by `hodie build` from the site's redirects (docs/deploy.md); edit them in the admin.\n"


@pytest.fixture
def redirects(db, settings):
    from django.contrib.redirects.models import Redirect

    settings.SITE_URL = "https://history.example"
    rows = {
        "/2008/02/february-20-in-russian-history.html": "/articles/february-20-in-russian-history/",
        "/search/label/Peter%20the%20Great": "/tags/peter-the-great/",
        "/feeds/posts/default": "/feed.atom",
        "/?p=123": "/articles/why-borodino/",
        "/category/war/": "/tags/war/",
        "/tags/war/": "/elsewhere/",  # Hodie's own page is there: it wins
        "/2010/01/%D0%B4%D0%B5%D0%BD%D1%8C.html": "/articles/den/",
        "/gone/": "",  # emptied in the admin
        "/bad/": '/x"; return 302 http://evil.example/;',
    }
    for old, new in rows.items():
        Redirect.objects.create(site_id=settings.SITE_ID, old_path=old, new_path=new)
    return rows


def test_maps_redirects_file_and_pages(redirects, tmp_path):
    output = Output(tmp_path)
    report = Report("full")
    done, files = oldlinks.write(output, report, {"tags/war/index.html"}, set())

    assert (tmp_path / "redirects.nginx.map").read_text() == HEADING + (
        '"/2008/02/february-20-in-russian-history.html" "/articles/february-20-in-russian-history/";\n'
        '"/2010/01/день.html" "/articles/den/";\n'
        '"/category/war/" "/tags/war/";\n'
        '"/feeds/posts/default" "/feed.atom";\n'
        '"/search/label/Peter the Great" "/tags/peter-the-great/";\n'
    )  # keyed by nginx's $uri: decoded, a space and Cyrillic as they are
    assert (tmp_path / "redirects-query.nginx.map").read_text() == HEADING + '"/?p=123" "/articles/why-borodino/";\n'
    assert (tmp_path / "_redirects").read_text() == HEADING + (
        "/2008/02/february-20-in-russian-history.html /articles/february-20-in-russian-history/ 301\n"
        "/2010/01/%D0%B4%D0%B5%D0%BD%D1%8C.html /articles/den/ 301\n"
        "/category/war/ /tags/war/ 301\n"
        "/feeds/posts/default /feed.atom 301\n"
        "/search/label/Peter%20the%20Great /tags/peter-the-great/ 301\n"
    )
    page = (tmp_path / "2008/02/february-20-in-russian-history.html").read_text()
    assert page == (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Moved to /articles/february-20-in-russian-history/</title>\n"
        '<meta http-equiv="refresh" content="0; url=/articles/february-20-in-russian-history/">\n'
        '<link rel="canonical" href="https://history.example/articles/february-20-in-russian-history/">\n'
        "</head>\n<body>\n<p>This page has moved: "
        '<a href="/articles/february-20-in-russian-history/">'
        "https://history.example/articles/february-20-in-russian-history/</a>.</p>\n</body>\n</html>\n"
    )
    # a path without an extension is a folder's page; a decoded name is the file's name
    assert "url=/feed.atom" in (tmp_path / "feeds/posts/default/index.html").read_text()
    assert "url=/articles/den/" in (tmp_path / "2010/01/день.html").read_text()
    assert "url=/tags/war/" in (tmp_path / "category/war/index.html").read_text()
    assert not (tmp_path / "tags/war/index.html").exists()  # never written over: Hodie's page
    assert not (tmp_path / "gone").exists() and not (tmp_path / "bad").exists()
    assert sorted(why for _, why in done.left_out) == [
        "emptied in the admin (gone)",
        "the built site has a page at this address",
        "the new address has a quote, backslash, $, space or control character",
    ]
    assert (done.paths, done.queries, done.pages) == (5, 1, 5)
    assert "redirects.nginx.map" in files and "category/war/index.html" in files


def test_a_page_no_redirect_needs_any_more_is_removed(redirects, tmp_path):
    from django.contrib.redirects.models import Redirect

    output = Output(tmp_path)
    _, first = oldlinks.write(output, Report("full"), set(), set())
    Redirect.objects.filter(old_path="/category/war/").delete()
    report = Report("changed")
    _, second = oldlinks.write(output, report, set(), first - set(oldlinks.FILES))
    assert not (tmp_path / "category/war/index.html").exists() and report.removed == 1
    assert "category/war/index.html" in first and "category/war/index.html" not in second
