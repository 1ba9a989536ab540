"""The slow-body and WXR-memory benchmarks still run (toy sizes; figures come from `make bench`)."""

from __future__ import annotations

import os

import pytest

from tests.test_bench import _last_json

pytestmark = pytest.mark.skipif(
    os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"), reason="the scripts make their own SQLite files"
)


@pytest.mark.slow
def test_the_wxr_memory_benchmark_runs() -> None:
    result = _last_json(["bench/wxr_memory.py", "20"], {**os.environ})
    assert result["records"] == 60 and result["peak_rss_mib"] > 0


@pytest.mark.slow
def test_the_slow_body_benchmark_runs() -> None:
    result = _last_json(["bench/slow_bodies.py", "asgi", "3", "2"], {**os.environ})
    assert result["slow_clients"] == 2 and result["reads"] > 0 and result["unanswered"] == 0
