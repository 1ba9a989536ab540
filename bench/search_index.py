"""The search keys and related lists of a large import, and queries answered from the keys.

`python bench/search_index.py N` imports N generated entries (bench/import_jsonl.py's file, with
one person in twenty named in Cyrillic) into a fresh SQLite database; the import leaves the keys
and lists to the job (hodie/search/jobs.py), which `hodie worker --once` then runs. Prints one JSON
line: the import's seconds, the job's seconds and peak memory, the rows written, and the
milliseconds of a few name queries (best of five)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.import_jsonl import generate

PEOPLE = ("Косенко", "Хрущёв", "Чайковский", "Boris Yeltsin", "Горбачёв", "Dmitri Shostakovich")
QUERIES = ("Kossenko", "хрущёва", "Tchaikovsky", "Ельцин", "Gorbachov", "Generated event")


def _with_people(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for i, line in enumerate(lines):
        row = json.loads(line)
        if i % 20 == 0:
            row["people"] = [PEOPLE[(i // 20) % len(PEOPLE)]]
        out.append(json.dumps(row, ensure_ascii=False))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1])
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="hodie-search-bench-") as tmp:
        data = Path(tmp) / "entries.jsonl"
        generate(data, n)
        _with_people(data)
        setup = Path(tmp) / "collection.jsonl"
        setup.write_text('{"type": "collection", "slug": "bench", "title": "Benchmark", "region": "world"}\n')
        env = {**os.environ, "HODIE_HOME": tmp, "HODIE_DATABASE_URL": f"sqlite:///{tmp}/hodie.sqlite3",
               "HODIE_TASKS_BACKEND": "database"}  # fmt: skip
        hodie = str(bin_dir / "hodie")
        subprocess.run([hodie, "import", "jsonl", str(setup)], env=env, check=True, capture_output=True)
        import_s = _timed([hodie, "import", "jsonl", str(data), "--collection", "bench"], env)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        job_s = _timed([hodie, "worker", "--once"], env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
        import django

        django.setup()
        from hodie.search.lookup import find
        from hodie.search.models import Related, SearchKey

        timings = {}
        for query in QUERIES:
            best = min(_query_ms(find, query) for _ in range(5))
            timings[query] = {"ms": round(best, 1), "hits": len(find(query))}
        print(json.dumps({
            "entries": n, "import_s": round(import_s, 1), "job_s": round(job_s, 1),
            "job_cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 1),
            "job_peak_mb": round(after.ru_maxrss / 1024), "keys": SearchKey.objects.count(),
            "lists": Related.objects.values("kind", "object_id").distinct().count(), "queries": timings,
        }, ensure_ascii=False))  # fmt: skip


def _query_ms(find, query: str) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    find(query)
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    main()
