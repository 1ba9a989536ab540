"""``hodie build OUT``: the whole public site as files, for any static host, object store or CDN.

Every file is the body the live server sends for its URL: each page is requested through
Django's test :class:`~django.test.Client` (the real URLconf, middleware, views and templates)
with the configured ``HODIE_SITE_URL`` as host and scheme. The one difference is marked by
:data:`render.STATIC_MARK` in the request: forms that only a running server can answer (comments, search,
the language and date-order choices) are left out, so no reader's CSRF token is ever baked in.

Static assets are collected into ``OUT/static`` under hashed names (whitenoise's manifest storage,
with ``.gz`` and ``.br`` beside them), and the pages are rendered pointing at those names.

``--changed`` keeps a manifest (``OUT/.hodie-build.json``) of each file's content hash, the moment
the data was read, and which day pages each article and entry sat on. It then re-renders only the
pages that an article or entry edited since appears on, and writes only the files whose bytes
differ. A change it cannot place (an edited person, tag, place, collection or comment, an entry
added or removed, a scheduled article whose time came, a new day) changes a fingerprint of those
tables, and then it renders everything and still writes only what changed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import timezone

from hodie.almanac import days
from hodie.almanac.models import Article, Entry

from . import oldlinks
from .output import BuildError, Output, Report, file_for, iter_files
from .pages import (
    all_paths,
    all_placements,
    article_dependants,
    entry_dependants,
    fingerprint,
    placements_of,
    related_dependants,
)
from .render import Renderer, render_all, render_redirects, sitemap_sections

__all__ = ["BuildError", "Output", "Report", "build", "file_for", "iter_files"]

log = logging.getLogger(__name__)


def _state(started: dt.datetime, print_: str, old_link_pages: set[str]) -> dict[str, Any]:
    return {
        "read_at": started.isoformat(),
        "today": days.today().isoformat(),
        "fingerprint": print_,
        "placements": all_placements(),
        "old_link_pages": sorted(old_link_pages),
    }


def build(out: Path, changed: bool = False, jobs: int = 1) -> Report:
    """Write the site into ``out``. With ``changed``, re-render only what edits since the last
    build touch (see the module's docstring) and write only files whose bytes differ. ``jobs``
    processes render a large set of pages."""
    began = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    output = Output(out)
    had_manifest = output.load()
    # Read before any page: an edit made while the build runs is seen by the next --changed.
    started, print_ = timezone.now(), fingerprint()
    with Renderer(out) as renderer:
        if not changed or not had_manifest or not renderer.has_static():
            report = Report("full", reason="" if not changed else "no earlier build in this folder")
            if not renderer.has_static() or not changed:
                renderer.collect_static()
            pages = _full(renderer, output, report, jobs)
            output.save(_state(started, print_, pages))
        else:
            report = _changed(renderer, output, started, print_, jobs)
    report.seconds = time.perf_counter() - began
    log.info(report.summary())
    return report


def _full(renderer: Renderer, output: Output, report: Report, jobs: int) -> set[str]:
    """Render every page; the old links' pages written (for the manifest)."""
    old = set(output.hashes)
    built = render_all(renderer, output, all_paths(), report, jobs)
    sitemap = (output.out / file_for(reverse("almanac:sitemap"))).read_bytes()
    built |= render_all(renderer, output, sitemap_sections(sitemap), report)
    built |= render_redirects(renderer, output, report)
    built |= copy_media(output, report)
    pages = _old_links(output, report, built)
    built |= pages | set(oldlinks.FILES)
    for relative in sorted(old - built):
        output.remove(relative, report)
    return pages


def _old_links(output: Output, report: Report, site_files: set[str]) -> set[str]:
    """The stored redirects, as the static host's maps and pages (:mod:`.oldlinks`)."""
    before = set(output.state.get("old_link_pages", []))
    done, written = oldlinks.write(output, report, site_files, before)
    report.old_links = (
        f"old addresses: {done.paths} paths and {done.queries} query strings mapped, {done.pages} pages, "
        f"{len(done.left_out)} left out"
    )
    return written - set(oldlinks.FILES)


def copy_media(output: Output, report: Report) -> set[str]:
    """The imported posts' images from HODIE_MEDIA_ROOT, at the /media/ addresses pages name."""
    from hodie.media.fetching import media_root
    from hodie.media.models import MediaFile

    copied: set[str] = set()
    for name in MediaFile.objects.filter(status="stored").order_by("file").values_list("file", flat=True).distinct():
        path = media_root() / name
        if path.is_file():
            output.put(f"media/{name}", path.read_bytes(), report)
            copied.add(f"media/{name}")
    return copied


def _changed(renderer: Renderer, output: Output, started: dt.datetime, now_print: str, jobs: int) -> Report:
    state = output.state
    if now_print != state.get("fingerprint"):
        report = Report("changed", reason="a change without a timestamp (or a new day): every page compared")
        pages = _full(renderer, output, report, jobs)
        output.save(_state(started, now_print, pages))
        return report
    report = Report("changed")
    since = dt.datetime.fromisoformat(state["read_at"])
    placements: dict[str, list[list[Any]]] = state.get("placements", {})
    articles = list(Article.objects.published().filter(updated__gt=since).prefetch_related("entries"))
    entries = list(Entry.objects.filter(updated__gt=since))
    paths: set[str] = set()
    now_placed = placements_of(articles=[a.pk for a in articles], entries=[e.pk for e in entries])

    def placed(key: str) -> list[list[Any]]:
        """Where it sat at the last build and where it sits now; the manifest learns the latter."""
        both = [*placements.get(key, []), *now_placed.get(key, [])]
        if now_placed.get(key):
            placements[key] = now_placed[key]
        else:
            placements.pop(key, None)
        return both

    for article in articles:
        paths |= article_dependants(article, placed(f"a{article.pk}"))
    for entry in entries:
        paths |= entry_dependants(entry, placed(f"e{entry.pk}"))
    paths |= related_dependants(articles, entries)
    render_all(renderer, output, sorted(paths), report, jobs)
    copy_media(output, report)  # named by their content: a file met before is unchanged
    # A redirect edited in the admin changes no fingerprint: the maps are rewritten each time (a
    # query and three small files), and only changed bytes are written.
    before = set(state.get("old_link_pages", []))
    pages = _old_links(output, report, set(output.hashes) - before - set(oldlinks.FILES))
    output.save({**state, "read_at": started.isoformat(), "placements": placements, "old_link_pages": sorted(pages)})
    return report
