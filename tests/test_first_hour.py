"""The first hour's rough edges, each checked where a person meets it: the admin's name and links,
the favicon, the calendar's weeks, the visible subscriptions, the same person in the article box and
in the list, and dates in the reader's language."""

import datetime as dt
import re

import pytest

from .conftest import shoot

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    client.force_login(user)
    return user


def test_favicon_is_an_icon_on_every_host_path(client) -> None:
    """/favicon.ico, asked for by browsers on admin pages, is a real ICO file, not a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header: reserved 0, type 1


def test_admin_carries_hodies_name_and_links_to_the_site_and_the_editors(client, editor, demo) -> None:
    page = client.get("/admin/").content.decode()
    assert "Hodie administration" in page and "Django administration" not in page
    assert 'href="/"' in page and 'href="/editors/"' in page
    # The demo's two collections are listed; each editors' page links back to the admin.
    listed = client.get("/editors/").content.decode()
    assert 'href="/editors/russia/"' in listed and 'href="/editors/space/"' in listed
    assert 'href="/admin/"' in client.get("/editors/russia/").content.decode()


def test_editors_index_goes_straight_to_a_lone_collection(client, editor, demo) -> None:
    from hodie.almanac.models import Collection

    Collection.objects.exclude(slug="russia").delete()
    assert client.get("/editors/").url == "/editors/russia/"


def test_editors_index_is_for_staff_only(client, demo) -> None:
    assert client.get("/editors/").status_code == 302  # to the admin's login


def test_calendar_weeks_start_on_this_years_weekday_and_today_is_marked(client, demo, monkeypatch) -> None:
    """30 November 2026: 1 January 2026 was a Thursday, so January's grid opens with three blank days
    (Monday to Wednesday); 1 February 2026 was a Sunday: six blanks."""
    from hodie.almanac import days

    monkeypatch.setattr(days, "today", lambda: dt.date(2026, 11, 30))
    page = client.get("/russia/").content.decode()
    grids = re.findall(r'<ol class="days">(.*?)</ol>', page, re.S)
    assert len(grids) == 12
    assert [grid.count('class="blank"') for grid in grids[:2]] == [3, 6]
    assert grids[0].count('class="weekday"') == 7
    today = re.findall(r'<li class="[^"]*today"><a href="([^"]+)"[^>]*aria-current="date"', page)
    assert today == ["/russia/november-30/"]


def test_feeds_and_calendars_are_offered_in_the_page_body(client, demo) -> None:
    page = client.get("/russia/february-20/").content.decode()
    body = page.split("<body>", 1)[1]
    section = re.search(r'<section class="subscribe".*?</section>', body, re.S)
    assert section is not None
    links = re.findall(r'href="([^"]+)"', section.group(0))
    assert "/russia/today.atom" in links and "/russia.ics" in links and "/widget/russia/" in links


def test_the_entry_told_in_the_article_box_says_so(client, demo) -> None:
    """Kosenko is both the article and a line under Deaths: the line points to the article above."""
    page = client.get("/russia/february-20/").content.decode()
    anchor = re.search(r'<article class="excerpt h-entry" id="(article-\d+)">', page)
    assert anchor is not None
    line = re.search(r'<li class="entry h-event" id="entry-\d+">.*?Kosenko.*?</li>', page, re.S)
    assert line is not None and f'href="#{anchor.group(1)}"' in line.group(0)
    assert "told in the article above" in line.group(0)
    # Entries no article tells carry no such note.
    assert page.count("told in the article above") == 1


def test_publication_dates_follow_the_interface_language(client, demo) -> None:
    from hodie.almanac.models import Article

    article = Article.objects.get()
    path = article.get_absolute_url()
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian = client.get(path, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    month_en = article.publish_at.strftime("%B")
    assert month_en in re.search(r'<time class="dt-published"[^>]*>([^<]+)</time>', english).group(1)
    shown_ru = re.search(r'<time class="dt-published"[^>]*>([^<]+)</time>', russian).group(1)
    assert month_en not in shown_ru and re.search("[а-я]", shown_ru)


def test_the_checks_above_can_fail(client, demo) -> None:
    """The page-body check finds nothing in a page that only has <head> links."""
    body = '<head><link rel="alternate" href="/russia.ics"></head><body><main></main></body>'
    assert re.search(r'<section class="subscribe".*?</section>', body.split("<body>", 1)[1], re.S) is None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_day_page_on_a_phone_keeps_its_controls_on_one_line(browser, site) -> None:
    """At 390 px: the arrows keep their words, tags never break mid-word, the search button stays
    beside its box and the placeholder is read whole."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site}/russia/february-20/")
    for rel in ("prev", "next"):
        rects = page.locator(f".daynav a[rel={rel}]").evaluate("a => a.getClientRects().length")
        assert rects == 1, f"the {rel} link wraps"
    for tag in page.locator(".meta a").all():
        assert tag.evaluate("a => a.getClientRects().length") == 1, tag.inner_text()
    box = page.locator(".masthead .search input").bounding_box()
    button = page.locator(".masthead .search button").bounding_box()
    assert box and button and abs(box["y"] - button["y"]) < 8
    fits = page.locator(".masthead .search input").evaluate(
        """input => { const c = document.createElement('canvas').getContext('2d');
        c.font = getComputedStyle(input).font;
        return c.measureText(input.placeholder).width <= input.clientWidth; }"""
    )
    assert fits, "the search placeholder is cut off"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.locator("#comment-form").is_visible()
    shoot(page, "first-hour-day-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_entry_form_fits_a_desktop_window(browser, site, django_user_model) -> None:
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    from hodie.almanac.models import Entry

    entry = Entry.objects.filter(sources__isnull=True).order_by("pk").first()
    page.goto(f"{site}/admin/almanac/entry/{entry.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    title = page.locator("#id_title").bounding_box()
    assert title and title["width"] >= 500
    assert page.locator("#site-name").inner_text() == "Hodie administration"
    shoot(page, "first-hour-admin-entry")


def test_help_texts_keep_their_placeholders(client, editor) -> None:
    """Help texts are HTML in the admin: a placeholder written as <title> vanished as an unknown tag."""
    page = client.get("/admin/almanac/collection/add/").content.decode()
    assert "February 20 in ‹title›" in page and "/‹slug›/february-20/" in page
    assert "written together with ‹partner›" in client.get("/admin/almanac/article/add/").content.decode()
