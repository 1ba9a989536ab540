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
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"),
        reason="runs once, in the SQLite suite: the scripts make their own SQLite files",
    ),
]


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


def test_the_static_build_benchmark_runs_hodie_at_a_toy_size(tmp_path: Path) -> None:
    """Hodie's side only: Hugo and Pelican run in `make bench`, never in the everyday tests."""
    env = {**os.environ, "HODIE_BENCH_TOOLS": "hodie"}
    result = _last_json(["bench/static_build.py", "20", str(tmp_path / "b")], env)
    assert result["articles"] == 20 and "hugo" not in result and "pelican" not in result
    assert result["hodie"]["files"] > 366 + 2196 and result["hodie"]["peak_mib"] > 0
    assert "changed build:" in result["hodie_changed"]["report"] and result["hodie_changed"]["pages_ms"]
    assert result["hodie_profile"]["entries pages"]["count"] == 20

    # The benchmark's build ran in forked workers (--jobs defaults to the cores, a file database):
    # one process writes the same bytes.
    folder = tmp_path / "b"
    env.update(
        HODIE_HOME=str(folder / "home"), HODIE_DATABASE_URL=f"sqlite:///{folder / 'hodie.sqlite3'}",
        HODIE_SITE_URL="http://127.0.0.1:8000",  # a static site must know its public address
    )  # fmt: skip
    one = subprocess.run([sys.executable, "-m", "hodie.cli", "build", str(tmp_path / "one"), "--jobs", "1"],
                         env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)  # fmt: skip
    assert one.returncode == 0, one.stderr[-3000:]
    forked, single = (
        json.loads((d / ".hodie-build.json").read_text())["files"] for d in (folder / "hodie-out", tmp_path / "one")
    )
    # The toy has no articles and no comments: Django's feedgenerator dates an empty RSS or Atom feed
    # with the current time, so those four files differ between any two builds.
    empty = {"feed.rss", "feed.atom", "comments/feed.rss", "comments/feed.atom"}
    assert {k: v for k, v in forked.items() if k not in empty} == {k: v for k, v in single.items() if k not in empty}
    assert len(single) > 2500 and empty <= set(single)


def test_the_build_benchmark_gives_each_tool_the_same_articles(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from bench import static_build

    items = static_build.articles(5)
    assert items == static_build.articles(5), "the generated articles are seeded"
    hugo = static_build.hugo_input(items, tmp_path)
    pelican = static_build.pelican_input(items, tmp_path)
    hodie = static_build.hodie_input(items, tmp_path)
    for item in items:
        front, _, body = (hugo / "content" / "posts" / f"{item['id']}.md").read_text().partition("\n\n")
        assert json.loads(front)["tags"] == item["tags"] and body.strip() == item["body"]
        page = (pelican / "content" / f"{item['id']}.md").read_text()
        assert f"Tags: {', '.join(item['tags'])}\n" in page and page.rstrip().endswith(item["body"])
    lines = [json.loads(line) for line in hodie.read_text().splitlines()]
    assert [line["title"] for line in lines[1:]] == [item["title"] for item in items]


def test_the_render_benchmark_runs(tmp_path: Path) -> None:
    env = {**os.environ, "HODIE_HOME": str(tmp_path), "HODIE_DATABASE_URL": f"sqlite:///{tmp_path}/r.sqlite3",
           "HODIE_BENCH_RENDER_RUNS": "3"}  # fmt: skip
    pages = {r["page"]: r for r in _last_json(["bench/render.py", "--big", "300", "3"], env)["pages"]}
    assert pages["day page"]["queries"] > 0 and pages["day page"]["bytes"] > 1000
    assert any(name.startswith("day page, 300 entries") for name in pages)


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("wrk") and shutil.which("nginx")), reason="wrk and nginx (Debian's) are needed")
def test_the_http_benchmark_runs_beside_nginx() -> None:
    result = _last_json(["bench/http_wrk.py", "1", "1"], {**os.environ})
    assert result["pages"] == 732  # every day of both demo collections
    for load in ("rotating", "rotating_cached", "hot"):
        for server in ("hodie", "nginx"):
            assert result[load][server]["requests"] > 0 and result[load][server]["non2xx"] == 0
