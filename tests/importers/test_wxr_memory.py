"""The WXR reader streams (issue 19: a 339 MB export reached 586 MB): reading an export ten times
larger costs no more memory. Measured with tracemalloc (Python's allocations), the same way as the
1,000,000-entry benchmark, over files made with bench/wxr_memory.py's own item.

The bound: the larger file holds 540 KiB more than the smaller; a reader that kept the file, its
text or its parsed items would grow by at least that. One that keeps one item at a time grows by
nothing but its caches filling: 18 KiB from 30 to 300 items on the machine of docs/benchmarks.md
(none from 100 to 1,000). 64 KiB, an eighth of the file's growth, parts the two.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from bench.wxr_memory import HEAD, ITEM
from hodie.importers import wxr

GROWTH_BOUND = 64 * 1024
BODY = "<p>" + "A paragraph of the post, long enough to weigh. " * 20 + "</p>"


def export(path: Path, items: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(1, items + 1):
            out.write(ITEM.format(n=n, body=BODY, c1=2 * n, c2=2 * n + 1))
        out.write("</channel></rss>\n")
    return path


def peak_of(read) -> int:  # type: ignore[no-untyped-def]
    """The peak of Python's allocations while ``read()`` runs, nothing else kept."""
    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow  # about 4 s: 990 records read under tracemalloc
def test_an_export_ten_times_larger_takes_no_more_memory(tmp_path: Path) -> None:
    small, large = export(tmp_path / "small.xml", 30), export(tmp_path / "large.xml", 300)
    assert sum(1 for _ in wxr.read(export(tmp_path / "warm.xml", 5))) == 15  # first-use caches, not counted
    added = large.stat().st_size - small.stat().st_size
    assert added > 8 * GROWTH_BOUND  # the files differ by far more than the bound

    def read_all(path: Path, records: int) -> None:  # a post and its two comments an item
        assert sum(1 for _ in wxr.read(path)) == records

    grown = peak_of(lambda: read_all(large, 900)) - peak_of(lambda: read_all(small, 90))
    assert grown < GROWTH_BOUND, f"reading a file {added} bytes larger took {grown} bytes more"


def test_the_bound_catches_a_reader_that_holds_the_file(tmp_path: Path) -> None:
    """What the bound must refuse: holding the larger file's bytes alone grows past it."""
    small, large = export(tmp_path / "small.xml", 30), export(tmp_path / "large.xml", 300)
    grown = peak_of(large.read_bytes) - peak_of(small.read_bytes)
    assert grown > GROWTH_BOUND
