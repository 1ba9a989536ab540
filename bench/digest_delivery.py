"""The daily digest to N subscribers (10,000 by default) through a real SMTP server (aiosmtpd on
127.0.0.1, in this process), with the database job queue: `queue_due` writes the send records and
queues one job per HODIE_DIGEST_BATCH, then `db_worker` (what `hodie worker` runs) sends them.

    python -m bench.digest_delivery [N] [BATCH]

Prints one JSON line: the times, the server's count of accepted messages, its connections, and the
send records by status. Uses its own SQLite file unless HODIE_DATABASE_URL is set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    batch = sys.argv[2] if len(sys.argv) > 2 else "100"
    # The SMTP server runs in a process of its own, as a real one would: in this one it would
    # share the sender's interpreter lock.
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.digest.smtpserver"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None and server.stdin is not None
    port = json.loads(server.stdout.readline())["port"]
    home = tempfile.mkdtemp(prefix="hodie-digest-bench-")
    os.environ.update(
        {
            "HODIE_HOME": home,
            "HODIE_EMAIL_URL": f"smtp://127.0.0.1:{port}?timeout=60",
            "HODIE_DIGEST_BATCH": batch,
            "HODIE_TASKS_BACKEND": "database",
            "DJANGO_SETTINGS_MODULE": "hodie.site.settings",
        }
    )
    os.environ.setdefault("HODIE_DATABASE_URL", f"sqlite:///{home}/bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from hodie.digest.jobs import queue_due
    from hodie.digest.models import Delivery
    from tests.digest.data import add_subscribers, make_russia

    call_command("migrate", verbosity=0)
    add_subscribers(make_russia(), count, zone="UTC", hour=0)

    started = time.perf_counter()
    queued = queue_due()
    recorded = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    finished = time.perf_counter()
    statuses = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by("status"))
    counts, _ = server.communicate("stop\n", timeout=60)
    received = json.loads(counts.strip().splitlines()[-1])
    result = {
        "subscribers": count,
        "batch": int(batch),
        "database": connection.vendor,
        "queued": queued,
        "queue_seconds": round(recorded - started, 2),
        "send_seconds": round(finished - recorded, 2),
        "total_seconds": round(finished - started, 2),
        "per_second": round(count / (finished - started), 1),
        "server_accepted": received["accepted"],
        "server_recipients": received["recipients"],
        "connections": received["connections"],
        "statuses": statuses,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
