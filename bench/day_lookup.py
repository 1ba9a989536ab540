"""Day lookup over N generated entries, measured in-process.

Run by bench/run.py once per database (HODIE_DATABASE_URL), it prints one JSON object.
Entries get random day-precision dates between 1000 and 2020, Julian before 1918 as in a
Russian collection, with their anniversary keys computed by the real date core.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")


def generate(n: int, collections: int, seed: int = 20):
    from hodie.dates import HistoricalDate, Point, anniversaries, day_key
    from hodie.dates.calendars import month_length

    rng = random.Random(seed)
    for i in range(n):
        year = rng.randint(1000, 2020)
        month = rng.randint(1, 12)
        cal = "julian" if year < 1918 else "gregorian"
        day = rng.randint(1, month_length(year, month, cal))
        date = HistoricalDate(cal, Point(year, month, day))
        keys = anniversaries(date)
        yield (
            i + 1, "event", f"Generated event {i}", f"generated-event-{i}", date.edtf, cal, "day",
            date.earliest, date.latest, year, day_key(keys.standard), day_key(keys.julian),
            day_key(keys.standard), 1 + i % collections,
        )  # fmt: skip


def load(n: int, collections: int) -> float:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("almanac_membership", "almanac_entry", "almanac_collection"):
            cursor.execute(f"DELETE FROM {table}")
        cursor.executemany(
            "INSERT INTO almanac_collection (id, slug, title, region, anniversary_policy, language, description,"
            " translations) VALUES (%s, %s, %s, 'ru', 'standard', 'en', '', '{}')",
            [(c, f"c{c}", f"Collection {c}") for c in range(1, collections + 1)],
        )
    entry_sql = (
        "INSERT INTO almanac_entry (id, kind, title, slug, summary, body, featured, date_text, edtf, calendar,"
        " precision, earliest_jdn, latest_jdn, year, standard_key, julian_key, observance_key, policy, created,"
        " updated, import_hash, needs_review, language, translations) VALUES (%s, %s, %s, %s, '', '', false, %s, %s,"
        " %s, %s, %s, %s, %s, %s, %s, %s, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '', false, 'en', '{}')"
    )
    member_sql = "INSERT INTO almanac_membership (collection_id, entry_id, day_key, entry_jdn) VALUES (%s, %s, %s, %s)"
    batch: list[tuple] = []

    def flush() -> None:
        with connection.cursor() as cursor:
            cursor.executemany(entry_sql, [(r[0], r[1], r[2], r[3], r[4], *r[4:13]) for r in batch])
            cursor.executemany(member_sql, [(r[13], r[0], r[10], r[7]) for r in batch])
        batch.clear()

    from django.db import transaction

    with transaction.atomic():
        for row in generate(n, collections):
            batch.append(row)
            if len(batch) == 20_000:
                flush()
        if batch:
            flush()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def measure(fn, repeats: int) -> dict[str, float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter_ns()
        fn()
        times.append((time.perf_counter_ns() - started) / 1e6)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
        "runs": repeats,
    }


def main() -> None:
    n, collections = int(sys.argv[1]), int(sys.argv[2])
    import django

    django.setup()
    from django.db import connection

    from hodie.almanac.days import ALL_DAYS, build_day, entries_for_day
    from hodie.almanac.models import Collection

    load_seconds = load(n, collections)
    rng = random.Random(7)
    targets = [Collection.objects.get(pk=rng.randint(1, collections)) for _ in range(20)]
    days = [rng.choice(ALL_DAYS) for _ in range(20)]
    fields = ("pk", "kind", "title", "year", "edtf", "calendar")
    counts = []

    def orm_lookup() -> None:
        collection, (month, day) = rng.choice(targets), rng.choice(days)
        rows = list(entries_for_day(collection, month, day).values_list(*fields))
        counts.append(len(rows))

    placeholder = "%s"
    raw_sql = (
        "SELECT e.id, e.kind, e.title, e.year, e.edtf, e.calendar FROM almanac_membership m"
        " JOIN almanac_entry e ON e.id = m.entry_id"
        f" WHERE m.collection_id = {placeholder} AND m.day_key = {placeholder} ORDER BY m.entry_jdn, m.entry_id"
    )

    def raw_lookup() -> None:
        collection, (month, day) = rng.choice(targets), rng.choice(days)
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [collection.pk, month * 100 + day])
            cursor.fetchall()

    def page_build() -> None:
        collection, (month, day) = rng.choice(targets), rng.choice(days)
        page = build_day(collection, month, day)
        len(page.entries)

    for fn in (orm_lookup, raw_lookup, page_build):  # warm caches
        for _ in range(20):
            fn()
    counts.clear()
    result = {
        "vendor": connection.vendor,
        "entries": n,
        "collections": collections,
        "load_seconds": round(load_seconds, 1),
        "orm_lookup": measure(orm_lookup, 2000),
        "raw_sql_lookup": measure(raw_lookup, 2000),
        "build_day_page_data": measure(page_build, 300),
        "entries_per_lookup": round(statistics.mean(counts), 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
