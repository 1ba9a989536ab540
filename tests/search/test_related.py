""" "Possibly related" (issue 16, §3): the order (people, then places and tags, then words), the
reason shown, stored on every change (the admin's saves and the writer's imports alike), across
collections and languages, and never read by the day page."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def _listed(obj) -> list[tuple[str, str, str]]:
    from hodie.search.related import shown

    return [(type(s.obj).__name__.lower() + ":" + s.obj.slug, s.reason, s.because) for s in shown(obj)]


def test_the_same_person_comes_first_then_the_same_place(names):
    listed = _listed(names["entries"]["kosenko-shot"])
    assert len(listed) == 5
    # Косенко's other entry (another collection, in English) and the article telling it share the person.
    assert set(listed[:2]) == {
        ("entry:kosenko-en", "person", "Косенко"),
        ("article:kosenko-article", "person", "Косенко"),
    }
    moscow = {"entry:secret-speech", "entry:khrushchev-dies", "entry:yeltsin-tank", "entry:gorbachev-resigns"}
    assert {label for label, _, _ in listed[2:]} < moscow
    assert all(reason == "place" and because == "Москва" for _, reason, because in listed[2:])


def test_a_tag_is_a_reason_when_no_person_is_shared(names):
    listed = _listed(names["entries"]["leningrad-symphony"])
    assert ("entry:tchaikovsky-born", "tag", "music") in listed and ("entry:symphony", "tag", "music") in listed
    assert all(reason != "person" for _, reason, _ in listed)


def test_words_in_common_come_last_and_meet_across_scripts(names, django_capture_on_commit_callbacks):
    from hodie.almanac.models import Collection, Entry

    en, ru = Collection.objects.get(slug="eng"), Collection.objects.get(slug="rus")
    with django_capture_on_commit_callbacks(execute=True):
        first = Entry(slug="sputnik", title="Sputnik launched", summary="Sputnik, the first satellite, reaches orbit.")
        first.set_date("1957-10-04")
        first.save()
        first.join([en])
        second = Entry(slug="sputnik-2", title="Спутник-2 на орбите", summary="Второй спутник выходит на орбиту.")
        second.set_date("1957-11-03")
        second.save()
        second.join([ru])
    listed = _listed(first)
    assert listed and listed[0][:2] == ("entry:sputnik-2", "text")
    assert "Sputnik" in listed[0][2]
    assert _listed(second)[0][:2] == ("entry:sputnik", "text")
    # A text sharing only common words is not listed: the Moscow entries share no rare word with it.
    assert all(label in ("entry:sputnik-2",) for label, _, _ in listed)


def test_the_lists_are_stored_and_change_with_the_links(names, django_capture_on_commit_callbacks):
    from hodie.search.models import Related

    kosenko, tank = names["entries"]["kosenko-shot"], names["entries"]["yeltsin-tank"]
    assert Related.objects.filter(kind="entry", object_id=kosenko.pk).count() == 5
    assert ("entry:yeltsin-tank", "person", "Косенко") not in _listed(kosenko)
    with django_capture_on_commit_callbacks(execute=True):
        tank.people.add(names["people"]["kosenko"])  # an editor adds Косенко to an entry in the admin
        assert ("entry:yeltsin-tank", "person", "Косенко") not in _listed(kosenko)  # not before the commit
    assert ("entry:yeltsin-tank", "person", "Косенко") in _listed(kosenko)
    with django_capture_on_commit_callbacks(execute=True):
        names["people"]["kosenko"].entries.remove(tank)  # from the other side, as the person's admin would
    assert ("entry:yeltsin-tank", "person", "Косенко") not in _listed(kosenko)
    with django_capture_on_commit_callbacks(execute=True):
        tank.delete()
    assert "entry:yeltsin-tank" not in {label for label, _, _ in _listed(kosenko)}
    assert not Related.objects.filter(other_kind="entry", other_id=tank.pk).exists()


def test_the_entry_and_article_pages_show_the_list_with_reasons(client, names):
    def text(html: str) -> str:  # what a reader reads: a name is in a span of its own language
        return re.sub(r"<span[^>]*>|</span>", "", html)

    page = client.get(names["entries"]["kosenko-shot"].get_absolute_url()).content.decode()
    assert "Possibly related" in page and "also about Косенко" in text(page) and "also in Москва" in text(page)
    page = client.get(names["article"].get_absolute_url()).content.decode()
    assert "Possibly related" in page and "also about Косенко" in text(page)
    assert "/entries/kosenko-en/" not in page.split("Possibly related")[1].split("</section>")[0]  # listed above it


def test_the_day_page_reads_no_related_list(client, names):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/rus/february-20/").status_code == 200
    assert not [q for q in queries.captured_queries if "search_" in q["sql"]]


def test_an_import_stores_keys_and_lists_once_at_its_end(tmp_path, db):
    from hodie.almanac.models import Collection, Entry
    from hodie.importers import jsonl
    from hodie.search.lookup import find
    from hodie.writer import import_records

    Collection.objects.create(slug="rus", title="История России", region="ru", language="ru")
    records = [
        {"id": "t-1", "date": "1939-02-20", "title": "Расстрелян Косенко", "collections": ["rus"],
         "people": ["Косенко"], "places": ["Москва"]},
        {"id": "t-2", "date": "1938-11-15", "title": "Arrest of Kosenko", "collections": ["rus"],
         "people": ["Косенко"]},
        {"id": "t-3", "date": "1941-06-22", "title": "War begins", "collections": ["rus"]},
    ]  # fmt: skip
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    import_records(jsonl.read(path), None)
    shot = Entry.objects.get(source_id="t-1")
    assert _listed(shot) == [("entry:" + Entry.objects.get(source_id="t-2").slug, "person", "Косенко")]
    assert {(f.kind, f.object_id) for f in find("Kossenko")} >= {("entry", shot.pk)}
    assert [f.kind for f in find("Kossenko") if f.kind == "person"] == ["person"]


def test_a_large_import_leaves_keys_and_lists_to_a_job(tmp_path, db, monkeypatch, django_capture_on_commit_callbacks):
    from hodie.almanac.models import Collection, Entry
    from hodie.importers import jsonl
    from hodie.search import jobs, signals
    from hodie.search.models import Related, SearchKey
    from hodie.writer import import_records

    monkeypatch.setattr(signals, "INLINE_MAX", 1)  # two entries are "large" here
    queued: list[str] = []
    job = jobs.refresh_since

    class Queue:  # the job as the worker would get it, kept here to run by hand below
        enqueue = staticmethod(queued.append)

    monkeypatch.setattr(jobs, "refresh_since", Queue)
    Collection.objects.create(slug="rus", title="История России", region="ru", language="ru")
    records = [
        {
            "id": "j-1",
            "date": "1939-02-20",
            "title": "Расстрелян Косенко",
            "collections": ["rus"],
            "people": ["Косенко"],
        },
        {
            "id": "j-2",
            "date": "1938-11-15",
            "title": "Arrest of Kosenko",
            "collections": ["rus"],
            "people": ["Косенко"],
        },
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        import_records(jsonl.read(path), None)
        assert queued == []  # queued only once the import has committed
    assert len(queued) == 1
    assert not SearchKey.objects.filter(kind="entry").exists() and not Related.objects.exists()
    assert job.call(queued[0]) == "2 entries and articles indexed"
    shot, arrest = Entry.objects.get(source_id="j-1"), Entry.objects.get(source_id="j-2")
    assert _listed(shot) == [(f"entry:{arrest.slug}", "person", "Косенко")]
    assert SearchKey.objects.filter(kind="entry", object_id=arrest.pk, key="kosenko").exists()


def _shown_by_the_orm(obj) -> list[tuple[str, int, str, str, str]]:
    """What related.shown gave when it read with the ORM: the stored rows in rank order, each with
    its entry or published article, and the language of the first name its reason shares."""
    from hodie.almanac.models import Article, Entry, Person, Place, Tag
    from hodie.search.models import Related

    rows = Related.objects.filter(kind=type(obj).__name__.lower(), object_id=obj.pk).order_by("rank")
    models = {"person": Person, "place": Place, "tag": Tag}
    found = []
    for row in rows:
        other = (Entry.objects if row.other_kind == "entry" else Article.objects.published()).filter(pk=row.other_id)
        if not other.exists():
            continue
        first = row.because.split(", ")[0]
        named = models[row.reason].objects.filter(name=first).first() if row.reason in models else None
        language = named.language if named else other.get().language
        found.append((row.other_kind, row.other_id, row.reason, row.because, language))
    return found


def test_the_list_is_what_the_orm_reads_for_every_entry_and_article(names, django_capture_on_commit_callbacks):
    from hodie.almanac.models import Article, Entry
    from hodie.search.related import shown

    def got(obj):
        return [(type(s.obj).__name__.lower(), s.obj.pk, s.reason, s.because, s.because_language) for s in shown(obj)]

    objects = [*Entry.objects.all(), *Article.objects.all()]
    assert sum(bool(_shown_by_the_orm(o)) for o in objects) > 5
    for obj in objects:
        assert got(obj) == _shown_by_the_orm(obj), obj.slug
    # An article taken back to draft leaves the lists that named it; a deleted entry too.
    article = names["article"]
    listing = [o for o in Entry.objects.all() if ("article", article.pk) in {g[:2] for g in got(o)}]
    assert listing
    Article.objects.filter(pk=article.pk).update(status="draft")
    for obj in listing:
        assert ("article", article.pk) not in {g[:2] for g in got(obj)}
        assert got(obj) == _shown_by_the_orm(obj)
