"""Search over the demo content: ranking, stemming, aliases, snippets, filters, dates as queries."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_name_finds_the_entry_the_article_and_the_person(demo):
    from hodie.almanac.search import search

    results = search("Kosenko")
    kinds = {h.kind for h in results.hits}
    assert {"entry", "article", "person"} <= kinds
    entry = next(h for h in results.hits if h.kind == "entry")
    assert entry.obj.source_id == "demo-ru-kosenko" and "<mark>Kosenko</mark>" in entry.snippet


def test_an_alias_finds_the_person(demo):
    from hodie.almanac.models import Alias
    from hodie.almanac.search import search

    alias = Alias.objects.select_related("person").first()
    found = [h.obj for h in search(alias.name).hits if h.kind == "person"]
    assert alias.person in found


def test_english_stemming_matches_other_forms(demo):
    from hodie.almanac.search import search

    titles = [h.obj.title for h in search("crowning").hits if h.kind == "entry"]
    assert "Ivan IV crowned Tsar" in titles


def test_filters_by_kind_and_century(demo):
    from hodie.almanac.search import search

    deaths = search("Tsar", kind="death").hits
    assert deaths and all(h.obj.kind == "death" for h in deaths)
    nineteenth = search("battle", century=19).hits
    assert nineteenth and all(1801 <= h.obj.year <= 1900 for h in nineteenth)


def test_a_day_goes_to_its_day_page_and_a_year_lists_its_entries(client, demo):
    response = client.get("/search/", {"q": "20 February"})
    assert response.status_code == 302 and response["Location"] == "/russia/february-20/"
    page = client.get("/search/", {"q": "1812"}).content.decode()
    assert "Battle of Borodino" in page and "(the year 1812)" in page


def test_reader_input_is_never_syntax_or_markup(client, demo):
    for q in ['"NEAR(', "title:x OR", "*", "-Kosenko", "<script>alert(1)</script>", "' OR 1=1 --", "\\"]:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200, q
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_bad_filters_are_a_400_that_says_why(client, demo):
    response = client.get("/search/", {"q": "x", "century": "nineteenth"})
    assert response.status_code == 400 and "whole numbers" in response.content.decode()


def test_entries_stored_by_a_bulk_import_are_searchable(demo, tmp_path):
    """The import writer inserts rows with raw SQL; the index must still hold them."""
    import json

    from click.testing import CliRunner

    from hodie.almanac.search import search
    from hodie.cli import main

    data = tmp_path / "x.jsonl"
    data.write_text(json.dumps({"id": "x1", "date": "1905-01-22", "title": "The kettle congress of Tver"}) + "\n")
    assert CliRunner().invoke(main, ["import", "jsonl", str(data), "--collection", "russia"]).exit_code == 0
    assert [h.obj.source_id for h in search("kettle congress").hits if h.kind == "entry"] == ["x1"]
