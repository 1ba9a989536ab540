"""The newcomer's path: a clean clone, `make run PORT=…` on a port other than 8000, and every absolute
URL the site hands out (canonical links, sitemap, feeds, both APIs, the widget) naming that port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
PAGES = [
    "/russia/february-20/", "/sitemap.xml", "/russia/feed.atom", "/russia/today.rss", "/api/v1/entries",
    "/api/rest_v1/feed/onthisday/all/02/20", "/widget/russia/", "/russia/",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def absolute_urls(text: str) -> list[str]:
    return re.findall(r"https?://(?:127\.0\.0\.1|localhost)(?::\d+)?[^\s\"'<>]*", text)


def test_the_url_check_rejects_a_link_to_the_default_port() -> None:
    page = '<link rel="canonical" href="http://127.0.0.1:8000/russia/february-20/">'
    assert [u for u in absolute_urls(page) if not u.startswith("http://127.0.0.1:8101/")] != []


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout to clone")
def test_make_run_on_another_port_from_a_clean_clone(tmp_path: Path) -> None:
    clone = tmp_path / "hodie"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HODIE_", "DJANGO_", "VIRTUAL_ENV"))}
    log = (tmp_path / "make-run.log").open("w")
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"], cwd=clone, env=env, start_new_session=True, stdout=log, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # a clean clone installs its own .venv first
        while time.monotonic() < deadline:
            try:
                _get(f"{base}/robots.txt")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "make-run.log").read_text()[-3000:]
                time.sleep(1)
        else:
            pytest.fail("make run did not answer within 10 minutes")
        found = []
        for path in PAGES:
            found += absolute_urls(_get(f"{base}{path}"))
        sections = [u for u in found if "/sitemaps/" in u]  # an index names its sections on a big site
        for section in sections:
            found += absolute_urls(_get(section))
        assert len(found) > 50
        wrong = sorted({u for u in found if not u.startswith(f"{base}/")})
        assert wrong == [], f"links that do not name the served address: {wrong[:10]}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)  # reaped, so no process outlives the test
        log.close()
