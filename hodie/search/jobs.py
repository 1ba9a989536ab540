"""The keys and related lists of a large import, written by the job worker (``hodie worker``)
after the import has committed, so that the import itself stays as fast as docs/benchmarks.md
says (the default queue is the database's; with HODIE_TASKS_BACKEND=immediate the job runs as soon
as the import commits)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django_tasks import task


@task()
def refresh_since(since: str) -> str:
    """Rewrite the keys of the entries and articles changed since ``since`` (ISO 8601), and the
    related lists they touch (the import wrote its people's, places' and tags' keys itself).
    Idempotent: run twice, the same rows."""
    from . import signals

    with transaction.atomic():
        changed = signals.refresh(dt.datetime.fromisoformat(since))
    return f"{changed} entries and articles indexed"
