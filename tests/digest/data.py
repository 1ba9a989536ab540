"""The content and subscribers the digest tests, the kill test's worker and the benchmark share."""

from __future__ import annotations

import datetime as dt


def make_russia():  # type: ignore[no-untyped-def]
    """A collection with two entries and a published article on 20 February."""
    from hodie.almanac.models import Article, Collection, Entry

    russia = Collection.objects.create(slug="russia", title="Russian history", region="ru")
    for title, date_text, kind, summary in [
        ("Kosenko shot in Moscow", "1939-02-20", "death", "An NKVD officer recalled from Harbin."),
        ("Alexander II signs the emancipation manifesto", "1861-02-19", "event", "Serfdom <ends> & more."),
        ("A day in spring", "1950-03-29", "event", ""),
    ]:
        entry = Entry(title=title, date_text=date_text, kind=kind, summary=summary)
        entry.save()
        entry.join([russia])
    article = Article.objects.create(
        title="The Kosenko file",
        slug="kosenko-file",
        excerpt="What the archive says about **Kosenko**.",
        body="Long text.",
        status="published",
        publish_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    article.entries.add(Entry.objects.get(title="Kosenko shot in Moscow"))
    return russia


def add_subscribers(collection, count: int, zone: str = "UTC", hour: int = 0) -> None:  # type: ignore[no-untyped-def]
    from hodie.digest.models import Subscriber

    Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"reader{n}@example.org", name=f"Reader {n}", collection=collection, time_zone=zone, hour=hour
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
