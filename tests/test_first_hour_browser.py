"""The first hour in chromium, as a person meets it: a held comment and a refused one, the day's one
conversation, the 404 and 500 pages in both languages, and the admin's links, each page audited with
axe (no serious or critical violation) and photographed at phone and desktop widths."""

from __future__ import annotations

import pytest

from tests.conftest import shoot
from tests.test_reading_browser import log_in, serious

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_a_held_comment_and_a_refused_one(browser, site, settings) -> None:
    settings.HODIE_COMMENT_MODERATION = "first-time"
    settings.HODIE_COMMENT_RATE_SECONDS = 0
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{site}/russia/february-20/")
    # One conversation: the article box's count points down to it, and the partner's thanks are there.
    assert page.locator(".excerpt .comment-count a").get_attribute("href") == "#comments"
    assert page.locator("section.discussion").count() == 1
    assert page.locator("section.discussion li.comment.badge-partner").count() >= 1
    page.locator("summary", has_text="Leave a comment").click()
    page.get_by_label("Name").fill("Anna Petrovna")
    page.get_by_label("Website (optional)").fill("not a web address")
    page.get_by_role("textbox", name="Comment").fill("My grandmother knew the *Harbin* families.")
    page.wait_for_timeout(3200)
    # The browser's own check would stop a bad URL; a reader whose browser lets it through is answered
    # by the server, so the form is sent as it is.
    page.locator("#comment-form").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Your comment was not posted"
    assert page.locator("#c-body").input_value() == "My grandmother knew the *Harbin* families."
    assert page.locator("#c-name").input_value() == "Anna Petrovna"
    assert page.locator("#err-website").is_visible() and page.locator("#c-website").get_attribute("aria-invalid")
    assert serious(page) == []
    shoot(page, "comment-refused-phone")
    page.locator("#c-website").fill("")
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url("**/russia/february-20/?comment=held&held=*")
    assert "awaits a moderator" in page.get_by_role("status").inner_text()
    mine = page.locator("li.comment.pending")
    assert mine.is_visible() and "Harbin" in mine.inner_text()
    assert serious(page) == []
    shoot(page, "comment-held-phone")
    # Another reader does not see it.
    other = browser.new_page(viewport=DESKTOP)
    other.goto(f"{site}/russia/february-20/")
    assert "Harbin" not in other.locator("section.discussion").inner_text()


@pytest.mark.parametrize(("language", "heading"), [("en", "Page not found"), ("ru", "Страница не найдена")])
def test_the_404_page_in_both_languages(browser, site, language, heading) -> None:
    context = browser.new_context(viewport=PHONE, locale=language, extra_http_headers={"Accept-Language": language})
    page = context.new_page()
    response = page.goto(f"{site}/russia/february-31/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == heading
    page.locator("#pick-month").select_option("2")
    page.locator("#pick-day").select_option("20")
    assert serious(page) == []
    shoot(page, f"not-found-{language}-phone")
    page.locator("form.picker button").click()
    page.wait_for_url("**/russia/february-20/")
    context.close()


def test_the_admin_links_to_the_site_and_the_editors(browser, site, django_user_model) -> None:
    page = log_in(browser, site, django_user_model, "/admin/")
    assert page.locator("#site-name").inner_text() == "Hodie administration"
    page.get_by_role("link", name="Editors' pages").click()
    page.wait_for_url(f"{site}/editors/")
    assert serious(page) == []
    page.get_by_role("link", name="Russian history").click()
    page.wait_for_url(f"{site}/editors/russia/")
    page.get_by_role("link", name="Administration").click()
    page.wait_for_url(f"{site}/admin/")
    page.get_by_role("link", name="The site").click()
    page.wait_for_url(f"{site}/")
