"""What a page tells machines is in the reader's language too (issue 16 §1): ``<title>``, the meta
description, OpenGraph and JSON-LD give the translation where there is one, else the original,
and ``lang``, ``og:locale`` and ``inLanguage`` name the language the words are really in."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db

KOSENKO = "/entries/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"
KOSENKO_RU = "Георгий Николаевич Косенко (он же Кислов), разведчик НКВД"
KOSENKO_EN = "Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy"
MIR = "/entries/1986-mir-core-module-launched/"


def head(client, url: str, language: str) -> dict:
    """The page's title element, description, og: tags and JSON-LD blocks, as a reader of ``language`` gets them."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    og = dict(re.findall(r'<meta property="(og:[a-z:_]+)" content="([^"]*)"', html))
    return {
        "title": re.search(r"<title[^>]*>.*?</title>", html, re.S).group(),
        "description": re.search(r'<meta name="description"[^>]*>', html).group(),
        "og": og,
        "jsonld": [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)],
    }


def test_a_russian_and_an_english_reader_on_the_same_entry(client, demo) -> None:
    """The Russian reader's title, description, og:title and Event are the Russian translation,
    said to be Russian; the English reader's are the English original, said to be English."""
    ru = head(client, KOSENKO, "ru")
    assert ru["title"] == f"<title>1939: {KOSENKO_RU} — Hodie</title>"
    assert ru["description"] == f'<meta name="description" content="20 февраля 1939: {KOSENKO_RU}">'
    assert (ru["og"]["og:title"], ru["og"]["og:locale"]) == (f"1939: {KOSENKO_RU} — Hodie", "ru_RU")
    assert ru["og"]["og:description"] == f"20 февраля 1939: {KOSENKO_RU}"
    (event,) = ru["jsonld"]
    assert (event["name"], event["inLanguage"]) == (KOSENKO_RU, "ru")
    assert event["about"] == [{"@type": "Person", "name": "Георгий Николаевич Косенко"}]
    assert event["location"][0]["name"] == "Москва"
    assert event["description"].startswith("Советский разведчик, служивший за границей под фамилией Кислов")

    en = head(client, KOSENKO, "en")
    assert en["title"] == f"<title>1939: {KOSENKO_EN} — Hodie</title>"
    assert en["description"] == f'<meta name="description" content="20 February 1939: {KOSENKO_EN}">'
    assert (en["og"]["og:title"], en["og"]["og:locale"]) == (f"1939: {KOSENKO_EN} — Hodie", "en_US")
    (event,) = en["jsonld"]
    assert (event["name"], event["inLanguage"]) == (KOSENKO_EN, "en")
    assert event["about"] == [{"@type": "Person", "name": "Georgy Nikolayevich Kosenko"}]
    assert event["description"].startswith("A Soviet foreign intelligence officer")


def test_an_untranslated_entry_is_marked_in_its_own_language(client, demo) -> None:
    """No Russian title: a Russian reader's title and description are the English ones, marked
    lang="en", the date written in English too so the whole description is one language."""
    ru = head(client, MIR, "ru")
    assert ru["title"] == '<title lang="en">1986: Mir core module launched — Hodie</title>'
    described = '<meta name="description" content="20 February 1986: Mir core module launched" lang="en">'
    assert ru["description"] == described
    assert ru["og"]["og:locale"] == "en_US"
    assert ru["jsonld"][0]["inLanguage"] == "en"
    assert ru["jsonld"][0]["description"].startswith("The first module of the Mir space station")


def test_a_translated_title_without_its_summary_is_described_by_its_date(client, demo) -> None:
    """The Event's description is never in another language than its name: with only the title
    translated, a Russian reader's Event is described by its date, written in Russian."""
    from hodie.almanac.models import Entry

    mir = Entry.objects.get(slug="1986-mir-core-module-launched")
    mir.translations = {"ru": {"title": "Запущен базовый блок «Мира»"}}
    mir.save()
    ru = head(client, MIR, "ru")
    assert ru["title"] == "<title>1986: Запущен базовый блок «Мира» — Hodie</title>"
    (event,) = ru["jsonld"]
    assert (event["name"], event["inLanguage"], event["description"]) == (
        "Запущен базовый блок «Мира»",
        "ru",
        "20 февраля 1986",
    )


def test_the_day_page_in_each_language(client, demo) -> None:
    ru = head(client, "/russia/february-20/", "ru")
    (items,) = [d for d in ru["jsonld"] if d["@type"] == "ItemList"]
    assert items["name"] == "20 февраля: история России"
    events = {i["item"]["url"].split("/entries/")[1]: i["item"] for i in items["itemListElement"]}
    kosenko = events["1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"]
    assert (kosenko["name"], kosenko["inLanguage"]) == (KOSENKO_RU, "ru")
    assert events["1986-mir-core-module-launched/"]["inLanguage"] == "en"
    # Only the lines a Russian reader reads in Russian, so the description is Russian throughout.
    assert f"1939: {KOSENKO_RU}" in ru["description"] and "Mir" not in ru["description"]
    assert ru["og"]["og:locale"] == "ru_RU" and ' lang="' not in ru["description"]

    en = head(client, "/russia/february-20/", "en")
    (items,) = [d for d in en["jsonld"] if d["@type"] == "ItemList"]
    assert items["name"] == "February 20 in Russian history"
    assert f"1939: {KOSENKO_EN}" in en["description"] and "1986: Mir core module launched" in en["description"]


def test_a_person_page_in_each_language(client, demo) -> None:
    url = "/people/georgy-nikolayevich-kosenko/"
    ru = head(client, url, "ru")
    assert ru["title"] == "<title>Георгий Николаевич Косенко — Hodie</title>"
    (person,) = ru["jsonld"]
    assert person["name"] == "Георгий Николаевич Косенко"
    assert person["alternateName"] == ["Georgy Nikolayevich Kosenko", "Georgy Kosenko", "Kislov"]
    assert person["mainEntityOfPage"]["inLanguage"] == "ru"
    assert ru["description"] == '<meta name="description" content="Георгий Николаевич Косенко: 1 запись в Hodie">'

    en = head(client, url, "en")
    (person,) = en["jsonld"]
    assert (person["name"], person["mainEntityOfPage"]["inLanguage"]) == ("Georgy Nikolayevich Kosenko", "en")
    assert "Георгий Николаевич Косенко" in person["alternateName"]


def test_tag_and_place_pages_name_what_they_list_in_the_readers_language(client, demo) -> None:
    from hodie.almanac.models import Place, Tag

    assert Tag.objects.get(slug="nkvd").entries.count() == 4  # the demo's; Russian says "4 записи"
    ru = head(client, "/tags/nkvd/", "ru")
    assert ru["title"] == "<title>нквд — Hodie</title>"
    assert ru["description"] == '<meta name="description" content="нквд: 4 записи в Hodie">'
    en = head(client, "/tags/nkvd/", "en")
    assert en["description"] == '<meta name="description" content="nkvd: 4 entries in Hodie">'
    moscow = {"ru": {"name": "Москва", "description": "Столица."}}
    Place.objects.filter(slug="moscow").update(description="The capital.", translations=moscow)
    assert head(client, "/places/moscow/", "ru")["description"] == '<meta name="description" content="Столица.">'
    assert head(client, "/places/moscow/", "en")["description"] == '<meta name="description" content="The capital.">'


def test_an_article_in_each_language(client, demo) -> None:
    from hodie.almanac.models import Article

    article = Article.objects.get(source_id="demo-article-kosenko")
    article.translations = {"ru": {"title": "Косенко, разведчик", "excerpt": "Почти ничего не написано."}}
    article.save()
    ru = head(client, article.get_absolute_url(), "ru")
    assert ru["title"] == "<title>Косенко, разведчик — Hodie</title>"
    assert ru["description"] == '<meta name="description" content="Почти ничего не написано.">'
    (data,) = ru["jsonld"]
    assert (data["headline"], data["inLanguage"]) == ("Косенко, разведчик", "ru")
    en = head(client, article.get_absolute_url(), "en")
    (data,) = en["jsonld"]
    assert (data["headline"], data["inLanguage"]) == (article.title, "en")
    assert en["og"]["og:locale"] == "en_US" and "Почти" not in en["description"]


def test_an_imported_html_article_is_described_by_its_words_not_its_tags(client, demo):
    """An article imported as HTML, with no excerpt: its description is its text, as a reader reads
    it, not its markup read as Markdown (which showed ``<p>`` and ``&amp;`` to search engines)."""
    from hodie.almanac.models import Article

    article = Article.objects.create(
        title="Imported", slug="imported-html", markup="html", excerpt="", status="published",
        body="<p>Kosenko &amp; the <em>NKVD</em></p><p>Second paragraph.</p>",
    )  # fmt: skip
    description = head(client, article.get_absolute_url(), "en")["description"]
    assert 'content="Kosenko &amp; the NKVD Second paragraph."' in description, description
    assert "&lt;" not in description
