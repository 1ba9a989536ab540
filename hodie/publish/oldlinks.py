"""An imported blog's old addresses on a static host, which has no Hodie to answer them.

The live site answers each ``django.contrib.redirects`` row (an import's old links, and any an
editor added in the admin) with a 301 (:mod:`hodie.site.redirects`). ``hodie build`` writes what
a static host needs to do the same, three ways, so that any host can:

- ``redirects.nginx.map``: ``"OLD PATH" NEW;`` lines for an nginx ``map`` on ``$uri`` (the path,
  decoded, without its query string: ``?m=1`` and ``?showComment=`` still redirect), and
  ``redirects-query.nginx.map``: the same for the old addresses that are a query string (WordPress's
  ``/?p=123``, ``/?page_id=7``, ``/?attachment_id=9``), keyed by ``$request_uri``, which only nginx
  can match: a query string cannot be a file name, and ``_redirects`` hosts differ in how they
  match one. docs/deploy.md has the two ``map`` blocks and the ``return 301``.
- ``_redirects``: ``OLD NEW 301`` lines, the format Netlify and Cloudflare Pages read (path
  addresses only, for the reason above).
- A small HTML page at each old path (``/2008/02/post.html``, ``/category/x/`` as
  ``category/x/index.html``, ``/feeds/posts/default`` as ``feeds/posts/default/index.html``), for
  a host that reads none of these: it moves the reader on (``<meta http-equiv="refresh">``), names
  the new page as canonical (a search engine moves the rank there) and links to it.

An old path that is also one of the built site's own files is left out of all three: Hodie's page
wins, as on the live site. So is a redirect an editor emptied (the live site answers 410 Gone; a
static host answers 404), and one whose addresses nginx could not read back (a quote, a backslash,
a ``$``, a control character or a space in the new address).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.redirects.models import Redirect

from .output import BuildError, Output, Report, file_for

PATHS_MAP = "redirects.nginx.map"
QUERY_MAP = "redirects-query.nginx.map"
NETLIFY = "_redirects"
FILES = (PATHS_MAP, QUERY_MAP, NETLIFY)
_UNSAFE = re.compile(r'["\\$\x00-\x20\x7f]')  # what a Location from an nginx string cannot carry
_UNSAFE_KEY = re.compile(r'["\\$\x00-\x1f\x7f]')  # a quoted map key may hold a space
_PAGE = re.compile(r"\.html?$", re.IGNORECASE)


@dataclass
class OldLinks:
    """What the build wrote for the stored redirects."""

    paths: int = 0
    queries: int = 0
    pages: int = 0
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (old path, why)


def stub_file(path: str) -> str | None:
    """The file of the HTML page at old ``path`` (decoded), or None when it cannot be one."""
    if path.endswith("/") or _PAGE.search(path):
        relative = path
    else:  # /feeds/posts/default: a folder, so that the host sends the page as HTML
        relative = path + "/"
    try:
        return file_for(relative)
    except BuildError:
        return None


def stub_page(new_path: str) -> bytes:
    """A valid HTML page that moves its reader to ``new_path`` and names it as canonical."""
    target = escape(new_path)
    canonical = escape(new_path if "://" in new_path else settings.SITE_URL + new_path)
    return (
        f'<!doctype html>\n<html lang="{escape(settings.LANGUAGE_CODE)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved to {target}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{canonical}">\n</head>\n'
        f'<body>\n<p>This page has moved: <a href="{target}">{canonical}</a>.</p>\n</body>\n</html>\n'
    ).encode()


def _clashes(out: Path, relative: str, written: set[str]) -> bool:
    """Whether the page's file would sit where a folder is, or under a file, of the build."""
    if (out / relative).is_dir():
        return True
    parts = relative.split("/")
    return any("/".join(parts[:i]) in written or (out / "/".join(parts[:i])).is_file() for i in range(1, len(parts)))


def write(output: Output, report: Report, site_files: set[str], before: set[str]) -> tuple[OldLinks, set[str]]:
    """Write the two maps, ``_redirects`` and the old paths' pages; ``site_files`` are the
    build's own files (never overwritten, never redirected), ``before`` the pages this wrote last
    time (removed when no redirect needs them any more). Returns what was done and the files."""
    done = OldLinks()
    paths_map: list[str] = []
    query_map: list[str] = []
    netlify: list[str] = []
    pages: dict[str, bytes] = {}
    rows = Redirect.objects.filter(site_id=settings.SITE_ID).order_by("old_path").values_list("old_path", "new_path")
    for old, new in rows:
        if not new:
            done.left_out.append((old, "emptied in the admin (gone)"))
            continue
        if _UNSAFE.search(new):
            done.left_out.append((old, "the new address has a quote, backslash, $, space or control character"))
            continue
        if "?" in old:
            if _UNSAFE_KEY.search(old):
                done.left_out.append((old, "the old address has a character nginx cannot match"))
                continue
            query_map.append(f'"{old}" "{new}";')
            done.queries += 1
            continue
        decoded = unquote(old)
        page = stub_file(decoded)
        if page is None:
            done.left_out.append((old, "not a path a file can have"))
            continue
        if page in site_files or stub_file(old) in site_files:
            done.left_out.append((old, "the built site has a page at this address"))
            continue
        if _UNSAFE_KEY.search(decoded):
            done.left_out.append((old, "the old path has a quote, backslash, $ or control character"))
            continue
        paths_map.append(f'"{decoded}" "{new}";')
        netlify.append(f"{old} {new} 301")
        done.paths += 1
        if page not in pages and not _clashes(output.out, page, site_files | set(pages)):
            pages[page] = stub_page(new)
    heading = "# Written by `hodie build` from the site's redirects (docs/deploy.md); edit them in the admin.\n"
    output.put(PATHS_MAP, (heading + "".join(f"{line}\n" for line in paths_map)).encode(), report)
    output.put(QUERY_MAP, (heading + "".join(f"{line}\n" for line in query_map)).encode(), report)
    output.put(NETLIFY, (heading + "".join(f"{line}\n" for line in netlify)).encode(), report)
    for relative, body in pages.items():
        output.put(relative, body, report)
    done.pages = len(pages)
    for relative in sorted(before - set(pages) - site_files):
        output.remove(relative, report)
    return done, set(FILES) | set(pages)
