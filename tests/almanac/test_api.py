"""The Wikimedia-shaped day document, served by the API and printed by `hodie day --json`."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_onthisday_shape(client, demo) -> None:
    response = client.get("/api/rest_v1/feed/onthisday/all/02/20")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "onthisday" in response["Content-Type"]
    data = response.json()
    assert set(data) == {"selected", "events", "births", "deaths", "holidays"}
    death = data["deaths"][0]
    assert death["year"] == 1939 and isinstance(death["year"], int)
    assert death["pages"][0]["displaytitle"] == "Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy"
    assert death["pages"][0]["content_urls"]["desktop"]["page"].endswith(
        "/entries/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"
    )
    assert death["date"] == {"edtf": "1939-02-20", "calendar": "gregorian", "display": "20 February 1939"}
    # The featured entry the article tells leads "selected".
    assert data["selected"][0]["pages"][0]["displaytitle"].startswith("Georgy Nikolayevich Kosenko")


def test_newest_first_and_bc_years(client, demo) -> None:
    from hodie.almanac.models import Entry

    entry = Entry(title="Caesar assassinated")
    entry.set_date("15 March 44 BC")
    entry.save()
    entry.join([demo])
    events = client.get("/api/rest_v1/feed/onthisday/events/3/15/").json()["events"]
    years = [item["year"] for item in events]
    assert years == sorted(years, reverse=True)
    assert years[-1] == -44


def test_holidays_have_no_year(client, demo) -> None:
    holidays = client.get("/api/rest_v1/feed/onthisday/holidays/05/09").json()["holidays"]
    assert holidays and all("year" not in item for item in holidays)


@pytest.mark.parametrize("path", ["02/30", "13/01", "00/10", "02/00"])
def test_impossible_day_is_a_json_404(client, demo, path) -> None:
    response = client.get(f"/api/rest_v1/feed/onthisday/all/{path}")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_cli_json_is_what_the_api_serves(client, demo) -> None:
    from click.testing import CliRunner

    from hodie.cli import main

    result = CliRunner().invoke(main, ["day", "02-20", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == client.get("/api/rest_v1/feed/onthisday/all/02/20").json()


def test_etag_and_conditional_get(client, demo) -> None:
    first = client.get("/api/rest_v1/feed/onthisday/all/02/20")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/rest_v1/feed/onthisday/all/02/20", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/rest_v1/feed/onthisday/all/02/20", HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200
