"""In-process render cost of every public page type: CPU time per request through Django's whole
handler (middleware included), the queries each one makes, and (``--profile``) where the time goes.

``python bench/render.py [--profile] [--big N COLLECTIONS] [--bigday N] [--only-big] [--pages NAMES]``
prints one
JSON line (the last line):
``{"pages": [{"page", "path", "median_ms", "p95_ms", "queries", "bytes"}], ...}``. The demo is
loaded through the real importer into a fresh database named by HODIE_DATABASE_URL (SQLite in
HODIE_HOME by default). With ``--big``, N generated entries over COLLECTIONS collections are
imported through the same import writer after the demo's pages are measured, and a typical day page
of one of them, plus the first page of a day of ``--bigday`` N entries, are measured then
(``--only-big``: those alone).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ.setdefault("HODIE_HOME", tempfile.mkdtemp(prefix="hodie-render-"))
    # A deployed site names its address (docs/deploy.md); the calendars keep their events only then.
    os.environ.setdefault("HODIE_SITE_URL", "http://testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django

    django.setup()
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.management import call_command

    from hodie.site import caching

    class NoPages(LocMemCache):
        """The page cache's generation is kept, as any real cache keeps it; pages are not stored.
        (A DummyCache lost the generation too, so every request bumped it and ran the query that
        finds the next scheduled article: a cost no configured site pays.)"""

        def set(self, key, value, timeout=None, version=None):  # type: ignore[no-untyped-def]
            if not key.startswith("hodie:page:"):
                super().set(key, value, timeout, version)

    # The render path itself: Hodie's page cache would answer every run after the first.
    pages = NoPages("bench-pages", {})
    caching._cache = lambda: pages  # type: ignore[assignment]

    call_command("migrate", verbosity=0)


def demo_pages() -> list[tuple[str, str]]:
    from hodie.almanac.models import Article, Collection, Entry, Person, Place, Tag
    from hodie.demo import load_demo

    load_demo()
    russia = Collection.objects.get(slug="russia")
    entry = Entry.objects.filter(membership__collection=russia, membership__day_key=220).order_by("pk").first()
    person = Person.objects.filter(entries__isnull=False).order_by("pk").first()
    tag = Tag.objects.filter(entries__isnull=False).order_by("pk").first()
    place = Place.objects.filter(entries__isnull=False).order_by("pk").first()
    article = Article.objects.published().order_by("pk").first()
    pages = [
        ("day page", "/russia/february-20/"),
        ("API day (Wikimedia shape)", "/api/rest_v1/feed/onthisday/all/02/20"),
        ("home (today)", "/"),
        ("collection calendar", "/russia/"),
        ("entry", entry.get_absolute_url() if entry else ""),
        ("person", person.get_absolute_url() if person else ""),
        ("tag", tag.get_absolute_url() if tag else ""),
        ("place", place.get_absolute_url() if place else ""),
        ("article", article.get_absolute_url() if article else ""),
        ("search", "/search/?q=Kosenko"),
        ("about dates", "/about/dates/"),
        ("widget", "/widget/russia/?date=02-20"),
        ("collection feed", "/russia/feed.atom"),
        ("collection .ics", "/russia.ics"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap section", "/sitemaps/days-1.xml"),
        ("robots.txt", "/robots.txt"),
        ("own API entries", "/api/v1/entries?collection=russia"),
    ]
    return [(name, path) for name, path in pages if path]


def measure(client, path: str, runs: int) -> dict:
    from django.db import connection

    first = client.get(path)
    if first.status_code != 200:
        raise SystemExit(f"{path} answered {first.status_code}")
    captured: list[str] = []

    def count(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path).getvalue()  # a streamed answer (the calendars) is made while it is read
    times = []
    for _ in range(runs):
        start = time.process_time()
        client.get(path).getvalue()
        times.append((time.process_time() - start) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
        "queries": len(captured),
        "bytes": len(first.getvalue()),
    }


def profile(client, path: str, runs: int = 200, top: int = 18) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def big_pages(n: int, collections: int) -> list[tuple[str, str]]:
    """N generated entries over COLLECTIONS collections, read from a JSONL file and stored by the
    one import writer (as `hodie import jsonl` does); a typical day of the first collection."""
    import random

    from django.db.models import Count

    from hodie.almanac.days import day_slug
    from hodie.almanac.models import Collection, Membership
    from hodie.importers import jsonl
    from hodie.writer import import_records

    rng = random.Random(1918)
    path = Path(tempfile.mkdtemp(prefix="hodie-render-big-")) / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for c in range(collections):
            out.write(json.dumps({"type": "collection", "slug": f"bench-{c}", "title": f"Bench {c}"}) + "\n")
        for i in range(n):
            year, month, day = rng.randint(1000, 2020), rng.randint(1, 12), rng.randint(1, 28)
            row = {"id": f"big-{i}", "date": f"{year + (year == 1582):04d}-{month:02d}-{day:02d}",
                   "title": f"Generated event number {i}", "kind": rng.choice(("event", "event", "birth", "death")),
                   "collections": [f"bench-{i % collections}"]}  # fmt: skip
            if i % 10 == 0:
                row["tags"] = [f"tag-{i % 50}"]
            out.write(json.dumps(row) + "\n")
    import_records(jsonl.read(path), None)
    first = Collection.objects.get(slug="bench-0")
    counts = list(
        Membership.objects.filter(collection=first).exclude(day_key=None).values("day_key")
        .annotate(n=Count("pk")).order_by("n", "day_key")
    )  # fmt: skip
    typical = counts[len(counts) // 2]["day_key"]
    return [
        (f"day page, {n:,} entries / {collections} collections", f"/bench-0/{day_slug(typical // 100, typical % 100)}/")
    ]


def big_day(n: int) -> list[tuple[str, str]]:
    """One collection with N entries on 7 March (the issue's biggest day has 2,732), through the
    import writer: the first page of that day."""
    from hodie.importers import jsonl
    from hodie.writer import import_records

    path = Path(tempfile.mkdtemp(prefix="hodie-render-day-")) / "day.jsonl"
    lines = [json.dumps({"type": "collection", "slug": "bigday", "title": "Big day"})]
    lines += [
        json.dumps(
            {"id": f"day-{i}", "date": f"{1000 + i % 1000:04d}-03-07", "title": f"Event {i}", "collections": ["bigday"]}
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_records(jsonl.read(path), None)
    return [(f"day page of {n:,} entries, first page", "/bigday/march-7/")]


def main() -> None:
    args = sys.argv[1:]
    setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed; DEBUG stays off
    client = Client()
    runs = int(os.environ.get("HODIE_BENCH_RENDER_RUNS", "300"))
    wanted = args[args.index("--pages") + 1].split(",") if "--pages" in args else []  # by name, as in the table

    def chosen(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [page for page in found if not wanted or any(page[0].startswith(name) for name in wanted)]

    # The demo's pages on the demo alone, then the big sets imported beside it and their pages: the
    # sitemap and the feeds measured on the demo are not those of a million entries (that site's
    # sitemap files are measured in docs/benchmarks.md, *Render path*).
    pages = [] if "--only-big" in args else chosen(demo_pages())
    results = []

    def measure_all(found: list[tuple[str, str]]) -> None:
        for name, path in found:
            result = {"page": name, "path": path, **measure(client, path, runs)}
            results.append(result)
            print(json.dumps(result), file=sys.stderr)

    measure_all(pages)
    big = []
    if "--big" in args:
        at = args.index("--big")
        big += big_pages(int(args[at + 1]), int(args[at + 2]))
    if "--bigday" in args:
        big += big_day(int(args[args.index("--bigday") + 1]))
    measure_all(chosen(big))
    pages += chosen(big)
    profiles = {}
    if "--profile" in args:
        for name, path in pages:
            profiles[path] = profile(client, path)
            print(f"==== {name} {path}\n{profiles[path]}", file=sys.stderr)
    print(json.dumps({"pages": results}))


if __name__ == "__main__":
    main()
