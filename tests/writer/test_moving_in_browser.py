"""A moved-in blog post in chromium: its old address leads to it, and its day page shows it (the
screenshots in docs/screenshots/moved-in-*.png come from this test's test-artifacts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hodie.cli import main
from tests.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURE = Path(__file__).parent.parent / "fixtures" / "dayposts-blogger.xml"


def test_old_address_and_day_page_of_a_moved_in_post(browser, site) -> None:
    imported = CliRunner().invoke(main, ["import", "blogger", str(FIXTURE), "--collection", "russia"])
    assert imported.exit_code == 0, imported.output
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    response = page.goto(f"{site}/2008/02/february-20-in-russian-history.html?m=1")
    assert response is not None and response.status == 200
    assert page.url == f"{site}/articles/february-20-in-russian-history/"
    assert page.locator("h1").inner_text() == "February 20 in Russian history"
    assert "Both entries are already the top search hits!" in page.content()  # its comment came along
    assert shoot(page, "moved-in-post").stat().st_size > 10_000
    page.goto(f"{site}/russia/february-20/")
    text = page.locator("main").inner_text()
    for shown in ("Georgy Kosenko, NKVD spy", "Peter orders the new year counted from January",
                  "February 20 in Russian history", "Three things happened on this day."):  # fmt: skip
        assert shown in text, shown
    assert shoot(page, "moved-in-day").stat().st_size > 10_000
