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


def test_the_deferred_index_is_whole_after_imports_and_saves(demo, tmp_path):
    """The writer sets the insert trigger aside to index a batch in one statement: afterwards the
    trigger is back (an entry saved through the ORM is indexed by it), a failed import leaves no
    index row behind, and FTS5's own integrity check agrees with the table."""
    import json

    from click.testing import CliRunner
    from django.db import connection

    from hodie.almanac.models import Collection, Entry
    from hodie.almanac.search import search
    from hodie.cli import main

    if connection.vendor != "sqlite":
        pytest.skip("the deferred index is SQLite's (FTS5); PostgreSQL indexes by expression")
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps({"id": f"w{i}", "date": "1905-01-22", "title": f"Walrus parade {i}"}) + "\n"
                            for i in range(2500)))  # fmt: skip
    assert CliRunner().invoke(main, ["import", "jsonl", str(good), "--collection", "russia"]).exit_code == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "z1", "date": "1905-01-22", "title": "Zeppelin fair"}) + "\n"
                   + json.dumps({"id": "z2", "date": "1905-02-30", "title": "Zeppelin fair"}) + "\n")  # fmt: skip
    assert CliRunner().invoke(main, ["import", "jsonl", str(bad), "--collection", "russia"]).exit_code != 0
    entry = Entry(title="Quokka census", date_text="1906-03-01")
    entry.save()
    entry.join([Collection.objects.get(slug="russia")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'hodie_entry_ai'")
        assert cursor.fetchone() == (1,)
        cursor.execute("INSERT INTO hodie_entry_fts(hodie_entry_fts, rank) VALUES ('integrity-check', 1)")
        cursor.execute("SELECT count(*) FROM hodie_entry_fts WHERE hodie_entry_fts MATCH 'walrus'")
        assert cursor.fetchone() == (2500,)
    assert [h.obj.title for h in search("quokka").hits] == ["Quokka census"]
    assert search("zeppelin").hits == []


def test_a_failure_while_the_trigger_is_aside_restores_it(db):
    from django.db import connection, transaction

    from hodie.almanac.search import entries_indexed_afterwards

    if connection.vendor != "sqlite":
        pytest.skip("the trigger is SQLite's")
    with transaction.atomic(), connection.cursor() as cursor:  # as the import's own transaction
        with pytest.raises(RuntimeError), entries_indexed_afterwards(cursor):
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'hodie_entry_ai'")
            assert cursor.fetchone() == (0,)  # set aside inside the block
            raise RuntimeError("the insert failed")
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'hodie_entry_ai'")
        assert cursor.fetchone() == (1,)  # back before the import's transaction ends


def test_the_first_century_bc_is_100_bc_to_1_bc_as_in_the_api(client, db):
    """century=-1 once searched 101 BC-2 BC (astronomical -100..-1) where the API read -99..0."""
    from hodie.almanac.models import Collection, Entry
    from hodie.almanac.search import search

    collection = Collection.objects.create(slug="antiquity", title="Antiquity")
    for date in ("1 BC", "100 BC", "101 BC", "AD 1"):
        entry = Entry(title=f"Quokka sighting {date}")
        entry.set_date(date)
        entry.save()
        entry.join([collection])
    found = sorted(h.obj.title for h in search("quokka", century=-1).hits)
    assert found == ["Quokka sighting 1 BC", "Quokka sighting 100 BC"]
    assert [h.obj.title for h in search("quokka", century=-2).hits] == ["Quokka sighting 101 BC"]
    api = client.get("/api/v1/entries", {"century": "-1", "q": "quokka"}).json()
    assert sorted(item["title"] for item in api["results"]) == found
