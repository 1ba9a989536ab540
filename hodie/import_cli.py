"""``hodie import`` and ``hodie export``: files in, through the readers and the one writer, and
everything stored out again as JSON Lines that ``hodie import jsonl`` reads back."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from hodie.importers import READERS
from hodie.importers.dayplan import DAY_MODES

BLOG_FORMATS = ("blogger", "wxr", "feed")
IMAGE_FORMATS = ("blogger", "wxr")  # the formats whose posts' images are copied (docs/imports.md, "Images")


@click.command(name="import", epilog="Formats: " + "; ".join(f"{name}: {what}" for name, (_, what) in READERS.items()))
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(READERS)))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--collection", "slug", help="Collection the entries go into (when a record names none).")
@click.option("--partner", default="", help="feed: the partner whose articles these are (default: the feed's title).")
@click.option("--days", type=click.Choice(DAY_MODES), default=None,
              help="blogger, wxr, feed: the blog's days before the calendar switch are old-style (Julian) or "
                   "new-style (Gregorian) days. Without it an event stays on the day it was posted under, "
                   "marked for review.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Check everything, store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option(
    "--images",
    is_flag=True,
    help="blogger, wxr: copy the posts' images and attachments into HODIE_MEDIA_ROOT now, before the "
    "command ends. Without it or --no-images, a job for `hodie worker` copies them.",
)
@click.option("--no-images", is_flag=True,
              help="blogger, wxr: leave the posts' images at their old addresses and allow those hosts in the "
                   "Content-Security-Policy (Admin → Media → Allowed image hosts).")  # fmt: skip
def import_(
    fmt: str,
    files: tuple[Path, ...],
    slug: str | None,
    partner: str,
    days: str | None,
    dry_run: bool,
    as_json: bool,
    images: bool,
    no_images: bool,
) -> None:
    """Import FILE(s) of FORMAT. All or nothing: one bad record and nothing is stored.

    FORMAT is one of the formats listed below. A blog's day posts ("February 20 in Russian history")
    become entries on their day. Importing the same file again changes nothing; a changed record
    updates what it made. A Blogger or WordPress blog's images are copied into Hodie by a job for
    `hodie worker` (--images: now; --no-images: not at all); until then its pages show them from
    their old host."""
    from hodie.cli import _collection, _fail, _setup  # here: hodie.cli imports this module

    _setup()
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from hodie.collection_cli import collection_for
    from hodie.importers import ImportProblem, oldlinks, reader
    from hodie.importers.dayplan import DayPosts
    from hodie.writer import ImportFailed, import_records

    for path in files:
        if not path.is_file():
            _fail(f"{path}: no such file")
    if days and fmt not in BLOG_FORMATS:
        _fail(f"--days is for a blog's day posts ({', '.join(BLOG_FORMATS)}), not {fmt}")
    if images and no_images:
        _fail("--images copies the images now and --no-images leaves them remote: give one of them")
    if (images or no_images) and fmt not in IMAGE_FORMATS:
        flag = "--images" if images else "--no-images"
        _fail(f"{flag} is for a blog's images ({', '.join(IMAGE_FORMATS)}), not {fmt}")
    collection = _collection(slug) if slug else collection_for(fmt, BLOG_FORMATS)
    read = reader(fmt, partner)
    day_posts = DayPosts(collection.region, days) if fmt in BLOG_FORMATS and collection else None

    def records():
        for path in files:
            try:
                yield from day_posts(read(path)) if day_posts else read(path)
                yield from oldlinks.read(fmt, path)
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
    media = _images(fmt, images, no_images, show) if not dry_run else None
    if as_json:
        result = summary.as_dict()
        if day_posts:
            result["plan"] = day_posts.plan.as_dict()
        if media:
            result["media"] = media.as_dict()
            if media.error:
                click.echo(json.dumps(result, ensure_ascii=False))
                sys.exit(1)
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    if day_posts:
        click.echo(("Plan: " if dry_run else "Day posts: ") + day_posts.plan.line())
    if media is not None:
        click.echo(media.summary())
        if media.error:
            sys.exit(1)
    verb = "Would import" if dry_run else "Imported"
    created = ", ".join(f"{n} {k}" for k, n in summary.created.items()) or "nothing new"
    updated = ", ".join(f"{n} {k}" for k, n in summary.updated.items()) or "none"
    click.echo(f"{verb}: created {created}; updated {updated}; unchanged {sum(summary.unchanged.values())}")
    if summary.redirects or summary.not_redirected:
        click.echo(f"Old addresses: {summary.redirects['made']} redirects made, {summary.redirects['there']} "
                   f"already there, {len(summary.not_redirected)} not kept")  # fmt: skip
    by_kind = summary.as_dict()["skipped_by_kind"]
    if by_kind:
        click.echo("Skipped: " + ", ".join(f"{n} {k}" for k, n in sorted(by_kind.items())))
    for skip in summary.skipped:
        click.echo(f"  {skip['where']}: {skip['reason']}")
    if summary.not_redirected:
        click.echo("Old addresses not kept:")
        for lost in summary.not_redirected:
            click.echo(f"  {lost['where']}: {lost['reason']}")
    if day_posts and day_posts.plan.no_day:
        click.echo('On no day page (the admin\'s Articles filter "on no day page" lists them for placing):')
        for post in day_posts.plan.no_day:
            click.echo(f"  {post['where']}: {post['title']}")


def _images(fmt: str, now: bool, leave: bool, show: bool):  # type: ignore[no-untyped-def]
    """After an import has committed: the posts' images (and WXR attachments) copied into the media
    folder now (``now``), left remote with their hosts allowed (``leave``), or queued for a job."""
    from hodie.media.localise import ImagesLeft, ImagesQueued, leave_remote, queue

    if fmt not in IMAGE_FORMATS:
        return None
    if leave:
        hosts = leave_remote()
        return ImagesLeft(hosts)
    queued = queue()  # their hosts are allowed while they wait: no page blocks them meanwhile
    if now:
        return _copy_images(show)
    from hodie.media.jobs import copy_images
    from hodie.media.models import MediaFile

    if not MediaFile.objects.filter(status="queued").exists():  # a file imported again: all copied already
        return ImagesQueued(queued, "")
    try:
        job = copy_images.enqueue()
    except Exception as err:  # any queue's failure (Redis away, a locked database): the import is stored
        return ImagesQueued(queued, "", f"the copy job could not be queued ({type(err).__name__}: {err})")
    if not job.is_finished:
        return ImagesQueued(queued, str(job.id))
    # HODIE_TASKS_BACKEND=immediate ran it inside enqueue(): say what came of it
    if job.errors:
        return ImagesQueued(queued, str(job.id), f"the copy job failed ({job.errors[-1].exception_class_path})")
    return ImagesQueued(queued, str(job.id), done=str(job.return_value))


def _copy_images(show: bool):  # type: ignore[no-untyped-def]
    """Copy the posts' images (and WXR attachments) into the media folder, in this process."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from hodie.media.localise import localise

    with Progress(
        SpinnerColumn(), TextColumn("Copying images: {task.completed} fetched"), console=Console(stderr=True),
        disable=not show, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("images", total=None)
        return localise(progress=(lambda: bar.advance(task)) if show else None)


@click.command(name="export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["jsonl"]))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: standard output).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object (to stderr with no -o).")
def export(fmt: str, output: Path | None, as_json: bool) -> None:
    """Write everything stored as JSON Lines that `hodie import jsonl` reads back: content, comments on
    every target, Webmention replies, redirects and media references (the files stay in HODIE_MEDIA_ROOT)."""
    from hodie.cli import _setup  # here: hodie.cli imports this module

    _setup()
    from collections import Counter

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from hodie.export import line, objects, total

    err = Console(stderr=True)
    show = not as_json and err.is_terminal
    by_type: Counter[str] = Counter()
    partial = output.with_name(output.name + ".partial") if output else None
    with (
        partial.open("w", encoding="utf-8") if partial else nullcontext(sys.stdout) as handle,
        Progress(TextColumn("Exporting"), BarColumn(), MofNCompleteColumn(), console=err, disable=not show,
                 transient=True) as bar,
    ):  # fmt: skip
        task = bar.add_task("export", total=total() if show else None)
        for obj in objects():
            handle.write(line(obj))
            by_type[str(obj["type"])] += 1
            bar.advance(task)
    if partial and output:
        partial.replace(output)
    where = str(output) if output else "standard output"
    if as_json:
        text = json.dumps({"file": where, "lines": sum(by_type.values()), "by_type": dict(sorted(by_type.items()))})
        click.echo(text, err=output is None)
        return
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(by_type.items())) or "nothing"
    click.echo(f"Exported {sum(by_type.values())} lines to {where}: {kinds}", err=output is None)
