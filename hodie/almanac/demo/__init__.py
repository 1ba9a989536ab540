"""Demo content: a "Russian history" collection, its partner ExecutedToday.com and the
February 20 article written together with it. Facts in our own words; dates as written at
the time (Old Style before 14 February 1918), read by the collection's region."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from hodie.importers import jsonl

from ..models import Alias, Article, Author, Collection, Comment, Entry, Partner, Person, Tag
from ..writer import import_records

DATA = Path(__file__).parent / "russia.jsonl"

ALIASES = {
    "Georgy Nikolayevich Kosenko": ["Kislov", "Georgy Kosenko"],
    "Vladimir Lenin": ["Vladimir Ilyich Ulyanov"],
    "Joseph Stalin": ["Ioseb Jughashvili", "Koba"],
    "Peter the Great": ["Peter I", "Pyotr Alekseyevich"],
    "Catherine the Great": ["Catherine II", "Sophie of Anhalt-Zerbst"],
    "Ivan the Terrible": ["Ivan IV"],
    "Leon Trotsky": ["Lev Bronstein"],
    "Dmitry Donskoy": ["Dmitry Ivanovich"],
}

KOSENKO_EXCERPT = """\
On this date in 1939, Georgy Nikolayevich Kosenko was shot in Moscow. Abroad he had been
"Kislov", one of the officers of Soviet foreign intelligence who ran the NKVD's work from
embassies and trade missions in the 1930s.

The purge that Kosenko's service carried out across the Soviet Union in 1937 and 1938 did not
spare the service itself. Officers serving abroad were called home one after another; many of
them were arrested on arrival, and the charge was as a rule the one they had pressed on others:
spying for a foreign power.

Kosenko was one of those recalled. He was tried in the closed, minutes-long fashion of the day
and sentenced to death, and the sentence was carried out the same day, 20 February 1939.
"""


DEMO_COMMENTS = (
    # (source id, parent, name, url, badge, status, minutes after publication, text)
    ("demo-comment-1", "", "ExecutedToday", "https://www.executedtoday.com/", "partner", "approved", 95,
     "Thanks for working with us on this one. Glad to see that both our entries on Kosenko rank first in "
     "search for his name: a forgotten man, remembered twice."),
    ("demo-comment-2", "", "Marina", "", "", "approved", 400,
     "My grandfather served in the Far East in those years and never spoke of it. The *recall* of 1938 "
     "explains a lot."),
    ("demo-comment-3", "demo-comment-2", "Hodie demo editor", "", "author", "approved", 520,
     "Thank you, Marina. The [Memorial lists](https://base.memo.ru/) are a good place to start looking."),
    ("demo-comment-4", "", "Cheap pills", "https://spam.example/", "", "spam", 600,
     "Great post! Visit https://spam.example/ and https://spam.example/2 for deals."),
)  # fmt: skip


def _demo_comments(article: Article, partner: Partner) -> None:
    stored: dict[str, Comment] = {}
    for source_id, parent, name, url, badge, status, minutes, text in DEMO_COMMENTS:
        comment, _ = Comment.objects.update_or_create(
            source_id=source_id,
            defaults={
                "article": article, "parent": stored.get(parent), "author_name": name, "author_url": url,
                "badge": badge, "status": status, "body": text, "markup": "markdown",
                "created": article.publish_at + dt.timedelta(minutes=minutes),
            },
        )  # fmt: skip
        stored[source_id] = comment


def load_demo(force: bool = False) -> str:
    if Collection.objects.filter(slug="russia").exists() and not force:
        return "The demo content is already loaded (kept as it is; use --force to load it again)."
    from hodie.social.signals import quiet

    with transaction.atomic(), quiet():
        russia, _ = Collection.objects.update_or_create(
            slug="russia",
            defaults={
                "title": "Russian history",
                "region": "ru",
                "anniversary_policy": "standard",
                "language": "en",
                "description": (
                    "Dated entries from Russian history. Dates before 14 February 1918 are Old Style "
                    "(Julian), as written at the time, and filed on their New Style day."
                ),
            },
        )
        space, _ = Collection.objects.update_or_create(
            slug="space",
            defaults={
                "title": "the space age",
                "region": "world",
                "language": "en",
                "description": "Milestones of spaceflight.",
            },
        )
        summary = import_records(jsonl.read(DATA), russia)
        for name, aliases in ALIASES.items():
            person = Person.objects.filter(name=name).first()
            if person:
                for alias in aliases:
                    Alias.objects.get_or_create(person=person, name=alias)
        space_tag = Tag.objects.filter(slug="space").first()
        if space_tag:
            for entry in space_tag.entries.all():
                entry.join([space])
        partner, _ = Partner.objects.update_or_create(
            slug="executedtoday",
            defaults={
                "name": "ExecutedToday.com",
                "site_url": "https://www.executedtoday.com/",
                "feed_url": "https://www.executedtoday.com/feed/",
                "attribution": "written together with ExecutedToday.com",
                "description": "A daily history of executions, one story for every day of the year.",
            },
        )
        headsman, _ = Author.objects.update_or_create(name="Headsman", defaults={"partner": partner})
        editor, _ = Author.objects.get_or_create(name="Hodie demo editor")
        article, _ = Article.objects.update_or_create(
            slug="1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy",
            defaults={
                "title": "1939: Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy",
                "excerpt": KOSENKO_EXCERPT,
                "body": "",
                "partner": partner,
                "cowritten": True,
                "full_url": "https://www.executedtoday.com/2008/02/20/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/",
                "status": "published",
                "publish_at": timezone.make_aware(dt.datetime(2008, 2, 20, 8, 0)),
                "source_id": "demo-article-kosenko",
            },
        )
        article.authors.set([headsman, editor])
        article.entries.set(Entry.objects.filter(source_id="demo-ru-kosenko"))
        _demo_comments(article, partner)
    created = sum(summary.created.values())
    return f"Loaded the demo: {summary.created.get('entry', 0)} entries created ({created} records in all), 1 article."
