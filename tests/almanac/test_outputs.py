"""Feeds, calendars, sitemaps, robots.txt and the discovery links pages carry."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re

import feedparser
import pytest
from icalendar import Calendar

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feed.rss", "/feed.atom", "/feed.json",
    "/russia/feed.rss", "/russia/feed.atom", "/russia/feed.json",
    "/russia/today.rss", "/russia/today.atom", "/russia/today.json",
    "/tags/nkvd/feed.rss", "/tags/nkvd/feed.atom", "/tags/nkvd/feed.json",
    "/people/{kosenko}/feed.rss", "/people/{kosenko}/feed.atom", "/people/{kosenko}/feed.json",
]  # fmt: skip


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_parses_without_bozo(demo, client, url):
    from hodie.almanac.models import Person

    response = client.get(url.format(kosenko=Person.objects.get(name__contains="Kosenko").slug))
    assert response.status_code == 200
    if url.endswith(".json"):
        document = json.loads(response.content)
        assert response["Content-Type"].startswith("application/feed+json")
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["items"] and all({"id", "url", "content_html"} <= set(i) for i in document["items"])
        return
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries


def test_today_feed_one_item_per_day_no_gaps_no_future(demo, client, settings):
    from hodie.almanac import days

    document = json.loads(client.get("/russia/today.json").content)
    dates = [dt.date.fromisoformat(item["id"].rsplit("/", 1)[1]) for item in document["items"]]
    today = days.today()
    assert dates[0] == today
    assert all(a - b == dt.timedelta(days=1) for a, b in itertools.pairwise(dates))
    assert len(dates) == len(set(dates)) == 30
    assert max(dates) <= today


def test_site_feed_has_the_kosenko_article_with_read_more(demo, client):
    parsed = feedparser.parse(client.get("/feed.atom").content)
    (entry,) = [e for e in parsed.entries if "Kosenko" in e.title]
    assert "Read the full article" in entry.summary


def test_collection_calendar_opens_in_icalendar(demo, client):
    response = client.get("/russia.ics?from=2026&to=2027")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    kosenko = next(e for name, e in events.items() if "Kosenko" in name)
    assert kosenko["dtstart"].dt == dt.date(2026, 2, 20)
    assert kosenko["rrule"]["FREQ"] == ["YEARLY"]


def test_julian_labels_drift_across_2100_and_are_computed(db, client):
    from hodie.almanac.models import Collection, Entry

    ru = Collection.objects.create(slug="os", title="Old Style", region="ru", anniversary_policy="julian")
    entry = Entry(title="October Revolution")
    entry.set_date("25 October 1917", region="ru")
    entry.save()
    entry.join([ru])
    calendar = Calendar.from_ical(client.get("/os.ics?from=2099&to=2101").content)
    (event,) = calendar.walk("VEVENT")
    dates = [event["dtstart"].dt] + [d.dt for rdate in [event["rdate"]] for d in rdate.dts]
    # 25 October O.S. is 7 November N.S. until February 2100, then 8 November
    assert dates == [dt.date(2099, 11, 7), dt.date(2100, 11, 8), dt.date(2101, 11, 8)]
    assert "rrule" not in event


def test_leap_day_entries_get_computed_dates(db, client):
    from hodie.almanac.models import Collection, Entry

    world = Collection.objects.create(slug="w", title="World")
    entry = Entry(title="Leap day event")
    entry.set_date("29 February 1960")
    entry.save()
    entry.join([world])
    (event,) = Calendar.from_ical(client.get("/w.ics?from=2027&to=2028").content).walk("VEVENT")
    assert [event["dtstart"].dt, *[d.dt for d in event["rdate"].dts]] == [dt.date(2027, 2, 28), dt.date(2028, 2, 29)]


def test_bad_calendar_years_are_404(demo, client):
    assert client.get("/russia.ics?from=abc").status_code == 404
    assert client.get("/russia.ics?from=2000&to=2500").status_code == 404


def test_sitemap_urlset_and_index(demo, client, monkeypatch):
    body = client.get("/sitemap.xml").content.decode()
    assert body.count("<url>") > 366 and "/russia/february-20/" in body and "<urlset" in body
    from hodie.almanac import outputs

    monkeypatch.setattr(outputs, "SITEMAP_LIMIT", 100)
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index
    locations = re.findall(r"<loc>([^<]+)</loc>", index)
    assert any(loc.endswith("/sitemaps/days-1.xml") for loc in locations)
    part = client.get("/sitemaps/days-2.xml").content.decode()
    assert part.count("<url>") == 100
    assert client.get("/sitemaps/days-99.xml").status_code == 404


def test_robots(demo, client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body and re.search(r"^Sitemap: https?://\S+/sitemap\.xml$", body, re.M)


def test_pages_link_their_feeds_and_calendars(demo, client):
    html = client.get("/russia/february-20/").content.decode()
    types = set(re.findall(r'<link rel="alternate" type="([^"]+)"', html))
    assert types == {"application/rss+xml", "application/atom+xml", "application/feed+json", "text/calendar"}
    assert 'href="/russia/today.rss"' in html and 'href="/russia.ics"' in html
    assert '<meta property="og:title"' in html


def test_json_ld_on_entry_article_person(demo, client):
    from hodie.almanac.models import Article, Entry

    def ld(url):
        html = client.get(url).content.decode()
        (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        return json.loads(block)

    entry = Entry.objects.get(title__contains="Kosenko")
    event = ld(entry.get_absolute_url())
    assert (event["@type"], event["startDate"]) == ("Event", "1939-02-20")
    borodino = Entry.objects.get(title="Battle of Borodino")
    assert ld(borodino.get_absolute_url())["startDate"] == "1812-09-07"  # 26 August O.S. in ISO (Gregorian)
    article = Article.objects.get(title__contains="Kosenko")
    data = ld(article.get_absolute_url())
    assert data["@type"] == "Article" and data["isBasedOn"].startswith("https://")
    person = ld(entry.people.get().get_absolute_url())
    assert person["@type"] == "Person" and "Kislov" in " ".join(person["alternateName"])
