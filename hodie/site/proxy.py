"""The reader's own address behind trusted proxies (``HODIE_TRUSTED_PROXIES``).

Behind a proxy, ``REMOTE_ADDR`` is the proxy's address for every reader, so the comment rate limit
would treat all readers as one and the spam service would be told the proxy's address. Each proxy
appends the address it received the request from to ``X-Forwarded-For``; only the entries written
by proxies we trust can be believed (a client can send any ``X-Forwarded-For`` it likes), so the
header is read from the right:

- a number N: N proxies stand in front; the client is the N-th entry from the right;
- a list of addresses or networks: skip, from the right, every address that is a listed proxy
  (``REMOTE_ADDR`` first); the first that is not is the client;
- empty (the default): the header is ignored.

The middleware sets ``REMOTE_ADDR`` to that address, so everything that reads it (the rate limit,
the spam service, admin login throttling, logs) sees the reader. Django has no such setting since
it dropped SetRemoteAddrFromForwardedFor (1.1) for lack of a safe default, hence this one, whose
default trusts nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=4)
def parse(value: str) -> int | tuple[Network, ...]:
    """The setting as a number of hops, or as the trusted networks."""
    value = value.strip()
    if not value:
        return 0
    if value.isascii() and value.isdigit():
        return int(value)
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in value.split(",") if item.strip())
    except ValueError as err:
        raise ImproperlyConfigured(
            f"HODIE_TRUSTED_PROXIES={value!r}: give a number of proxies (1) or their addresses "
            f"(10.0.0.5, 172.16.0.0/12): {err}"
        ) from err


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(remote: str, forwarded: str, trusted: int | tuple[Network, ...]) -> str:
    """The reader's address, given REMOTE_ADDR, X-Forwarded-For and the parsed setting."""
    if not trusted or not forwarded:
        return remote
    hops = [_address(part) for part in forwarded.split(",")]
    if any(hop is None for hop in hops):
        return remote  # a header the proxies did not write as they should: believe none of it
    if isinstance(trusted, int):
        # Fewer entries than proxies: the reader reached an inner proxy; its leftmost entry is the reader.
        return str(hops[-trusted] if len(hops) >= trusted else hops[0])
    chain = [_address(remote), *reversed(hops)]
    for hop in chain[:-1]:
        if hop is None or not any(hop in network for network in trusted):
            return str(hop) if hop is not None else remote
    return str(chain[-1])


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = parse(settings.HODIE_TRUSTED_PROXIES)
        if trusted:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), trusted
            )
        return self.get_response(request)
