"""The pages a person looks at, in a real browser: Debian's chromium driven by Playwright
(executablePath set; no browser is downloaded). Screenshots go to test-artifacts/."""

import pytest

from tests.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_article_comments_and_posting_one_in_chromium(browser, site, settings) -> None:
    """The article with its comments (the partner's thanks badged), and a reader posting a reply
    through the form as a person would: it waits its turn and shows after moderation."""
    settings.HODIE_COMMENT_MODERATION = "first-time"
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{site}/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/")
    assert page.locator("#comments-heading").inner_text() == "3 comments"
    partner = page.locator("li.comment.badge-partner").first
    assert partner.locator(".p-name").first.inner_text() == "ExecutedToday" and partner.is_visible()
    # The form waits behind "Leave a comment" until the reader asks for it.
    assert not page.locator("#comment-form").is_visible()
    page.locator("summary", has_text="Leave a comment").click()
    assert page.locator("#comment-form").is_visible()
    box = page.locator("#c-phone").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0  # the honeypot is out of sight
    page.get_by_label("Name").fill("Anna Petrovna")
    page.get_by_role("textbox", name="Comment").fill("My grandmother knew the *Harbin* families.")
    page.wait_for_timeout(3200)  # a person takes longer than the form's minimum
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url("**?comment=held&held=*#comments")
    assert page.get_by_role("status").inner_text() == (
        "Thank you: your comment awaits a moderator. It appears here for everyone once it is approved."
    )
    mine = page.locator("li.comment.pending")
    assert mine.locator(".pending-note").is_visible() and "Harbin" in mine.inner_text()
    shoot(page, "article-comments")
    from hodie.social.models import Comment

    held = Comment.objects.get(author_name="Anna Petrovna")
    assert held.status == "pending"
    held.status = "approved"
    held.save()
    page.reload()
    assert page.locator("#comments-heading").inner_text() == "4 comments"
    assert page.locator(f"#comment-{held.pk} em").inner_text() == "Harbin"
