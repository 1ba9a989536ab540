"""Every public URL type over one generated collection of N entries (issue 19: 1,000,000): the time
and the peak memory of one request each, in-process, SQLite, the page cache off.

``python bench/big_collection.py N [--save DIR] [--skip KIND]... [--only KIND]...`` prints one JSON
line (the last line): ``{"entries", "generate_s", "pages": [{"kind", "path", "status", "streaming", "bytes", "wall_ms",
"cpu_ms", "peak_mib"}]}``; with ``--save``, each answer's body is written to
``DIR/<n>.body`` (n: its place in ``pages``) for tests/almanac/test_big_collection.py to read.

The rows are made by SQL inside SQLite (a recursive CTE: one INSERT ... SELECT a table), not by the
import writer: the writer's rate (docs/benchmarks.md, Import) would take over a minute of a shared
core per 1,000,000, and what is measured here is reading, not importing. Every entry is in the one
collection, tagged with the one tag, the one person and the one place, so each listing page holds
the whole collection: the worst case. Dates are Gregorian 1918-2017, 28 days a month, so a day holds
N/336 entries; the JDN comes from SQLite's ``julianday`` (proleptic Gregorian, as the date core).

Time is measured without tracemalloc (which slows Python several times), then memory with it: the
peak of Python's allocations during the request, the streamed body read to its end. SQLite's own
page cache is C memory and not in it.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "big"
DAY = "/big/february-20/"

ENTRIES_SQL = """
INSERT INTO almanac_entry (id, kind, title, slug, summary, body, featured, date_text, edtf, calendar,
    precision, earliest_jdn, latest_jdn, year, standard_key, julian_key, observance_key, policy,
    source_id, created, updated, import_hash, needs_review)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %s),
dated AS (
    SELECT i, 1918 + i %% 100 AS y, 1 + (i / 100) %% 12 AS m, 1 + (i / 1200) %% 28 AS d FROM seq
)
SELECT i, 'event', 'Generated event ' || i, 'generated-event-' || i, 'Summary of event ' || i, '', 0,
    printf('%%04d-%%02d-%%02d', y, m, d), printf('%%04d-%%02d-%%02d', y, m, d), 'gregorian', 'day',
    CAST(julianday(printf('%%04d-%%02d-%%02d', y, m, d)) + 0.5 AS INTEGER),
    CAST(julianday(printf('%%04d-%%02d-%%02d', y, m, d)) + 0.5 AS INTEGER),
    y, m * 100 + d, m * 100 + d, m * 100 + d, '', 'big-' || i,
    CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '', 0
FROM dated
"""


def generate(n: int) -> float:
    """One collection of ``n`` entries, each with the one tag, person and place; seconds taken."""
    from django.db import connection, transaction

    from hodie.almanac.models import Collection, Person, Place, Tag

    started = time.perf_counter()
    with transaction.atomic():
        collection = Collection.objects.create(slug=SLUG, title="Big", region="ru", language="en")
        tag = Tag.objects.create(name="Everything", slug="everything")
        person = Person.objects.create(name="Everyone", slug="everyone")
        place = Place.objects.create(name="Everywhere", slug="everywhere")
        with connection.cursor() as cursor:
            cursor.execute(ENTRIES_SQL, [n])
            cursor.execute(
                "INSERT INTO almanac_membership (collection_id, entry_id, day_key, entry_jdn)"
                " SELECT %s, id, standard_key, earliest_jdn FROM almanac_entry WHERE source_id LIKE 'big-%%'",
                [collection.pk],
            )
            for table, column, pk in (("tags", "tag_id", tag.pk), ("people", "person_id", person.pk),
                                      ("places", "place_id", place.pk)):  # fmt: skip
                cursor.execute(
                    f"INSERT INTO almanac_entry_{table} (entry_id, {column})"  # names from the tuple above
                    " SELECT id, %s FROM almanac_entry WHERE source_id LIKE 'big-%%'",
                    [pk],
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _cursor(i: int) -> str:
    """The listing cursor (hodie/almanac/keyset.py) of generated entry ``i``: its date as ENTRIES_SQL
    makes it, as a Julian Day Number, then its id."""
    day = dt.date(1918 + i % 100, 1 + (i // 100) % 12, 1 + (i // 1200) % 28)
    return f"{day.toordinal() + 1721425}.{i}"


def urls(n: int) -> list[tuple[str, str]]:
    """Each public URL type, pointed at the big collection of ``n`` entries (``kind``, path)."""
    middle, last_day_page, last_api_page = n // 2, -(-n // 336 // 100) or 1, -(-n // 100)
    # The last date the SQL makes (2017-12-28): after its first id, the listing's last page.
    last = dt.date(2017, 12, 28).toordinal() + 1721425
    return [
        ("home (today)", "/"),
        ("collection page", f"/{SLUG}/"),
        ("day page", DAY),
        ("day page, its last page", f"{DAY}?page={last_day_page}"),
        ("day page, Julian calendar", f"{DAY}?calendar=julian"),
        ("day page, observance calendar", f"{DAY}?calendar=observance"),
        ("entry", f"/entries/generated-event-{middle}/"),
        ("tag page", "/tags/everything/"),
        ("tag page, half-way by cursor", f"/tags/everything/?after={_cursor(middle)}"),
        ("tag page, old page 50", "/tags/everything/?page=50"),
        ("tag page, old page 5,000", "/tags/everything/?page=5000"),
        ("person page", "/people/everyone/"),
        ("place page", "/places/everywhere/"),
        ("search", "/search/?q=generated"),
        ("collection feed", f"/{SLUG}/feed.atom"),
        ("collection feed (RSS)", f"/{SLUG}/feed.rss"),
        ("today feed", f"/{SLUG}/today.atom"),
        ("tag feed", "/tags/everything/feed.atom"),
        ("person feed", "/people/everyone/feed.json"),
        ("site feed", "/feed.atom"),
        ("comments feed", "/comments/feed.rss"),
        ("collection calendar", f"/{SLUG}.ics"),
        ("tag calendar", "/tags/everything.ics"),
        ("API day (Wikimedia shape)", "/api/rest_v1/feed/onthisday/all/02/20"),
        ("own API entries", f"/api/v1/entries?collection={SLUG}&per_page=100"),
        ("own API entries, its last page", f"/api/v1/entries?collection={SLUG}&per_page=100&after={last}.0"),
        ("own API entries, old page 10,000", f"/api/v1/entries?collection={SLUG}&per_page=100&page={last_api_page}"),
        ("own API entry", f"/api/v1/entries/generated-event-{middle}"),
        ("own API collections", "/api/v1/collections"),
        ("widget", f"/widget/{SLUG}/?date=02-20"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap of entries", "/sitemaps/entries-1.xml"),
        ("sitemap of days", "/sitemaps/days-1.xml"),
        ("robots.txt", "/robots.txt"),
        ("about dates", "/about/dates/"),
    ]


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def _drain(response) -> None:  # type: ignore[no-untyped-def]
    """Read the answer as a client does, keeping none of a streamed one."""
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    else:
        response.content  # noqa: B018


def measure(client, path: str) -> tuple[dict, bytes]:  # type: ignore[no-untyped-def]
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    body = _body(response)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    gc.collect()
    tracemalloc.start()
    _drain(client.get(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "path": path,
        "status": response.status_code,
        "streaming": response.streaming,
        "content_type": response.get("Content-Type", ""),
        "bytes": len(body),
        "wall_ms": round(wall * 1000, 1),
        "cpu_ms": round(cpu * 1000, 1),
        "peak_mib": round(peak / 2**20, 2),
    }, body


def main() -> None:
    args = sys.argv[1:]
    n = int(args[0]) if args else 1_000_000
    save = Path(args[args.index("--save") + 1]) if "--save" in args else None
    os.environ.setdefault("HODIE_HOME", tempfile.mkdtemp(prefix="hodie-big-"))
    os.environ["HODIE_DATABASE_URL"] = ""  # SQLite in HODIE_HOME, whatever the caller's database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django

    django.setup()
    from django.core.cache.backends.dummy import DummyCache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from hodie.site import caching

    caching._cache = lambda: DummyCache("pages", {})  # type: ignore[assignment] # each request renders
    call_command("migrate", verbosity=0)
    setup_test_environment()  # the test client's host is allowed; DEBUG stays off
    generate_s = generate(n)
    client = Client()
    client.get("/about/dates/")  # the first request loads templates and translations: not counted
    pages = []
    skip = {args[i + 1] for i, arg in enumerate(args) if arg == "--skip"}  # kinds left out of a run
    only = {args[i + 1] for i, arg in enumerate(args) if arg == "--only"}  # or the only kinds measured
    for kind, path in urls(n):
        if kind in skip or (only and kind not in only):
            continue
        result, body = measure(client, path)
        pages.append({"kind": kind, **result})
        print(json.dumps(pages[-1]), file=sys.stderr)
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{len(pages) - 1}.body").write_bytes(body)  # numbered as in "pages"
    print(json.dumps({"entries": n, "generate_s": round(generate_s, 1), "pages": pages}))


if __name__ == "__main__":
    main()
