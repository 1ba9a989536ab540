"""HTML that caches may keep (hodie/site/caching.py): the headers of an anonymous page, 304s, the
editor who is never served nor stored, and every way a stored page must be dropped.

Each invalidation test first proves the page is served from the cache (``X-Hodie-Cache: hit``,
the old text), then makes its one change and expects the new text: without the path under test
the third read is the stored page and the test fails."""

from __future__ import annotations

import datetime as dt
import re
import time
import types

import pytest
from django.utils import timezone

ARTICLE = "/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"
DAY = "/russia/february-20/"


def read(client, url: str, **headers: str):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def cached(client, url: str) -> str:
    """Read ``url`` twice: the second answer comes from the page cache. Returns the page."""
    read(client, url)
    second = read(client, url)
    assert second["X-Hodie-Cache"] == "hit"
    return second.content.decode()


def test_an_anonymous_page_is_public_stable_and_cookie_free(client, demo, settings, monkeypatch):
    settings.HODIE_PAGE_MAX_AGE, settings.HODIE_PAGE_STALE_SECONDS = 120, 45
    # The comment form's token is signed per quarter hour (TOKEN_STEP), by design: a run that crossed
    # a quarter hour between the first and the third read saw it change. Its clock is held here, so
    # that what the test judges is that nothing else in the page moves with time.
    held = types.SimpleNamespace(time=lambda: 1_800_000_000.0)
    monkeypatch.setattr("hodie.social.context_processors.time", held)
    monkeypatch.setattr("hodie.social.threads.time", held)
    first = read(client, DAY)
    assert first["X-Hodie-Cache"] == "miss"
    assert not first.cookies, "an anonymous GET sets no cookie"
    control = {part.strip() for part in first["Cache-Control"].split(",")}
    assert control == {"public", "max-age=120", "stale-while-revalidate=45"}
    assert {v.strip() for v in first["Vary"].split(",")} == {"Accept-Language", "Cookie"}
    assert "csrfmiddlewaretoken" not in first.content.decode()
    second = read(client, DAY)
    assert second["X-Hodie-Cache"] == "hit" and second.content == first.content
    assert second["ETag"] == first["ETag"]
    revalidated = client.get(DAY, headers={"If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304 and not revalidated.cookies
    # The stored page is not a frozen render: the cache being emptied, the same bytes and ETag return.
    from django.core.cache import caches

    caches["pages"].clear()
    time.sleep(1.1)  # a later second: nothing in the page may depend on the clock's seconds
    third = read(client, DAY)
    assert third["X-Hodie-Cache"] == "miss"
    changed = set(third.content.decode().splitlines()) ^ set(first.content.decode().splitlines())
    assert third["ETag"] == first["ETag"], sorted(changed)[:6]


def test_the_interface_language_has_its_own_stored_page(client, demo):
    english = cached(client, DAY)
    russian = read(client, DAY, **{"Accept-Language": "ru"})
    assert russian["X-Hodie-Cache"] == "miss" and 'value="ru" selected' in russian.content.decode()
    assert 'value="ru" selected' not in english
    again = read(client, DAY, **{"Accept-Language": "ru"})
    assert again["X-Hodie-Cache"] == "hit" and again.content == russian.content


def test_the_date_order_cookie_has_its_own_stored_page(client, demo):
    plain = cached(client, DAY)
    client.cookies["hodie_dates"] = "os"
    chosen = read(client, DAY)
    assert chosen["X-Hodie-Cache"] == "miss" and chosen.content.decode() != plain


def test_an_editor_is_never_served_nor_stored(client, admin_client, demo):
    cached(client, DAY)
    editor = read(admin_client, DAY)
    assert "X-Hodie-Cache" not in editor
    control = {part.strip() for part in editor["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= control and "public" not in control
    assert "Cookie" in editor["Vary"]
    # Nor did the editor's page replace the public one.
    anonymous = read(client, DAY)
    assert anonymous["X-Hodie-Cache"] == "hit" and "csrfmiddlewaretoken" not in anonymous.content.decode()


def test_a_cross_site_language_switch_is_refused(client, demo):
    forged = client.post("/i18n/setlang/", {"language": "ru", "next": "/"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 403 and not forged.cookies
    ours = client.post("/i18n/setlang/", {"language": "ru", "next": "/"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert ours.status_code == 302 and ours.cookies["django_language"].value == "ru"


# The invalidation paths: each changes one thing on a page that is in the cache.


def _entry():
    from hodie.almanac.models import Entry

    return Entry.objects.get(source_id="demo-ru-kosenko")


def test_an_entry_edited(client, demo):
    entry = _entry()
    assert "Kosenko, re-read" not in cached(client, DAY)
    entry.title = "Kosenko, re-read"
    entry.save()
    assert "Kosenko, re-read" in read(client, DAY).content.decode()


def test_an_article_edited(client, demo):
    from hodie.almanac.models import Article

    article = Article.objects.get(source_id="demo-article-kosenko")
    assert "A new last word" not in cached(client, ARTICLE)
    article.body += "\n\nA new last word."
    article.save()
    assert "A new last word" in read(client, ARTICLE).content.decode()


def test_one_transaction_bumps_once_unless_a_page_was_stored_since(client, demo, monkeypatch):
    """Inside one transaction (a test's, an import's) the first change bumps the generation; the
    next ones do not, unless this process stored a page after the bump (the page would be stale)."""
    from hodie.site import caching

    bumps = []
    real = caching._increment
    monkeypatch.setattr(caching, "_increment", lambda: (bumps.append(1), real()))
    entry = _entry()
    cached(client, DAY)  # a page stored: the next change must bump
    bumps.clear()  # (the first read made the generation)
    for n in range(3):
        entry.title = f"Kosenko, version {n}"
        entry.save()
    assert len(bumps) == 1
    assert "Kosenko, version 2" in cached(client, DAY)
    entry.title = "Kosenko, version 3"
    entry.save()
    entry.save()
    assert len(bumps) == 2
    assert "Kosenko, version 3" in read(client, DAY).content.decode()


@pytest.mark.parametrize("relation", ["people", "places", "tags"])
def test_a_person_place_or_tag_edited(client, demo, relation):
    named = getattr(_entry(), relation).first() or getattr(_entry(), relation).create(name="Harbin station")
    url = named.get_absolute_url()
    assert "Renamed for the test" not in cached(client, url)
    named.name = "Renamed for the test"
    named.save()
    assert "Renamed for the test" in read(client, url).content.decode()


def test_a_tag_added_to_an_entry(client, demo):
    from hodie.almanac.models import Tag

    tag = Tag.objects.create(name="Counter-intelligence")
    entry = _entry()
    assert "No entries yet." in cached(client, tag.get_absolute_url())
    entry.tags.add(tag)  # only m2m_changed is sent
    assert entry.title in read(client, tag.get_absolute_url()).content.decode()


def _comment(article, status: str):
    from hodie.social.models import Comment

    return Comment.objects.create(article=article, author_name="Zoe Cache", body="Words kept.", status=status)


@pytest.fixture
def article(demo):
    from hodie.almanac.models import Article

    return Article.objects.get(source_id="demo-article-kosenko")


def test_a_comment_approved_in_the_admin(client, admin_client, article):
    comment = _comment(article, "pending")
    assert "Zoe Cache" not in cached(client, ARTICLE)
    changelist = "/admin/social/comment/"
    done = admin_client.post(changelist, {"action": "approve", "_selected_action": [comment.pk]})
    assert done.status_code == 302  # the action ran (QuerySet.update: no signal of its own)
    assert "Zoe Cache" in read(client, ARTICLE).content.decode()


def test_a_comment_approved_by_saving_it(client, article):
    comment = _comment(article, "pending")
    assert "Zoe Cache" not in cached(client, ARTICLE)
    comment.status = "approved"
    comment.save()
    assert "Zoe Cache" in read(client, ARTICLE).content.decode()


def test_a_comment_hidden_in_the_admin(client, admin_client, article):
    comment = _comment(article, "approved")
    assert "Zoe Cache" in cached(client, ARTICLE)
    admin_client.post("/admin/social/comment/", {"action": "mark_spam", "_selected_action": [comment.pk]})
    assert "Zoe Cache" not in read(client, ARTICLE).content.decode()


def test_a_comment_hidden_by_saving_it(client, article):
    comment = _comment(article, "approved")
    assert "Zoe Cache" in cached(client, ARTICLE)
    comment.status = "trash"
    comment.save()
    assert "Zoe Cache" not in read(client, ARTICLE).content.decode()


def test_a_comment_deleted(client, article):
    comment = _comment(article, "approved")
    assert "Zoe Cache" in cached(client, ARTICLE)
    comment.delete()
    assert "Zoe Cache" not in read(client, ARTICLE).content.decode()


def test_a_pending_comment_leaves_the_cache_alone(client, article):
    """The checker above can fail: a comment nobody sees does not drop the stored pages."""
    cached(client, ARTICLE)
    _comment(article, "pending")
    assert read(client, ARTICLE)["X-Hodie-Cache"] == "hit"


REPLY = """<!doctype html><html><body><article class="h-entry">
<a class="p-author h-card" href="{base}/">Harbin Archive</a>
<a class="u-in-reply-to" href="{target}">in reply to</a>
<div class="e-content">A cached reply arrives.</div></article></body></html>"""


def test_a_webmention_verified(client, article, partner_site, loopback, run_jobs, django_capture_on_commit_callbacks):
    from hodie.social.models import Partner

    Partner.objects.create(name="Harbin Archive", slug="harbin", site_url=f"{partner_site.base}/")
    ours = f"{loopback.SITE_URL}{ARTICLE}"
    source = partner_site.page("/reply/", REPLY.format(base=partner_site.base, target=ours))
    assert "A cached reply arrives." not in cached(client, ARTICLE)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/webmention", {"source": source, "target": ours}).status_code == 202
    assert "A cached reply arrives." not in read(client, ARTICLE).content.decode()  # queued, not verified
    run_jobs()
    assert "A cached reply arrives." in read(client, ARTICLE).content.decode()


def _at(monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_scheduled_article_appears_when_its_time_comes(client, demo, monkeypatch):
    from hodie.almanac.models import Article

    now = timezone.now()
    entry = _entry()
    article = Article.objects.create(
        title="Kosenko's file, opened", body="Text.", status="scheduled", publish_at=now + dt.timedelta(hours=1)
    )
    article.entries.add(entry)
    page = cached(client, entry.get_absolute_url())
    assert "Kosenko&#39;s file, opened" not in page and "Kosenko's file, opened" not in page
    # Shared caches are told not to keep the page past that moment.
    max_age = int(re.search(r"max-age=(\d+)", read(client, "/about/dates/")["Cache-Control"]).group(1))
    assert max_age <= 3600
    _at(monkeypatch, now + dt.timedelta(hours=1, seconds=1))  # nothing saved: only the clock moved
    later = read(client, entry.get_absolute_url()).content.decode()
    assert "Kosenko&#39;s file, opened" in later or "Kosenko's file, opened" in later


def test_a_new_day_at_midnight_in_the_sites_time_zone(client, demo, monkeypatch, settings):
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = "Europe/Moscow"
    moscow = ZoneInfo("Europe/Moscow")
    _at(monkeypatch, dt.datetime(2026, 2, 19, 23, 59, 50, tzinfo=moscow))
    before = cached(client, "/")
    assert "February 19" in before or "19 February" in before
    late = read(client, "/about/dates/")
    assert int(re.search(r"max-age=(\d+)", late["Cache-Control"]).group(1)) <= 10  # never kept past midnight
    _at(monkeypatch, dt.datetime(2026, 2, 20, 0, 0, 5, tzinfo=moscow))
    after = read(client, "/").content.decode()
    assert "February 20" in after or "20 February" in after


def test_a_page_that_varies_on_more_than_the_key_is_not_stored(client, demo):
    """An ActivityPub account answers HTML to people and JSON to servers (Vary: Accept): the page
    cache, keyed on language and cookies only, must never hand one the other's answer."""
    person = client.get("/@russia", HTTP_ACCEPT="text/html")
    server = client.get("/@russia", HTTP_ACCEPT="application/activity+json")
    assert person["Content-Type"].startswith("text/html")
    assert server["Content-Type"] == "application/activity+json"


def test_a_held_comment_shown_to_its_author_is_never_stored(client, article, settings):
    from hodie.social.models import Comment
    from hodie.social.threads import held_link

    held = Comment.objects.create(article=article, author_name="Anna", body="Waiting.", status="pending")
    response = client.get(f"{ARTICLE}?{held_link(held)}")
    assert "Waiting." in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
