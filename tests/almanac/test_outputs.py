"""Feeds, calendars, sitemaps, robots.txt and the discovery links pages carry."""

from __future__ import annotations

import calendar
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
    calendar = Calendar.from_ical(response.getvalue())
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
    calendar = Calendar.from_ical(client.get("/os.ics?from=2099&to=2101").getvalue())
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
    (event,) = Calendar.from_ical(client.get("/w.ics?from=2027&to=2028").getvalue()).walk("VEVENT")
    assert [event["dtstart"].dt, *[d.dt for d in event["rdate"].dts]] == [dt.date(2027, 2, 28), dt.date(2028, 2, 29)]


def test_bad_calendar_years_are_404(demo, client):
    assert client.get("/russia.ics?from=abc").status_code == 404
    assert client.get("/russia.ics?from=2000&to=2500").status_code == 404


def test_sitemap_urlset_and_index(demo, client, monkeypatch):
    body = client.get("/sitemap.xml").content.decode()
    assert body.count("<url>") > 300 and "/russia/february-20/" in body and "<urlset" in body
    from hodie.almanac import sitemaps

    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", 40)
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index
    locations = re.findall(r"<loc>([^<]+)</loc>", index)
    assert any(loc.endswith("/sitemaps/days-1.xml") for loc in locations)
    part = client.get("/sitemaps/days-2.xml").content.decode()
    assert part.count("<url>") == 40
    assert client.get("/sitemaps/days-99.xml").status_code == 404


def test_the_urlset_is_the_one_djangos_sitemap_view_writes(demo, client, rf, settings, monkeypatch):
    """hodie/almanac/sitemaps.py writes the urlset itself (Django's template cost ~90 µs a URL);
    Django's own view over the same sitemap classes is the reference, bytes and Last-Modified, for
    the whole file and for one page of a section. Django names the sites framework's domain, the
    only difference allowed."""
    from django.contrib.sitemaps import views as sitemap_views

    from hodie.almanac import sitemaps

    settings.SITE_URL = "http://history.example"

    def djangos(path: str, page: int, section: str | None = None) -> tuple[str, str | None]:
        request = rf.get(path, {"p": page})
        answer = sitemap_views.sitemap(request, sitemaps.SITEMAPS, section=section).render()
        body = answer.content.decode().replace("http://example.com/", "http://history.example/")
        return body, answer.get("Last-Modified")

    ours = client.get("/sitemap.xml")
    assert ours.content.count(b"<url>") > 300
    assert (ours.content.decode(), ours.get("Last-Modified")) == djangos("/sitemap.xml", 1)
    assert ours["X-Robots-Tag"] == "noindex, noodp, noarchive"
    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", 40)
    part = client.get("/sitemaps/entries-2.xml")
    assert part.content.count(b"<url>") == 40
    assert (part.content.decode(), part.get("Last-Modified")) == djangos("/sitemaps/entries-2.xml", 2, "entries")


def test_without_a_site_address_the_sitemap_names_the_requests_host(demo, client, settings):
    """As robots.txt does: the sites framework's placeholder domain (example.com) is no address of
    this site, and a sitemap naming it sends crawlers elsewhere."""
    settings.SITE_URL = ""
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    locations = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    assert locations and all(loc.startswith("http://testserver/") for loc in locations), locations[:3]


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


def _sitemap_locs(client, path="/sitemap.xml"):
    return re.findall(r"<loc>([^<]+)</loc>", client.get(path).content.decode())


def test_sitemap_lists_every_public_page_once(demo, client, settings):
    """The entries the hand-written sitemap listed before django.contrib.sitemaps, worked out here
    from the database: home, each collection with the days that have entries filed on them, entries,
    people, tags, places and published articles, each once."""
    from hodie.almanac.models import Article, Collection, Entry, Membership, Person, Place, Tag

    site = settings.SITE_URL
    expected = {f"{site}/"}
    for collection in Collection.objects.all():
        expected.add(f"{site}/{collection.slug}/")
        filed = set(Membership.objects.filter(collection=collection).values_list("day_key", flat=True))
        expected |= {f"{site}/{collection.slug}/{calendar.month_name[m].lower()}-{d}/"
                     for m in range(1, 13) for d in range(1, 32) if m * 100 + d in filed}  # fmt: skip
    expected |= {f"{site}/entries/{slug}/" for slug in Entry.objects.values_list("slug", flat=True)}
    expected |= {f"{site}/people/{slug}/" for slug in Person.objects.values_list("slug", flat=True)}
    expected |= {f"{site}/tags/{slug}/" for slug in Tag.objects.values_list("slug", flat=True)}
    expected |= {f"{site}/places/{slug}/" for slug in Place.objects.values_list("slug", flat=True)}
    expected |= {f"{site}/articles/{slug}/" for slug in Article.objects.published().values_list("slug", flat=True)}
    locs = _sitemap_locs(client)
    assert len(locs) == len(set(locs))
    assert set(locs) == expected


def _real(year, month, day):
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def test_sitemap_index_pages_cover_the_same_urls(demo, client, monkeypatch):
    from hodie.almanac import sitemaps

    whole = set(_sitemap_locs(client))
    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", 100)
    files = _sitemap_locs(client)
    assert all(re.search(r"/sitemaps/[a-z]+-\d+\.xml$", f) for f in files)
    parts = [loc for f in files for loc in _sitemap_locs(client, "/" + f.split("/", 3)[3])]
    assert len(parts) == len(whole) and set(parts) == whole


def _expand(calendar: Calendar, summary: str, until: int) -> list[dt.date]:
    """Every day a calendar client shows the event on up to ``until``: its RRULE expanded by
    dateutil (what icalendar-based clients use), plus its RDATEs."""
    from dateutil.rrule import rrulestr

    (event,) = [e for e in calendar.walk("VEVENT") if summary in str(e["summary"])]
    start = event["dtstart"].dt
    found = [start]
    if "rrule" in event:
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=dt.datetime.combine(start, dt.time()))
        found = [d.date() for d in rule.between(dt.datetime(start.year, 1, 1), dt.datetime(until, 12, 31), inc=True)]
    rdates = event.get("rdate", [])
    for rdate in rdates if isinstance(rdates, list) else [rdates]:
        found += [d.dt for d in rdate.dts]
    return sorted(set(found))


def test_a_yearless_julian_feast_drifts_right_to_2200(demo, client):
    """Theophany (XXXX-01-06 Julian) in the standard-policy demo collection, expanded to 2200 and
    compared with convertdate's Julian → Gregorian day for every year."""
    from convertdate import julian

    calendar = Calendar.from_ical(client.get("/russia.ics?from=2026&to=2200").getvalue())
    shown = _expand(calendar, "Theophany", 2200)
    expected = [dt.date(*julian.to_gregorian(year, 1, 6)) for year in range(2026, 2201)]
    assert shown == expected
    assert dt.date(2101, 1, 20) in shown and dt.date(2100, 1, 19) in shown


def test_the_drift_check_catches_a_fixed_yearly_rule():
    """Proof the check can fail: the old output, one RRULE on 19 January, is wrong from 2101."""
    from convertdate import julian

    old = Calendar.from_ical(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\nDTSTAMP:20000101T000000Z\r\n"
        b"SUMMARY:Theophany\r\nDTSTART;VALUE=DATE:20260119\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    shown = _expand(old, "Theophany", 2200)
    expected = [dt.date(*julian.to_gregorian(year, 1, 6)) for year in range(2026, 2201)]
    wrong = sorted(set(shown) - set(expected))
    assert wrong and wrong[0] == dt.date(2101, 1, 19)


def test_no_advertised_calendar_is_empty(demo, client):
    from hodie.almanac.models import Collection, Tag

    paths = [f"/{slug}.ics" for slug in Collection.objects.values_list("slug", flat=True)]
    for slug in Tag.objects.values_list("slug", flat=True):
        if 'type="text/calendar"' in client.get(f"/tags/{slug}/").content.decode():
            paths.append(f"/tags/{slug}.ics")
    assert len(paths) > 3
    for path in paths:
        assert Calendar.from_ical(client.get(path).getvalue()).walk("VEVENT"), path


def test_a_calendar_with_nothing_to_show_is_not_served(db, client):
    from hodie.almanac.models import Entry, Tag

    tag = Tag.objects.create(name="Vague")
    entry = Entry(title="Sometime in the 1930s")
    entry.set_date("1930s")
    entry.save()
    entry.tags.add(tag)
    assert 'type="text/calendar"' not in client.get(f"/tags/{tag.slug}/").content.decode()
    assert client.get(f"/tags/{tag.slug}.ics").status_code == 404


def _sitemap_urls(client) -> list[tuple[str, str | None]]:
    from defusedxml import ElementTree

    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    tree = ElementTree.fromstring(client.get("/sitemap.xml").content)
    return [(u.findtext(f"{ns}loc"), u.findtext(f"{ns}lastmod")) for u in tree.iter(f"{ns}url")]


def test_the_sitemap_lists_no_empty_day_and_dates_every_page(demo, client):
    from urllib.parse import urlsplit

    urls = _sitemap_urls(client)
    day_pages = [loc for loc, _ in urls if urlsplit(loc).path.startswith("/russia/") and loc.count("/") == 5]
    assert len(day_pages) > 100
    for loc in day_pages:
        html = client.get(urlsplit(loc).path).content.decode()
        assert "Nothing is filed" not in html, loc
        assert 'name="robots" content="noindex"' not in html, loc
    undated = [loc for loc, lastmod in urls if not lastmod]
    # Only tags, people and places with no entry at all have no time of change.
    assert all("/tags/" in loc or "/people/" in loc or "/places/" in loc for loc in undated), undated[:5]
    assert "/russia/february-30/" not in " ".join(loc for loc, _ in urls)


def test_an_empty_day_page_is_noindex_and_left_out(demo, client):
    from hodie.almanac.models import Membership

    keys = set(Membership.objects.filter(collection=demo).values_list("day_key", flat=True))
    empty = next((m, d) for m in range(1, 13) for d in range(1, 29) if m * 100 + d not in keys)
    from hodie.almanac.days import day_slug

    path = f"/russia/{day_slug(*empty)}/"
    html = client.get(path).content.decode()
    assert "Nothing is filed" in html and '<meta name="robots" content="noindex">' in html
    assert not any(loc.endswith(path) for loc, _ in _sitemap_urls(client))


def test_a_calendar_is_streamed_capped_and_stops_when_the_client_goes(demo, client, settings, monkeypatch):
    """Issue 19, finding 2: /russia.ics built the whole calendar in memory, for every entry."""
    from hodie.almanac import ics
    from hodie.almanac.models import Entry

    total = Entry.objects.filter(membership__collection=demo).count()
    assert total > 6
    settings.HODIE_ICS_MAX_EVENTS = 5
    response = client.get("/russia.ics?from=2026&to=2027")
    assert response.streaming and response["Cache-Control"] == "public, max-age=3600"
    events = Calendar.from_ical(response.getvalue()).walk("VEVENT")
    assert len(events) == 5
    # A client that gives up: the server closes the stream after the head; no entry is read.
    read = []
    real = ics.anniversary_dates
    monkeypatch.setattr(ics, "anniversary_dates", lambda *a, **k: read.append(a) or real(*a, **k))
    settings.HODIE_ICS_MAX_EVENTS = 5000
    response = client.get("/russia.ics")
    stream = iter(response.streaming_content)
    assert next(stream).startswith(b"BEGIN:VCALENDAR")
    response.close()
    assert read == []


def test_each_sitemap_counts_what_it_lists(demo):
    """The index pages each section by ``count()``, which skips the lastmod joins: it must be the
    number of ``items()``, with an entry in two collections, one in none, and a person, tag and
    place that no entry names."""
    from hodie.almanac import sitemaps
    from hodie.almanac.models import Collection, Entry, Person, Place, Tag

    Person.objects.create(name="Nobody Yet", slug="nobody-yet")
    Tag.objects.create(name="unused", slug="unused")
    Place.objects.create(name="Nowhere", slug="nowhere")
    loose = Entry(slug="loose", title="In no collection")
    loose.set_date("1900-05-05")
    loose.save()
    shared = Entry.objects.filter(membership__isnull=False).first()
    shared.join(list(Collection.objects.all()))
    for name, cls in sitemaps.SITEMAPS.items():
        section = cls()
        assert section.count() == len(list(section.items())), name
    assert sitemaps.DaysSitemap().count() > 100


def test_an_index_lists_no_empty_section_and_no_page_past_the_last(demo, client, monkeypatch):
    from hodie.almanac import sitemaps
    from hodie.almanac.models import Article

    Article.objects.all().delete()
    days_count = sitemaps.DaysSitemap().count()
    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", days_count)  # the days exactly fill one file
    files = [f.split("/", 3)[3] for f in _sitemap_locs(client)]
    assert "sitemaps/days-1.xml" in files and "sitemaps/days-2.xml" not in files
    assert not [f for f in files if f.startswith("sitemaps/articles-")]
    for name in files:
        assert client.get("/" + name).status_code == 200, name


def test_calendar_entries_are_read_a_chunk_a_query(demo):
    """ics.by_pk gives the first ``cap`` entries by number, whatever the chunk size, each chunk read
    by a query of its own (no cursor held open while the calendar streams from other threads)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hodie.almanac.ics import by_pk
    from hodie.almanac.models import Entry

    entries = Entry.objects.filter(membership__collection=demo)
    expected = list(entries.order_by("pk").values_list("pk", flat=True)[:150])
    assert len(expected) == 150
    for size in (7, 50, 150, 1000):
        with CaptureQueriesContext(connection) as queries:
            got = [entry.pk for entry in by_pk(entries, 150, size)]
        assert got == expected, size
        assert len(queries) == -(-150 // size), (size, len(queries))
    assert [e.pk for e in by_pk(entries, 10_000, 64)] == list(entries.order_by("pk").values_list("pk", flat=True))
