"""The digest in chromium: the email as delivered (through the test's SMTP server), rendered at a
phone's width and a desktop's, and the subscription form taking the browser's time zone.
The email's screenshot is kept in docs/screenshots/digest-email.png."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import shoot

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)  # as the other browser tests: Playwright's loop beside the ORM
def test_the_email_reads_well_in_a_browser(browser, smtp_mail) -> None:
    from hodie.almanac.days import build_day
    from hodie.almanac.models import Article, Collection
    from hodie.demo import load_demo

    load_demo()
    demo = Collection.objects.get(slug="russia")
    from hodie.digest.jobs import create_due, deliver
    from hodie.digest.models import Delivery, Subscriber

    day = build_day(demo, 2, 20, on_date=dt.date(2026, 2, 20))
    assert len(day.entries) >= 2, "the demo's 20 February has entries"
    article = Article.objects.create(
        title="Harbin to Moscow: the last journey of an NKVD resident",
        slug="harbin-to-moscow",
        excerpt="Recalled from Harbin in 1938, he was arrested on arrival. The file, opened in 1992, "
        "tells the rest in eleven pages.",
        status="published",
        body="The whole story.",
    )
    article.entries.add(day.entries[0])
    Subscriber.objects.create(email="anna@example.org", name="Anna", collection=demo, time_zone="Europe/Moscow", hour=7)
    now = dt.datetime(2026, 2, 20, 4, 5, tzinfo=dt.UTC)
    create_due(now)
    assert deliver(list(Delivery.objects.values_list("pk", flat=True)), now=now) == 1
    (message,) = smtp_mail.messages()
    html = message.get_body(("html",)).get_content()
    from playwright.sync_api import expect

    for width in (390, 900):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.set_content(html)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
        expect(page.get_by_role("link", name="Unsubscribe")).to_be_visible()
        expect(page.get_by_role("link", name=article.title).first).to_be_visible()
        expect(page.get_by_role("link", name="The whole day on Hodie")).to_be_visible()
        assert page.locator("h1").inner_text() == message["Subject"]
        shoot(page, f"digest-email-{width}")
        page.close()


def test_the_form_offers_the_browsers_time_zone(browser, site) -> None:
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto(f"{site}/russia/digest/")
    field = page.get_by_label("Time zone")
    field.wait_for()
    for _ in range(100):  # polled from here: a predicate evaluated in the page would need 'unsafe-eval'
        if page.input_value("#id_time_zone") == "Asia/Tokyo":
            break
        page.wait_for_timeout(100)
    assert page.input_value("#id_time_zone") == "Asia/Tokyo"
    assert field.input_value() == "Asia/Tokyo"
    from tests.test_reading_browser import serious

    assert serious(page) == [], "axe-core: no serious or critical violation on the form"
    context.close()
