"""The pages a person looks at, in a real browser: Debian's chromium driven by Playwright
(executablePath set; no browser is downloaded). Screenshots go to test-artifacts/."""

import os
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


@pytest.fixture
def site(transactional_db, live_server):
    from hodie.almanac.demo import load_demo

    load_demo()
    return live_server.url


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_february_20_page_in_chromium(browser, site) -> None:
    """The model page renders with its stylesheet, its article excerpt and working day links."""
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    response = page.goto(f"{site}/russia/february-20/")
    assert response is not None and response.status == 200
    assert page.title() == "February 20 in Russian history — Hodie"
    heading = page.locator("h1")
    assert heading.inner_text() == "February 20 in Russian history"
    # The stylesheet loaded: the serif body font and the excerpt's accent border are applied.
    assert "serif" in page.evaluate("getComputedStyle(document.body).fontFamily")
    border = page.evaluate("getComputedStyle(document.querySelector('.excerpt')).borderLeftStyle")
    assert border == "solid"
    link = page.get_by_role("link", name="Read the full article at ExecutedToday.com →")
    assert link.is_visible()
    assert link.get_attribute("href").startswith("https://www.executedtoday.com/2008/02/20/")
    assert page.get_by_text("1939: ").first.is_visible()
    assert shoot(page, "february-20").stat().st_size > 10_000
    page.get_by_role("link", name="next day →").click()
    page.wait_for_url(f"{site}/russia/february-21/")
    assert page.locator("h1").inner_text() == "February 21 in Russian history"


def test_dual_dates_and_phone_width(browser, site) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site}/russia/september-7/")
    assert page.locator("li.entry .dual", has_text="7 September [O.S. 26 August] 1812").is_visible()
    # Nothing overflows a phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "september-7-phone")
