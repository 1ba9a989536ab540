"""The editors' page: coverage map, empty days, scheduled articles, round anniversaries, quality
flags and the timeline, for staff only."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = pytest.mark.django_db


def test_editors_page_is_for_staff_only(client, demo):
    response = client.get("/editors/russia/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_coverage_counts_every_day_with_29_february(demo):
    from hodie.almanac.models import Membership
    from hodie.almanac.steering import coverage

    cells = coverage(demo)
    assert len(cells) == 366 and (2, 29) in {(c.month, c.day) for c in cells}
    by_day = {c.key: c.count for c in cells}
    expected = Membership.objects.filter(collection=demo, day_key=220).count()
    assert expected > 0 and by_day[220] == expected
    assert sum(by_day.values()) == Membership.objects.filter(collection=demo).exclude(day_key=None).count()


def test_coverage_map_and_empty_days_on_the_page(admin_client, demo):
    from hodie.almanac.steering import coverage

    html = admin_client.get("/editors/russia/").content.decode()
    empty = sum(1 for c in coverage(demo) if c.count == 0)
    assert f"{366 - empty} of 366 days have entries; {empty} are empty" in html
    rects = re.findall(r'<rect [^>]*fill="(#[0-9a-f]+)" data-count="(\d+)"', html)
    assert len(rects) == 366
    assert all((fill == "#c0392b") == (count == "0") for fill, count in rects)
    assert 'href="/russia/february-29/"' in html


def test_scheduled_articles_are_counted(admin_client, demo):
    from django.utils import timezone

    from hodie.almanac.models import Article, Entry

    article = Article.objects.create(
        title="Later", slug="later", body="x", status="scheduled", publish_at=timezone.now() + dt.timedelta(days=40)
    )
    article.entries.add(Entry.objects.filter(collections=demo).first())
    html = admin_client.get("/editors/russia/").content.decode()
    assert "1 article scheduled, the last on" in html


def test_round_anniversaries_coming_up(demo, monkeypatch):
    from hodie.almanac import steering
    from hodie.almanac.models import Entry

    borodino = Entry.objects.filter(title__icontains="Borodino", date_text__contains="26 August 1812").get()
    found = steering.upcoming_anniversaries(demo, dt.date(2012, 9, 1), days=10)
    assert any(u.entry == borodino and u.years == 200 and u.on == dt.date(2012, 9, 7) for u in found)
    assert not any(u.entry == borodino for u in steering.upcoming_anniversaries(demo, dt.date(2013, 9, 1), days=10))


def test_quality_flags(demo, tmp_path):
    import json

    from click.testing import CliRunner

    from hodie.almanac.models import Entry
    from hodie.almanac.steering import quality_flags
    from hodie.cli import main

    source = [{"url": "https://example.org/src", "title": "A source"}]
    rows = [
        {"id": "q1", "date": "1 March 1950", "title": "Parked on the first"},
        {"id": "q2", "date": "5 March 1700", "title": "Calendar left to the region", "sources": source},
        {"id": "q3", "date": "5 March 1700 O.S.", "title": "Calendar said", "sources": source},
        {"id": "q4", "date": "7 March 1950", "title": "Sourced", "sources": source},
        {"id": "q5", "date": "7 March 1950", "title": "Unsourced"},
        {"id": "q6", "date": "15 March 1950", "title": "Sourced on the fifteenth", "sources": source},
    ]
    data = tmp_path / "q.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert CliRunner().invoke(main, ["import", "jsonl", str(data), "--collection", "russia"]).exit_code == 0
    flags = {f.entry.source_id: f.reason for f in quality_flags(demo, limit=10_000)}
    assert flags["q1"] == "on the 1st with no source: a day put there for want of one?"
    assert flags["q2"].startswith("before the switch in Russia") and "(Julian)" in flags["q2"]
    assert flags["q5"] == "no source"
    assert not {"q3", "q4", "q6"} & set(flags)
    assert Entry.objects.filter(source_id__startswith="q").count() == 6


def test_timeline_counts_centuries(admin_client, demo):
    from hodie.almanac.steering import century_label, timeline

    rows = dict(timeline(demo))
    assert sum(rows.values()) == demo.entries.exclude(year=None).count()
    assert century_label(20) == "20th" and century_label(21) == "21st" and century_label(-1) == "1c BC"
    assert "Entries per century" in admin_client.get("/editors/russia/").content.decode()


def test_the_editors_page_speaks_the_editors_language(admin_client, demo):
    """In the Russian interface the coverage map, the timeline, the flags and the dates are Russian."""
    page = admin_client.get("/editors/russia/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Записи по дням в разделе «" in page and "Записи по векам в разделе «" in page
    assert ">фев</text>" in page and ">Feb</text>" not in page
    assert "20 февраля: " in page and "XX в." in page
    for english in ("Entries per day", "Entries per century", " entries</title>", "no source", "20th"):
        assert english not in page, english
    english_page = admin_client.get("/editors/russia/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Feb</text>" in english_page and "February 20: " in english_page and "20th" in english_page


def test_steering_messages_are_translated() -> None:
    import re
    from pathlib import Path

    from tests.almanac.test_i18n import catalogue

    text = (Path(__file__).resolve().parents[2] / "hodie" / "almanac" / "steering.py").read_text(encoding="utf-8")
    used = set(re.findall(r'gettext\(\s*"((?:[^"\\]|\\.)*)"', text))
    assert len(used) >= 6 and sorted(u for u in used if u not in catalogue()) == []
