"""Webmention endpoint discovery (W3C Webmention §3.1.2), on cases modelled on webmention.rocks'
discovery tests, served by the test on 127.0.0.1."""

from __future__ import annotations

import pytest

HTML = "text/html; charset=utf-8"

CASES = [
    # (name, headers, body, expected endpoint path relative to the site, or "" for none)
    ("header, relative", {"Link": "</e1>; rel=webmention"}, "", "/e1"),
    ("header, absolute", {"Link": "<{base}/e2>; rel=webmention"}, "", "/e2"),
    ("link tag, relative", {}, '<link rel="webmention" href="/e3">', "/e3"),
    ("link tag, absolute", {}, '<link rel="webmention" href="{base}/e4">', "/e4"),
    ("a tag, relative", {}, '<a rel="webmention" href="/e5">x</a>', "/e5"),
    ("a tag, absolute", {}, '<a rel="webmention" href="{base}/e6">x</a>', "/e6"),
    ("header, odd casing", {"LinK": "</e7>; rel=WebMention"}, "", "/e7"),
    ("header, quoted rel", {"Link": '</e8>; rel="webmention"'}, "", "/e8"),
    ("link tag, several rels", {}, '<link rel="webmention somethingelse" href="/e9">', "/e9"),
    ("header, several rels", {"Link": '</e10>; rel="webmention somethingelse"'}, "", "/e10"),
    (
        "rel must match exactly",
        {"Link": '</wrong>; rel="not-webmention"'},
        '<link rel="webmention" href="/e11">',
        "/e11",
    ),
    (
        "not inside an HTML comment",
        {},
        '<!-- <link rel="webmention" href="/wrong"> --><link rel=webmention href="/e12">',
        "/e12",
    ),
    (
        "not in escaped HTML",
        {},
        '<code>&lt;link rel="webmention" href="/wrong"&gt;</code><a rel=webmention href=/e13>x</a>',
        "/e13",
    ),
    ("empty href is the page itself", {}, '<link rel="webmention" href="">', "/page"),
    ("header before the document", {"Link": "</e15>; rel=webmention"}, '<link rel="webmention" href="/wrong">', "/e15"),
    (
        "document order: a before link",
        {},
        '<a rel="webmention" href="/e16">x</a><link rel="webmention" href="/wrong">',
        "/e16",
    ),
    (
        "document order: link before a",
        {},
        '<link rel="webmention" href="/e17"><a rel="webmention" href="/wrong">x</a>',
        "/e17",
    ),
    ("two Link header lines", {"Link": ['</other>; rel="other"', "</e18b>; rel=webmention"]}, "", "/e18b"),
    ("query string kept", {}, '<link rel="webmention" href="/e18?version=1&x=y">', "/e18?version=1&x=y"),
    ("several Link headers", {"Link": '</other>; rel="other", </e19>; rel="webmention"'}, "", "/e19"),
    ("link without href is ignored", {}, '<link rel="webmention"><a rel="webmention" href="/e21">x</a>', "/e21"),
    ("relative with ../", {"Link": "<../e24>; rel=webmention"}, "", "/e24"),
    ("no endpoint", {}, "<p>Nothing to see.</p>", ""),
    (
        "not HTML: the header only",
        {"Link": "</e25>; rel=webmention", "Content-Type": "application/json"},
        "null",
        "/e25",
    ),
]


@pytest.mark.parametrize(("name", "headers", "body", "expected"), CASES, ids=[c[0] for c in CASES])
def test_discovery(partner_site, loopback, name, headers, body, expected):
    from hodie.social.webmention import discover

    base = partner_site.base

    def filled(value):  # type: ignore[no-untyped-def]
        return [x.format(base=base) for x in value] if isinstance(value, list) else value.format(base=base)

    page_headers = {"Content-Type": HTML, **{k: filled(v) for k, v in headers.items()}}
    partner_site.pages["/page"] = (
        200,
        page_headers,
        f"<!doctype html><html><head>{body.format(base=base)}</head></html>".encode(),
    )
    assert discover(base + "/page") == (base + expected if expected else "")


def test_discovery_follows_a_redirect_and_resolves_against_the_final_url(partner_site, loopback):
    from hodie.social.webmention import discover

    partner_site.pages["/old"] = (301, {"Location": "/new/place"}, b"")
    partner_site.page("/new/place", '<link rel="webmention" href="endpoint">')
    assert discover(partner_site.base + "/old") == partner_site.base + "/new/endpoint"


def test_discovery_resolves_a_path_relative_endpoint_against_the_page(partner_site, loopback):
    """webmention.rocks test 22: "22/webmention", no leading slash, is relative to the page's folder."""
    from hodie.social.webmention import discover

    partner_site.page("/posts/2025/page", '<link rel="webmention" href="22/webmention">')
    assert discover(partner_site.base + "/posts/2025/page") == partner_site.base + "/posts/2025/22/webmention"
