"""bovine-herd, a whole ActivityPub server (Quart, hypercorn, its own SQLite store), run by the
tests as a separate process on 127.0.0.1:

    python -m tests.fediverse.herd serve PORT DB      # serve until killed
    python -m tests.fediverse.herd register PORT DB   # make the account alice; print its secret
"""

from __future__ import annotations

import asyncio
import json
import sys


def serve(port: int, db: str) -> None:
    from bovine_herd import BovineHerd
    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config
    from quart import Quart

    app = Quart("herd")
    BovineHerd(app, db_url=f"sqlite://{db}")
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    asyncio.run(hypercorn_serve(app, config))


def register(port: int, db: str) -> None:
    import os

    os.environ["BOVINE_DB_URL"] = f"sqlite://{db}"
    from bovine.crypto import generate_ed25519_private_key, private_key_to_did_key
    from bovine_tool.store import InlineBovineStore

    async def go() -> None:
        async with InlineBovineStore(domain=f"http://127.0.0.1:{port}") as store:
            name = await store.register("alice")
            secret = generate_ed25519_private_key()
            await store.add_identity_string_to_actor(name, "key", private_key_to_did_key(secret))
            print(json.dumps({"name": name, "secret": secret}))

    asyncio.run(go())


if __name__ == "__main__":
    command, port, db = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    {"serve": serve, "register": register}[command](port, db)
