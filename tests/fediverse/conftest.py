"""A second ActivityPub node, run by the test on 127.0.0.1, whose HTTP Signatures (signing and
checking) and HTTP clients are bovine's, an implementation independent of Hodie's."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# bovine keeps a cache of JSON-LD contexts in ./bovine_jsonld_cache.sqlite, made when bovine.jsonld
# is first imported: import it from the temporary folder so that the file is not left in the repository.
_here = os.getcwd()
os.chdir(tempfile.gettempdir())
try:
    import bovine.jsonld  # noqa: F401
finally:
    os.chdir(_here)

import aiohttp  # noqa: E402
import pytest  # noqa: E402
from bovine.clients.signed_http import SignedHttpClient, legacy_digest_method_uppercase  # noqa: E402
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key  # noqa: E402
from bovine.crypto.types import CryptographicIdentifier  # noqa: E402

from tests.social.conftest import answer, run_jobs  # noqa: E402, F401 - the fixture, shared

AS = "application/activity+json"


async def _fetch_key(key_id: str) -> CryptographicIdentifier | None:
    """bovine's key lookup: the keyId's document, over HTTP, as any server would do it."""
    async with aiohttp.ClientSession() as session:
        async with session.get(key_id.split("#")[0], headers={"Accept": AS}) as response:
            if response.status != 200:
                return None
            data = await response.json(content_type=None)
    return CryptographicIdentifier.from_public_key(data.get("publicKey", data))


class Node:
    """One account, ``alice``, with an inbox that records every POST and what bovine made of its
    signature (the verified key owner, or None)."""

    def __init__(self) -> None:
        self.public_pem, self.private_pem = generate_rsa_public_private_key()
        self.base = ""
        self.received: list[dict[str, Any]] = []
        self.failing: dict[str, int] = {}  # path -> HTTP status answered instead of 202
        self.served_actor = True

    @property
    def actor(self) -> str:
        return f"{self.base}/users/alice"

    @property
    def key_id(self) -> str:
        return f"{self.actor}#main-key"

    def document(self) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.actor,
            "type": "Person",
            "preferredUsername": "alice",
            "name": "Alice Liddell",
            "url": f"{self.base}/@alice",
            "inbox": f"{self.actor}/inbox",
            "outbox": f"{self.actor}/outbox",
            "endpoints": {"sharedInbox": f"{self.base}/inbox"},
            "publicKey": {"id": self.key_id, "owner": self.actor, "publicKeyPem": self.public_pem},
        }

    def post(
        self, url: str, activity: dict[str, Any], key_id: str | None = None, private_pem: str | None = None
    ) -> int:
        """POST ``activity`` to ``url`` signed by bovine (as alice unless told otherwise)."""

        async def go() -> int:
            async with aiohttp.ClientSession() as session:
                client = SignedHttpClient(
                    session,
                    key_id or self.key_id,
                    private_pem or self.private_pem,
                    digest_method=legacy_digest_method_uppercase,
                )
                response = await client.post(url, json.dumps(activity))
                await response.read()  # and so release the connection before the session closes
                response.release()
                return response.status

        return asyncio.run(go())

    def check(self, method: str, url: str, headers: dict[str, str], body: bytes) -> str | None:
        validate = build_validate_http_signature_raw(_fetch_key)

        async def body_of() -> bytes:
            return body

        lower = {k.lower(): v for k, v in headers.items()}
        return asyncio.run(validate(method, url, lower, body_of))


@pytest.fixture
def node():
    found = Node()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/users/alice" and found.served_actor:
                answer(self, 200, json.dumps(found.document()).encode(), Content_Type=AS)
            else:
                answer(self, 404, b"not found", Content_Type="text/plain")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            owner = found.check("post", f"{found.base}{self.path}", dict(self.headers), body)
            found.received.append({"path": self.path, "owner": owner, "activity": json.loads(body)})
            answer(self, found.failing.get(self.path, 202))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture
def hodie(live_server, settings, demo_live):
    """Hodie on a real port, with the demo content, its site URL that port, loopback fetches on."""
    settings.SITE_URL = live_server.url
    settings.HODIE_FETCH_ALLOW_LOOPBACK = True
    settings.HODIE_COMMENT_MODERATION = "first-time"
    return live_server.url


@pytest.fixture
def demo_live(transactional_db):
    from hodie.almanac.models import Collection
    from hodie.demo import load_demo

    load_demo()
    return Collection.objects.get(slug="russia")
