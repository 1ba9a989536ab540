"""Hodie's HTTP Signatures against bovine's: each verifies what the other signed, and each
refuses a request that was changed after signing."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key
from bovine.crypto.http_signature import build_signature
from bovine.crypto.types import CryptographicIdentifier, CryptographicSecret

from hodie.fediverse import signatures

ACTOR = "https://remote.example/users/alice"
KEY_ID = f"{ACTOR}#main-key"
INBOX = "https://hodie.example/@russia/inbox"
BODY = b'{"type":"Follow","actor":"https://remote.example/users/alice"}'


@pytest.fixture(scope="module")
def keys():
    public, private = generate_rsa_public_private_key()
    return public, private


def bovine_accepts(headers: dict[str, str], body: bytes, public_pem: str) -> str | None:
    async def key(key_id: str) -> CryptographicIdentifier:
        return CryptographicIdentifier.from_pem(public_pem, ACTOR)

    async def body_of() -> bytes:
        return body

    validate = build_validate_http_signature_raw(key)
    return asyncio.run(validate("post", INBOX, {k.lower(): v for k, v in headers.items()}, body_of))


def bovine_signs(private_pem: str, body: bytes, date: str | None = None) -> dict[str, str]:
    helper = (
        build_signature("hodie.example", "post", "/@russia/inbox")
        .with_field("date", date or signatures.http_date())
        .with_field("digest", "SHA-256=" + signatures.digest(body).removeprefix("SHA-256="))
    )
    header = helper.sign_for_http_draft(CryptographicSecret.from_pem(KEY_ID, private_pem))
    return {**helper.headers, "signature": header}


def test_bovine_verifies_what_hodie_signs(keys):
    public, private = keys
    headers = signatures.sign("POST", INBOX, BODY, KEY_ID, private)
    assert 'headers="(request-target) host date digest"' in headers["Signature"]
    assert bovine_accepts(headers, BODY, public) == ACTOR


def test_bovine_refuses_a_body_changed_after_hodie_signed(keys):
    public, private = keys
    headers = signatures.sign("POST", INBOX, BODY, KEY_ID, private)
    assert bovine_accepts(headers, BODY.replace(b"Follow", b"Delete"), public) is None


def test_bovine_refuses_hodie_signing_with_another_key(keys):
    public, _private = keys
    _other_public, other_private = generate_rsa_public_private_key()
    headers = signatures.sign("POST", INBOX, BODY, KEY_ID, other_private)
    assert bovine_accepts(headers, BODY, public) is None


def test_hodie_verifies_what_bovine_signs(keys):
    public, private = keys
    headers = bovine_signs(private, BODY)
    parsed = signatures.parse(headers["signature"])
    assert parsed.key_id == KEY_ID
    signatures.verify(parsed, "POST", "/@russia/inbox", headers, BODY, public)  # raises when it does not hold


@pytest.mark.parametrize(
    ("case", "change", "message"),
    [
        ("body", lambda h, b: (h, b + b" "), "Digest does not match"),
        ("path", lambda h, b: (h, b), "signature does not match"),
        ("host", lambda h, b: ({**h, "host": "evil.example"}, b), "signature does not match"),
        ("no digest signed", lambda h, b: ({**h, "signature": h["signature"].replace(" digest", "")}, b), "cover"),
        ("old date", None, "12-hour window"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_hodie_refuses_a_bovine_request_that_was_changed(keys, case, change, message):
    public, private = keys
    path = "/@russia/inbox"
    if case == "old date":
        old = signatures.http_date(dt.datetime.now(dt.UTC) - dt.timedelta(hours=13))
        headers, body = bovine_signs(private, BODY, date=old), BODY
    else:
        headers, body = change(bovine_signs(private, BODY), BODY)
        if case == "path":
            path = "/@space/inbox"
    with pytest.raises(signatures.SignatureError, match=message):
        signatures.verify(signatures.parse(headers["signature"]), "POST", path, headers, body, public)


def test_a_signature_in_another_algorithm_is_refused():
    with pytest.raises(signatures.SignatureError, match="not rsa-sha256"):
        signatures.parse('keyId="k",algorithm="hmac-sha256",headers="date",signature="AAAA"')
