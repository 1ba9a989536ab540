"""The commands that run the site and its background jobs: `hodie serve`, `hodie worker`,
`hodie announce`, `hodie digest` and `hodie partners poll` (registered on the `hodie` group in
:mod:`hodie.cli`), with the process handling they need: a busy port named before anything starts,
and a worker that goes down with the server that started it."""

from __future__ import annotations

import os
import subprocess
import sys

import click


def _setup() -> None:
    from hodie.cli import _setup as setup  # here, not at the top: hodie.cli imports this module

    setup()


def _fail(message: str) -> None:
    from hodie.cli import _fail as fail

    fail(message)


def _check_port_free(host: str, port: int) -> None:
    """A busy port is named before anything starts, instead of granian's traceback after "Serving on"."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                _fail(
                    f"Port {port} on {host} is already in use (is another server running there?). "
                    f"Choose another: `hodie serve --port {port + 1}`, or `make run PORT={port + 1}`."
                )
            _fail(f"Cannot listen on {host}:{port}: {err.strerror}.")


def _die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent exits (prctl PR_SET_PDEATHSIG), and turn
    SIGTERM into a normal exit; elsewhere the worker's own check of its parent is all there is."""
    import ctypes
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Processes (one per core is a good start).")
@click.option("--with-worker/--no-worker", default=True, show_default=True, help="Start `hodie worker` beside it.")
def serve(host: str, port: int, workers: int, with_worker: bool) -> None:
    """Serve the site with granian (production server; static files through whitenoise)."""
    _check_port_free(host, port)
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    if with_worker:
        # The worker stops when the server (this process, after exec) goes away: it watches its
        # parent, and the kernel also sends it SIGTERM when the parent dies (the Redis queue's RQ
        # worker and its scheduler follow it down).
        # Without HODIE_SITE_URL, the worker's links (moderators' email, Webmention sources) name the
        # address served here; pages take theirs from each request.
        env = {**os.environ}
        if not env.get("HODIE_SITE_URL"):
            shown = f"[{host}]" if ":" in host else host
            env["HODIE_SITE_URL"] = f"http://{shown}:{port}"
        subprocess.Popen([sys.executable, "-m", "hodie.cli", "worker", "--exit-with-parent"], env=env)
    # ASGI (hodie/site/asgi.py): request bodies are read on the event loop under a deadline, so a
    # slow client never holds a thread; under WSGI with one blocking thread a worker, two such
    # clients stopped the site (docs/benchmarks.md). Django runs on a pool of threads of its own
    # (hodie/site/threads.py), so granian's blocking threads are not Django's. Headers come in time too.
    args = [
        sys.executable, "-m", "granian", "--interface", "asginl", "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", "1", "--no-ws", "--http1-header-read-timeout",
        str(settings.HODIE_REQUEST_BODY_SECONDS * 1000), "hodie.site.asgi:application",
    ]  # fmt: skip
    click.echo(f"Serving on http://{host}:{port}/")
    os.execvp(args[0], args)


@click.command()
@click.option("--once", is_flag=True, help="Run the jobs waiting now, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between looks at the queue.")
@click.option("--exit-with-parent", is_flag=True, hidden=True)
def worker(once: bool, interval: float, exit_with_parent: bool) -> None:
    """Run background jobs: partner feeds, Webmention verification and sending, moderators' email,
    the daily email digests, the copy of imported posts' images.

    Every minute it also queues the Webmentions of scheduled articles whose time has come and a
    poll of each partner feed not polled for HODIE_PARTNER_POLL_MINUTES, and makes the fediverse posts
    that are due (the daily Note at each account's hour, articles gone live).
    A job left running by a killed worker is queued again after HODIE_JOB_LEASE_SECONDS."""
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    from hodie.digest.jobs import queue_due
    from hodie.fediverse.posting import due as fediverse_due
    from hodie.social import worker as loop

    if exit_with_parent:
        _die_with_parent()
    if settings.HODIE_TASKS_BACKEND == "redis":
        args = ["default", "--job-class", "django_tasks_rq.Job", "--with-scheduler", *(["--burst"] if once else [])]
        call_command("rqworker", *args)
        return
    if settings.HODIE_TASKS_BACKEND != "database":
        _fail(f"HODIE_TASKS_BACKEND={settings.HODIE_TASKS_BACKEND} runs jobs at once; there is no worker to run")
    parent = os.getppid()
    try:
        loop.run(once, interval, lambda: exit_with_parent and os.getppid() != parent, due=(fediverse_due, queue_due))
    except DatabaseError as err:  # --once only: a refusing database ends the run with its reason
        _fail(f"The database refused: {err}")


@click.command()
def announce() -> None:
    """Queue the Webmentions of scheduled articles whose time has come, and make the fediverse
    posts that are due (`hodie worker` does this every minute on the database queue; with Redis,
    run it from cron)."""
    _setup()
    from hodie.fediverse.posting import due as fediverse_due
    from hodie.social.jobs import announce_due

    click.echo(f"{announce_due()} article(s) queued")
    click.echo(f"{fediverse_due()} fediverse post(s) made")


@click.command()
def digest() -> None:
    """Queue the email digests whose hour has come (`hodie worker` does this every minute on the
    database queue; with Redis, run it from cron each minute). Each digest is sent once a day."""
    _setup()
    from hodie.digest.jobs import queue_due

    click.echo(f"{queue_due()} digest(s) queued")


@click.group()
def partners() -> None:
    """Partner sites: poll their feeds into the admin's suggested excerpts."""


@partners.command("poll")
@click.option("--partner", "slug", help="Only this partner (slug).")
@click.option("--queue", is_flag=True, help="Queue the polls for `hodie worker` instead of polling here.")
def partners_poll(slug: str | None, queue: bool) -> None:
    """Poll each partner's feed (for cron or a systemd timer). Conditional GET; the fetch policy
    refuses private addresses and caps size and time."""
    _setup()
    from hodie.social.jobs import poll_partner
    from hodie.social.models import Partner
    from hodie.social.partners import poll

    found = Partner.objects.exclude(feed_url="")
    if slug:
        found = found.filter(slug=slug)
        if not found.exists():
            _fail(f"No partner {slug!r} with a feed URL")
    for partner in found:
        if queue:
            poll_partner.enqueue(partner.pk)
            click.echo(f"{partner.name}: queued")
        else:
            result = poll(partner)
            click.echo(f"{partner.name}: {result.status}; {result.new} new, {result.seen} in the feed")
