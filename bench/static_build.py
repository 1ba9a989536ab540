"""The static build beside Hugo and Pelican, on the same generated articles, in one run.

    python bench/static_build.py N [OUTDIR]     (prints one JSON object on its last line)

N articles are generated once (seeded): a title, a date between 1100 and 2020, one to three of
100 tags, a summary and three paragraphs of Markdown. From that one list each tool gets its own
input: Hodie a JSON Lines file for ``hodie import jsonl`` (an article is an entry there: it gets
its page, its day page and its tags' pages and feeds), Hugo a content folder with front matter and
minimal layouts of its own (a page per article, tag pages listing every article of the tag, RSS for
the site and each tag), Pelican Markdown files with its default theme (a page per article, tag
pages, Atom for the site and each tag). Each build runs as its own process, timed on the wall
clock, with its peak resident memory from ``wait4``. Hugo or Pelican missing is reported, not
fatal. Then one article is edited and ``hodie build --changed`` is timed, and where Hodie's build
time goes is sampled per kind of page.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HUGO = shutil.which("hugo") or "/usr/bin/hugo"
WORDS = (
    "river treaty siege winter council crown harvest bridge fleet charter market bishop cathedral "
    "merchant plague garrison border archive scholar printing railway telegraph mine factory strike "
    "election reform museum university observatory voyage canal fortress province village ferry"
).split()


def articles(n: int, seed: int = 1812) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    tags = [f"{rng.choice(WORDS).title()} {i}" for i in range(100)]
    found = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(3, 7))]
        year, month = rng.randint(1100, 2020), rng.randint(1, 12)
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 80))).capitalize() + "." for _ in "abc"]
        found.append(
            {
                "id": f"a{i}",
                "title": f"{' '.join(words).capitalize()} {i}",
                "date": f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}",
                "tags": sorted(set(rng.sample(tags, rng.randint(1, 3)))),
                "summary": paragraphs[0][:120],
                "body": "\n\n".join(f"{p} *{rng.choice(WORDS)}* **{rng.choice(WORDS)}**." for p in paragraphs),
            }
        )
    return found


def hodie_input(items: list[dict[str, Any]], folder: Path) -> Path:
    path = folder / "articles.jsonl"
    lines = [{"type": "collection", "slug": "bench", "title": "Bench", "language": "en"}]
    lines += [{**item, "collections": ["bench"]} for item in items]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
    '{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">'
    '{{ end }}</head><body>{{ block "main" . }}{{ end }}</body></html>',
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p>'
    '{{ .Content }}<ul>{{ range .Params.tags }}<li><a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a>'
    "</li>{{ end }}</ul>{{ end }}",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li>'
    '<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006" }}</li>{{ end }}</ul>{{ end }}',
    "_default/terms.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li>'
    '<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}',
}


def hugo_input(items: list[dict[str, Any]], folder: Path) -> Path:
    site = folder / "hugo"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(
        'baseURL = "http://127.0.0.1:8000/"\ntitle = "Bench"\nlanguageCode = "en"\ndisableKinds = ["sitemap"]\n'
        '[taxonomies]\ntag = "tags"\n[outputs]\nhome = ["HTML", "RSS"]\ntaxonomy = ["HTML", "RSS"]\n'
        'term = ["HTML", "RSS"]\n'
    )
    for relative, text in HUGO_LAYOUTS.items():
        (site / "layouts" / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / relative).write_text(text)
    for item in items:
        front = json.dumps({"title": item["title"], "date": item["date"], "tags": item["tags"],
                            "summary": item["summary"], "slug": item["id"]}, ensure_ascii=False)  # fmt: skip
        (site / "content" / "posts" / f"{item['id']}.md").write_text(f"{front}\n\n{item['body']}\n", encoding="utf-8")
    return site


def pelican_input(items: list[dict[str, Any]], folder: Path) -> Path:
    site = folder / "pelican"
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(
        'SITENAME = "Bench"\nSITEURL = "http://127.0.0.1:8000"\nPATH = "content"\nTIMEZONE = "UTC"\n'
        'DEFAULT_LANG = "en"\nDEFAULT_PAGINATION = False\nFEED_ALL_ATOM = "feeds/all.atom.xml"\n'
        'TAG_FEED_ATOM = "feeds/{slug}.atom.xml"\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\n'
        "AUTHOR_FEED_RSS = None\nRELATIVE_URLS = False\n"
    )
    for item in items:
        head = (
            f"Title: {item['title']}\nDate: {item['date']}\nTags: {', '.join(item['tags'])}\n"
            f"Slug: {item['id']}\nSummary: {item['summary']}\n\n"
        )
        (site / "content" / f"{item['id']}.md").write_text(head + item["body"] + "\n", encoding="utf-8")
    return site


def run_one(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall time and peak resident memory (MiB, from wait4) of one process."""
    began = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = {
            "seconds": round(seconds, 3),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_mib": round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is in KiB on Linux
            "status": process.returncode,
            "stdout": out.read().decode(errors="replace")[-1500:],
            "stderr": err.read().decode(errors="replace")[-1500:],
        }
    return result


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="hodie-build-bench-"))
    tools = (os.environ.get("HODIE_BENCH_TOOLS") or "hodie,hugo,pelican").split(",")
    folder.mkdir(parents=True, exist_ok=True)
    items = articles(n)
    env = {**os.environ, "HODIE_HOME": str(folder / "home"), "HODIE_SITE_URL": "http://127.0.0.1:8000",
           "HODIE_DATABASE_URL": f"sqlite:///{folder / 'hodie.sqlite3'}"}  # fmt: skip
    result: dict[str, Any] = {"articles": n, "tags": len({t for item in items for t in item["tags"]}),
                              "load_before": round(os.getloadavg()[0], 1)}  # fmt: skip

    hodie = [str(BIN / "python"), "-m", "hodie.cli"]
    imported = run_one([*hodie, "import", "jsonl", str(hodie_input(items, folder)), "--json"], env=env)
    assert imported["status"] == 0, imported["stderr"]
    result["hodie_import"] = {k: imported[k] for k in ("seconds", "peak_mib")}
    if "hodie" in tools:
        built = run_one([*hodie, "build", str(folder / "hodie-out")], env=env)
        assert built["status"] == 0, built["stderr"]
        result["hodie"] = {**{k: built[k] for k in ("seconds", "cpu_seconds", "peak_mib")},
                           "files": count_files(folder / "hodie-out"), "report": built["stdout"].strip()}  # fmt: skip
        for mode in ("--changed", "--profile"):
            done = subprocess.run(
                [str(BIN / "python"), str(ROOT / "bench" / "static_build.py"), mode, str(folder / "hodie-out")],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            result[f"hodie_{mode[2:]}"] = json.loads(done.stdout.strip().splitlines()[-1])
    if "hugo" in tools and Path(HUGO).exists():
        site = hugo_input(items, folder)
        built = run_one([HUGO, "--quiet", "-s", str(site), "-d", str(folder / "hugo-out")])
        assert built["status"] == 0, built["stderr"]
        result["hugo"] = {**{k: built[k] for k in ("seconds", "cpu_seconds", "peak_mib")},
                          "files": count_files(folder / "hugo-out")}  # fmt: skip
    pelican = BIN / "pelican"
    if "pelican" in tools and pelican.exists():
        site = pelican_input(items, folder)
        built = run_one([str(pelican), "content", "-s", "pelicanconf.py", "-o", str(folder / "pelican-out"), "-q"],
                        cwd=site)  # fmt: skip
        assert built["status"] == 0, built["stderr"]
        result["pelican"] = {**{k: built[k] for k in ("seconds", "cpu_seconds", "peak_mib")},
                             "files": count_files(folder / "pelican-out")}  # fmt: skip
    result["load_after"] = round(os.getloadavg()[0], 1)
    print(json.dumps(result))


def changed(out: Path) -> None:
    """One article's title edited, then ``--changed`` in this process: its report, CPU and wall
    time, what its bookkeeping costs, and the CPU each page it rendered took."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django

    django.setup()
    from hodie.almanac.models import Entry
    from hodie.publish import Output, build, pages, render

    entry = Entry.objects.get(source_id="a17")
    entry.title += " (edited)"
    entry.save()
    costs: dict[str, float] = {}
    get = render.Renderer.get

    def timed(self: render.Renderer, path: str) -> bytes:
        began = time.process_time()
        body = get(self, path)
        costs[path] = round((time.process_time() - began) * 1000, 1)
        return body

    render.Renderer.get = timed  # type: ignore[method-assign]
    cpu, wall = time.process_time(), time.perf_counter()
    report = build(out, changed=True)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    began = time.process_time()
    pages.fingerprint()
    fingerprint_ms = (time.process_time() - began) * 1000
    began = time.process_time()
    Output(out).load()
    manifest_ms = (time.process_time() - began) * 1000
    print(json.dumps({
        "report": report.summary(), "cpu_seconds": round(cpu, 3), "seconds": round(wall, 3),
        "fingerprint_ms": round(fingerprint_ms, 1), "manifest_ms": round(manifest_ms, 1),
        "pages_ms": dict(sorted(costs.items(), key=lambda kv: -kv[1])),
    }))  # fmt: skip


def profile(out: Path) -> None:
    """Where a full build's time goes: each kind of page timed (CPU) on a sample of up to 150,
    scaled by how many there are."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django

    django.setup()
    from hodie.publish import pages, render

    kinds: dict[str, list[str]] = {}
    for path in pages.all_paths():
        head = path.strip("/").split("/")[0]
        if path.startswith("/api/"):
            kind = "API days (6 types each)"
        elif path.endswith((".rss", ".atom", ".json", ".ics")):
            kind = "feeds and calendars"
        elif head in ("entries", "tags", "people", "places", "articles"):
            kind = f"{head} pages"
        elif path.count("/") == 3:
            kind = "day pages"
        else:
            kind = "other pages"
        kinds.setdefault(kind, []).append(path)
    found = {}
    with render.Renderer(out) as renderer:
        for kind, paths in kinds.items():
            sample = random.Random(1).sample(paths, min(150, len(paths)))
            began = time.process_time()
            if kind.startswith("API"):
                days = {(int(p.split("/")[-2]), int(p.split("/")[-1])) for p in sample}
                for month, day in days:
                    list(renderer.api_day(month, day, ["all", "selected", "events", "births", "deaths", "holidays"]))
                per = (time.process_time() - began) / len(days) / 6
            else:
                for path in sample:
                    renderer.get(path)
                per = (time.process_time() - began) / len(sample)
            found[kind] = {"count": len(paths), "ms_each": round(per * 1000, 2), "seconds": round(per * len(paths), 1)}
    print(json.dumps(found))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--profile":
        profile(Path(sys.argv[2]))
    elif len(sys.argv) > 2 and sys.argv[1] == "--changed":
        changed(Path(sys.argv[2]))
    else:
        main()
