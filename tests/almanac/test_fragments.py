"""Stored page fragments (hodie/almanac/fragments.py): the day page's article leads and the
collection's moving-holiday rules are rendered or read once, kept, read back with the page's other
fragments, and dropped by each change that alters them. Each invalidation test first proves the
stored fragment is what the page shows (a mark put into it appears), then makes its one change:
without the path under test the old fragment would be shown and the test fails."""

from __future__ import annotations

import re

import pytest
from django.core.cache.backends.locmem import LocMemCache

from hodie.almanac import days, fragments
from hodie.almanac.models import Article, Fragment, HolidayRule

pytestmark = pytest.mark.django_db

DAY = "/russia/february-20/"
# Easter 2026 is 5 April; 44 days before it is 20 February 2026.
TOKENS = re.compile(r'(name="(?:csrfmiddlewaretoken|token)" value=")[^"]*')  # the form's token: a time
HOLIDAYS = "/api/rest_v1/feed/onthisday/holidays/02/20?collection=russia&year=2026"


@pytest.fixture(autouse=True)
def no_page_cache(monkeypatch):
    """The render path itself: the page cache would answer every read after the first. Its
    generation is kept (as any configured cache keeps it); pages are not."""
    from hodie.site import caching

    class NoPages(LocMemCache):
        def set(self, key, value, timeout=None, version=None):
            if not key.startswith("hodie:page:"):
                super().set(key, value, timeout, version)

    pages = NoPages("test-fragments", {})
    pages.clear()
    monkeypatch.setattr(caching, "_cache", lambda: pages)


@pytest.fixture
def article(demo) -> Article:
    return Article.objects.get(source_id="demo-article-kosenko")


def _page(client, url: str = DAY, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return TOKENS.sub(r"\1", response.content.decode())


def _mark_lead(article: Article) -> None:
    """Put a mark into the stored lead, and prove the page shows the stored one."""
    lead = Fragment.objects.get(kind="lead", owner=article.pk)
    Fragment.objects.filter(pk=lead.pk).update(html=lead.html + "<!-- stored lead -->")


def test_the_first_read_stores_the_lead_and_the_next_reads_it(client, article) -> None:
    first = _page(client)
    assert "On this date in 1939, Georgy Nikolayevich Kosenko was shot in Moscow." in first
    lead = Fragment.objects.get(kind="lead", owner=article.pk)
    assert lead.key.startswith(f"lead:{article.pk}:en:")
    assert lead.html.startswith("<p>On this date in 1939")
    _mark_lead(article)
    assert "<!-- stored lead -->" in _page(client)
    # Each interface language has its own.
    _page(client, HTTP_ACCEPT_LANGUAGE="ru")
    assert Fragment.objects.filter(kind="lead", owner=article.pk).count() == 2


def test_an_article_edited_drops_its_lead(client, article) -> None:
    _page(client)
    _mark_lead(article)
    assert "<!-- stored lead -->" in _page(client)
    article.excerpt = "A new lead, written after the page was first read."
    article.save()
    page = _page(client)
    assert "<!-- stored lead -->" not in page
    assert "<p>A new lead, written after the page was first read.</p>" in page


def test_an_article_deleted_drops_its_lead(client, article) -> None:
    _page(client)
    assert Fragment.objects.filter(kind="lead", owner=article.pk).exists()
    pk = article.pk
    article.delete()
    assert not Fragment.objects.filter(kind="lead", owner=pk).exists()


def test_an_image_host_allowed_drops_every_lead(client, article) -> None:
    """An HTML lead's image from a host the policy refuses is written as a link: allowing the
    host changes the lead."""
    from hodie.media.hosts import forget
    from hodie.media.models import ImageHost

    article.markup = "html"
    article.excerpt = '<p>Seen here: <img src="https://images.example.org/k.png" alt="the order"></p>'
    article.save()
    forget()
    before = _page(client)
    assert '<a href="https://images.example.org/k.png" rel="noopener">the order</a>' in before
    ImageHost.objects.create(host="images.example.org", allowed=True)
    after = _page(client)
    assert '<img src="https://images.example.org/k.png" alt="the order">' in after


def test_a_holiday_rule_added_or_deleted_drops_the_collections_rules(client, demo) -> None:
    def holidays() -> list[str]:
        response = client.get(HOLIDAYS)
        assert response.status_code == 200
        return [item["text"] for item in response.json()["holidays"]]

    assert "Forty-four days before Easter" not in holidays()
    assert Fragment.objects.filter(kind="rules", owner=demo.pk).count() == 1  # the rules are kept
    rule = HolidayRule.objects.create(collection=demo, title="Forty-four days before Easter", rule="Easter-44")
    assert "Forty-four days before Easter" in holidays()
    rule.title = "Renamed rule"
    rule.save()
    assert "Renamed rule" in holidays()
    rule.delete()
    assert "Renamed rule" not in holidays()


def test_the_rules_the_page_shows_are_the_stored_ones(client, demo) -> None:
    """The checker above can fail: a stored rule list, not the table, is what a page reads."""
    client.get(HOLIDAYS)
    HolidayRule.objects.bulk_create([HolidayRule(collection=demo, title="Not announced", rule="Easter-44")])
    response = client.get(HOLIDAYS)  # bulk_create sends no signal: the stored list still stands
    assert "Not announced" not in [item["text"] for item in response.json()["holidays"]]
    fragments.forget("rules", demo.pk)
    response = client.get(HOLIDAYS)
    assert "Not announced" in [item["text"] for item in response.json()["holidays"]]


def test_a_key_names_the_language_and_the_code() -> None:
    assert fragments.lead_key(7, "en").startswith("lead:7:en:")
    assert fragments.lead_key(7, "en") != fragments.lead_key(7, "ru")
    assert fragments.rules_key(3).startswith("rules:3:")


def test_the_day_page_reads_in_four_queries_once_its_fragments_are_stored(
    client, demo, django_assert_num_queries, monkeypatch
):
    """Collections; entries with their stored lines; articles with their partners; every stored
    fragment (the leads, the comment block, the holiday rules). The home page is today's: held on
    February 20, a day with entries and an article (on a day with none it reads one query less, and
    this test failed on 2 December)."""
    import datetime as dt

    monkeypatch.setattr(days, "today", lambda: dt.date(2026, 2, 20))
    first, home = _page(client), _page(client, "/")  # the first reads store what the next ones read
    with django_assert_num_queries(4):
        again = _page(client)
    assert again == first
    with django_assert_num_queries(4):
        assert _page(client, "/") == home


API = "/api/rest_v1/feed/onthisday/all/02/20?collection=russia"
API_RU = "/feed/v1/wikipedia/ru/onthisday/all/2/20?collection=russia"


def _api(client, url: str = API) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def test_the_api_day_stores_each_entrys_item_and_reads_it_back(client, demo, settings) -> None:
    from hodie.almanac.models import EntryLine

    settings.SITE_URL = "https://hodie.example"

    first, first_ru = _api(client), _api(client, API_RU)
    items = EntryLine.objects.filter(variant__startswith="api:")
    assert items.filter(variant__startswith="api:en:").exists() and items.filter(variant__startswith="api:ru:").exists()
    kosenko = items.get(
        variant__startswith="api:en:", entry__slug="1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy"
    )
    # The site's address is not kept: it is put back per request.
    assert "https://hodie.example" not in kosenko.head and "\\u0000hodie-site\\u0000/entries/" in kosenko.head
    assert _api(client) == first and _api(client, API_RU) == first_ru
    EntryLine.objects.filter(pk=kosenko.pk).update(head=kosenko.head.replace("NKVD spy", "NKVD spy (kept)"))
    assert "NKVD spy (kept)" in _api(client).decode()
    assert b'"https://hodie.example/entries/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"' in first


def test_the_stored_api_day_is_the_documents_bytes(client, demo, settings) -> None:
    """Read from the stored items, in both languages, the bytes are day_feed's document as
    json.dumps writes it (the path the CLI and the static build still take)."""
    import json

    from hodie.almanac import days
    from hodie.almanac.onthisday import day_feed

    settings.SITE_URL = "https://hodie.example"
    for url, language in ((API, "en"), (API_RU, "ru")):
        _api(client, url)
        stored = _api(client, url)
        page = days.build_day(demo, 2, 20)
        expected = json.dumps(day_feed(page, "https://hodie.example", "all", today=days.today(), language=language),
                              ensure_ascii=False).encode()  # fmt: skip
        assert stored == expected
    assert "Георгий Николаевич Косенко" in _api(client, API_RU).decode()


def _person_revision(client, slug: str) -> str:
    import json

    document = json.loads(_api(client))
    for item in document["deaths"] + document["events"] + document["births"]:
        for page in item["pages"][1:]:
            if page["content_urls"]["desktop"]["page"].endswith(f"/people/{slug}/"):
                return page["revision"]
    raise AssertionError(f"no page of {slug} on 20 February")


def test_an_entry_of_the_same_person_saved_elsewhere_drops_the_days_items(client, demo) -> None:
    """A person's page summary carries the time of the person's newest entry: another entry of
    that person, on another day, saved, changes the 20 February document."""
    from hodie.almanac.models import Entry, Person

    person = Person.objects.get(slug="georgy-nikolayevich-kosenko")
    before = _person_revision(client, person.slug)
    other = Entry.objects.create(title="Kosenko recalled", edtf="1938-06-01", calendar="gregorian", slug="recalled")
    other.people.add(person)  # linked: his newest entry is now this one
    linked = _person_revision(client, person.slug)
    assert linked != before
    other.title = "Kosenko recalled to Moscow"
    other.save()  # saved again: newer still
    saved = _person_revision(client, person.slug)
    assert saved != linked
    assert saved == str(int(Entry.objects.get(pk=other.pk).updated.timestamp() * 1_000_000))
    other.delete()
    assert _person_revision(client, person.slug) == before


def test_a_person_unlinked_from_another_entry_drops_the_days_items(client, demo) -> None:
    from hodie.almanac.models import Entry, Person

    person = Person.objects.get(slug="georgy-nikolayevich-kosenko")
    other = Entry.objects.create(title="Kosenko recalled", edtf="1938-06-01", calendar="gregorian", slug="recalled")
    person.entries.add(other)  # from the person's side
    linked = _person_revision(client, person.slug)
    person.entries.remove(other)
    assert _person_revision(client, person.slug) != linked
    other.people.add(person)
    linked = _person_revision(client, person.slug)
    other.people.clear()
    assert _person_revision(client, person.slug) != linked
