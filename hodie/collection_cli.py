"""``hodie collection``: make and list collections from the command line, so that a fresh site can
take an import without opening the admin first."""

from __future__ import annotations

import click

from hodie.dates import POLICIES, REGIONS


@click.group()
def collection() -> None:
    """Make and list collections (a day page per collection: /SLUG/february-20/)."""


@collection.command()
@click.argument("slug")
@click.option("--title", required=True, help='As in "February 20 in TITLE", e.g. "Russian history".')
@click.option(
    "--region", type=click.Choice(sorted(REGIONS)), default="world", show_default=True,
    help="Where the dates were written: it decides the calendar of a date without O.S./N.S. (ru: Julian until 1918).",
)  # fmt: skip
@click.option(
    "--policy", type=click.Choice(POLICIES), default="standard", show_default=True,
    help="Which anniversary a day page lists an old-style date on: standard (its true N.S. day), julian "
         "(its O.S. label) or observance (the day it is observed on).",
)  # fmt: skip
@click.option("--language", type=click.Choice(["en", "ru"]), default="en", show_default=True)
@click.option("--description", default="", help="A paragraph shown on the collection's page.")
def add(slug: str, title: str, region: str, policy: str, language: str, description: str) -> None:
    """Make the collection SLUG."""
    from hodie.cli import _fail, _setup

    _setup()
    from django.core.exceptions import ValidationError

    from hodie.almanac.models import Collection

    if Collection.objects.filter(slug=slug).exists():
        _fail(f"There is already a collection {slug!r}; change it in the admin, or choose another slug")
    made = Collection(
        slug=slug, title=title, region=region, anniversary_policy=policy, language=language, description=description
    )
    try:
        made.full_clean()
    except ValidationError as err:
        _fail("; ".join(f"--{name.replace('anniversary_', '')}: {' '.join(m)}" for name, m in err.message_dict.items()))
    made.save()
    click.echo(f"Made the collection {slug!r} ({title}; region {region}, policy {policy}): "
               f"its pages are at /{slug}/, and `hodie import FORMAT FILE --collection {slug}` fills it.")  # fmt: skip


@collection.command(name="list")
def list_() -> None:
    """Print each collection: slug, title, region, policy and number of entries."""
    from hodie.cli import _setup

    _setup()
    from django.db.models import Count

    from hodie.almanac.models import Collection

    rows = Collection.objects.annotate(n=Count("entries")).order_by("slug")
    if not rows:
        click.echo('No collection yet: hodie collection add SLUG --title "…" --region world --policy standard')
    for row in rows:
        click.echo(f"{row.slug}\t{row.title}\tregion {row.region}\tpolicy {row.anniversary_policy}\t{row.n} entries")


def collection_for(fmt: str, blog_formats: tuple[str, ...]):
    """The collection a blog's import files its entries in when --collection is not given: the
    site's default one. None for formats whose records name their own collections."""
    from hodie.almanac.days import default_collection
    from hodie.cli import _fail

    if fmt not in blog_formats:
        return None
    found = default_collection()
    if found is None and fmt != "feed":  # a partner's feed is excerpts: they need no collection
        _fail(NO_COLLECTION)
    return found


NO_COLLECTION = (
    "There is no collection yet, and a blog's posts need one to file their entries in. Make one, then import "
    "into it:\n"
    '  hodie collection add history --title "This day in history" --region world --policy standard\n'
    "  hodie import FORMAT FILE --collection history\n"
    "(--region: where the blog's dates were written, e.g. ru for Russia, gb, world; see `hodie collection add "
    "--help`.)"
)
