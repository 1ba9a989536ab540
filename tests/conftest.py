import os
import shutil
from pathlib import Path

import pytest


@pytest.fixture
def demo(db):
    """The demo content, loaded through the real importer."""
    from hodie.almanac.demo import load_demo

    load_demo()
    from hodie.almanac.models import Collection

    return Collection.objects.get(slug="russia")


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("HODIE_REQUIRE_BROWSER"):
            pytest.fail("HODIE_REQUIRE_BROWSER is set but Debian's chromium is not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def site(transactional_db, live_server):
    from hodie.almanac.demo import load_demo

    load_demo()
    return live_server.url
