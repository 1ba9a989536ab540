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


def test_pagination_links(demo, client):
    _status, first = get(client, "/api/v1/entries?per_page=50")
    assert first["count"] > 100 and len(first["results"]) == 50 and first["previous"] is None
    _status, second = get(client, first["next"].split("testserver", 1)[1])
    assert second["page"] == 2 and {e["slug"] for e in second["results"]}.isdisjoint(
        e["slug"] for e in first["results"]
    )


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
    assert status == 400 and message in body["error"]


def test_article_and_404(demo, client):
    status, body = get(client, "/api/v1/articles?collection=russia")
    kosenko = next(a for a in body["results"] if "Kosenko" in a["title"])
    assert kosenko["cowritten"] and kosenko["full_url"].startswith("https://")
    status, one = get(client, f"/api/v1/articles/{kosenko['slug']}")
    assert status == 200 and "body_html" in one
    assert get(client, "/api/v1/articles/no-such-article")[0] == 404


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
