"""HTML that caches may keep: the public headers, the server-side page cache and its invalidation.

An anonymous GET (no session cookie) of a public page answers with ``Cache-Control: public,
max-age=HODIE_PAGE_MAX_AGE, stale-while-revalidate=HODIE_PAGE_STALE_SECONDS`` and is stored in the
``pages`` cache, built on Django's cache framework: files under ``$HODIE_HOME/cache`` by default,
which every granian worker process shares, or Redis when ``HODIE_CACHE_URL`` names it. A view that
sets its own Cache-Control (the API, feeds, calendars, sitemaps) keeps it and is not stored. An
editor's request (it carries the session cookie) is never answered from that cache, never stored,
and answered ``private, no-store``.

Invalidation is a *generation*: one random value in the cache, part of every page's key. Any change
that can alter a page bumps it (model signals, plus explicit calls where Django sends none:
``QuerySet.update`` in the admin's actions and the import writer's raw inserts), and every old
entry is orphaned at once, to expire by its timeout. We chose this over deleting the affected
keys because a change reaches many pages (an entry is on its day page, its collection's calendar,
each tag, person and place page, the feeds, the API, search...): working out that set is where
invalidation bugs live, while the cost of dropping every page on an edit is one render per page
read afterwards, small next to how rarely editors save. It is also the only scheme that works the
same on the file cache, which cannot delete by pattern, and on a Redis shared with the job queue,
where ``clear()`` would flush the queue too.

Time changes pages without any save: what "today" is (a new day at midnight in HODIE_TIME_ZONE) is
part of the key, and the next moment a scheduled article appears is kept beside the generation; a
request after it bumps the generation. ``max-age`` is cut short so that no shared cache keeps a
page past either moment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

ALIAS = "pages"
GENERATION = "hodie:pages:generation"
NEXT_CHANGE = "hodie:pages:next-change"  # a POSIX timestamp; 0 when nothing is scheduled
NOTHING_SCHEDULED = 0.0
# Paths whose answers are never public: the admin, the editors' pages, the POST endpoints.
PRIVATE_PREFIXES = ("/admin/", "/editors/", "/comments/post/", "/webmention", "/i18n/", "/about/dates/order/")
# Not worth a cache entry: the OpenAPI document is built from code alone (and schemathesis loads it
# while tests are collected, before any database may be touched).
UNCACHED_PATHS = ("/api/openapi.json",)
# The cookies that change a public page's bytes, besides the language cookie: the date order.
PREFERENCE_COOKIES = ("hodie_dates",)


def _cache() -> Any:
    return caches[ALIAS]


# Whether this process may have stored a page since it last bumped the generation. Inside one
# transaction only the first change needs a bump, unless a page was stored after it: an import that
# saves 20,000 rows wrote the generation 60,000 times (a temporary file each on the file cache),
# most of the import's time. Other processes only ever see the committed rows, which the bump at
# commit covers.
_stored_since_bump = True


def _increment() -> None:
    # A new random value rather than cache.incr(): the file cache's incr is a read then a write, so
    # two processes bumping at once could both write N+1 and the second change would be lost.
    global _stored_since_bump
    _stored_since_bump = False
    _cache().set(GENERATION, uuid.uuid4().hex, None)


def bump() -> None:
    """Orphan every stored page (and recompute when the next scheduled article appears)."""
    _increment()
    _cache().set(NEXT_CHANGE, _next_scheduled(), None)


def _note_scheduled(article: Any) -> None:
    """An article saved to appear later: the next change comes no later than its time (no query:
    the exact moment is recomputed after the commit)."""
    if article.status not in ("published", "scheduled") or article.publish_at <= timezone.now():
        return
    cache = _cache()
    upcoming = cache.get(NEXT_CHANGE, NOTHING_SCHEDULED)
    moment = article.publish_at.timestamp()
    if not upcoming or moment < upcoming:
        cache.set(NEXT_CHANGE, moment, None)


def changed(sender: Any = None, instance: Any = None, **_: Any) -> None:
    """A change that alters pages: bump now, and again when its transaction commits. The second
    closes the race where another worker renders the old rows between the first bump and the
    commit and stores them under the new generation. One commit-time bump per transaction, however
    many rows it saves (an import saves thousands)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump()
        return
    if getattr(sender, "__name__", "") == "Article" and instance is not None:
        _note_scheduled(instance)
    registered = any(item[1] is bump for item in connection.run_on_commit)
    if _stored_since_bump or not registered:
        _increment()  # (when the next article is scheduled is read once, after the commit)
    if not registered:
        transaction.on_commit(bump)


def _next_scheduled() -> float:
    from hodie.almanac.models import Article

    upcoming = (
        Article.objects.filter(status__in=("published", "scheduled"), publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    return upcoming.timestamp() if upcoming else NOTHING_SCHEDULED


def state() -> tuple[str, float]:
    """The current generation, and when the next scheduled article appears (0: none). A request
    made after that moment bumps the generation first."""
    cache = _cache()
    found = cache.get_many([GENERATION, NEXT_CHANGE])
    if GENERATION not in found or NEXT_CHANGE not in found:
        bump()
        found = cache.get_many([GENERATION, NEXT_CHANGE])
    upcoming = found.get(NEXT_CHANGE, NOTHING_SCHEDULED)
    if upcoming and timezone.now().timestamp() >= upcoming:
        bump()
        found = cache.get_many([GENERATION, NEXT_CHANGE])
        upcoming = found.get(NEXT_CHANGE, NOTHING_SCHEDULED)
    return str(found.get(GENERATION, "")), upcoming


def _seconds_to_midnight(now: dt.datetime) -> int:
    local = timezone.localtime(now)
    midnight = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((midnight - local).total_seconds()))


def is_personal(request: HttpRequest) -> bool:
    """An editor's request (or anyone's with a session): never served from, nor stored in, a cache."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _key(request: HttpRequest, generation: str) -> str:
    today = timezone.localdate().isoformat()
    parts = [generation, today, request.method or "", request.get_host(), request.get_full_path()]
    parts.append(get_language() or "")
    parts += [request.COOKIES.get(name, "") for name in (settings.LANGUAGE_COOKIE_NAME, *PREFERENCE_COOKIES)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"hodie:page:{digest}"


KEYED_VARY = {"accept-language", "cookie"}  # what the key holds; a page varying on more is not stored


def _storable(response: HttpResponse) -> bool:
    varies = {h.strip().lower() for h in response.get("Vary", "").split(",") if h.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and varies <= KEYED_VARY  # an ActivityPub account answers JSON or HTML by Accept: never stored
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Serves and stores anonymous GETs of public pages (see the module's docstring). It sits
    inside ConditionalGetMiddleware, so a stored page still answers If-None-Match with a 304, and
    outside the CSRF and authentication middleware, so a page from the cache costs neither.

    Hand-written rather than Django's CacheMiddleware: that one's key prefix is fixed when the
    process starts, and the generation, the day and the preference cookies must be in the key."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method not in ("GET", "HEAD")
            or request.path.startswith(PRIVATE_PREFIXES)
            or request.path in UNCACHED_PATHS
            or request.META.get("hodie.static_build")  # `hodie build` renders pages without the server's forms
        ):
            return self.get_response(request)
        if is_personal(request) or "held" in request.GET:  # an editor's page, or a held comment shown to its author
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ("Cookie",))
            return response
        generation, upcoming = state()
        key = _key(request, generation)
        cache = _cache()
        stored = cache.get(key)
        if stored is not None:
            response = stored
            response["X-Hodie-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if not _storable(response):
            return response
        now = timezone.now()
        lifetime = min(settings.HODIE_PAGE_MAX_AGE, _seconds_to_midnight(now))
        if upcoming:
            lifetime = min(lifetime, max(1, int(upcoming - now.timestamp())))
        if response.has_header("Cache-Control"):  # a view that chose its own (sitemaps, the API...)
            return response
        patch_cache_control(
            response, public=True, max_age=lifetime, stale_while_revalidate=settings.HODIE_PAGE_STALE_SECONDS
        )
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        if request.method == "GET" and lifetime > 0:  # HODIE_PAGE_MAX_AGE=0: pages are not kept
            response.content  # noqa: B018 - a rendered body before pickling
            global _stored_since_bump
            _stored_since_bump = True
            cache.set(key, response, lifetime)
        response["X-Hodie-Cache"] = "miss"
        return response


def _comment_was_public(sender: Any, instance: Any, **_: Any) -> None:
    instance._hodie_was_public = instance.status == "approved"


def _comment_changed(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    """A comment alters pages when it is shown or stops being shown; a pending or spam comment
    saved (every post a robot makes) leaves the cache alone."""
    if instance.status == "approved" or getattr(instance, "_hodie_was_public", False):
        changed()


# Models whose rows never reach a public page: saving them leaves the pages alone.
# EntryLine and Fragment are a page's own by-products (stored while rendering; hodie/almanac/lines.py,
# hodie/almanac/fragments.py).
NOT_ON_PAGES = {"FeedState", "Suggestion", "Sent", "Announced", "EntryLine", "Fragment"}


def connect() -> None:
    """Bump the generation whenever a model shown on pages is saved, deleted or relinked."""
    from django.apps import apps

    for label in ("almanac", "social"):
        for model in apps.get_app_config(label).get_models():
            name = model.__name__
            if name in NOT_ON_PAGES:
                continue
            uid = f"hodie.pages.{label}.{name}"
            if name == "Comment":
                post_init.connect(_comment_was_public, sender=model, dispatch_uid=uid + ".init")
                post_save.connect(_comment_changed, sender=model, dispatch_uid=uid + ".save")
                post_delete.connect(_comment_changed, sender=model, dispatch_uid=uid + ".delete")
                continue
            post_save.connect(changed, sender=model, dispatch_uid=uid + ".save")
            post_delete.connect(changed, sender=model, dispatch_uid=uid + ".delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(changed, sender=through, dispatch_uid=f"{uid}.{field.name}.m2m")
    # An old address edited in the admin turns a stored 200 into a 301 (OldLinkMiddleware).
    from django.contrib.redirects.models import Redirect

    post_save.connect(changed, sender=Redirect, dispatch_uid="hodie.pages.redirects.Redirect.save")
    post_delete.connect(changed, sender=Redirect, dispatch_uid="hodie.pages.redirects.Redirect.delete")
