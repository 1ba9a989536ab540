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

    #: Always empty: a copy made here either stores or reports each file.
    error = ""

    def summary(self) -> str:
        text = f"Media: {self.stored} stored, {len(self.failed)} failed; {self.articles} posts now use local copies"
        return text + "".join(f"\n  {f['url']}: {f['reason']}" for f in self.failed)


@dataclass
class ImagesQueued:
    """What an import without ``--images`` did: ``queued`` images newly queued, and the job that copies
    them (with the WXR attachments and anything else waiting), or why it could not be queued."""

    queued: int
    job: str
    error: str = ""
    done: str = ""  # the job's summary, when the queue ran it at once (HODIE_TASKS_BACKEND=immediate)

    def waiting(self) -> int:
        return MediaFile.objects.filter(status="queued").count()

    def as_dict(self) -> dict[str, object]:
        answer: dict[str, object] = {"images_queued": self.queued, "files_waiting": self.waiting(), "job": self.job}
        return answer | ({"error": self.error} if self.error else {}) | ({"job_result": self.done} if self.done else {})

    def summary(self) -> str:
        waiting = self.waiting()
        if self.error:
            return (
                f"Media: {waiting} images and attachments wait to be copied, but {self.error}. The import is "
                "stored; copy them with the same import and --images, or Admin → Media → Media files → Fetch again."
            )
        if self.done:
            return f"{self.done}\n(copied during the import: HODIE_TASKS_BACKEND runs jobs at once)"
        if not waiting:
            return "Media: no image waits to be copied"
        return (
            f"Media: {waiting} images and attachments wait to be copied ({self.queued} queued now) by `hodie worker` "
            f"(job {self.job}); until then their pages show them from their old hosts."
        )


@dataclass
class ImagesLeft:
    """What an import with ``--no-images`` did: the hosts it allowed for the images it left remote."""

    hosts: list[str]
    error = ""

    def as_dict(self) -> dict[str, object]:
        return {"images_left_remote": True, "hosts_allowed": self.hosts}

    def summary(self) -> str:
        allowed = ", ".join(self.hosts) if self.hosts else "none new"
        return f"Media: images left at their old addresses; image hosts allowed: {allowed}"


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


def _articles_with_images():  # type: ignore[no-untyped-def]
    return Article.objects.filter(markup="html", body__icontains="<img")


def _remote_images_of(articles) -> list[str]:  # type: ignore[no-untyped-def]
    found: dict[str, None] = {}
    for article in (articles if articles is not None else _articles_with_images()).only("body", "excerpt"):
        for url in remote_images(article.body) + remote_images(article.excerpt):
            found.setdefault(url)
    return list(found)


def queue(articles=None) -> int:  # type: ignore[no-untyped-def]
    """Queue each remote image of ``articles`` (default: every HTML article with an image) that was
    never met, for the copy job; the number queued. No network: an import calls it and goes on.

    While an image waits, its host is allowed in the Content-Security-Policy (:mod:`.hosts`), so
    its page shows it from its old address until the job has stored it or reported it failed."""
    urls = [
        url for url in _remote_images_of(articles) if len(url) <= MediaFile._meta.get_field("source_url").max_length
    ]
    known = set()
    for start in range(0, len(urls), 500):  # an IN list of a size every database takes
        known |= set(
            MediaFile.objects.filter(source_url__in=urls[start : start + 500]).values_list("source_url", flat=True)
        )
    new = [MediaFile(source_url=url, status="queued") for url in urls if url not in known]
    MediaFile.objects.bulk_create(new, ignore_conflicts=True)  # an image met by a job meanwhile stays as it is
    if new:
        from hodie.site import caching

        from .hosts import forget

        forget()  # bulk_create sends no signal
        caching.changed()  # pages that showed these images as links may now show them
    return len(new)


def leave_remote(articles=None) -> list[str]:  # type: ignore[no-untyped-def]
    """Allow the host of each remote image of ``articles`` that no stored copy replaces (the import's
    ``--no-images``), unless an editor has already decided about it; the hosts allowed now."""
    stored = set(MediaFile.objects.filter(status="stored").values_list("source_url", flat=True))
    hosts = sorted({host_of(url) for url in _remote_images_of(articles) if url not in stored} - {""})
    decided = {host.lower() for host in ImageHost.objects.values_list("host", flat=True)}
    made = [host for host in hosts if host not in decided]
    for host in made:
        ImageHost.objects.create(host=host, allowed=True, note="Images left at their old address (import --no-images)")
    return made


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
    """Fetch the remote images of ``articles`` (default: every HTML article with an image), rewrite
    the articles to the stored copies, then fetch whatever else waits (the WXR attachments)."""
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

    # Post by post, each rewritten as soon as its images are fetched: a waiting image's host is
    # allowed only while it waits (hosts.py), so its page must name the stored copy at once.
    if articles is None:
        articles = _articles_with_images()
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
    for media in MediaFile.objects.filter(status="queued"):  # what no post names: WXR attachments
        seen[media.source_url] = store(media)
        if media.status == "stored":
            report.stored += 1
        else:
            report.failed.append({"url": media.source_url, "reason": media.reason})
        if progress:
            progress()
    if report.articles:
        from hodie.site import caching

        caching.changed()
    return report
