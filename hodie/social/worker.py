"""The loop of ``hodie worker`` on the database queue.

A database that refuses for a while (``database is locked`` behind a long import, a read-only
file or disk, a PostgreSQL server restarting or failed over to a read-only replica) must not end
the worker: jobs would then wait until someone restarts ``hodie serve``. Each round that the
database refuses is logged and followed by a growing pause (``interval`` doubled each time, at
most :data:`MAX_PAUSE` seconds); the first round that succeeds again puts the pause back to
``interval``, and jobs waiting in the queue are run as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connections

from .jobs import announce_due, polls_due, requeue_stale

log = logging.getLogger(__name__)
MAX_PAUSE = 60.0


def one_round(announce: bool, due: Sequence[Callable[[], object]] = ()) -> None:
    requeue_stale()
    if announce:  # scheduled articles whose time has come, feeds due, and the other apps' (``due``)
        announce_due()
        polls_due(settings.HODIE_PARTNER_POLL_MINUTES)
        for work in due:
            work()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def pause_after(failures: int, interval: float) -> float:
    """Seconds to wait after ``failures`` refusals in a row: interval, 2×, 4×, ... up to MAX_PAUSE."""
    return min(MAX_PAUSE, max(interval, 0.1) * 2 ** (failures - 1))


def run(once: bool, interval: float, parent_gone: Callable[[], bool], due: Sequence[Callable[[], object]] = ()) -> None:
    """The loop; ``due`` are the other apps' once-a-minute checks (fediverse posts, email digests)."""
    last_announce: float | None = None
    failures = 0
    while True:
        announce = last_announce is None or time.monotonic() - last_announce > 60
        try:
            one_round(announce, due)
        except DatabaseError as err:
            failures += 1
            connections.close_all()  # a fresh connection next round (the file or server may be back)
            if once:
                raise
            pause = pause_after(failures, interval)
            log.error(
                "Job worker: the database refused (%s: %s); jobs stay queued, trying again in %.1f s",
                type(err).__name__,
                str(err).strip().splitlines()[0] if str(err).strip() else "no detail",
                pause,
            )
            if parent_gone():
                return
            time.sleep(pause)
            continue
        if failures:
            log.warning("Job worker: the database answers again after %d refused round(s)", failures)
            failures = 0
        if announce:
            last_announce = time.monotonic()
        if once or parent_gone():
            return
        time.sleep(interval)
