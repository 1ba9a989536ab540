"""The reading site in chromium, each page checked with axe-core (served from the
axe-playwright-python package on this machine): no serious or critical violation. Screenshots go
to test-artifacts/; a set is kept in docs/screenshots/ for the README."""

from __future__ import annotations

import pytest

from tests.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def log_in(browser, site, users, next_path: str):
    """A new page, logged in to the admin as a superuser, on ``next_path``."""
    users.objects.create_superuser("editor", "editor@example.org", "a long test password")
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}{next_path}")
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_day_page_picker_to_29_february(browser, site, scheme) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900}, color_scheme=scheme)
    page.goto(f"{site}/russia/february-20/")
    assert serious(page) == []
    page.get_by_label("Month", exact=True).select_option("2")
    page.get_by_label("Day", exact=True).select_option("29")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url(f"{site}/russia/february-29/")
    assert page.locator("h1").inner_text() == "February 29 in Russian history"
    assert serious(page) == []
    shoot(page, f"february-29-{scheme}")


def test_today_page(browser, site) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{site}/")
    assert page.locator("h1 .today-label").inner_text().startswith("Today")
    assert serious(page) == []


def test_search_in_the_browser(browser, site) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{site}/russia/february-20/")
    page.get_by_role("searchbox", name="Search").fill("Kislov")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url("**/search/?q=Kislov")
    assert page.locator(".hit mark").first.inner_text() == "Kislov"
    assert serious(page) == []
    shoot(page, "search-kislov")
    page.get_by_role("searchbox", name="Search").fill("20 February")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url(f"{site}/russia/february-20/")


def test_article_page(browser, site) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{site}/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/")
    assert serious(page) == []


def test_editors_page_with_coverage_map(browser, site, django_user_model) -> None:
    page = log_in(browser, site, django_user_model, "/editors/russia/")
    assert page.locator("svg.coverage rect").count() == 366
    assert serious(page) == []
    shoot(page, "editors-coverage")
    page.locator('svg.coverage a[href="/russia/february-20/"]').click()
    page.wait_for_url(f"{site}/russia/february-20/")


def test_editors_page_in_russian(browser, site, django_user_model) -> None:
    """An editor whose browser asks for Russian reads the coverage map and the timeline in Russian."""
    page = log_in(browser, site, django_user_model, "/editors/russia/")
    page.context.set_extra_http_headers({"Accept-Language": "ru-RU,ru;q=0.9"})
    page.reload()
    assert "обзор для редакторов" in page.locator("h1").inner_text()
    assert page.locator("svg.coverage text", has_text="фев").count() == 1
    assert "XX в." in page.locator("svg.timeline").inner_html()
    assert serious(page) == []
    shoot(page, "editors-coverage-ru")


def test_widget_script_on_another_page_shows_the_readers_today(browser, site, settings) -> None:
    """The script tag on a foreign page: the reader's clock says 20 February, so the widget lists
    that day's highlights, drawn in a shadow root, with links to our pages."""
    import datetime as dt

    page = browser.new_page()
    page.clock.set_fixed_time(dt.datetime(2026, 2, 20, 12, 0))
    tag = f'<script src="{site}/static/hodie/widget.js" data-collection="russia" data-limit="4"></script>'
    page.set_content(f"<main><p>A museum page.</p>{tag}</main>")
    items = page.locator(".hodie-widget li")
    items.first.wait_for()
    assert 1 <= items.count() <= 4
    texts = items.all_inner_texts()
    assert any("Kosenko" in t for t in texts), texts
    # Links use the site's public address (HODIE_SITE_URL), not the address the test serves from.
    assert page.locator(".hodie-widget a").first.get_attribute("href").startswith(settings.SITE_URL + "/entries/")
    shoot(page, "widget")


def test_day_page_budget(browser, site) -> None:
    """Under 100 KB transferred for a day page with its stylesheet, and not one request to
    another host (nothing third-party can block rendering)."""
    import json
    from urllib.parse import urlsplit

    from tests.conftest import ARTIFACTS

    page = browser.new_page(viewport={"width": 1000, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site}/russia/february-20/", wait_until="load")
    sizes = page.evaluate(
        """() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
              .map(e => ({name: e.name, transfer: e.transferSize, body: e.decodedBodySize}))"""
    )
    total = sum(max(s["transfer"], s["body"]) for s in sizes)
    hosts = {urlsplit(u).hostname for u in requests}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "budget.json").write_text(json.dumps({"bytes": total, "requests": sizes}, indent=1))
    assert hosts == {urlsplit(site).hostname}, hosts
    assert total < 100_000, sizes


def test_admin_adds_a_julian_entry_and_finds_it_on_its_new_style_day(browser, site, django_user_model) -> None:
    """6 October 1812 typed in Russian history is Old Style: the form reads it back before saving,
    and the entry is filed on 18 October, dual-dated."""
    page = log_in(browser, site, django_user_model, "/admin/almanac/entry/add/")
    page.locator("#id_title").fill("Battle of Tarutino")
    page.locator("#id_in_collections").select_option(label="Russian history")
    page.locator("#id_date_text").fill("6 October 1812")
    page.locator("#id_date_text").blur()
    preview = page.locator(".hodie-date-preview")
    preview.wait_for()
    page.wait_for_function("document.querySelector('.hodie-date-preview').textContent.includes('18 October')")
    shoot(page, "admin-julian-entry")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/almanac/entry/")
    page.goto(f"{site}/russia/october-18/")
    line = page.locator("li.entry", has_text="Battle of Tarutino")
    assert "18 October [O.S. 6 October] 1812" in line.inner_text()
    assert serious(page) == []


def test_russian_interface_in_chromium(browser, site) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900}, locale="ru-RU")
    page.goto(f"{site}/russia/february-20/")  # the browser asks for Russian (Accept-Language)
    assert page.get_by_role("button", name="Поиск").is_visible()
    assert page.get_by_role("link", name="следующий день →").is_visible()
    assert serious(page) == []
    page.get_by_label("Язык").select_option("en")
    page.get_by_role("button", name="Сменить").click()
    page.wait_for_url(f"{site}/russia/february-20/")
    assert page.get_by_role("link", name="next day →").is_visible()
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Change").click()
    page.goto(f"{site}/about/dates/")
    assert page.locator("h1").inner_text() == "Старый и новый стиль"
    shoot(page, "about-dates-ru")
