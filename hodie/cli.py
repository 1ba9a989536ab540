"""The ``hodie`` command: thin commands over the date core, the importers and the almanac.

Every command works from any folder against the database that ``HODIE_DATABASE_URL`` names,
and migrates a fresh database before using it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import click


def _setup(migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django

    django.setup()
    if migrate:
        _ensure_migrated()


def _ensure_migrated() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.group()
@click.version_option(package_name="hodie")
def main() -> None:
    """Hodie: this day in history, with honest historical dates."""


@main.command()
def migrate() -> None:
    """Create or update the database tables."""
    _setup(migrate=False)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


@main.command()
@click.option("--force", is_flag=True, help="Load again even if the demo collection exists (updates it in place).")
def demo(force: bool) -> None:
    """Load the demo content (a "Russian history" collection) into the configured database."""
    _setup()
    from hodie.almanac.demo import load_demo
    from hodie.dates import HodieError

    try:
        click.echo(load_demo(force=force))
    except HodieError as err:
        _fail(str(err))


def _collection(slug: str | None):
    from hodie.almanac.days import default_collection
    from hodie.almanac.models import Collection

    if slug:
        found = Collection.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(Collection.objects.values_list("slug", flat=True)) or "none yet"
            _fail(f"No collection {slug!r}; known collections: {known}")
        return found
    found = default_collection()
    if found is None:
        _fail("There is no collection yet; run `hodie demo` or create one in the admin")
    return found


def _print_day(month: int, day: int, slug: str | None, calendar: str | None, as_json: bool, on_date=None) -> None:
    from django.conf import settings

    from hodie.almanac import days
    from hodie.almanac.onthisday import day_feed

    collection = _collection(slug)
    page = days.build_day(collection, month, day, choice=calendar, on_date=on_date)
    if as_json:
        document = day_feed(page, settings.SITE_URL, "all", today=days.today())
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    click.secho(page.title, bold=True)
    for article in page.articles:
        click.echo(f"  Article: {article.title}" + (f" ({article.full_url})" if article.full_url else ""))
    for name, entries in page.sections:
        click.secho(f"\n{name}", underline=True)
        for entry in entries:
            year = f"{entry.display_year}: " if entry.display_year else ""
            dual = f"  [{entry.display_date(collection.language)}]" if entry.calendar == "julian" else ""
            click.echo(f"  {year}{entry.title}{dual}")
    if not page.entries:
        click.echo("  (nothing filed on this day yet)")


CALENDAR_CHOICE = click.Choice(["standard", "julian", "observance"])


@main.command()
@click.argument("month_day")
@click.option("--collection", "slug", help="Collection slug (default: the site's default collection).")
@click.option("--calendar", type=CALENDAR_CHOICE, help="Which anniversary to list (default: the collection's policy).")
@click.option("--json", "as_json", is_flag=True, help="Print what the API serves for this day.")
def day(month_day: str, slug: str | None, calendar: str | None, as_json: bool) -> None:
    """The entries of a day, given as MM-DD (02-20)."""
    from hodie.dates import HodieError

    _setup()
    from hodie.almanac.days import parse_month_day

    try:
        month, number = parse_month_day(month_day)
    except HodieError as err:
        _fail(str(err))
    _print_day(month, number, slug, calendar, as_json)


@main.command()
@click.option("--collection", "slug", help="Collection slug.")
@click.option("--json", "as_json", is_flag=True, help="Print what the API serves for today.")
def today(slug: str | None, as_json: bool) -> None:
    """Today's entries, in HODIE_TIME_ZONE."""
    _setup()
    from hodie.almanac import days

    date = days.today()
    _print_day(date.month, date.day, slug, None, as_json, on_date=date)


READERS = ("jsonl", "csv", "bsd-calendar", "wikipedia", "wxr", "blogger", "feed")


def _reader(fmt: str, partner: str):
    from hodie.importers import blogger, bsd, csvfile, feed, jsonl, wikipedia, wxr

    if fmt == "feed":
        return lambda path: feed.read(path, partner)
    return {"jsonl": jsonl.read, "csv": csvfile.read, "bsd-calendar": bsd.read, "wikipedia": wikipedia.read,
            "wxr": wxr.read, "blogger": blogger.read}[fmt]  # fmt: skip


@main.command(name="import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(READERS))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--collection", "slug", help="Collection the entries go into (when a record names none).")
@click.option("--partner", default="", help="feed: the partner whose articles these are (default: the feed's title).")
@click.option("--dry-run", is_flag=True, help="Check everything, store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def import_(fmt: str, files: tuple[Path, ...], slug: str | None, partner: str, dry_run: bool, as_json: bool) -> None:
    """Import FILE(s) of FORMAT. All or nothing: one bad record and nothing is stored.

    FORMAT is one of jsonl, csv, bsd-calendar, wikipedia, wxr (WordPress), blogger, feed (RSS/Atom).
    Importing the same file again changes nothing; a changed record updates what it made."""
    _setup()
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from hodie.almanac.writer import ImportFailed, import_records
    from hodie.importers import ImportProblem

    for path in files:
        if not path.is_file():
            _fail(f"{path}: no such file")
    collection = _collection(slug) if slug else None
    read = _reader(fmt, partner)

    def records():
        for path in files:
            try:
                yield from read(path)
            except ImportProblem as problem:
                yield problem

    show = not as_json and sys.stderr.isatty()
    with Progress(
        SpinnerColumn(), TextColumn("{task.description} {task.completed} records"), disable=not show, transient=True
    ) as bar:
        task = bar.add_task("Importing", total=None)
        try:
            advance = (lambda: bar.advance(task)) if show else None
            summary = import_records(records(), collection, dry_run=dry_run, progress=advance)
        except ImportFailed as failure:
            if as_json:
                click.echo(json.dumps(failure.summary.as_dict(), ensure_ascii=False))
                sys.exit(1)
            _fail(str(failure))
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
        return
    verb = "Would import" if dry_run else "Imported"
    created = ", ".join(f"{n} {k}" for k, n in summary.created.items()) or "nothing new"
    updated = ", ".join(f"{n} {k}" for k, n in summary.updated.items()) or "none"
    click.echo(f"{verb}: created {created}; updated {updated}; unchanged {sum(summary.unchanged.values())}")
    by_kind = summary.as_dict()["skipped_by_kind"]
    if by_kind:
        click.echo("Skipped: " + ", ".join(f"{n} {k}" for k, n in sorted(by_kind.items())))
    for skip in summary.skipped:
        click.echo(f"  {skip['where']}: {skip['reason']}")


@main.command(name="export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["jsonl"]))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: standard output).")
def export(fmt: str, output: Path | None) -> None:
    """Write everything stored as JSON Lines that `hodie import jsonl` reads back."""
    _setup()
    from hodie.almanac.export import lines

    if output is None:
        for line in lines():
            sys.stdout.write(line)
        return
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        handle.writelines(lines())
    partial.replace(output)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Processes (one per core is a good start).")
@click.option("--with-worker/--no-worker", default=True, show_default=True, help="Start `hodie worker` beside it.")
def serve(host: str, port: int, workers: int, with_worker: bool) -> None:
    """Serve the site with granian (production server; static files through whitenoise)."""
    _setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    if with_worker:
        # The worker stops when the server (this process, after exec) goes away.
        subprocess.Popen([sys.executable, "-m", "hodie.cli", "worker", "--exit-with-parent"])
    # --blocking-threads 1: granian's default thread pool hurts CPU-bound Django views
    # (p99 60 -> 351 ms measured on 2 cores); see docs/benchmarks.md.
    args = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", "1", "--no-ws", "hodie.site.wsgi:application",
    ]  # fmt: skip
    click.echo(f"Serving on http://{host}:{port}/")
    os.execvp(args[0], args)


@main.command()
@click.option("--once", is_flag=True, help="Run the jobs waiting now, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between looks at the queue.")
@click.option("--exit-with-parent", is_flag=True, hidden=True)
def worker(once: bool, interval: float, exit_with_parent: bool) -> None:
    """Run background jobs: partner feeds, Webmention verification and sending, moderators' email.

    Every minute it also queues the Webmentions of scheduled articles whose time has come and a
    poll of each partner feed not polled for HODIE_PARTNER_POLL_MINUTES.
    A job left running by a killed worker is queued again after HODIE_JOB_LEASE_SECONDS."""
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from hodie.social.jobs import announce_due, polls_due, requeue_stale

    if settings.HODIE_TASKS_BACKEND == "redis":
        args = ["default", "--job-class", "django_tasks_rq.Job", "--with-scheduler", *(["--burst"] if once else [])]
        call_command("rqworker", *args)
        return
    if settings.HODIE_TASKS_BACKEND != "database":
        _fail(f"HODIE_TASKS_BACKEND={settings.HODIE_TASKS_BACKEND} runs jobs at once; there is no worker to run")
    parent = os.getppid()
    last_announce = 0.0
    while True:
        requeue_stale()
        if time.monotonic() - last_announce > 60:  # scheduled articles whose time has come, feeds due
            announce_due()
            polls_due(settings.HODIE_PARTNER_POLL_MINUTES)
            last_announce = time.monotonic()
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        if once or (exit_with_parent and os.getppid() != parent):
            return
        time.sleep(interval)


@main.command()
def announce() -> None:
    """Queue the Webmentions of scheduled articles whose time has come (`hodie worker` does this
    every minute on the database queue; with Redis, run it from cron)."""
    _setup()
    from hodie.social.jobs import announce_due

    click.echo(f"{announce_due()} article(s) queued")


@main.group()
def partners() -> None:
    """Partner sites: poll their feeds into the admin's suggested excerpts."""


@partners.command("poll")
@click.option("--partner", "slug", help="Only this partner (slug).")
@click.option("--queue", is_flag=True, help="Queue the polls for `hodie worker` instead of polling here.")
def partners_poll(slug: str | None, queue: bool) -> None:
    """Poll each partner's feed (for cron or a systemd timer). Conditional GET; the fetch policy
    refuses private addresses and caps size and time."""
    _setup()
    from hodie.almanac.models import Partner
    from hodie.social.jobs import poll_partner
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


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (createsuperuser, collectstatic, ...)."""
    _setup(migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hodie manage", *args])


if __name__ == "__main__":
    main()
