"""Import N generated JSONL entries with `hodie import jsonl`, and the same file with
`sqlite-utils insert --nl` as the peer; print one JSON line with rates and peak memory.

A third figure, the floor: the rows Hodie stored, already built, inserted into a fresh copy of
Hodie's tables the way the writer inserts them (batches of 2,000, the full-text rows of each batch
in one statement, one membership each), with no reading, no dates, no checks. No import into
these tables can be faster than that. A fourth: the entry rows alone, without their full-text and
membership rows, to show what those two cost."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = ("event", "event", "event", "birth", "death")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def generate(path: Path, n: int) -> None:
    rng = random.Random(1918)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            year, month, day = rng.randint(1000, 2020), rng.randint(1, 12), rng.randint(1, 28)
            if year == 1582:  # the days the reform skipped are refused, rightly; keep the file valid
                year = 1583
            if i % 4 == 0:
                date = f"{day} {MONTHS[month - 1]} {year}"  # a written date, read by the parser
            else:
                date = f"{year:04d}-{month:02d}-{day:02d}"
            row = {"id": f"bench-{i}", "date": date, "title": f"Generated event number {i}", "kind": rng.choice(KINDS)}
            if i % 10 == 0:
                row["tags"] = [f"tag-{i % 50}"]
            out.write(json.dumps(row) + "\n")


def timed(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and the child's peak resident memory in MiB."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{args[0]} failed: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
    return seconds, usage.ru_maxrss // 1024


def floor(template: Path, stored: Path, target: Path, *, whole: bool = True) -> float:
    """Seconds to insert the entries of ``stored`` into a copy of ``template`` (see the docstring);
    with ``whole`` false, the entry rows alone, without their full-text and membership rows."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, target)
    source = sqlite3.connect(stored)
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-32768")  # the writer's import cache
    columns = [row[1] for row in source.execute("PRAGMA table_info(almanac_entry)")]
    (collection,) = db.execute("SELECT id FROM almanac_collection WHERE slug = 'bench'").fetchone()
    insert = f"INSERT INTO almanac_entry ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    index = ("INSERT INTO hodie_entry_fts(rowid, title, summary, body) SELECT id, title, summary, body "
             "FROM almanac_entry WHERE id BETWEEN ? AND ?")  # fmt: skip
    rows = source.execute(f"SELECT {', '.join(columns)} FROM almanac_entry ORDER BY id")
    key, jdn = columns.index("standard_key"), columns.index("earliest_jdn")
    (trigger,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'hodie_entry_ai'"
    ).fetchone()
    start = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    while batch := rows.fetchmany(2000):
        db.execute("DROP TRIGGER hodie_entry_ai")  # as entries_indexed_afterwards does
        db.executemany(insert, batch)
        db.execute(trigger)
        if not whole:
            continue
        db.execute(index, (batch[0][0], batch[-1][0]))
        db.executemany(
            "INSERT INTO almanac_membership (collection_id, entry_id, day_key, entry_jdn) VALUES (?, ?, ?, ?)",
            [(collection, row[0], row[key], row[jdn]) for row in batch],
        )
    db.execute("COMMIT")
    seconds = time.perf_counter() - start
    stored_n = source.execute("SELECT count(*) FROM almanac_entry").fetchone()
    if db.execute("SELECT count(*) FROM almanac_entry").fetchone() != stored_n:
        raise SystemExit("the floor did not store every entry")
    source.close()
    db.close()
    return seconds


def main() -> None:
    n = int(sys.argv[1])
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="hodie-import-bench-") as tmp:
        data = Path(tmp) / "entries.jsonl"
        generate(data, n)
        setup = Path(tmp) / "collection.jsonl"
        setup.write_text('{"type": "collection", "slug": "bench", "title": "Benchmark", "region": "world"}\n')
        env = {**os.environ, "HODIE_HOME": tmp, "HODIE_DATABASE_URL": f"sqlite:///{tmp}/hodie.sqlite3"}
        subprocess.run(
            [str(bin_dir / "hodie"), "import", "jsonl", str(setup)], env=env, check=True, capture_output=True
        )
        template = Path(tmp) / "template.sqlite3"
        shutil.copy(f"{tmp}/hodie.sqlite3", template)
        command = [str(bin_dir / "hodie"), "import", "jsonl", str(data), "--collection", "bench", "--json"]
        hodie_s, hodie_mb = timed(command, env)
        floor_s = floor(template, Path(f"{tmp}/hodie.sqlite3"), Path(tmp) / "floor.sqlite3")
        rows_s = floor(template, Path(f"{tmp}/hodie.sqlite3"), Path(tmp) / "floor.sqlite3", whole=False)
        again_s, _ = timed(command, env)
        peer = [str(bin_dir / "sqlite-utils"), "insert", f"{tmp}/peer.db", "entries", str(data), "--nl"]
        peer_s, peer_mb = timed(peer, env)
        print(json.dumps({
            "entries": n, "file_mb": round(data.stat().st_size / 1e6, 1),
            "hodie": {"seconds": round(hodie_s, 1), "rate": round(n / hodie_s), "peak_mb": hodie_mb},
            "hodie_reimport": {"seconds": round(again_s, 1), "rate": round(n / again_s)},
            "sqlite_utils": {"seconds": round(peer_s, 1), "rate": round(n / peer_s), "peak_mb": peer_mb},
            "floor": {"seconds": round(floor_s, 1), "rate": round(n / floor_s)},
            "floor_rows": {"seconds": round(rows_s, 1), "rate": round(n / rows_s)},
        }))  # fmt: skip


if __name__ == "__main__":
    main()
