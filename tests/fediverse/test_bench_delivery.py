"""bench/fediverse_delivery.py still runs against the current schema, at a toy size (figures come
from running it by hand, never from tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"),
    reason="runs once, in the SQLite suite: the script makes its own SQLite file",
)


@pytest.mark.slow
def test_the_delivery_benchmark_runs(tmp_path: Path) -> None:
    env = {**os.environ, "HODIE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "bench/fediverse_delivery.py", "20", "5"],
        env=env, capture_output=True, text=True, timeout=300, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["live"], result["dead"]) == (16, 4)  # every fifth server dead: 0, 5, 10, 15
    assert result["sent"] == result["received_with_matching_digest"] == 16
    assert (result["retrying"], result["received_bad"]) == (4, 0)
