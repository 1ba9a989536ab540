"""Production settings: `hodie manage check --deploy` passes at the warning level, and an https://
site URL makes HTTP redirect to HTTPS, cookies secure-only and HSTS sent (SECURITY.md §7, figure 5).
Each case runs in its own process, because settings are read from the environment at start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PRODUCTION = {
    "HODIE_SITE_URL": "https://hodie.example",
    "HODIE_ALLOWED_HOSTS": "hodie.example",
    "HODIE_SECRET_KEY": "k3J9-vQ2_xR7pL0wZ5mN8bT1cY4hG6fD2sA9eU3iO7qW0rE5tK1",
    "HODIE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "HODIE_HSTS_SECONDS": "31536000",
    "HODIE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "HODIE_HSTS_PRELOAD": "true",
    "HODIE_DEBUG": "false",
}


def _run(home: Path, settings: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # A production process: none of the test run's own settings (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HODIE_", "DJANGO_"))}
    env |= {"HODIE_HOME": str(home), "HODIE_DATABASE_URL": f"sqlite:///{home}/deploy.sqlite3", **settings}
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_deploy_check_passes_with_production_settings(tmp_path: Path) -> None:
    done = _run(tmp_path, PRODUCTION, "-m", "hodie.cli", "manage", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_deploy_check_is_live(tmp_path: Path) -> None:
    """The same check without HSTS fails, naming it: the test above can fail."""
    settings = {**PRODUCTION, "HODIE_HSTS_SECONDS": "0"}
    done = _run(tmp_path, settings, "-m", "hodie.cli", "manage", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0 and "security.W004" in done.stdout + done.stderr


PROBE = """
import json, django
django.setup()
from django.test import Client
from django.conf import settings
c = Client(HTTP_HOST="hodie.example")
plain = c.get("/robots.txt")
proxied = c.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location")],
    "proxied": [proxied.status_code, proxied.headers.get("Strict-Transport-Security")],
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def _probe(home: Path, settings: dict[str, str]) -> dict[str, list[object]]:
    migrate = _run(home, settings, "-m", "hodie.cli", "migrate")
    assert migrate.returncode == 0, migrate.stderr
    done = _run(home, {**settings, "DJANGO_SETTINGS_MODULE": "hodie.site.settings"}, "-c", PROBE)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_https_site_redirects_plain_http_and_sends_hsts_through_the_proxy(tmp_path: Path) -> None:
    seen = _probe(tmp_path, PRODUCTION)
    assert seen["plain"] == [301, "https://hodie.example/robots.txt"]
    assert seen["proxied"] == [200, "max-age=31536000; includeSubDomains; preload"]
    assert seen["cookies"] == [True, True]


def test_the_local_demo_stays_plain_http(tmp_path: Path) -> None:
    """`make run` serves http://127.0.0.1:8000: no redirect, cookies usable over HTTP."""
    local = {"HODIE_ALLOWED_HOSTS": "hodie.example"}
    seen = _probe(tmp_path, local)
    assert seen["plain"] == [200, None]
    assert seen["cookies"] == [False, False]
