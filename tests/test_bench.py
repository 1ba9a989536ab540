"""The benchmark scripts still run against the current schema (at a toy size: figures come from
`make bench`, never from tests). A benchmark that rots shows stale figures in docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"),
    reason="runs once, in the SQLite suite: the scripts make their own SQLite files",
)


def _last_json(args: list[str], env: dict[str, str]) -> dict:  # type: ignore[type-arg]
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_day_lookup_benchmark_runs(tmp_path: Path) -> None:
    env = {**os.environ, "HODIE_HOME": str(tmp_path), "HODIE_DATABASE_URL": f"sqlite:///{tmp_path}/b.sqlite3"}
    result = _last_json(["bench/day_lookup.py", "3000", "3"], env)
    assert result["entries"] == 3000 and result["entries_per_lookup"] > 0


PEER = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(PEER is None, reason="the import benchmark's peer, sqlite-utils, is not installed (.[dev])")
def test_the_import_benchmark_runs(tmp_path: Path) -> None:
    result = _last_json(["bench/import_jsonl.py", "3000"], {**os.environ})
    assert result["entries"] == 3000
    assert all(result[k]["rate"] > 0 for k in ("hodie", "hodie_reimport", "sqlite_utils", "floor", "floor_rows"))


def test_the_comment_and_webmention_load_benchmark_runs(tmp_path: Path) -> None:
    env = {**os.environ, "HODIE_HOME": str(tmp_path)}
    result = _last_json(["bench/comments_load.py", f"sqlite:///{tmp_path}/c.sqlite3", "20", "5", "4"], env)
    assert result["acknowledged"] == 20 and result["lost"] == 0 and result["duplicated"] == 0
    assert result["mention"]["statuses"] == {"202": 20}
    assert result["mentions_accepted"] == result["mentions_stored"] == 20
    assert result["mention_get"]["statuses"] == {"200": 20}
    mixed = result["mixed"]
    assert mixed["server_5xx"] == 0 and mixed["lost"] == 0 and mixed["duplicated"] == 0
    assert mixed["reads"]["statuses"].get("200", 0) > 0 and mixed["acknowledged"] > 0
