"""Derived spellings are stored and follow the name; editorial aliases stay the editors'; the
search page says which spelling matched."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _spellings(person) -> set[tuple[str, str]]:
    from hodie.search.models import SearchKey

    return set(SearchKey.objects.filter(kind="person", object_id=person.pk).values_list("spelling", "how"))


def test_romanisations_are_stored_and_recomputed_when_the_name_changes(names):
    person = names["people"]["khrushchev"]
    assert ("Khrushchev", "BGN/PCGN") in _spellings(person) and ("Hruŝev", "ISO 9 / GOST 7.79") in _spellings(person)
    person.name = "Горбачёв-второй"
    person.save()
    assert not {s for s, _ in _spellings(person)} & {"Khrushchev", "Hruŝev", "Хрущёв"}
    assert ("Gorbachev-vtoroy", "BGN/PCGN") in _spellings(person)


def test_derived_spellings_never_become_editorial_aliases(names):
    from hodie.almanac.models import Alias

    person = names["people"]["kosenko"]
    assert list(Alias.objects.filter(person=person).values_list("name", flat=True)) == ["Kislov"]
    assert ("Kislov", "alias") in _spellings(person)
    Alias.objects.filter(person=person).delete()
    assert ("Kislov", "alias") not in _spellings(person)  # the editors' word, gone with it


def test_the_search_page_says_which_spelling_matched(client, names):
    page = client.get("/search/", {"q": "Kossenko"}).content.decode()
    assert "Косенко" in page and "also written Kosenko" in page
    page = client.get("/search/", {"q": "Хрущёва"}).content.decode()
    assert "Хрущёв" in page and "also written" not in page.split('class="hits"')[1].split("</ol>")[0]
    page = client.get("/search/", {"q": "Ельцин"}).content.decode()
    assert "Boris Yeltsin" in page and "Yeltsin on the tank" in page


def test_search_is_the_same_whatever_the_case_on_people(names):
    from hodie.almanac.search import search

    lower = {(h.kind, h.obj.pk) for h in search("косенко").hits}
    upper = {(h.kind, h.obj.pk) for h in search("КОСЕНКО").hits}
    assert lower == upper and ("person", names["people"]["kosenko"].pk) in lower


def test_an_import_keeps_the_keys_of_people_it_renames_or_gives_other_aliases(tmp_path, db):
    import json

    from hodie.almanac.models import Person
    from hodie.importers import jsonl
    from hodie.writer import import_records

    def load(name: str, aliases: list[str]) -> Person:
        path = tmp_path / "people.jsonl"
        record = {"type": "person", "slug": "kosenko", "name": name, "aliases": aliases}
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        import_records(jsonl.read(path), None)
        return Person.objects.get(slug="kosenko")

    person = load("Косенко", ["Kislov"])
    assert {("Косенко", "name"), ("Kosenko", "BGN/PCGN"), ("Kislov", "alias")} <= _spellings(person)
    person = load("Косенко", ["Кислов"])  # the aliases alone change: stored in bulk, no signal
    assert ("Кислов", "alias") in _spellings(person) and ("Kislov", "alias") not in _spellings(person)
    person = load("Георгий Косенко", ["Кислов"])
    assert ("Georgiy Kosenko", "BGN/PCGN") in _spellings(person) and ("Kosenko", "BGN/PCGN") not in _spellings(person)


def test_a_translated_name_is_stored_with_its_romanisations_and_follows_the_translation(names):
    """Peter I's Russian name is only in his translation: it is searched as a name is, and a changed
    translation replaces its spellings."""
    person = names["people"]["peter"]
    # ё is read as е before the schemes romanise (spelling.romanisations): Petr, not Pyotr.
    assert {("Пётр Первый", "translation"), ("Petr Pervyy", "BGN/PCGN")} <= _spellings(person)
    person.translations = {"ru": {"name": "Пётр Великий"}}
    person.save()
    assert ("Petr Velikiy", "BGN/PCGN") in _spellings(person)
    assert not {s for s, _ in _spellings(person)} & {"Пётр Первый", "Petr Pervyy"}


def test_the_search_page_finds_what_only_a_translation_says(client, names):
    page = client.get("/search/", {"q": "Pyotr Pervyy"}).content.decode()
    assert 'href="/people/peter-i/"' in page and "also written" in page
    page = client.get("/search/", {"q": "флота"}).content.decode()
    assert 'href="/entries/navy/"' in page
    page = client.get("/search/", {"q": "voyna"}).content.decode()
    assert 'href="/tags/war/"' in page
