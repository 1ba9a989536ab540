"""Structured data as its readers parse it: schema.org JSON-LD (day, entry and article pages) and
microformats through mf2py, with EDTF-aware dates; a description on every sitemap page."""

from __future__ import annotations

import json
import re

import mf2py
import pytest
from bs4 import BeautifulSoup

from hodie.almanac.models import Article, Entry

pytestmark = pytest.mark.django_db
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def jsonld(html: str) -> list[dict]:
    soup = BeautifulSoup(html, "html.parser")
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def event_problems(event: dict, entry: Entry) -> list[str]:
    """What is wrong with one Event for ``entry``, judged from its EDTF text, not from Hodie's code."""
    problems = []
    vague = any(mark in entry.edtf for mark in ("X", "~", "?", "%")) or entry.edtf.startswith("-")
    if vague and "startDate" in event:
        problems.append(f"{entry.edtf} is too vague for startDate {event['startDate']!r}")
    if not vague and "startDate" not in event:
        problems.append(f"{entry.edtf} has no startDate")
    for key in ("startDate", "endDate"):
        if key in event and not ISO.match(event[key]):
            problems.append(f"{key} {event[key]!r} is not ISO 8601")
    if "/" in entry.edtf and not vague and "endDate" not in event:
        problems.append(f"the interval {entry.edtf} has no endDate")
    if entry.places.exists() and "location" not in event:
        problems.append(f"{entry.title} names a place but has no location")
    return problems


def test_day_pages_carry_an_itemlist_of_events(client, demo):
    from hodie.almanac.days import day_slug
    from hodie.almanac.models import Membership

    filed = Membership.objects.filter(collection=demo, day_key__isnull=False)
    keys = sorted(set(filed.values_list("day_key", flat=True)))
    checked = 0
    for key in keys[::10]:
        html = client.get(f"/russia/{day_slug(*divmod(key, 100))}/").content.decode()
        (data,) = [d for d in jsonld(html) if d.get("@type") == "ItemList"]
        items = data["itemListElement"]
        assert data["numberOfItems"] == len(items) > 0
        assert [i["position"] for i in items] == list(range(1, len(items) + 1))
        for item in items:
            entry = Entry.objects.get(slug=item["item"]["url"].rstrip("/").rsplit("/", 1)[1])
            assert item["item"]["@type"] == "Event"
            assert event_problems(item["item"], entry) == []
            checked += 1
    assert checked > 5


@pytest.mark.slow
def test_every_entry_page_has_an_honest_event(client, demo):
    problems, with_end, with_location = [], 0, 0
    for entry in Entry.objects.prefetch_related("places"):
        html = client.get(entry.get_absolute_url()).content.decode()
        (event,) = [d for d in jsonld(html) if d.get("@type") == "Event"]
        problems += event_problems(event, entry)
        with_end += "endDate" in event
        with_location += "location" in event
    assert problems == []
    assert with_end >= 1 and with_location >= 1


def test_the_event_check_rejects_what_the_pages_used_to_say(demo):
    """Proof the check can fail: "1930s" as startDate 1930, an interval with no endDate."""
    decade = Entry.objects.get(edtf="193X")
    assert event_problems({"@type": "Event", "startDate": "1930"}, decade)
    interval = Entry.objects.filter(edtf__contains="/").first()
    assert event_problems({"@type": "Event", "startDate": "1812-09-05"}, interval)


def test_microformats_have_dt_start_and_u_url(client, demo):
    entry = Entry.objects.get(edtf="1812-08-26")
    url = f"http://testserver{entry.get_absolute_url()}"
    parsed = mf2py.parse(doc=client.get(entry.get_absolute_url()).content.decode(), url=url)
    (event,) = [i for i in parsed["items"] if "h-event" in i["type"]]
    assert event["properties"]["start"] == ["1812-09-07"]
    assert event["properties"]["url"][0].endswith(entry.get_absolute_url())
    article = Article.objects.published().first()
    parsed = mf2py.parse(doc=client.get(article.get_absolute_url()).content.decode(), url=url)
    (post,) = [i for i in parsed["items"] if "h-entry" in i["type"]]
    assert post["properties"]["url"][0].endswith(article.get_absolute_url())
    commented = next(a for a in Article.objects.published() if a.comments.filter(comment_type="comment").exists())
    page_url = f"http://testserver{commented.get_absolute_url()}"
    parsed = mf2py.parse(doc=client.get(commented.get_absolute_url()).content.decode(), url=page_url)
    (post,) = [i for i in parsed["items"] if "h-entry" in i["type"]]
    comments = post["properties"]["comment"]
    assert comments and all(any(u.startswith(f"{page_url}#comment-") for u in c["properties"]["url"]) for c in comments)


def test_mf2py_finds_no_start_in_a_time_without_datetime():
    """Proof the microformats check can fail: the old entry page's date."""
    old = '<article class="h-event"><h1 class="p-name">Borodino</h1><p><time>7 September 1812</time></p></article>'
    (event,) = mf2py.parse(doc=old)["items"]
    assert "start" not in event["properties"]


@pytest.mark.slow
def test_every_sitemap_page_has_a_description(client, demo):
    from defusedxml import ElementTree

    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text for loc in ElementTree.fromstring(client.get("/sitemap.xml").content).iter(f"{ns}loc")]
    missing = []
    for loc in locs:
        soup = BeautifulSoup(client.get(loc.split("testserver", 1)[-1]).content, "html.parser")
        description = soup.find("meta", attrs={"name": "description"})
        og = soup.find("meta", attrs={"property": "og:description"})
        if not (description and description["content"].strip() and og and og["content"].strip()):
            missing.append(loc)
    assert len(locs) > 300
    assert missing == []
