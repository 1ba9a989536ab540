"""Delivery of one post to many fediverse servers through the database job queue, with one
server in ten dead (its port closed), as `hodie worker` runs it.

Usage: python bench/fediverse_delivery.py [SERVERS] [DEAD_EVERY]. A fresh SQLite database in a
temporary HODIE_HOME; SERVERS (500) followers, each on a server of its own, all answered by one
inbox server on 127.0.0.1 that counts the POSTs whose Digest matches. Prints one JSON line: the
time from the post to the last live delivery, deliveries a second, the RSA signature's cost, and
how many were sent, waiting for a retry and received.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    servers = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    dead_every = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    home = tempfile.mkdtemp(prefix="hodie-fedi-bench-")
    os.environ.update(
        HODIE_HOME=home,
        HODIE_DATABASE_URL=f"sqlite:///{home}/hodie.sqlite3",
        HODIE_TASKS_BACKEND="database",
        HODIE_FETCH_ALLOW_LOOPBACK="true",
        DJANGO_SETTINGS_MODULE="hodie.site.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import transaction

    from hodie.almanac.models import Article, Collection, Entry
    from hodie.fediverse import signatures
    from hodie.fediverse.models import Delivery, Follower, RemoteActor
    from hodie.fediverse.posting import get_actor, post_article

    received = {"ok": 0, "bad": 0}
    lock = threading.Lock()

    class Inbox(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            expected = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
            with lock:
                received["ok" if self.headers.get("Digest") == expected else "bad"] += 1
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Inbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    live = f"http://127.0.0.1:{server.server_address[1]}"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"

    collection = Collection.objects.create(slug="russia", title="Russian history")
    actor = get_actor(collection)
    for n in range(servers):
        base = dead if dead_every and n % dead_every == 0 else live
        remote = RemoteActor.objects.create(
            uri=f"{base}/s{n}/users/a", key_id=f"{base}/s{n}/users/a#k", public_key_pem="-",
            inbox=f"{base}/s{n}/inbox", username="a",
        )  # fmt: skip
        Follower.objects.create(actor=actor, remote=remote, follow_id=f"{base}/s{n}/follows/1")
    entry = Entry.objects.create(title="Mir core module launched", date_text="1986-02-20")
    entry.join([collection])
    article = Article.objects.create(title="An article", body="Text.", status="published")
    article.entries.add(entry)

    started = time.perf_counter()
    with transaction.atomic():
        post_article(actor, article)
    live_count = Delivery.objects.filter(inbox__startswith=live).count()
    while Delivery.objects.filter(inbox__startswith=live).exclude(status="sent").exists():
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    elapsed = time.perf_counter() - started

    private, _public = signatures.generate_keys()
    signatures.sign("POST", f"{live}/inbox", b"{}", "k", private)  # the key loads once per process
    rounds = 200
    t0 = time.perf_counter()
    for _ in range(rounds):
        signatures.sign("POST", f"{live}/inbox", b"{}", "k", private)
    sign_ms = (time.perf_counter() - t0) / rounds * 1000
    server.shutdown()
    result = {
        "servers": servers,
        "live": live_count,
        "dead": servers - live_count,
        "seconds": round(elapsed, 2),
        "deliveries_per_second": round(live_count / elapsed, 1),
        "sign_ms": round(sign_ms, 2),
        "sent": Delivery.objects.filter(status="sent").count(),
        "retrying": Delivery.objects.filter(status="retrying").count(),
        "received_with_matching_digest": received["ok"],
        "received_bad": received["bad"],
    }
    shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
