"""The Wikimedia-shaped API against Wikimedia's own schema (``definitions/onthisdayResponse`` of
wikifeeds' spec.yaml in ../shared/data/wikimedia), on every day of the year, with jsonschema."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft4Validator

from hodie.almanac.days import ALL_DAYS

SPEC = Path(__file__).resolve().parents[3] / "shared" / "data" / "wikimedia" / "wikifeeds-spec.yaml"
pytestmark = pytest.mark.skipif(not SPEC.is_file(), reason=f"{SPEC} is absent: Wikimedia's schema not available")


def _swagger_to_draft4(node):
    """The spec is Swagger 2.0: drop ``example`` keys and its ``type: file`` (not JSON Schema), as
    the data's README says; everything else is Draft 4 as it stands."""
    if isinstance(node, dict):
        return {
            key: _swagger_to_draft4(value)
            for key, value in node.items()
            if key != "example" and not (key == "type" and value == "file")
        }
    if isinstance(node, list):
        return [_swagger_to_draft4(value) for value in node]
    return node


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    definitions = _swagger_to_draft4(spec["definitions"])
    schema = {**definitions["onthisdayResponse"], "definitions": definitions}
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def _errors(validator: Draft4Validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_every_day_of_the_year_meets_wikimedias_schema(validator, client, demo):
    checked, errors, with_people = 0, [], 0
    for month, day in ALL_DAYS:
        response = client.get(f"/api/rest_v1/feed/onthisday/all/{month:02d}/{day:02d}")
        assert response.status_code == 200
        document = response.json()
        checked += 1
        errors += [f"{month:02d}-{day:02d} {e}" for e in _errors(validator, document)]
        # jsonschema checks "format: date-time" only with an extra package; read each one here.
        for items in document.values():
            for page in (p for item in items for p in item["pages"]):
                assert dt.datetime.strptime(page["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
        with_people += sum(len(item["pages"]) > 1 for item in document.get("events", []) + document.get("births", []))
    assert checked == 366
    assert with_people > 0, "the demo should exercise person summaries too"
    assert errors == [], f"{len(errors)} errors, first: {errors[:5]}"


def test_a_person_without_a_description_is_no_extract(client, demo):
    from hodie.almanac.models import Person

    person = Person.objects.filter(entries__isnull=False, description="").first()
    assert person is not None
    entry = person.entries.first()
    mm, dd = divmod(entry.standard_key, 100)
    document = client.get(f"/api/rest_v1/feed/onthisday/all/{mm:02d}/{dd:02d}").json()
    pages = [p for items in document.values() for item in items for p in item["pages"]]
    summary = next(p for p in pages if p["displaytitle"] == person.name)
    assert summary["extract"] == ""
    assert summary["type"] == "no-extract"


def test_the_schema_check_rejects_what_the_api_used_to_serve(validator):
    """Proof the check can fail: a summary as the API served it before (no revision, timestamp,
    revisions or edit URLs) is rejected, with those four named."""
    before = {
        "events": [
            {
                "text": "Battle of Borodino",
                "year": 1812,
                "pages": [
                    {
                        "type": "standard", "title": "Borodino", "displaytitle": "Borodino",
                        "titles": {"canonical": "Borodino", "normalized": "Borodino", "display": "Borodino"},
                        "namespace": {"id": 0, "text": ""}, "pageid": 1, "lang": "en", "dir": "ltr",
                        "extract": "", "extract_html": "",
                        "content_urls": {"desktop": {"page": "https://x.test/e/"}, "mobile": {"page": "https://x.test/e/"}},
                    }
                ],
            }
        ]
    }  # fmt: skip
    messages = " ".join(_errors(validator, before))
    for missing in ("'revision'", "'timestamp'", "'revisions'", "'edit'"):
        assert missing in messages
