"""The ``hodie`` command: thin commands over the date core, the importers and the almanac.

Every command works from any folder against the database that ``HODIE_DATABASE_URL`` names,
and migrates a fresh database before using it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

# The formats that carry a blog's posts: day posts become entries, old addresses redirects.


def _setup(migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django
    from django.db import DatabaseError

    try:
        django.setup()
        if migrate:
            _ensure_migrated()
    except OSError as err:  # a data folder that cannot be written: say which, not a traceback
        _fail(f"Cannot use {err.filename or os.environ.get('HODIE_HOME', './var')}: {err.strerror}. Make the data "
              "folder writable by this user, or point HODIE_HOME at one that is.")  # fmt: skip
    except DatabaseError as err:
        _fail(f"The database cannot be used: {err}. Check HODIE_DATABASE_URL, and that its file or server is writable.")


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


@main.command(name="settings")
@click.option("--json", "as_json", is_flag=True, help="Print the table as a JSON list.")
def settings_(as_json: bool) -> None:
    """Print every setting: name, type, default, choices and help (the README's table)."""
    from hodie.config import SETTINGS

    if as_json:
        rows = [
            {"name": s.name, "type": s.type_name, "default": s.default_text, "choices": list(s.choices),
             "help": s.help}
            for s in SETTINGS
        ]  # fmt: skip
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    width = max(len(s.name) for s in SETTINGS)
    for setting in SETTINGS:
        default = setting.default_text or "(empty)"
        choices = f"  one of: {', '.join(setting.choices)}" if setting.choices else ""
        click.echo(f"{setting.name:<{width}}  {setting.type_name:<4}  default: {default}{choices}")
        click.echo(f"{'':<{width}}  {setting.help}")


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
    from hodie.dates import HodieError
    from hodie.demo import load_demo

    try:
        click.echo(load_demo(force=force))
    except HodieError as err:
        _fail(str(err))


@main.command()
def reindex() -> None:
    """Write every search key and "possibly related" list afresh (after a restore made by hand, say)."""
    _setup()
    from django.db import transaction

    from hodie.search import keys, related

    with transaction.atomic():
        rows = keys.write_all()
        lists = related.store_all()
    click.echo(f"{rows} search keys, {lists} related lists.")


@main.command(name="clear-stored")
def clear_stored() -> None:
    """Drop every stored piece of a page (entry lines, feed items, calendar events, comment blocks,
    leads): after an upgrade, to reclaim the rows older code stored under keys it no longer reads.
    Readers are still answered meanwhile; each piece is made and stored again when a page needs it."""
    _setup()
    from hodie.almanac import fragments, lines

    dropped_lines = lines.clear_lines()
    dropped_fragments = fragments.clear()
    # Pages already cached stay as they are: they are what these pieces made, and still right.
    click.echo(f"Dropped {dropped_lines} stored lines and items and {dropped_fragments} fragments.")


def _collection(slug: str | None):
    from hodie.almanac.days import default_collection
    from hodie.almanac.models import Collection

    if slug:
        found = Collection.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(Collection.objects.values_list("slug", flat=True))
            if not known:
                _fail(f"No collection {slug!r}: there is none yet. Make it first:\n"
                      f'  hodie collection add {slug} --title "…" --region world --policy standard')  # fmt: skip
            _fail(f"No collection {slug!r}; known collections: {known}")
        return found
    found = default_collection()
    if found is None:
        _fail("There is no collection yet; run `hodie demo`, or make one with "
              '`hodie collection add SLUG --title "…" --region world --policy standard`')  # fmt: skip
    return found


def _print_day(month: int, day: int, slug: str | None, calendar: str | None, as_json: bool, on_date=None) -> None:
    from hodie.almanac import days
    from hodie.almanac.onthisday import day_feed
    from hodie.almanac.web import base_url

    collection = _collection(slug)
    page = days.build_day(collection, month, day, choice=calendar, on_date=on_date)
    if as_json:
        document = day_feed(page, base_url(), "all", today=days.today())
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


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--changed", is_flag=True, help="Re-render only what changed since the last build into OUT.")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="the number of cores",
    help="Processes rendering pages.",
)  # fmt: skip
def build(out: Path, changed: bool, jobs: int) -> None:
    """Write the whole public site into OUT for a static host (see docs/deploy.md, "Static build").

    Pages, feeds, calendars, sitemap, the API's days and hashed static files, each as the live
    server sends it; forms that need the server (comments, search) are left out."""
    _setup()
    from hodie.publish import BuildError
    from hodie.publish import build as build_site

    try:
        report = build_site(out, changed=changed, jobs=jobs)
    except BuildError as err:
        _fail(str(err))
    click.echo(report.summary())


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
def backup(out: Path) -> None:
    """Write a consistent snapshot of the whole database to OUT while the site keeps running
    (SQLite's backup API; pg_dump for PostgreSQL). See docs/operations.md."""
    _setup(migrate=False)
    from hodie.site import backup as snapshots

    try:
        click.echo(snapshots.backup(out))
    except snapshots.BackupFailed as err:
        _fail(str(err))


@main.command()
@click.argument("snapshot", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database's content.")
def restore(snapshot: Path, yes: bool) -> None:
    """Replace the database's whole content with SNAPSHOT, written by `hodie backup`."""
    _setup(migrate=False)
    from hodie.site import backup as snapshots

    if not yes:
        click.confirm("Everything in the database will be replaced by the snapshot. Go on?", abort=True)
    try:
        click.echo(snapshots.restore(snapshot))
    except snapshots.BackupFailed as err:
        _fail(str(err))


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (createsuperuser, collectstatic, ...)."""
    _setup(migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hodie manage", *args])


# The commands that run the site and its jobs live in hodie/serving.py; import and export in
# hodie/import_cli.py; making collections in hodie/collection_cli.py.
from hodie.collection_cli import collection  # noqa: E402
from hodie.import_cli import export, import_  # noqa: E402
from hodie.serving import announce, digest, partners, serve, worker  # noqa: E402

for _command in (serve, worker, announce, digest, partners, collection, import_, export):
    main.add_command(_command)

if __name__ == "__main__":
    main()
