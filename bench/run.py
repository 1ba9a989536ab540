"""Run the benchmarks and write docs/benchmarks.md (one command: `make bench`).

Day lookup over 1,000,000 generated entries on SQLite and, when it answers, PostgreSQL, with
the raw SQL of the same query measured in the same run as the peer (what the ORM costs).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("HODIE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
N = int(os.environ.get("HODIE_BENCH_ENTRIES", "1000000"))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except OSError:
        mem = "unknown memory"
    import sqlite3

    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def run(url: str, n: int, collections: int) -> dict:
    env = {**os.environ, "HODIE_DATABASE_URL": url, "HODIE_HOME": tempfile.mkdtemp(prefix="hodie-bench-")}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "day_lookup.py"), str(n), str(collections)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def postgres_url() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            conn.execute("DROP DATABASE IF EXISTS hodie_bench")
            conn.execute("CREATE DATABASE hodie_bench")
        base = PG_ADMIN.rsplit("/", 1)[0]
        print(f"PostgreSQL {version} reachable", file=sys.stderr)
        return f"{base}/hodie_bench"
    except Exception as err:
        print(f"PostgreSQL not reachable ({err}); SQLite only", file=sys.stderr)
        return None


def row(label: str, r: dict) -> str:
    return (
        f"| {label} | {r['entries']:,} | {r['collections']} | {r['entries_per_lookup']} | "
        f"{r['orm_lookup']['median_ms']} / {r['orm_lookup']['p95_ms']} | "
        f"{r['raw_sql_lookup']['median_ms']} / {r['raw_sql_lookup']['p95_ms']} | "
        f"{r['build_day_page_data']['median_ms']} / {r['build_day_page_data']['p95_ms']} | {r['load_seconds']} |"
    )


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for collections in (100, 1):
            db = Path(tmp) / f"bench-{collections}.sqlite3"
            print(f"SQLite, {N:,} entries in {collections} collection(s)...", file=sys.stderr)
            results.append((f"SQLite, {collections} collection(s)", run(f"sqlite:///{db}", N, collections)))
    pg = postgres_url()
    if pg:
        print(f"PostgreSQL, {N:,} entries in 100 collections...", file=sys.stderr)
        results.append(("PostgreSQL, 100 collections", run(pg, N, 100)))
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (bench/run.py) on {dt.date.today().isoformat()}.",
        "",
        f"Machine: {machine()}.",
        "",
        "## Day lookup",
        "",
        "A collection's entries for one day (the query behind every day page, the API and `hodie day`),",
        "measured in-process over random collections and days. Times in milliseconds, median / p95.",
        "*ORM* is `entries_for_day(...)` evaluated to rows; the peer, *raw SQL*, is the same indexed query",
        "through the bare database cursor, measured in the same run; *page data* is `build_day`, everything",
        "a day page needs (entries with their people and tags, the day's articles: four queries).",
        "",
        "| database | entries | collections | entries per day | ORM | raw SQL (peer) | page data | load (s) |",
        "|---|---|---|---|---|---|---|---|",
        *[row(label, r) for label, r in results],
        "",
        "Goal: median under 1 ms in-process for the day lookup.",
    ]
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
