"""The digest benchmark still runs (at a toy size: the figure comes from `make bench`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"),
    reason="runs once, in the SQLite suite: the script makes its own SQLite file",
)
def test_the_digest_benchmark_runs(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name != "HODIE_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.digest_delivery", "30", "10"], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["server_accepted"], result["server_recipients"], result["connections"]) == (30, 30, 3)
    assert result["statuses"] == {"sent": 30}
