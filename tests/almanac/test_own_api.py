"""Hodie's own API: filters, pagination, errors, and schemathesis against /api/openapi.json."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from hodie.site.wsgi import application

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    return response.status_code, response.json()


def test_entries_filters(demo, client):
    status, body = get(client, "/api/v1/entries?collection=russia&kind=death&per_page=100")
    assert status == 200 and body["count"] == 22 and all(e["kind"] == "death" for e in body["results"])
    status, body = get(client, "/api/v1/entries?collection=russia&century=19&per_page=100")
    years = [e["date"]["year"] for e in body["results"]]
    assert years and min(years) >= 1801 and max(years) <= 1900
    status, body = get(client, "/api/v1/entries?from=1939-02-01&to=1939-02-28")
    # overlapping: the day itself, and a span of years that contains it
    assert [e["title"] for e in body["results"]] == [
        "Collectivisation and industrialisation",
        "Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy",
    ]
    assert body["results"][0]["date"]["precision"] != "day"
    status, body = get(client, "/api/v1/entries?q=Kislov")
    assert body["count"] == 1
    assert body["results"][0]["date"]["edtf"] == "1939-02-20"


def test_pagination_links(demo, client, settings):
    _status, first = get(client, "/api/v1/entries?per_page=50")
    assert first["count"] > 100 and len(first["results"]) == 50 and first["previous"] is None
    assert first["next"].startswith(f"{settings.SITE_URL}/api/v1/entries?")  # the public address, not Host
    _status, second = get(client, first["next"].removeprefix(settings.SITE_URL))
    assert second["page"] is None and {e["slug"] for e in second["results"]}.isdisjoint(
        e["slug"] for e in first["results"]
    )
    # Its previous link is the first page again; page 2 by number is the page "next" led to.
    _status, back = get(client, second["previous"].removeprefix(settings.SITE_URL))
    assert [e["slug"] for e in back["results"]] == [e["slug"] for e in first["results"]]
    _status, numbered = get(client, "/api/v1/entries?per_page=50&page=2")
    assert numbered["page"] == 2 and numbered["results"] == second["results"]


def test_the_cursor_pages_see_every_entry_once_in_date_order(demo, client, settings):
    """Issue 19: "next" to the end lists each entry once, oldest first, the undated last, and "previous"
    from the last page walks back through the addresses "next" gave."""
    from hodie.almanac.models import Entry

    addresses, slugs = ["/api/v1/entries?per_page=7"], []
    while True:
        _status, body = get(client, addresses[-1])
        slugs += [e["slug"] for e in body["results"]]
        if body["next"] is None:
            break
        addresses.append(body["next"].removeprefix(settings.SITE_URL))
    dated = Entry.objects.exclude(earliest_jdn=None).order_by("earliest_jdn", "pk").values_list("slug", flat=True)
    undated = Entry.objects.filter(earliest_jdn=None).order_by("pk").values_list("slug", flat=True)
    assert slugs == [*dated, *undated] and body["count"] == len(slugs)
    for back in range(len(addresses) - 1, 0, -1):
        _status, body = get(client, addresses[back])
        assert body["previous"].removeprefix(settings.SITE_URL) == addresses[back - 1]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/entries?page=51", "page must be at most 50: later pages are reached by the next links"),
        ("/api/v1/entries?after=12.x", "after: '12.x' is not a cursor"),
        ("/api/v1/entries?after=1.2&page=2", "give page or after, not both"),
    ],
)
def test_deep_numbers_and_bad_cursors_are_refused(demo, client, url, message):
    status, body = get(client, url)
    assert status == 400 and message in body["detail"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/entries?century=0", "century is never 0"),
        ("/api/v1/entries?kind=battle", "kind must be one of"),
        ("/api/v1/entries?from=Februaryish", "from:"),
        ("/api/v1/entries?per_page=1000", "per_page must be between 1 and 100"),
        ("/api/v1/entries?collection=nope", "no collection 'nope'"),
        ("/api/v1/entries?q=a%00b", "q contains a NUL character"),
    ],
)
def test_bad_parameters_say_what_is_wrong(demo, client, url, message):
    status, body = get(client, url)
    assert status == 400 and message in body["detail"]


def test_article_and_404(demo, client):
    status, body = get(client, "/api/v1/articles?collection=russia")
    kosenko = next(a for a in body["results"] if "Kosenko" in a["title"])
    assert kosenko["cowritten"] and kosenko["full_url"].startswith("https://")
    status, one = get(client, f"/api/v1/articles/{kosenko['slug']}")
    assert status == 200 and "body_html" in one
    assert get(client, "/api/v1/articles/no-such-article")[0] == 404


KOSENKO = "1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy"
KOSENKO_RU = "Георгий Николаевич Косенко (он же Кислов), разведчик НКВД"


def test_an_entry_in_the_language_asked_for(demo, client):
    """``?lang=ru``: the Russian title and summary, said to be Russian, the date in Russian; an
    entry not translated keeps its English texts and says they are English."""
    status, ru = get(client, f"/api/v1/entries/{KOSENKO}?lang=ru")
    assert status == 200 and ru["title"] == KOSENKO_RU
    assert ru["summary"].startswith("Советский разведчик, служивший за границей под фамилией Кислов")
    assert (ru["languages"], ru["language"], ru["translations"]) == ({"title": "ru", "summary": "ru"}, "en", ["ru"])
    assert ru["date"]["display"] == "20 февраля 1939"
    _status, mir = get(client, "/api/v1/entries/1986-mir-core-module-launched?lang=ru")
    assert (mir["title"], mir["languages"], mir["translations"]) == (
        "Mir core module launched",
        {"title": "en", "summary": "en"},
        [],
    )
    _status, plain = get(client, f"/api/v1/entries/{KOSENKO}")  # as stored, as before
    assert (plain["title"], plain["languages"]) == (
        "Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy",
        {"title": "en", "summary": "en"},
    )
    assert plain["date"]["display"] == "20 February 1939"


def test_lists_in_the_language_asked_for(demo, client):
    from hodie.almanac.models import Article, Entry

    _status, listed = get(client, "/api/v1/entries?from=1939-02-01&to=1939-02-28&lang=ru")
    assert [(e["title"], e["languages"]["title"]) for e in listed["results"]] == [
        ("Collectivisation and industrialisation", "en"),
        (KOSENKO_RU, "ru"),
    ]
    assert "lang=ru" in (listed["next"] or "lang=ru")  # a next page keeps the language
    karabakh = Entry.objects.get(title="Нагорный Карабах просит о передаче в Армянскую ССР").slug
    _status, english = get(client, f"/api/v1/entries/{karabakh}?lang=en")
    assert (english["language"], english["languages"]["title"]) == ("ru", "ru")  # no English: its own, said
    _status, collections = get(client, "/api/v1/collections?lang=ru")
    russia = next(c for c in collections["results"] if c["slug"] == "russia")
    assert (russia["title"], russia["languages"], russia["language"]) == ("история России", {"title": "ru"}, "en")
    article = Article.objects.get(source_id="demo-article-kosenko")
    article.translations = {"ru": {"title": "Косенко, разведчик", "body": "Тот самый день."}}
    article.save()
    _status, listed = get(client, "/api/v1/articles?lang=ru")
    found = next(a for a in listed["results"] if a["slug"] == article.slug)
    assert (found["title"], found["languages"]) == ("Косенко, разведчик", {"title": "ru", "excerpt_html": "en"})
    _status, one = get(client, f"/api/v1/articles/{article.slug}?lang=ru")
    assert one["body_html"] == "<p>Тот самый день.</p>\n" and one["languages"]["body_html"] == "ru"


@pytest.mark.parametrize("url", ["/api/v1/entries?lang=de", f"/api/v1/entries/{KOSENKO}?lang=de",
                                 "/api/v1/articles?lang=de", "/api/v1/collections?lang=de"])  # fmt: skip
def test_a_language_hodie_does_not_hold_is_a_400_naming_the_parameter(demo, client, url):
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json; charset=utf-8")
    assert response.json()["detail"] == "lang 'de' is not one of en, ru"


def test_an_empty_language_is_a_400_too(demo, client):
    response = client.get("/api/v1/collections?lang=")
    assert response.status_code == 400
    assert response.json()["detail"] == "lang is empty: give one of en, ru, or leave it out"


def test_the_openapi_document_names_the_languages(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/v1/entries", "/api/v1/entries/{slug}", "/api/v1/articles", "/api/v1/collections"):
        (lang,) = [p for p in paths[path]["get"]["parameters"] if p["name"] == "lang"]
        assert lang["schema"]["enum"] == ["en", "ru"]


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def loaded(demo):
    """Called straight through WSGI, Django would close the test's database connection at the end of
    each request; its own test client avoids that the same way, by not listening for it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield demo
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case, loaded):
    """Every check but one: a date in ``from``/``to`` is text Hodie reads ("20 February 1939",
    "1812", "c. 1380"), which JSON Schema cannot describe, so a schema-valid string may rightly get
    a 400 that names the problem; ``test_bad_parameters_say_what_is_wrong`` covers those answers."""
    case.call_and_validate(headers={"Host": "127.0.0.1"}, excluded_checks=[positive_data_acceptance])
