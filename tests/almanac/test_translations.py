"""Text in several languages: what a reader of each language is shown, how translations travel
through JSONL, CSV and the export, and where they are served (API, feeds, calendars, widget, admin,
editors' page)."""

from __future__ import annotations

import json
from typing import NamedTuple

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

DAY = "/russia/february-20/"
KOSENKO_RU = "Георгий Николаевич Косенко (он же Кислов), разведчик НКВД"
KARABAKH_RU = "Нагорный Карабах просит о передаче в Армянскую ССР"


class ShownCase(NamedTuple):
    language: str  # the object's original
    translations: dict
    reader: str
    text: str
    shown_in: str
    fallback: bool


SHOWN = [
    ShownCase("en", {}, "en", "Battle of Borodino", "en", False),
    ShownCase("en", {"ru": {"title": "Бородинское сражение"}}, "ru", "Бородинское сражение", "ru", False),
    ShownCase("en", {}, "ru", "Battle of Borodino", "en", True),
    ShownCase("en", {"ru": {"summary": "Кутузов"}}, "ru", "Battle of Borodino", "en", True),
    ShownCase("ru", {}, "en", "Battle of Borodino", "ru", True),
    ShownCase("ru", {"en": {"title": "Borodino"}}, "en", "Borodino", "en", False),
]


@pytest.mark.parametrize("case", SHOWN, ids=lambda c: f"{c.language}-read-in-{c.reader}-{bool(c.translations)}")
def test_a_reader_sees_their_language_else_the_original_marked(case: ShownCase) -> None:
    """The reader's language where the text has it; else the original, marked as a fallback."""
    from hodie.almanac.models import Entry
    from hodie.almanac.translations import shown

    entry = Entry(title="Battle of Borodino", language=case.language, translations=case.translations)
    said = shown(entry, "title", case.reader)
    assert (said.text, said.language, said.fallback) == (case.text, case.shown_in, case.fallback)


def test_an_empty_text_is_not_a_fallback() -> None:
    from hodie.almanac.models import Entry
    from hodie.almanac.translations import shown

    said = shown(Entry(title="T", summary="", language="en"), "summary", "ru")
    assert (said.text, said.fallback, bool(said)) == ("", False, False)


class BadTranslation(NamedTuple):
    line: dict
    message: str


BAD = [
    BadTranslation({"translations": {"de": {"title": "Schlacht"}}}, "translation language 'de' is not one of en, ru"),
    BadTranslation({"translations": {"ru": {"headline": "Битва"}}}, "an entry has no translatable field headline"),
    BadTranslation({"translations": ["ru", "Битва"]}, "translations must be an object by language"),
    BadTranslation({"translations": {"ru": {"title": 5}}}, "translations.ru must be an object of field: text"),
    BadTranslation({"language": "ru", "translations": {"ru": {"title": "Битва"}}}, "a translation into 'ru'"),
    BadTranslation({"language": "fr"}, "language 'fr' is not one of en, ru"),
]


@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.message[:30])
def test_a_bad_translation_is_refused_by_file_and_line(tmp_path, bad: BadTranslation) -> None:
    from hodie.importers import jsonl
    from hodie.importers.records import ImportProblem

    path = tmp_path / "in.jsonl"
    good = {"id": "a", "date": "1812-09-07", "title": "Borodino"}
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "b", **bad.line}) + "\n", encoding="utf-8")
    items = list(jsonl.read(path))
    assert not isinstance(items[0], ImportProblem)
    assert isinstance(items[1], ImportProblem)
    assert items[1].where == f"{path}:2" and bad.message in items[1].reason


@pytest.mark.django_db
def test_a_translation_into_the_collections_own_language_is_refused_whole(tmp_path) -> None:
    """A record without ``language`` is in its collection's; translating it into that is refused,
    by line, and nothing of the file is stored."""
    from hodie.almanac.models import Collection, Entry
    from hodie.importers import jsonl
    from hodie.writer import import_records
    from hodie.writer.summary import ImportFailed

    russia = Collection.objects.create(slug="russia", title="Russian history", region="ru", language="ru")
    path = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "date": "1812-09-07", "title": "Бородино"},
        {"id": "b", "date": "1812-09-08", "title": "Москва", "translations": {"ru": {"title": "Москва"}}},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_records(jsonl.read(path), russia)
    assert [(p["where"], p["reason"]) for p in failed.value.summary.errors] == [
        (f"{path}:2", "a translation into 'ru' of a text written in 'ru'")
    ]
    assert Entry.objects.count() == 0


BILINGUAL = [
    {"type": "collection", "slug": "russia", "title": "Russian history", "region": "ru", "language": "en",
     "translations": {"ru": {"title": "история России"}}},
    {"type": "person", "slug": "kutuzov", "name": "Mikhail Kutuzov", "language": "en",
     "translations": {"ru": {"name": "Михаил Кутузов"}}},
    {"type": "tag", "slug": "war", "name": "war", "language": "en", "translations": {"ru": {"name": "война"}}},
    {"id": "borodino", "date": "26 August 1812", "title": "Battle of Borodino", "summary": "Kutuzov meets Napoleon.",
     "people": ["Mikhail Kutuzov"], "tags": ["war"], "collections": ["russia"],
     "translations": {"ru": {"title": "Бородинское сражение", "summary": "Кутузов встречает Наполеона."}}},
    {"id": "fili", "date": "1 September 1812", "title": "Совет в Филях", "language": "ru", "collections": ["russia"]},
    {"type": "article", "id": "a1", "title": "Borodino", "status": "published", "published": "2020-09-07T08:00:00Z",
     "body": "The day.", "markup": "markdown", "entries": ["borodino"], "language": "en",
     "translations": {"ru": {"title": "Бородино", "body": "Тот день."}}},
]  # fmt: skip


def _load(tmp_path, rows=BILINGUAL):
    from hodie.importers import jsonl
    from hodie.writer import import_records

    path = tmp_path / "bilingual.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    summary = import_records(jsonl.read(path), None)
    assert summary.errors == []
    return summary


@pytest.mark.django_db
def test_translations_are_stored_as_the_file_gives_them(tmp_path) -> None:
    from hodie.almanac.models import Article, Collection, Entry, Person, Tag

    _load(tmp_path)
    borodino = Entry.objects.get(source_id="borodino")
    assert borodino.language == "en"  # the collection's, as the record names none
    assert borodino.translations == {"ru": {"title": "Бородинское сражение", "summary": "Кутузов встречает Наполеона."}}
    assert (Entry.objects.get(source_id="fili").language, Entry.objects.get(source_id="fili").translations) == (
        "ru",
        {},
    )
    assert Person.objects.get(slug="kutuzov").translations == {"ru": {"name": "Михаил Кутузов"}}
    assert Tag.objects.get(slug="war").translations == {"ru": {"name": "война"}}
    assert Collection.objects.get(slug="russia").translations == {"ru": {"title": "история России"}}
    assert Article.objects.get(source_id="a1").translations == {"ru": {"title": "Бородино", "body": "Тот день."}}


@pytest.mark.django_db
def test_export_import_export_keeps_every_translation(tmp_path, django_db_blocker) -> None:
    """Export, import into an emptied database, export again: the same bytes, translations and
    original languages included; a second import of the same file changes nothing."""
    from hodie.almanac.models import Article, Collection, Entry, Person, Tag
    from hodie.export import lines
    from hodie.importers import jsonl
    from hodie.writer import import_records

    _load(tmp_path)
    first = "".join(lines())
    assert '"translations":{"ru":{"summary":"Кутузов встречает Наполеона.","title":"Бородинское сражение"}}' in first
    assert '"title":"Совет в Филях"' in first and '"language":"ru"' in first
    for model in (Article, Entry, Person, Tag, Collection):
        model.objects.all().delete()
    path = tmp_path / "export.jsonl"
    path.write_text(first, encoding="utf-8")
    import_records(jsonl.read(path), None)
    assert "".join(lines()) == first
    again = import_records(jsonl.read(path), None)
    assert sum(again.updated.values()) == 0 and again.unchanged["entry"] == 2


@pytest.mark.django_db
def test_a_changed_translation_updates_its_entry_on_reimport(tmp_path) -> None:
    from hodie.almanac.models import Entry

    _load(tmp_path)
    changed = [dict(r) for r in BILINGUAL]
    changed[3] = {**changed[3], "translations": {"ru": {"title": "Бородинская битва"}}}
    summary = _load(tmp_path, changed)
    assert summary.updated["entry"] == 1
    assert Entry.objects.get(source_id="borodino").translations == {"ru": {"title": "Бородинская битва"}}


@pytest.mark.django_db
def test_csv_carries_translations_in_field_dot_language_columns(tmp_path) -> None:
    from hodie.almanac.models import Collection, Entry
    from hodie.importers import csvfile
    from hodie.importers.records import ImportProblem
    from hodie.writer import import_records

    russia = Collection.objects.create(slug="russia", title="Russian history", region="ru")
    path = tmp_path / "in.csv"
    path.write_text(
        "id,date,title,summary,title.ru,summary.ru\n"
        "b,26 August 1812,Battle of Borodino,Kutuzov meets Napoleon.,Бородинское сражение,\n",
        encoding="utf-8",
    )
    assert import_records(csvfile.read(path), russia).errors == []
    assert Entry.objects.get(source_id="b").translations == {"ru": {"title": "Бородинское сражение"}}
    bad = tmp_path / "bad.csv"
    bad.write_text("date,title,title.de\n1812-09-07,Borodino,Schlacht\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"bad.csv:1: unknown column\(s\) title.de"):
        list(csvfile.read(bad))


@pytest.mark.django_db
def test_the_model_refuses_translations_it_cannot_hold() -> None:
    from django.core.exceptions import ValidationError

    from hodie.almanac.models import Person

    person = Person(name="Kutuzov", slug="kutuzov", language="en", translations={"ru": {"title": "Кутузов"}})
    with pytest.raises(ValidationError, match="a person has no translatable field title"):
        person.full_clean()
    person.translations = {"en": {"name": "Kutuzov"}}
    with pytest.raises(ValidationError, match="a translation into 'en' of a text written in 'en'"):
        person.full_clean()
    person.translations = {"ru": {"name": "Кутузов", "description": " "}}
    person.full_clean()
    assert person.translations == {"ru": {"name": "Кутузов"}}  # empty texts are not kept


# ------------------------------------------------------------------ pages, API, feeds, calendars
@pytest.mark.django_db
def test_the_day_page_costs_the_same_queries_in_either_language(client, demo) -> None:
    """Translations ride in the rows the page reads already: a Russian reader's page makes no more
    queries than an English reader's, however many of its entries are translated."""
    from django.core.cache import caches

    counts = {}
    for language in ("en", "ru"):
        client.get(DAY, HTTP_ACCEPT_LANGUAGE=language)  # a first request reads what later ones find cached
        caches["pages"].clear()  # the page itself is rendered again, not served from the page cache
        with CaptureQueriesContext(connection) as queries:
            html = client.get(DAY, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        counts[language] = len(queries)
        assert ("20 февраля: история России" in html) == (language == "ru")
    assert counts["en"] > 3  # rendered, not cached
    assert counts["ru"] == counts["en"]


@pytest.mark.django_db
def test_person_and_entry_pages_in_russian(client, demo) -> None:
    html = client.get("/people/georgy-nikolayevich-kosenko/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "<h1>Георгий Николаевич Косенко</h1>" in html
    entry = client.get("/entries/1986-mir-core-module-launched/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<h1 class="p-name" lang="en">Mir core module launched</h1>' in entry
    assert '<p class="untranslated">(только по-английски)</p>' in entry
    borodino = client.get("/russia/september-7/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "26 августа (7 сентября) 1812" in borodino  # the genitive month, Old Style first in brackets


@pytest.mark.django_db
def test_the_wikimedia_api_in_russian(client, demo) -> None:
    for url in ("/feed/v1/wikipedia/ru/onthisday/deaths/02/20", "/api/rest_v1/feed/onthisday/deaths/02/20?lang=ru"):
        deaths = client.get(url).json()["deaths"]
        assert [item["pages"][0]["displaytitle"] for item in deaths] == [KOSENKO_RU]
        assert deaths[0]["pages"][0]["lang"] == "ru" and "lang" not in deaths[0]
        assert deaths[0]["date"]["display"] == "20 февраля 1939"
    events = client.get("/feed/v1/wikipedia/ru/onthisday/events/02/20").json()["events"]
    mir = next(item for item in events if "Mir" in item["pages"][0]["displaytitle"])
    assert mir["lang"] == "en" and mir["pages"][0]["lang"] == "en"  # not translated: its own language, said
    english = client.get("/feed/v1/wikipedia/en/onthisday/events/02/20").json()["events"]
    karabakh = next(item for item in english if item["pages"][0]["displaytitle"] == KARABAKH_RU)
    assert karabakh["lang"] == "ru"


@pytest.mark.django_db
def test_a_language_there_is_not_is_refused_by_name(client, demo) -> None:
    response = client.get("/api/rest_v1/feed/onthisday/all/02/20?lang=de")
    assert response.status_code == 400 and response.json()["detail"] == "lang 'de' is not one of en, ru"
    assert client.get("/feed/v1/wikipedia/de/onthisday/all/02/20").status_code == 404
    assert client.get("/russia/feed.json?lang=xx").status_code == 400


@pytest.mark.django_db
def test_feeds_and_calendars_per_language(client, demo) -> None:
    feed = client.get("/russia/feed.json?lang=ru").json()
    assert (feed["title"], feed["language"]) == ("история России", "ru")
    tagged = client.get("/tags/nkvd/feed.json?lang=ru").json()
    assert tagged["title"] == "Hodie: нквд" and f"1939: {KOSENKO_RU}" in [i["title"] for i in tagged["items"]]
    space = client.get("/tags/space/feed.json?lang=ru").json()
    titles = {item["title"]: item["content_html"] for item in space["items"]}
    assert '<div lang="en"><p>The first module of the Mir space station' in titles["1986: Mir core module launched"]
    english = client.get("/tags/nkvd/feed.json").json()
    assert "1939: Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy" in [i["title"] for i in english["items"]]
    assert f"1939: {KOSENKO_RU}" not in [i["title"] for i in english["items"]]
    ics = b"".join(client.get("/russia.ics?lang=ru").streaming_content).decode().replace("\r\n ", "")
    assert "X-WR-CALNAME:история России" in ics
    assert "SUMMARY:1939: " + KOSENKO_RU.replace(",", "\\,") in ics  # RFC 5545 escapes a comma
    assert "SUMMARY;LANGUAGE=en:1986: Mir core module launched" in ics


@pytest.mark.django_db
def test_the_widget_in_russian(client, demo) -> None:
    html = client.get("/widget/russia/?date=02-20&lang=ru", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ru">' in html and "<h1>20 февраля: история России</h1>" in html
    assert KOSENKO_RU in html and 'lang="en">Mir core module launched</a>' in html
    assert "Ещё об этом дне →" in html


@pytest.mark.django_db
def test_the_admin_filter_and_the_editors_count_show_what_is_missing(admin_client, demo) -> None:
    from hodie.almanac.models import Entry

    response = admin_client.get("/admin/almanac/entry/?missing=ru")
    shown = {e.title for e in response.context["cl"].queryset}
    assert "Mir core module launched" in shown
    assert "Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy" not in shown  # translated
    assert "Нагорный Карабах просит о передаче в Армянскую ССР" not in shown  # written in Russian
    not_english = admin_client.get("/admin/almanac/entry/?missing=en").context["cl"].queryset
    assert [e.title for e in not_english] == [KARABAKH_RU]
    total = Entry.objects.filter(membership__collection__slug="russia").count()
    editors = admin_client.get("/editors/russia/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{total - 2} entries not yet in Russian" in editors  # all but Kosenko and Karabakh
    assert "1 entry not yet in English" in editors


# Latin words the Russian interface keeps: the site's name, format, service and partner names, the
# language switcher's "English" (a language is named in itself), Roman centuries, the Markdown hint's link.
KEPT_LATIN = {"Hodie", "RSS", "Atom", "JSON", "Feed", "iCalendar", "English", "Bluesky", "Facebook", "https", "example",
              "org", "XIII", "XVI", "XVII", "XVIII", "XIX", "EDTF", "ExecutedToday", "com"}  # fmt: skip
RUSSIAN_PAGES = [
    "/russia/february-20/", "/russia/", "/entries/1986-mir-core-module-launched/",
    "/people/georgy-nikolayevich-kosenko/", "/tags/nkvd/", "/places/moscow/", "/about/dates/",
    "/russia/february-31/", "/widget/russia/?date=02-20&lang=ru",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("url", RUSSIAN_PAGES)
def test_no_english_is_left_in_the_russian_chrome(client, demo, url) -> None:
    """What is not content marked ``lang="en"`` (or a reader's comment, or a person's other names)
    is Russian on each page's body."""
    import re

    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    html = html[html.index("<body") :]
    html = re.sub(r'<p class="aliases">.*?</p>', " ", html, flags=re.S)  # Kislov: spellings of a name
    html = re.sub(r'<p class="share">.*?</p>', " ", html, flags=re.S)  # the links' text is the title, encoded
    html = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<ol class="comments">.*?</ol>', " ", html, flags=re.S)  # readers' own words
    html = re.sub(r'<(\w+)\b[^>]*\blang="en"[^>]*>.*?</\1>', " ", html, flags=re.S)
    html = re.sub(r'<span class="edtf"[^>]*>[^<]*</span>', " ", html)  # 1986-02-20, a code
    words = re.findall(r"[A-Za-z]{3,}", re.sub(r"<[^>]+>", " ", html))
    words += re.findall(r'(?:aria-label|title|placeholder|alt)="[^"]*?([A-Za-z]{3,})', html)
    assert sorted(set(words) - KEPT_LATIN) == []
