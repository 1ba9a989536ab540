"""Every outbound request Hodie makes (partner feeds, Webmention sources and endpoints) goes
through :func:`fetch`, never through ``feedparser.parse(url)`` or a bare ``requests.get``.

The policy, from ``../shared/SECURITY.md`` §2.3: http and https only, no user name or password in
the URL, ports 80, 443 and 8080; every address the host resolves to is checked first
(:func:`check_url`, for a refusal that names the address), and at connection time
``requests-hardened`` resolves the host again, refuses a private, loopback, link-local, CGNAT,
multicast or NAT64/6to4-embedded address and connects to the very address it checked, so a DNS
answer that changes between the two lookups gains nothing (two lookups per hop is the price);
every redirect hop is checked again, five at most; 2 s to connect,
10 s in all; the body is read in chunks and the fetch abandoned past its cap, counted after
decompression so that a gzip bomb stops at the cap too; no proxies or ``.netrc`` from the
environment. Loopback addresses are allowed only when the caller says so (tests, a partner site
on the same machine); then any port on them is allowed as well.

Failures come as two types, so that a caller decides by type whether to try again, never by
reading the message: :class:`FetchRefused` (the URL or the answer breaks the policy: asking again
gets the same refusal) and :class:`FetchFailed` (the network let us down: no answer from DNS, the
connection refused or reset, time up: a later attempt may succeed). Both are :class:`FetchError`.

No Django here: the settings arrive as a :class:`Policy` (``tests/test_purity.py`` holds that line).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from requests_hardened import Config, HTTPSession
from requests_hardened.ip_filter import InvalidIPAddress

from hodie import __version__

USER_AGENT = f"Hodie/{__version__} (+https://github.com/hodie)"


class FetchError(Exception):
    """A fetch that gave no usable answer; the message names the URL and the reason."""

    #: Whether the same fetch, asked again later, may succeed.
    transient = False


class FetchRefused(FetchError):
    """Refused by policy (a URL Hodie will not fetch, or an answer past a limit): permanent."""


class FetchFailed(FetchError):
    """Failed in transit (DNS, connection, time up): worth trying again later."""

    transient = True


@dataclass(frozen=True)
class Policy:
    allow_loopback: bool = False
    ports: frozenset[int] = frozenset({80, 443, 8080})
    connect_timeout: float = 2.0
    total_timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    history: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        charset = "utf-8"
        content_type = self.headers.get("content-type", "")
        if "charset=" in content_type:
            charset = content_type.split("charset=")[-1].split(";")[0].strip().strip('"') or "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def _address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool) -> str:
    if isinstance(ip, ipaddress.IPv6Address):
        for embedded in (ip.ipv4_mapped, ip.sixtofour):
            if embedded is not None:
                return _address_problem(embedded, allow_loopback)
        if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64: the IPv4 address is the last 32 bits
            return _address_problem(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), allow_loopback) or "a NAT64 address"
    if ip.is_loopback:
        return "" if allow_loopback else "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip in ipaddress.ip_network("100.64.0.0/10"):
        return "a carrier-grade NAT address"
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return "a private or reserved address"
    return ""


def _cut(response: requests.Response) -> None:
    """End a read that is still going when time is up: closing the response from another thread
    does not wake a blocked ``recv``, shutting the socket down does."""
    connection = getattr(response.raw, "_connection", None)
    buffered = getattr(getattr(response.raw, "_fp", None), "fp", None)  # http.client's socket file
    for sock in (getattr(connection, "sock", None), getattr(getattr(buffered, "raw", None), "_sock", None)):
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
    response.close()


def check_url(url: str, policy: Policy) -> None:
    """Refuse a URL by its form and by every address its host resolves to (before any connection)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise FetchRefused(f"{url!r} is not a URL: {err}") from err
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"{url!r}: only http and https URLs are fetched")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(f"{url!r}: a user name or password in the URL is refused")
    host = parts.hostname
    if not host:
        raise FetchRefused(f"{url!r} has no host")
    port = port or (443 if parts.scheme == "https" else 80)
    # RFC 6761 §6.3: "localhost" and names under it are the loopback, whatever a resolver says
    # (or fails to say: "localhost." may not resolve at all, and that must not read as a network failure).
    if not policy.allow_loopback and (host.rstrip(".") == "localhost" or host.rstrip(".").endswith(".localhost")):
        raise FetchRefused(f"{url!r}: {host} names the loopback; refused")
    ports = ", ".join(map(str, sorted(policy.ports)))
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        if port not in policy.ports and not policy.allow_loopback:  # refused whatever the name resolves to
            raise FetchRefused(f"{url!r}: port {port} is not one of {ports}") from err
        # A name that does not resolve now may resolve later (a DNS outage, a domain being moved).
        raise FetchFailed(f"{url!r}: the host {host!r} does not resolve") from err
    loopback_only = True
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        problem = _address_problem(ip, policy.allow_loopback)
        if problem:
            raise FetchRefused(f"{url!r}: {host} is {ip}, {problem}; refused")
        loopback_only = loopback_only and ip.is_loopback
    if port not in policy.ports and not (policy.allow_loopback and loopback_only):
        raise FetchRefused(f"{url!r}: port {port} is not one of {ports}")


def fetch(
    url: str,
    policy: Policy,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    data: dict[str, str] | bytes | None = None,
) -> Fetched:
    """Fetch ``url`` under ``policy``, following at most ``policy.max_redirects`` redirects for a
    GET (each checked again); raise :class:`FetchRefused` for anything outside the policy and
    :class:`FetchFailed` when the network fails."""
    config = Config(
        ip_filter_enable=True,
        ip_filter_allow_loopback_ips=policy.allow_loopback,
        never_redirect=True,
        default_timeout=(policy.connect_timeout, policy.total_timeout),
        user_agent_override=USER_AGENT,
    )
    started = time.monotonic()
    history: list[str] = []
    with HTTPSession(config) as session:
        session.trust_env = False  # no proxies, no .netrc from the environment
        while True:
            check_url(url, policy)
            try:
                response = session.request(
                    method, url, headers=headers or {}, data=data, stream=True, allow_redirects=False
                )
            except InvalidIPAddress as err:
                raise FetchRefused(f"{url!r}: resolved to a refused address ({err})") from err
            except requests.RequestException as err:
                raise FetchFailed(f"{url!r}: {type(err).__name__}: {err}") from err
            # A server that trickles bytes would keep each read under the read timeout for ever:
            # a timer closes the connection when the whole fetch has had its time.
            watchdog = threading.Timer(
                max(0.0, policy.total_timeout - (time.monotonic() - started)), _cut, args=(response,)
            )
            watchdog.start()
            with response:
                if response.is_redirect and method == "GET":
                    watchdog.cancel()
                    if len(history) >= policy.max_redirects:
                        raise FetchRefused(f"{url!r}: more than {policy.max_redirects} redirects")
                    history.append(url)
                    url = urljoin(url, response.headers["location"])
                    continue
                body = bytearray()
                try:
                    for chunk in response.iter_content(16 * 1024):
                        body += chunk
                        if len(body) > policy.max_bytes:
                            raise FetchRefused(f"{url!r}: the response is larger than {policy.max_bytes:,} bytes")
                        if time.monotonic() - started > policy.total_timeout:
                            raise FetchFailed(f"{url!r}: took longer than {policy.total_timeout:g} s")
                except (requests.RequestException, AttributeError, ValueError, OSError) as err:
                    if time.monotonic() - started >= policy.total_timeout:
                        raise FetchFailed(f"{url!r}: took longer than {policy.total_timeout:g} s") from err
                    raise FetchFailed(f"{url!r}: {type(err).__name__}: {err}") from err
                finally:
                    watchdog.cancel()
                return Fetched(
                    url=url,
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    body=bytes(body),
                    history=history,
                )
