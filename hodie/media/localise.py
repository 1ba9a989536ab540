"""Make imported posts use Hodie's own copies of their images.

After an import has committed (never inside its transaction: a slow image server must not hold
the database's write lock), each ``<img>`` of an article's HTML whose address is remote is
fetched once (:mod:`.fetching`) and its ``src`` rewritten to the stored file. An image that could
not be fetched keeps its remote address, its host is added to the allowed image hosts (so the
page does not block it), and the report names it with the reason. WXR attachments waiting in the
queue are fetched in the same pass.

Each address of an image's ``srcset`` is fetched like its ``src``. When all of them are stored the
``srcset`` names the stored files; when one cannot be (a size the old server no longer has, a file
past the size cap), the ``srcset`` and its ``sizes`` are dropped and the browser shows the ``src``
(stored or, failing that, remote): a ``srcset`` half local and half remote would have the browser
pick a remote copy at some widths, and one that fails would show nothing. The failed address is
reported, but its host is not allowed for it, as no page names it any more.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import urlsplit

from hodie.almanac.models import Article
from hodie.importers.html import srcset_candidates

from .fetching import media_for, store
from .hosts import host_of
from .models import ImageHost, MediaFile

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_IMG_ATTR = re.compile(r'\s(src|srcset|sizes)="([^"]*)"', re.IGNORECASE)


@dataclass
class MediaReport:
    stored: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    articles: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"images_stored": self.stored, "images_failed": self.failed, "articles_rewritten": self.articles}

    def summary(self) -> str:
        text = f"Media: {self.stored} stored, {len(self.failed)} failed; {self.articles} posts now use local copies"
        return text + "".join(f"\n  {f['url']}: {f['reason']}" for f in self.failed)


def _remote(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def _sources(tag: str) -> tuple[str, list[tuple[str, str]] | None]:
    """An ``<img>``'s ``src`` and its ``srcset`` candidates (None without a usable ``srcset``)."""
    attrs = {name.lower(): unescape(value) for name, value in _IMG_ATTR.findall(tag)}
    return attrs.get("src", ""), srcset_candidates(attrs["srcset"]) if "srcset" in attrs else None


def remote_images(html: str, srcset: bool = True) -> list[str]:
    """The http(s) addresses of the ``<img>`` elements of cleaned HTML, ``src`` and (with
    ``srcset``) each ``srcset`` candidate, in order, each once."""
    found: dict[str, None] = {}
    for tag in _IMG.findall(html or ""):
        src, candidates = _sources(tag)
        for url in [src, *(url for url, _ in (candidates or []) if srcset)]:
            if _remote(url):
                found.setdefault(url)
    return list(found)


def _allow_host(media: MediaFile) -> None:
    host = host_of(media.source_url)
    if host and not ImageHost.objects.filter(host=host).exists():
        ImageHost.objects.create(host=host, allowed=True, note=f"{media.source_url}: {media.reason}"[:500])


def _rewrite(html: str, local: dict[str, str]) -> str:
    """Each ``src`` stored is named by its stored copy; each ``srcset`` is the stored copies, or is
    dropped with its ``sizes`` when one of its remote addresses is not stored (module notes)."""

    def replace(match: re.Match[str]) -> str:
        tag = match[0]
        src, candidates = _sources(tag)
        whole = candidates is not None and all(url in local or not _remote(url) for url, _ in candidates)
        srcset = ", ".join(f"{local.get(url, url)} {d}".strip() for url, d in candidates or []) if whole else None

        def attribute(found: re.Match[str]) -> str:
            name = found[1].lower()
            if name == "src":
                return f' src="{escape(local[src])}"' if src in local else found[0]
            if srcset is None:  # a srcset that cannot be all local goes, and its sizes with it
                return ""
            return f' srcset="{escape(srcset)}"' if name == "srcset" else found[0]

        return _IMG_ATTR.sub(attribute, tag)

    return _IMG.sub(replace, html)


def localise(articles=None, progress: Callable[[], None] | None = None) -> MediaReport:  # type: ignore[no-untyped-def]
    """Fetch the remote images of ``articles`` (default: every HTML article with an image) and the
    queued attachments; rewrite the articles to the stored copies."""
    report = MediaReport()
    seen: dict[str, MediaFile] = {}
    allowed: set[str] = set()

    def get(url: str, shown: bool) -> MediaFile:
        """``shown``: a ``src``, which a page keeps naming when it fails (its host is allowed)."""
        if url not in seen:
            media = media_for(url)
            seen[url] = media
            if media.status == "stored":
                report.stored += 1
            else:
                report.failed.append({"url": url, "reason": media.reason})
            if progress:
                progress()
        if shown and seen[url].status != "stored" and url not in allowed:
            allowed.add(url)
            _allow_host(seen[url])
        return seen[url]

    for media in MediaFile.objects.filter(status="queued"):
        seen[media.source_url] = store(media)
        if media.status == "stored":
            report.stored += 1
        else:
            report.failed.append({"url": media.source_url, "reason": media.reason})
        if progress:
            progress()
    if articles is None:
        articles = Article.objects.filter(markup="html", body__icontains="<img")
    for article in articles.order_by("pk").only("pk", "body", "excerpt", "markup"):
        local = {}
        shown = set(remote_images(article.body, srcset=False) + remote_images(article.excerpt, srcset=False))
        for url in remote_images(article.body) + remote_images(article.excerpt):
            media = get(url, url in shown)
            if media.status == "stored":
                local[url] = media.url
        body, excerpt = _rewrite(article.body, local), _rewrite(article.excerpt, local)
        if (body, excerpt) != (article.body, article.excerpt):
            article.body, article.excerpt = body, excerpt
            article.save(update_fields=["body", "excerpt"])
            report.articles += 1
    if report.articles:
        from hodie.site import caching

        caching.changed()
    return report
