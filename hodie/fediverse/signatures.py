"""HTTP Signatures as Mastodon makes and checks them: draft-cavage-http-signatures-12 with
``rsa-sha256`` over ``(request-target) host date digest`` and a ``Digest: SHA-256=`` header.

Written here, on ``cryptography``'s RSA primitives, because no kept Python library does this
dialect for a synchronous client: ``http-message-signatures`` and ``requests-http-signature``
implement RFC 9421, which Mastodon does not speak yet, and the draft-cavage packages on PyPI
(``httpsig``, ``requests-http-signature`` before 0.2) are unmaintained. ``bovine`` (a test-only
dependency here) implements the same dialect independently; the tests sign with each and verify
with the other.

No Django here: requests arrive as (method, path, headers, body).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SIGNED_ON_POST = ("(request-target)", "host", "date", "digest")
# Mastodon's window: a Date up to 12 hours old, or up to an hour ahead (clocks drift).
MAX_AGE = dt.timedelta(hours=12)
MAX_SKEW = dt.timedelta(hours=1)
_PARAM = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(Exception):
    """A request whose signature, digest or date does not hold; the message says which."""


def generate_keys() -> tuple[str, str]:
    """A new RSA key pair (2048 bits, as Mastodon's), as (private PEM, public PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(moment: dt.datetime | None = None) -> str:
    return format_datetime(moment or dt.datetime.now(dt.UTC), usegmt=True)


def signing_string(names: list[str], method: str, path: str, headers: Mapping[str, str]) -> str:
    """The lines that are signed, ``name: value``, in the order the signature lists them."""
    lower = {k.lower(): v for k, v in headers.items()}
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        elif name in lower:
            lines.append(f"{name}: {lower[name].strip()}")
        else:
            raise SignatureError(f"The signature covers the header {name!r}, which the request does not have")
    return "\n".join(lines)


@functools.lru_cache(maxsize=64)
def _private_key(private_pem: str) -> rsa.RSAPrivateKey:
    """An actor's private key, loaded once per process: loading checks the key, which takes
    about 200 ms (measured), against about 1 ms for the signature itself."""
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def sign(method: str, url: str, body: bytes | None, key_id: str, private_pem: str) -> dict[str, str]:
    """The headers that sign a request to ``url``: Host, Date, Digest (with a body) and Signature."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"Host": parts.netloc, "Date": http_date()}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["Digest"] = digest(body)
        names.append("digest")
    text = signing_string(names, method, path, headers)
    value = base64.b64encode(
        _private_key(private_pem).sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    headers["Signature"] = f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",signature="{value}"'
    return headers


@dataclass(frozen=True)
class Parsed:
    key_id: str
    names: list[str]
    signature: bytes


def parse(header: str) -> Parsed:
    params = dict(_PARAM.findall(header))
    if not params.get("keyId") or not params.get("signature"):
        raise SignatureError("The Signature header has no keyId or no signature")
    # hs2019 is what newer servers write; Mastodon reads it as rsa-sha256 for an RSA key.
    if params.get("algorithm", "rsa-sha256").lower() not in ("rsa-sha256", "hs2019"):
        raise SignatureError(f"The signature algorithm {params['algorithm']!r} is not rsa-sha256")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except ValueError as err:
        raise SignatureError("The signature is not base64") from err
    names = params.get("headers", "date").lower().split()
    return Parsed(params["keyId"], names, signature)


def check_fresh(headers: Mapping[str, str], now: dt.datetime | None = None) -> None:
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        sent = parsedate_to_datetime(lower.get("date", ""))
    except (TypeError, ValueError) as err:
        raise SignatureError("The request has no readable Date header") from err
    if sent.tzinfo is None:
        raise SignatureError("The Date header has no time zone")
    now = now or dt.datetime.now(dt.UTC)
    if sent < now - MAX_AGE or sent > now + MAX_SKEW:
        raise SignatureError(f"The Date {lower['date']!r} is outside the 12-hour window")


def check_digest(headers: Mapping[str, str], body: bytes) -> None:
    lower = {k.lower(): v for k, v in headers.items()}
    offered = {}
    for part in lower.get("digest", "").split(","):
        algorithm, _, value = part.strip().partition("=")
        offered[algorithm.lower()] = value
    if "sha-256" not in offered:
        raise SignatureError("The request has no Digest: SHA-256= header")
    if offered["sha-256"] != digest(body).removeprefix("SHA-256="):
        raise SignatureError("The Digest does not match the body")


def precheck(parsed: Parsed, method: str, headers: Mapping[str, str], body: bytes | None) -> None:
    """What can be checked without the sender's key: the signed headers, the Date, the Digest."""
    required = SIGNED_ON_POST if method.upper() == "POST" else SIGNED_ON_POST[:3]
    missing = [name for name in required if name not in parsed.names]
    if missing:
        raise SignatureError(f"The signature does not cover {', '.join(missing)}")
    check_fresh(headers)
    if body is not None:
        check_digest(headers, body)


def check_key(parsed: Parsed, method: str, path: str, headers: Mapping[str, str], public_pem: str) -> None:
    """Raise :class:`SignatureError` unless the signature was made with ``public_pem``'s key."""
    text = signing_string(parsed.names, method, path, headers)
    try:
        key = serialization.load_pem_public_key(public_pem.encode())
    except ValueError as err:
        raise SignatureError("The sender's public key cannot be read") from err
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("The sender's key is not an RSA key")
    try:
        key.verify(parsed.signature, text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as err:
        raise SignatureError("The signature does not match") from err


def verify(
    parsed: Parsed, method: str, path: str, headers: Mapping[str, str], body: bytes | None, public_pem: str
) -> None:
    """Raise :class:`SignatureError` unless ``parsed`` signs this request with ``public_pem``'s key."""
    precheck(parsed, method, headers, body)
    check_key(parsed, method, path, headers, public_pem)
