"""A page's address by its URL name, remembered: ``reverse()`` is some 10 µs a call on this
project's URLconf, and a page asks for the same few dozen addresses on every request (the entry page
eighteen, a person's page one per entry listed; docs/benchmarks.md, *Render path*).

An address depends only on the name, the arguments, the URLconf and the script prefix, which are all
in the key. The cache is bounded, so the long tail of slugs a crawler walks does not grow it for
ever, and it is emptied when a test changes settings that may change what an address is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=8192)
def _reversed(prefix: str, urlconf: Any, name: str, args: tuple, kwargs: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args, kwargs=dict(kwargs))


def address(name: str, args: Iterable[Any] | None = None, kwargs: Mapping[str, Any] | None = None) -> str:
    """``reverse(name, args=args, kwargs=kwargs)``, the same string, from the cache when it can."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(get_script_prefix(), urlconf, name, tuple(args or ()), tuple(sorted((kwargs or {}).items())))


# Stands for the argument :func:`filler` leaves open. Its URL patterns want a slug or a path segment
# there, and this is both; no script prefix or fixed argument holds it.
MARK = "hodie-address-mark"


def filler(name: str, args: Sequence[Any], at: int) -> Callable[[str], str]:
    """The addresses of ``name`` whose arguments are ``args`` but for ``args[at]``, each made without
    a ``reverse()``: for a page of many links that differ in one argument (a day in each other
    collection, a collection's 366 days, a sitemap's 50,000 entries), whose values match their
    pattern as they are (slugs, days' slugs), so need no quoting."""
    before, _, after = address(name, [*args[:at], MARK, *args[at + 1 :]]).partition(MARK)
    return lambda value: f"{before}{value}{after}"


def _forget(**_: Any) -> None:
    _reversed.cache_clear()


setting_changed.connect(_forget, dispatch_uid="hodie.site.addresses")
