"""Demo content: a "Russian history" collection, its partner ExecutedToday.com and the
February 20 article written together with it, with a few readers' comments. Facts in our own
words; dates as written at the time (Old Style before 14 February 1918), read by the collection's
region.

Everything is in ``russia.jsonl`` (collections, entries, people's other names, the partner, the
authors, the article and its comments) and is stored by the one import writer, as any file is."""

from __future__ import annotations

from pathlib import Path

from hodie.almanac.models import Collection
from hodie.importers import jsonl
from hodie.writer import import_records

DATA = Path(__file__).parent / "russia.jsonl"


def load_demo(force: bool = False) -> str:
    if Collection.objects.filter(slug="russia").exists() and not force:
        return "The demo content is already loaded (kept as it is; use --force to load it again)."
    summary = import_records(jsonl.read(DATA), None)
    created = sum(summary.created.values())
    articles = sum(counts.get("article", 0) for counts in (summary.created, summary.updated, summary.unchanged))
    return (
        f"Loaded the demo: {summary.created.get('entry', 0)} entries created ({created} records in all), "
        f"{articles} article{'' if articles == 1 else 's'}."
    )
