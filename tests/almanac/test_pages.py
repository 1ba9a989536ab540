"""Day pages and the other public pages, on the demo content."""

import calendar

import pytest

from hodie.almanac.days import ALL_DAYS, day_slug
from hodie.dates.names import EN_MONTHS

pytestmark = pytest.mark.django_db


def test_february_20_page(client, demo) -> None:
    """The model page: title, the co-written article as an excerpt with its link, the entry."""
    response = client.get("/russia/february-20/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>February 20 in Russian history — Hodie</title>" in html
    assert "1939: Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy" in html
    assert "Read the full article" in html
    assert 'href="https://www.executedtoday.com/2008/02/20/' in html
    assert "Written together with" in html and "ExecutedToday.com" in html
    # The article comes before the lists.
    assert html.index("Read the full article") < html.index("<h2>Deaths</h2>")
    # People are linked.
    assert 'href="/people/georgy-nikolayevich-kosenko/"' in html


def test_all_366_days_render_with_their_titles(client, demo) -> None:
    assert len(ALL_DAYS) == 366
    for month in range(1, 13):
        days_in_month = calendar.monthrange(2000, month)[1]
        for day in range(1, days_in_month + 1):
            response = client.get(f"/russia/{EN_MONTHS[month - 1].lower()}-{day}/")
            assert response.status_code == 200, (month, day)
            assert f"{EN_MONTHS[month - 1]} {day} in Russian history".encode() in response.content


@pytest.mark.parametrize("slug", ["february-30", "april-31", "smarch-1", "february-0", "february-020", "13-01"])
def test_impossible_days_are_404(client, demo, slug) -> None:
    assert client.get(f"/russia/{slug}/").status_code == 404


def test_unknown_collection_is_404(client, demo) -> None:
    assert client.get("/nowhere/february-20/").status_code == 404


def test_julian_entry_is_on_its_new_style_day_with_dual_date(client, demo) -> None:
    """Borodino (26 August 1812 O.S.) is on 7 September, written both ways."""
    html = client.get("/russia/september-7/").content.decode()
    assert "1812: " in html and "Battle of Borodino" in html
    assert "7 September [O.S. 26 August] 1812" in html
    assert "Battle of Borodino" not in client.get("/russia/august-26/").content.decode()
    assert "Battle of Borodino" in client.get("/russia/august-26/?calendar=julian").content.decode()
    assert "Battle of Borodino" in client.get("/russia/september-8/?calendar=observance").content.decode()


def test_pre_reform_julian_date_keeps_its_label(client, demo) -> None:
    """Battle on the Ice, 5 April 1242, is on April 5 (not on its proleptic Gregorian 12 April)."""
    assert "Battle on the Ice" in client.get("/russia/april-5/").content.decode()
    assert "Battle on the Ice" not in client.get("/russia/april-12/").content.decode()


def test_year_and_month_precision_entries_are_on_no_day_page(client, demo) -> None:
    from hodie.almanac.models import Entry

    for title in ("Moscow first mentioned", "The Bolsheviks plan the rising"):
        entry = Entry.objects.get(title=title)
        assert entry.standard_key is None
        assert entry.membership_set.get().day_key is None


def test_sections_and_navigation(client, demo) -> None:
    html = client.get("/russia/january-1/").content.decode()
    assert 'href="/russia/december-31/"' in html and 'href="/russia/january-2/"' in html
    html = client.get("/russia/february-28/").content.decode()
    assert 'href="/russia/february-29/"' in html
    html = client.get("/russia/may-9/").content.decode()
    assert "<h2>Events</h2>" in html and "<h2>Holidays</h2>" in html
    assert "Victory Day" in html
    # The same day in another collection.
    assert 'href="/space/may-9/"' in html


def test_home_is_todays_page(client, demo, settings) -> None:
    from hodie.almanac.days import today

    date = today()
    html = client.get("/").content.decode()
    assert f"{EN_MONTHS[date.month - 1]} {date.day} in Russian history" in html
    assert "Today:" in html


def test_leap_day_entries_show_on_february_28_today_in_common_years(demo) -> None:
    import datetime as dt

    from hodie.almanac.days import build_day
    from hodie.almanac.models import Entry

    entry = Entry(title="A leap-day event", date_text="29 February 1940")
    entry.set_date("29 February 1940", region="ru")
    entry.save()
    entry.join([demo])
    common = build_day(demo, 2, 28, on_date=dt.date(2027, 2, 28))
    leap = build_day(demo, 2, 28, on_date=dt.date(2028, 2, 28))
    plain = build_day(demo, 2, 28)
    assert entry in common.entries
    assert entry not in leap.entries and entry not in plain.entries
    assert entry in build_day(demo, 2, 29).entries


def test_entry_person_tag_place_article_and_calendar_pages(client, demo) -> None:
    from hodie.almanac.models import Article, Entry, Person

    entry = Entry.objects.get(title="Battle of Borodino")
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "7 September [O.S. 26 August] 1812" in html and "1812-08-26 (Julian)" in html
    person = Person.objects.get(name="Georgy Nikolayevich Kosenko")
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Kislov" in html and "NKVD spy" in html
    assert client.get("/tags/space/").status_code == 200
    assert client.get("/places/moscow/").status_code == 200
    article = Article.objects.get()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Read the full article" in html and "Headsman" in html
    html = client.get("/russia/").content.decode()
    assert 'href="/russia/february-29/"' in html and "of 366 days have none yet" in html


def test_markdown_is_sanitised(client, demo) -> None:
    from hodie.almanac.models import Entry

    entry = Entry.objects.get(title="Battle of Borodino")
    entry.body = "<script>alert(1)</script> [x](javascript:alert(2)) **bold**"
    entry.save()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "<strong>bold</strong>" in html


def test_day_slug_round_trip() -> None:
    from hodie.almanac.days import parse_day_slug

    for month, day in ALL_DAYS:
        assert parse_day_slug(day_slug(month, day)) == (month, day)


def test_head_is_answered_like_get(client, demo) -> None:
    """Crawlers and monitors send HEAD: public pages answer it, and refuse POST."""
    assert client.head("/russia/february-20/").status_code == 200
    assert client.head("/api/rest_v1/feed/onthisday/all/02/20").status_code == 200
    assert client.post("/russia/february-20/").status_code == 405


def test_picker_goes_to_any_day_29_february_included(client, demo) -> None:
    response = client.get("/go/", {"collection": "russia", "month": "2", "day": "29"})
    assert response.status_code == 302 and response["Location"] == "/russia/february-29/"
    bad = client.get("/go/", {"collection": "russia", "month": "2", "day": "30"})
    assert bad.status_code == 400 and "No such day" in bad.content.decode()
    assert client.get("/go/", {"month": "x", "day": "1"}).status_code == 400


def test_random_day_and_entry_land_on_real_pages(client, demo) -> None:
    from hodie.almanac.models import Membership

    keys = set(Membership.objects.filter(collection=demo).exclude(day_key=None).values_list("day_key", flat=True))
    for _ in range(5):
        location = client.get("/russia/random/")["Location"]
        assert client.get(location).status_code == 200
        month_name, day = location.strip("/").split("/")[1].split("-")
        from hodie.dates.names import EN_MONTHS

        assert (EN_MONTHS.index(month_name.capitalize()) + 1) * 100 + int(day) in keys
    entry = client.get("/russia/random-entry/")
    assert entry.status_code == 302 and entry["Location"].startswith("/entries/")
    assert client.get(entry["Location"]).status_code == 200


def test_widget_iframe_may_be_framed_and_names_the_day(client, demo) -> None:
    response = client.get("/widget/russia/", {"date": "02-20", "limit": "3"})
    assert response.status_code == 200
    assert "X-Frame-Options" not in response and "frame-ancestors *" in response["Content-Security-Policy"]
    assert response["Access-Control-Allow-Origin"] == "*" and "max-age=3600" in response["Cache-Control"]
    html = response.content.decode()
    assert "February 20 in Russian history" in html and html.count("<li>") <= 3
    assert 'target="_top"' in html
    assert client.get("/widget/russia/", {"date": "02-30"}).status_code == 400
    assert client.get("/russia/february-20/")["X-Frame-Options"] == "DENY"  # other pages still refuse framing


def test_share_links_are_plain_links(client, demo) -> None:
    html = client.get("/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/").content.decode()
    assert 'href="https://bsky.app/intent/compose?text=1939%3A%20Georgy' in html
    assert "<script" not in html.split('class="share"')[1].split("</p>")[0]


def test_reader_chooses_old_style_first_and_it_is_remembered(client, demo) -> None:
    page = client.get("/russia/september-7/").content.decode()
    assert "7 September [O.S. 26 August] 1812" in page
    response = client.post("/about/dates/order/", {"order": "os", "next": "/russia/september-7/"})
    assert response.status_code == 302 and response["Location"] == "/russia/september-7/"
    assert "26 August [N.S. 7 September] 1812" in client.get("/russia/september-7/").content.decode()
    assert client.post("/about/dates/order/", {"order": "sideways"}).status_code == 400
    away = client.post("/about/dates/order/", {"order": "ns", "next": "https://evil.example/"})
    assert away["Location"] == "/about/dates/"
    assert "7 September [O.S. 26 August] 1812" in client.get("/russia/september-7/").content.decode()
    assert "Old Style and New Style" in client.get("/about/dates/").content.decode()


def test_public_pages_carry_a_content_security_policy(client, demo) -> None:
    for path in (
        "/russia/february-20/",
        "/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/",
        "/search/?q=x",
    ):
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert "Content-Security-Policy" not in client.get("/api/rest_v1/feed/onthisday/all/02/20")


def test_tag_person_and_place_pages_come_a_page_at_a_time(client, demo, monkeypatch) -> None:
    """Issue 19, finding 2: a tag's page listed every one of its entries, at any collection size.
    Its pages now follow each other by cursor (keyset): "next" to the end sees each entry once,
    and "previous" from the last page walks back through the same addresses."""
    import re

    from hodie.almanac import views
    from hodie.almanac.models import Tag

    tag = max(Tag.objects.all(), key=lambda t: t.entries.count())
    total = tag.entries.count()
    assert total >= 3
    monkeypatch.setattr(views, "LISTING_PER_PAGE", 2)

    def links(html: str) -> dict[str, str]:
        found = re.findall(r'<a rel="(prev|next)" href="([^"]+)"', html)
        return {rel: href.replace("&amp;", "&") for rel, href in found}

    seen: list[str] = []
    addresses = [tag.get_absolute_url()]
    while True:
        html = client.get(addresses[-1]).content.decode()
        shown = re.findall(r'<li class="entry h-event" id="(entry-\d+)"', html)
        assert 0 < len(shown) <= 2
        seen += shown
        following = links(html).get("next")
        if following is None:
            break
        addresses.append(f"{tag.get_absolute_url()}{following}")
    assert len(seen) == total and len(set(seen)) == total
    assert len(addresses) == -(-total // 2)
    # Back from the last page, each "previous" is the address "next" led to.
    for back in range(len(addresses) - 1, 0, -1):
        html = client.get(addresses[back]).content.decode()
        assert links(html)["prev"] == addresses[back - 1]
    assert "prev" not in links(client.get(addresses[0]).content.decode())
