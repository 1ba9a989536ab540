"""The page cache's front door: a stored public page answered on the event loop, before Django.

``hodie serve`` runs Django on threads behind an event loop (hodie/site/asgi.py, threads.py). A
page that PageCacheMiddleware (hodie/site/caching.py) already held still paid the crossing to a
thread and the whole middleware stack around the cache lookup: under Django's ASGI handler, the
demo's day page served from that cache ran at 330-410 requests a second with wrk (50 connections,
2 workers). This layer keeps the *finished* answer (status, every header the middleware added,
body) of each page that PageCacheMiddleware stored or answered, and serves it to the next reader
whose request would get the same bytes, without entering Django: 8,700-9,900 a second on the same
machine.

It is deliberately a copy of PageCacheMiddleware's decisions, not a second policy:

- It stores only what came out of Django marked ``X-Hodie-Cache: miss`` (so Django's rules chose
  it, and just rendered it: a public page, no cookie set, varying only on the language), with
  status 200, for a GET.
- Its key holds the same parts (the generation, today's date, the method, the path with its query,
  the interface language as LocaleMiddleware chooses it, the language and date-order cookies) and
  what the layers outside PageCacheMiddleware read (the Host header, the scheme and the proxy's
  HTTPS header), each as sent. Bumping the generation orphans these entries as it orphans the
  others, so every invalidation path of caching.py covers them.
- Anything it cannot decide alone goes to Django: a session cookie (an editor), a conditional
  request (any ``If-*`` header: ConditionalGetMiddleware answers 304 and 412), a header whose name
  has an underscore (Django never sees it, threads.py), HEAD and other methods, no generation yet,
  or a scheduled article's moment passed (the bump needs the database).

Each worker also keeps the last ``MEMORY`` answers it served in memory, under the same keys: the
generation in the key is still read from the shared cache on every request, so an edit in any
process is seen at once, but a hit no longer reads and unpacks the page itself (zlib, a quarter of
a hit's time). An answer leaves memory when its time in the shared cache is up, as there. The
generation lookup is a small file read (the default file cache) or a local-memory read, done on the
event loop: shorter than the thread hop it saves. Other backends (Redis) are read in a thread, since a
network call must not hold the loop.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import zoneinfo
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from types import SimpleNamespace
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.http.cookie import parse_cookie
from django.utils import timezone
from django.utils.translation import get_language_from_request

from hodie.site import caching

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

PREFIX = "hodie:front:"
Stored = tuple[int, list[tuple[bytes, bytes]], bytes]  # status, headers, body
MEMORY = 500  # answers a worker keeps in memory (a day page is 16 KB: some 8 MB)
MARK = b"x-hodie-cache"
_MAX_AGE = re.compile(rb"max-age=(\d+)")


def _header_map(scope: Scope) -> dict[bytes, bytes]:
    found: dict[bytes, bytes] = {}
    for name, value in scope.get("headers") or ():
        name = name.lower()
        found[name] = found[name] + b", " + value if name in found else value
    return found


def _lifetime(headers: list[tuple[bytes, bytes]]) -> int:
    """The max-age PageCacheMiddleware gave the answer: how long it keeps the page (0: none)."""
    control = b", ".join(value for name, value in headers if name.lower() == b"cache-control")
    found = _MAX_AGE.search(control)
    return int(found.group(1)) if found else 0


class FrontCache:
    def __init__(self, app: App) -> None:
        self.app = app
        cache = caching._cache()
        self.inline = isinstance(cache, (FileBasedCache, LocMemCache))
        proxy = settings.SECURE_PROXY_SSL_HEADER
        # HTTP_X_FORWARDED_PROTO -> x-forwarded-proto, as the ASGI scope names headers.
        self.proxy_header = proxy[0].removeprefix("HTTP_").lower().replace("_", "-").encode() if proxy else None
        self.private = tuple(prefix.encode() for prefix in caching.PRIVATE_PREFIXES)
        self.memory: OrderedDict[str, tuple[float, Stored]] = OrderedDict()  # key: (until, answer)
        # timezone.localdate() as PageCacheMiddleware computes it (no middleware activates another
        # zone before it), without Django's per-call lookup of the active zone.
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    async def _call(self, function: Callable[..., Any], *args: Any) -> Any:
        return function(*args) if self.inline else await sync_to_async(function, thread_sensitive=False)(*args)

    def key(self, scope: Scope, state: dict[str, Any]) -> str | None:
        """The stored answer's key, or None when Django must answer (module docstring)."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        path = scope.get("path", "")
        if path.encode().startswith(self.private) or path in caching.UNCACHED_PATHS:
            return None
        headers = _header_map(scope)
        if any(name.startswith(b"if-") for name in headers):
            return None  # conditional (ConditionalGetMiddleware's 304 and 412)
        if any(b"_" in name for name in headers):
            return None  # a name Django would not see (threads.py drops it): never let it choose a page
        cookies = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
        if settings.SESSION_COOKIE_NAME in cookies:
            return None
        generation, upcoming = state.get(caching.GENERATION), state.get(caching.NEXT_CHANGE)
        if generation is None or upcoming is None:
            return None
        if upcoming and timezone.now().timestamp() >= upcoming:
            return None  # a scheduled article is due: Django bumps the generation first
        language = get_language_from_request(
            SimpleNamespace(
                COOKIES=cookies, META={"HTTP_ACCEPT_LANGUAGE": headers.get(b"accept-language", b"").decode("latin-1")}
            )
        )
        parts = [
            str(generation),
            dt.datetime.now(self.zone).date().isoformat(),
            scope.get("scheme", "http"),
            headers.get(b"host", b"").decode("latin-1"),
            headers.get(self.proxy_header, b"").decode("latin-1") if self.proxy_header else "",
            headers.get(b"x-forwarded-host", b"").decode("latin-1") if settings.USE_X_FORWARDED_HOST else "",
            scope.get("root_path", ""),
            path,
            scope.get("query_string", b"").decode("latin-1"),
            language,
            *(cookies.get(name, "") for name in (settings.LANGUAGE_COOKIE_NAME, *caching.PREFERENCE_COOKIES)),
        ]
        return PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        cache = caching._cache()
        state = await self._call(cache.get_many, [caching.GENERATION, caching.NEXT_CHANGE])
        key = self.key(scope, state)
        if key is None:
            await self.app(scope, receive, send)
            return
        stored = self._recall(key)
        if stored is None:
            shared = await self._call(cache.get, key)
            if isinstance(shared, tuple) and len(shared) == 2:  # (another shape: an older Hodie's entry, ignored)
                stored, until = shared
                self._remember(key, stored, until - time.time())
        if stored is not None:
            status, headers, body = stored
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        answer: list[Any] = []  # (status, headers, seconds) once Django's answer is seen to be storable
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.extend(self._storable(message) or ())
            elif message["type"] == "http.response.body" and answer:
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        if answer:
            status, headers, lifetime = answer
            stored = (status, headers, b"".join(chunks))
            self._remember(key, stored, lifetime)
            # On a thread, even for the file cache: past MAX_ENTRIES a write lists and culls the folder.
            await sync_to_async(cache.set, thread_sensitive=False)(key, (stored, time.time() + lifetime), lifetime)

    def _recall(self, key: str) -> Stored | None:
        found = self.memory.get(key)
        if found is None:
            return None
        if found[0] <= time.monotonic():
            del self.memory[key]
            return None
        self.memory.move_to_end(key)
        return found[1]

    def _remember(self, key: str, stored: Stored, seconds: float) -> None:
        """Keep an answer for as long as the shared cache keeps it (``seconds`` left there)."""
        self.memory[key] = (time.monotonic() + seconds, stored)
        if len(self.memory) > MEMORY:
            self.memory.popitem(last=False)

    @staticmethod
    def _storable(start: Message) -> tuple[int, list[tuple[bytes, bytes]], int] | None:
        """(status, headers as a hit sends them, seconds to keep) of an answer Django's page cache
        chose to keep, else None."""
        if start.get("status") != 200:
            return None
        headers = [(bytes(name), bytes(value)) for name, value in start.get("headers", ())]
        names = {name.lower() for name, _ in headers}
        marks = [value for name, value in headers if name.lower() == MARK]
        if b"set-cookie" in names or marks[:1] != [b"miss"]:
            # Only a page Django has just rendered: a "hit" carries the max-age of its first
            # render, and kept again for that long it would outlive Django's own copy.
            return None
        control = b", ".join(value for name, value in headers if name.lower() == b"cache-control")
        seconds = _lifetime(headers)
        if b"public" not in control or seconds <= 0:
            return None
        hit = [(name, b"hit") if name.lower() == MARK else (name, value) for name, value in headers]
        return 200, hit, seconds
