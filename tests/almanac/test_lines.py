"""Stored entry lines (hodie/almanac/lines.py): a day page renders each line once, reads it back
afterwards, and never shows a line older than its entry, people and tags."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache.backends.dummy import DummyCache

from hodie.almanac import lines
from hodie.almanac.models import Entry, EntryLine, Person, Tag

pytestmark = pytest.mark.django_db

URL = "/russia/february-20/"
ENTRY_ID = re.compile(r'<li class="entry h-event" id="entry-(\d+)"')
TOKENS = re.compile(r'(name="(?:csrfmiddlewaretoken|token)" value=")[^"]*')


@pytest.fixture(autouse=True)
def no_page_cache(monkeypatch):
    """The render path itself: the page cache would answer every read after the first."""
    from hodie.site import caching

    monkeypatch.setattr(caching, "_cache", lambda: DummyCache("pages", {}))


def _page(client, url: str = URL, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return TOKENS.sub(r"\1", response.content.decode())


def _shown(client) -> list[Entry]:
    ids = [int(pk) for pk in ENTRY_ID.findall(_page(client))]
    assert ids, "the demo's 20 February lists entries"
    return list(Entry.objects.filter(pk__in=ids))


def _with(model, client):
    """An entry on the page linked to a ``model`` (Person or Tag), and that person or tag."""
    for entry in _shown(client):
        linked = getattr(entry, "people" if model is Person else "tags").order_by("pk").first()
        if linked is not None:
            return entry, linked
    raise AssertionError(f"no entry on {URL} has a {model.__name__}")


def test_the_first_read_stores_the_lines_and_the_next_reads_them(client, demo) -> None:
    first = _page(client)
    shown = [int(pk) for pk in ENTRY_ID.findall(first)]
    stored = EntryLine.objects.filter(entry_id__in=shown)
    assert sorted(stored.values_list("entry_id", flat=True)) == sorted(shown)
    assert len(set(stored.values_list("variant", flat=True))) == 1
    assert _page(client) == first
    # The page shows what is stored: a mark put into one stored line appears on the next read.
    line = stored.order_by("entry_id").first()
    EntryLine.objects.filter(pk=line.pk).update(tail=line.tail.replace("</li>", "<!-- kept --></li>"))
    assert "<!-- kept --></li>" in _page(client)


def test_each_interface_language_and_date_order_has_lines_of_its_own(client, demo) -> None:
    english = _page(client)
    russian = _page(client, HTTP_ACCEPT_LANGUAGE="ru")
    assert russian != english
    client.cookies["hodie_dates"] = "os"
    old_style_first = _page(client)
    assert EntryLine.objects.values("variant").distinct().count() == 3
    # Read again from storage, each is still its own.
    assert _page(client) == old_style_first
    del client.cookies["hodie_dates"]
    assert _page(client) == english
    assert _page(client, HTTP_ACCEPT_LANGUAGE="ru") == russian


def test_a_variant_names_the_code_that_rendered_it() -> None:
    key = lines.variant("en", False, "ru")
    assert key.startswith("en:0:ru:-:") and key != lines.variant("en", True, "ru")
    assert key != lines.variant("ru", False, "ru") and key != lines.variant("en", False, "ru", with_date=True)
    assert len(key) <= EntryLine._meta.get_field("variant").max_length


def test_an_edited_entry_shows_its_new_title(client, demo) -> None:
    entry = _shown(client)[0]
    entry.title = "A title edited after the line was stored"
    entry.save()
    # In the line itself (the title is in the page's description and JSON-LD as well).
    assert ">A title edited after the line was stored</a>" in _page(client)


@pytest.mark.parametrize("model", [Person, Tag])
def test_a_renamed_person_or_tag_is_renamed_on_the_day_page(client, demo, model) -> None:
    _entry, linked = _with(model, client)
    linked.name = f"Renamed {model.__name__} 59"
    linked.save()
    assert f"Renamed {model.__name__} 59</a>" in _page(client)


@pytest.mark.parametrize("how", ["remove", "reverse remove", "clear", "reverse clear", "delete"])
def test_an_unlinked_tag_leaves_the_line(client, demo, how) -> None:
    entry, tag = _with(Tag, client)
    link = f'href="{tag.get_absolute_url()}"'
    assert link in _page(client)
    if how == "remove":
        entry.tags.remove(tag)
    elif how == "reverse remove":
        tag.entries.remove(entry)
    elif how == "clear":
        entry.tags.clear()
    elif how == "reverse clear":
        tag.entries.clear()
    else:
        tag.delete()
    assert link not in _page(client)


def test_a_newly_linked_person_joins_the_line(client, demo) -> None:
    entry = _shown(client)[0]
    person = Person.objects.create(name="Someone Linked Later")
    person.entries.add(entry)  # from the person's side: the entry's line must go all the same
    assert ">Someone Linked Later</a>" in _page(client)


def test_a_reimported_entry_shows_what_the_import_changed(client, tmp_path) -> None:
    from hodie.importers import jsonl
    from hodie.writer import import_records

    def load(title: str, tags: list[str]) -> None:
        path = tmp_path / "one.jsonl"
        entry = {"id": "one", "date": "1905-01-22", "title": title, "tags": tags, "collections": ["lines"]}
        rows = [{"type": "collection", "slug": "lines", "title": "Lines"}, entry]
        path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
        import_records(jsonl.read(path), None)

    load("Before the import", ["first"])
    assert "Before the import" in _page(client, "/lines/january-22/")
    assert EntryLine.objects.count() == 1
    load("After the import", ["second"])
    page = _page(client, "/lines/january-22/")
    assert "After the import" in page and "#second</a>" in page and "#first</a>" not in page


def test_a_busy_database_still_answers_the_page(client, demo, monkeypatch) -> None:
    """Storing lines is a by-product: when the write fails the page is rendered all the same."""
    from django.db import DatabaseError

    def refuse(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(EntryLine.objects, "bulk_create", refuse)
    first = _page(client)
    assert ENTRY_ID.search(first) and not EntryLine.objects.exists()
    assert _page(client) == first


def test_a_listing_page_stores_its_dated_lines_and_follows_a_rename(client, demo) -> None:
    """A person's page lists the same lines with their whole dates (a variant of their own); a tag
    renamed on one of its entries is renamed there too."""
    entry = next(e for e in Entry.objects.filter(people__isnull=False, tags__isnull=False).order_by("pk"))
    person, tag = entry.people.order_by("pk").first(), entry.tags.order_by("pk").first()
    url = person.get_absolute_url()
    first = _page(client, url)
    assert f'id="entry-{entry.pk}"' in first
    dated = EntryLine.objects.filter(entry=entry, variant__contains=":d:")
    assert dated.count() == 1
    assert _page(client, url) == first
    tag.name = "Renamed on every list 59"
    tag.save()
    assert not dated.exists()
    assert "#Renamed on every list 59</a>" in _page(client, url)


def test_a_renamed_place_is_renamed_in_the_stored_json_ld(client, demo) -> None:
    """The JSON-LD Event stored with a day page's line names the entry's places (not on the line)."""
    from hodie.almanac.days import day_slug
    from hodie.almanac.models import Membership

    member = Membership.objects.filter(entry__places__isnull=False, day_key__isnull=False).order_by("pk").first()
    assert member is not None, "the demo has an entry with a place on a day page"
    url = f"/{member.collection.slug}/{day_slug(member.day_key // 100, member.day_key % 100)}/"
    place = member.entry.places.order_by("pk").first()
    assert f'"name": "{place.name}"' in _page(client, url)
    assert EntryLine.objects.filter(entry=member.entry).exclude(event="").exists()
    place.name = "A place renamed 59"
    place.save()
    assert '{"@type": "Place", "name": "A place renamed 59"' in _page(client, url)


def test_stored_lines_spare_the_people_and_tags_query(client, demo) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = Entry.people.through._meta.db_table
    with CaptureQueriesContext(connection) as first:
        client.get(URL)  # stores the lines
    assert any(people in q["sql"] for q in first.captured_queries)
    with CaptureQueriesContext(connection) as again:
        assert client.get(URL).status_code == 200
    assert not any(people in q["sql"] for q in again.captured_queries)
    # The page cache's look for the next scheduled article (asked every time with the cache off
    # here), collections, entries with their lines, articles with their partners, the stored
    # fragments (leads, comment block, holiday rules: hodie/almanac/fragments.py): five.
    assert len(again.captured_queries) == 5


def test_a_feed_stores_its_items_html_and_an_edit_replaces_it(client, demo) -> None:
    """The collection feed keeps each entry's item HTML (variant ``feed:...``): the second read is
    the first's bytes, and an entry saved shows its new summary at once."""
    first = client.get("/russia/feed.atom").content.decode()
    stored = EntryLine.objects.filter(variant__startswith="feed:en:")
    assert stored.count() >= 10
    assert client.get("/russia/feed.atom").content.decode() == first
    entry = Entry.objects.get(pk=stored.first().entry_id)
    assert entry.summary and entry.summary[:40] in first.replace("&#x27;", "'").replace("&quot;", '"')
    entry.summary = "An edited summary, with *emphasis* read as text."
    entry.save()
    again = client.get("/russia/feed.atom").content.decode()
    assert "An edited summary, with emphasis read as text." in again
    # Another entry's item is still the stored one: only the edited entry's item went.
    assert EntryLine.objects.filter(variant__startswith="feed:en:").exclude(entry=entry).count() == stored.count() - 1


def test_a_calendar_keeps_its_default_years_events_and_an_edit_replaces_one(client, demo, settings) -> None:
    """The collection's calendar keeps each entry's VEVENT for its default years (variant
    ``ics:...``): the second read is the first's bytes, an entry saved shows its new title at once,
    and years asked for with ?from= and ?to= are written afresh and never stored."""
    settings.SITE_URL = "http://testserver"
    first = client.get("/russia.ics").getvalue()
    stored = EntryLine.objects.filter(variant__startswith="ics:")
    count = stored.count()
    assert count >= 50
    assert client.get("/russia.ics").getvalue() == first
    entry = Entry.objects.filter(pk__in=stored.values("entry_id"), standard_key__isnull=False).first()
    entry.title = "A title edited for the calendar"
    entry.save()
    assert b"A title edited for the calendar" in client.get("/russia.ics").getvalue()
    assert stored.count() == count  # the edited entry's event stored again, the others kept
    asked = client.get("/russia.ics?from=1990&to=2001").getvalue()
    assert b"A title edited for the calendar" in asked and asked != first
    assert stored.count() == count


def test_a_calendar_keeps_nothing_when_the_sites_address_comes_from_the_request(client, demo, settings) -> None:
    """Without HODIE_SITE_URL the address is the request's Host, whose port a client may vary: each
    would be a new set of kept events. Nothing is kept then, and each answer names its own host."""
    settings.SITE_URL = ""
    for port in (1, 2, 3):
        body = client.get("/russia.ics", HTTP_HOST=f"localhost:{port}").getvalue()
        assert f"@localhost:{port}".encode() in body
    assert not EntryLine.objects.filter(variant__startswith="ics:").exists()


@pytest.mark.parametrize("url", ["/russia/feed.atom", "/russia.ics"])
def test_a_kept_item_older_than_its_entry_is_made_again(client, demo, settings, url) -> None:
    """An item made from rows read before an edit and stored after it (a calendar streamed to a
    slow client while an editor saves) carries the older time of its entry: it is made again."""
    import datetime as dt

    settings.SITE_URL = "http://testserver"
    client.get(url).getvalue()
    kept = EntryLine.objects.filter(variant__startswith="feed:" if "feed" in url else "ics:")
    line = kept.exclude(head="").first()
    entry = Entry.objects.get(pk=line.entry_id)
    # The edit's rows, written without the save signal: as if its row was deleted before the stale
    # item was stored.
    later = entry.updated + dt.timedelta(seconds=1)
    Entry.objects.filter(pk=entry.pk).update(title="Edited while a reader was reading", updated=later)
    assert b"Edited while a reader was reading" in client.get(url).getvalue()
    assert kept.get(entry_id=entry.pk).tail == later.isoformat()
