"""Pages asked of the site itself: the real URLconf, middleware, views and templates, as the live
server answers an anonymous reader, in one process or shared out to forked workers."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponseBase
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from hodie.almanac import days
from hodie.almanac.models import Collection

from .output import BuildError, Output, Report, file_for
from .pages import api_path, slugs

# A WSGI environ key, not an HTTP header: a client of the live server cannot set it.
STATIC_MARK = "hodie.static_build"


def static_site(request: HttpRequest) -> dict[str, Any]:
    """A context processor: ``static_site`` is true while ``hodie build`` renders a page."""
    return {"static_site": bool(request.META.get(STATIC_MARK))}


class Renderer:
    """Asks the site for pages as the live server answers an anonymous reader, with hashed
    static asset names from ``OUT/static``."""

    def __init__(self, out: Path) -> None:
        site = urlsplit(settings.SITE_URL)
        if site.scheme not in ("http", "https") or not site.hostname:
            raise BuildError(f"HODIE_SITE_URL={settings.SITE_URL!r} is not an http(s) address with a host name")
        if site.path.strip("/"):
            raise BuildError(f"HODIE_SITE_URL={settings.SITE_URL!r} has a path; the static build serves from /")
        self.host = site.netloc
        self.secure = site.scheme == "https"
        self.static_root = out / "static"
        self._overrides = override_settings(
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, site.hostname],
            STATIC_ROOT=self.static_root,
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
            },
        )
        # Requests as an anonymous reader's, answered by Django's own handler with the site's
        # middleware. Not the test client: it connects and disconnects signal receivers, copies
        # cookies and decorates each answer, 7 % of a build's CPU (py-spy over 13,000 pages).
        self.factory = RequestFactory(HTTP_HOST=self.host, **{STATIC_MARK: "1"})
        self.handler: BaseHandler | None = None

    def __enter__(self) -> Renderer:
        self._overrides.enable()
        # A build is one job: its database connections stay open from the first page to the last, as
        # the test client kept them. Each answer is still closed (request_finished: caches, files),
        # but without Django's check of the connections' age, which would close and reopen them
        # every CONN_MAX_AGE and, inside a test's transaction, closed PostgreSQL's.
        request_finished.disconnect(close_old_connections)
        return self

    def __exit__(self, *exc: object) -> None:
        request_finished.connect(close_old_connections)
        self._overrides.disable()

    def collect_static(self) -> None:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)

    def has_static(self) -> bool:
        return (self.static_root / "staticfiles.json").is_file()

    def _ask(self, path: str) -> HttpResponseBase:
        if self.handler is None:
            # At the first page, inside the overrides and after the static files are collected:
            # whitenoise reads STATIC_ROOT when its middleware is made.
            self.handler = BaseHandler()
            self.handler.load_middleware()
        return self.handler.get_response(self.factory.get(path, secure=self.secure))

    def get(self, path: str) -> bytes:
        response = self._ask(path)
        try:
            if response.status_code != 200:
                raise BuildError(f"{path} answered {response.status_code}, not 200; the static site would miss it")
            return response.getvalue()  # type: ignore[attr-defined] # a streamed answer (the calendars) too
        finally:
            response.close()  # Django's request_finished (see __enter__)

    def api_day(self, month: int, day: int, types: list[str]) -> Iterator[tuple[str, bytes]]:
        """The API's documents of one day of the default collection, every type from one day page
        (through the view's own serialiser; the nginx test compares them with the live API)."""
        from hodie.almanac.onthisday import api_day_body

        collection = days.default_collection()
        if collection is None:
            return
        with translation.override(settings.LANGUAGE_CODE):
            page = days.build_day(collection, month, day)
            for feed_type in types:
                yield feed_type, api_day_body(page, settings.SITE_URL, feed_type)

    def redirect_page(self, path: str) -> bytes:
        """A static host cannot redirect by itself: ``/russia/today/`` becomes a page that moves on."""
        response = self._ask(path)
        response.close()
        if response.status_code not in (301, 302):
            raise BuildError(f"{path} answered {response.status_code}; a redirect was expected")
        target = response["Location"]
        return (
            f'<!doctype html>\n<meta charset="utf-8">\n<meta http-equiv="refresh" content="0; url={target}">\n'
            f'<link rel="canonical" href="{settings.SITE_URL}{target}">\n<a href="{target}">{target}</a>\n'
        ).encode()


LOC = re.compile(r"<loc>([^<]+)</loc>")


def sitemap_sections(index: bytes) -> list[str]:
    """The section files a sitemap index names (empty when the sitemap is one urlset)."""
    text = index.decode()
    if "<sitemapindex" not in text:
        return []
    prefix = settings.SITE_URL
    return [loc.replace("&amp;", "&")[len(prefix) :] for loc in LOC.findall(text)]


API_PATH = re.compile(r"^/api/rest_v1/feed/onthisday/([a-z]+)/(\d\d)/(\d\d)$")


def render_all(renderer: Renderer, output: Output, paths: Iterable[str], report: Report, jobs: int = 1) -> set[str]:
    paths = list(paths)
    began = time.perf_counter()
    if jobs > 1 and len(paths) >= PARALLEL_FROM and _can_fork():
        built = _render_forked(renderer, output, paths, report, jobs)
    else:
        built = _render_serial(renderer, output, paths, report)
    report.render_seconds += time.perf_counter() - began
    return built


def _render_serial(renderer: Renderer, output: Output, paths: list[str], report: Report) -> set[str]:
    built = set()
    api_days: dict[tuple[int, int], list[str]] = {}
    for path in paths:
        if match := API_PATH.match(path):
            api_days.setdefault((int(match[2]), int(match[3])), []).append(match[1])
            continue
        relative = file_for(path)
        output.put(relative, renderer.get(path), report)
        built.add(relative)
        report.rendered += 1
    for (month, day), types in api_days.items():
        for feed_type, body in renderer.api_day(month, day, types):
            relative = file_for(api_path(feed_type, month, day))
            output.put(relative, body, report)
            built.add(relative)
            report.rendered += 1
    return built


# Forked workers render blocks of this many paths; fewer paths than PARALLEL_FROM stay in-process.
BLOCK = 200
PARALLEL_FROM = 1000
_FORKED: tuple[Renderer, Output] | None = None


def _can_fork() -> bool:
    """Workers open their own database connections: they cannot see an in-memory SQLite database
    or rows of a transaction not yet committed (as in tests), so those builds stay in one process."""
    from django.db import connection

    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def _render_block(paths: list[str]) -> tuple[Report, dict[str, str], set[str]]:
    assert _FORKED is not None
    renderer, output = _FORKED
    part = Report("part")
    built = _render_serial(renderer, output, paths, part)
    return part, {relative: output.hashes[relative] for relative in part.written_files}, built


def _render_forked(renderer: Renderer, output: Output, paths: list[str], report: Report, jobs: int) -> set[str]:
    """The pages shared out to ``jobs`` forked processes (the site renders in Python: one core a
    process); each writes its files, and the manifest is merged here."""
    import multiprocessing

    from django.db import connections

    global _FORKED
    _FORKED = (renderer, output)
    connections.close_all()  # each worker opens its own
    blocks = [paths[i : i + BLOCK] for i in range(0, len(paths), BLOCK)]
    built: set[str] = set()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for part, hashes, done in pool.imap_unordered(_render_block, blocks):
                output.hashes.update(hashes)
                built |= done
                report.rendered += part.rendered
                report.written += part.written
                report.unchanged += part.unchanged
                report.written_files += part.written_files
    finally:
        _FORKED = None
    return built


def render_redirects(renderer: Renderer, output: Output, report: Report) -> set[str]:
    built = set()
    for slug in slugs(Collection):
        path = reverse("almanac:today", args=[slug])
        output.put(file_for(path), renderer.redirect_page(path), report)
        built.add(file_for(path))
        report.rendered += 1
    return built
