"""A small bilingual almanac for the search and related tests: people, places and tags named in
Cyrillic or in Latin letters, entries in both languages, stored through the ORM (so through the
same signals an editor's saves go through)."""

from __future__ import annotations

import pytest


@pytest.fixture
def names(db, django_capture_on_commit_callbacks):
    """The almanac, its keys and related lists written as on commit (the test's transaction never commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _names()


def _names():
    from hodie.almanac.models import Alias, Article, Collection, Entry, Person, Place, Tag

    ru = Collection.objects.create(slug="rus", title="История России", region="ru", language="ru")
    en = Collection.objects.create(slug="eng", title="Russian history", region="ru", language="en")
    people = {
        "kosenko": Person.objects.create(name="Косенко", slug="kosenko"),
        "khrushchev": Person.objects.create(name="Хрущёв", slug="khrushchev"),
        "tchaikovsky": Person.objects.create(name="Пётр Ильич Чайковский", slug="tchaikovsky"),
        "yeltsin": Person.objects.create(name="Boris Yeltsin", slug="yeltsin"),
        "shostakovich": Person.objects.create(name="Dmitri Shostakovich", slug="shostakovich"),
        "gorbachev": Person.objects.create(name="Горбачёв", slug="gorbachev"),
        "kostenko": Person.objects.create(name="Костенко", slug="kostenko"),
        # Named in English; the Russian name is only in its translation.
        "peter": Person.objects.create(name="Peter I", slug="peter-i", translations={"ru": {"name": "Пётр Первый"}}),
    }
    Alias.objects.create(person=people["kosenko"], name="Kislov")  # an editorial alias: a different name
    places = {
        "moscow": Place.objects.create(name="Москва", slug="moskva"),
        "petersburg": Place.objects.create(name="St Petersburg", slug="st-petersburg"),
        "yekaterinburg": Place.objects.create(name="Екатеринбург", slug="yekaterinburg"),
    }
    tags = {
        "purge": Tag.objects.create(name="репрессии", slug="repressii"),
        "music": Tag.objects.create(name="music", slug="music"),
        "war": Tag.objects.create(name="war", slug="war", translations={"ru": {"name": "война"}}),
    }

    def entry(slug, title, date, collection, summary="", who=(), where=(), tagged=(), translations=None):
        found = Entry(slug=slug, title=title, date_text=date, summary=summary, translations=translations or {})
        found.set_date(date, region="ru")
        found.save()
        found.join([collection])
        found.people.set([people[p] for p in who])
        found.places.set([places[p] for p in where])
        found.tags.set([tags[t] for t in tagged])
        return found

    entries = {
        "kosenko-shot": entry("kosenko-shot", "Расстрелян Косенко", "1939-02-20", ru,
                              "Разведчик Косенко расстрелян в Москве.", ["kosenko"], ["moscow"], ["purge"]),
        "kosenko-en": entry("kosenko-en", "Kosenko arrested", "1938-11-15", en,
                            "The intelligence officer is arrested in Moscow.", ["kosenko"], ["moscow"], ["purge"]),
        "secret-speech": entry("secret-speech", "Доклад Хрущёва о культе личности", "1956-02-25", ru,
                               "Хрущёв читает закрытый доклад съезду.", ["khrushchev"], ["moscow"]),
        "khrushchev-dies": entry("khrushchev-dies", "Khrushchev dies", "1971-09-11", en,
                                 "The former First Secretary dies in Moscow.", ["khrushchev"], ["moscow"]),
        "tchaikovsky-born": entry("tchaikovsky-born", "Родился Чайковский", "1840-04-25", ru,
                                  "Композитор родился в Воткинске.", ["tchaikovsky"], [], ["music"]),
        "symphony": entry("symphony", "Шестая симфония Чайковского", "1893-10-16", ru,
                          "Премьера симфонии в Петербурге.", ["tchaikovsky"], ["petersburg"], ["music"]),
        "leningrad-symphony": entry("leningrad-symphony", "Leningrad Symphony premieres", "1942-03-05", en,
                                    "Shostakovich's seventh symphony is played.", ["shostakovich"], [], ["music"]),
        "yeltsin-tank": entry("yeltsin-tank", "Yeltsin on the tank", "1991-08-19", en,
                              "Boris Yeltsin speaks from a tank.", ["yeltsin"], ["moscow"]),
        "ipatiev": entry("ipatiev", "Расстрел царской семьи в Екатеринбурге", "1918-07-17", ru,
                         "Семья императора расстреляна в доме Ипатьева.", [], ["yekaterinburg"]),
        "gorbachev-resigns": entry("gorbachev-resigns", "Горбачёв уходит в отставку", "1991-12-25", ru,
                                   "Президент СССР слагает полномочия.", ["gorbachev"], ["moscow"]),
        # Its Russian words are only in its translation.
        "navy": entry("navy", "Navy founded", "1696-10-30", en, translations={"ru": {"title": "Основан русский флот"}}),
    }  # fmt: skip
    article = Article.objects.create(
        slug="kosenko-article",
        title="The spy Kosenko",
        excerpt="Almost nothing is written in English about him.",
        body="The story.",
        status="published",
    )
    article.entries.set([entries["kosenko-en"]])
    return {"people": people, "places": places, "tags": tags, "entries": entries, "article": article}
