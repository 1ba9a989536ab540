"""A served request leaves its database connection open for the next one (SQLite included).

Opening a SQLite connection cost 1.3 ms of CPU (Django registers its SQL functions and runs the
PRAGMAs), more than a day page's queries, and ``CONN_MAX_AGE = 0`` paid it on every request. The
test client never closes connections between requests, so only Django's own WSGI handler, in a
process of its own with the site's settings, shows what a served request does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SERVE_TWICE = """
import json, django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

app = WSGIHandler()
seen = []
for _ in range(2):
    environ = RequestFactory()._base_environ(PATH_INFO="/api/v1/collections", HTTP_HOST="hodie.example")
    statuses = []
    body = app(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()  # where Django sends request_finished, and closes what is not to be kept
    seen.append([statuses[0], id(connection.connection) if connection.connection else None])
print(json.dumps(seen))
"""


def test_a_request_leaves_its_sqlite_connection_to_the_next(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HODIE_", "DJANGO_"))}
    env |= {"HODIE_HOME": str(tmp_path), "HODIE_DATABASE_URL": f"sqlite:///{tmp_path}/site.sqlite3",
            "HODIE_ALLOWED_HOSTS": "hodie.example", "DJANGO_SETTINGS_MODULE": "hodie.site.settings"}  # fmt: skip
    migrated = subprocess.run([sys.executable, "-m", "hodie.cli", "migrate"], env=env, capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr
    done = subprocess.run([sys.executable, "-c", SERVE_TWICE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (first_status, first), (second_status, second) = json.loads(done.stdout.strip().splitlines()[-1])
    assert first_status.startswith("200") and second_status.startswith("200"), (first_status, second_status)
    assert first is not None, "the connection was closed when the request finished"
    assert second == first, "the second request opened a connection of its own"
