"""The migrations describe the models: a model change without its migration fails here."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


BEFORE_THE_MOVE = [("almanac", "0005_import_speed"), ("social", "0002_announced_and_names")]  # as of bedb95e


@pytest.mark.django_db(transaction=True)
def test_moving_comments_partners_and_authors_to_social_keeps_every_row() -> None:
    """A database made before Comment, Partner and Author moved to the social app keeps their
    rows, and the links to them, when it migrates forward: the move changes no table."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVE).apps
    partner = old.get_model("almanac", "Partner").objects.create(name="ExecutedToday.com", slug="executedtoday")
    author = old.get_model("almanac", "Author").objects.create(name="Headsman", partner_id=partner.pk)
    article = old.get_model("almanac", "Article").objects.create(
        title="1939: Kosenko", slug="kosenko", partner_id=partner.pk, status="published"
    )
    article.authors.add(author)
    Comment = old.get_model("almanac", "Comment")
    first = Comment.objects.create(
        article_id=article.pk, author_name="Marina", body="My grandfather", status="approved"
    )
    Comment.objects.create(article_id=article.pk, parent_id=first.pk, author_name="Editor", body="Thank you")
    old.get_model("social", "FeedState").objects.create(partner_id=partner.pk, etag='"v1"')

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from hodie.almanac.models import Article
    from hodie.social.models import Comment as MovedComment
    from hodie.social.models import FeedState, Partner

    moved = Article.objects.get(slug="kosenko")
    assert moved.partner.name == "ExecutedToday.com"
    assert [(a.name, a.partner.slug) for a in moved.authors.all()] == [("Headsman", "executedtoday")]
    assert [(c.author_name, c.parent.author_name if c.parent else None) for c in moved.comments.order_by("pk")] == [
        ("Marina", None),
        ("Editor", "Marina"),
    ]
    assert MovedComment._meta.db_table == "almanac_comment"
    assert FeedState.objects.get().partner == Partner.objects.get(slug="executedtoday")


BEFORE_TRANSLATIONS = [("almanac", "0008_help_texts_shown")]


@pytest.mark.django_db(transaction=True)
def test_translations_migrate_forward_from_existing_rows() -> None:
    """A database from before translations keeps its rows: each entry takes its first collection's
    language, nothing is translated yet, and on SQLite the full-text triggers survive (the new
    columns are added without rebuilding the table, which would drop them)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_TRANSLATIONS)
    old = MigrationExecutor(connection).loader.project_state(BEFORE_TRANSLATIONS).apps
    Collection, Entry = old.get_model("almanac", "Collection"), old.get_model("almanac", "Entry")
    Membership = old.get_model("almanac", "Membership")
    english = Collection.objects.create(slug="space", title="The space age", language="en")
    russian = Collection.objects.create(slug="russia", title="История России", language="ru", region="ru")
    made = {}
    for slug, homes in (("mir", [english, russian]), ("borodino", [russian, english]), ("apollo", [english])):
        made[slug] = Entry.objects.create(
            title=slug, slug=slug, date_text="1812-09-07", edtf="1812-09-07", calendar="gregorian", precision="day"
        )
        for home in homes:
            Membership.objects.create(entry=made[slug], collection=home)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from hodie.almanac.models import Collection as NewCollection
    from hodie.almanac.models import Entry as NewEntry

    assert dict(NewEntry.objects.values_list("slug", "language")) == {"mir": "en", "borodino": "ru", "apollo": "en"}
    assert list(NewEntry.objects.values_list("translations", flat=True)) == [{}, {}, {}]
    assert NewCollection.objects.get(slug="russia").translations == {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hodie_%'")
            triggers = {row[0] for row in cursor.fetchall()}
        assert {"hodie_entry_ai", "hodie_entry_ad", "hodie_entry_au", "hodie_article_ai"} <= triggers


BEFORE_DAY_ORDER = [("almanac", "0013_article_permalink_index")]


@pytest.mark.django_db(transaction=True)
def test_memberships_take_their_entries_sort_key_when_migrating() -> None:
    """Memberships stored before the day's order moved onto them (0014) get their entry's
    earliest_jdn, an undated entry's stays empty, and on SQLite the full-text triggers survive."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_DAY_ORDER)
    old = MigrationExecutor(connection).loader.project_state(BEFORE_DAY_ORDER).apps
    Collection, Entry = old.get_model("almanac", "Collection"), old.get_model("almanac", "Entry")
    Membership = old.get_model("almanac", "Membership")
    home = Collection.objects.create(slug="russia", title="Russian history", region="ru")
    other = Collection.objects.create(slug="space", title="The space age")
    # The historical model computes nothing: the JDNs are written here as a stored row has them.
    for slug, jdn in (("borodino", 2383130), ("gagarin", 2437401), ("undated", None)):
        made = Entry.objects.create(
            title=slug, slug=slug, date_text="x", edtf="x", calendar="gregorian", precision="day", earliest_jdn=jdn
        )
        Membership.objects.create(entry=made, collection=home, day_key=907)
        if slug == "gagarin":
            Membership.objects.create(entry=made, collection=other, day_key=412)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from hodie.almanac.models import Membership as NewMembership

    rows = NewMembership.objects.values_list("entry__slug", "collection__slug", "entry_jdn")
    assert sorted(rows, key=lambda row: (row[0], row[1])) == [
        ("borodino", "russia", 2383130),
        ("gagarin", "russia", 2437401),
        ("gagarin", "space", 2437401),
        ("undated", "russia", None),
    ]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hodie_%'")
            triggers = {row[0] for row in cursor.fetchall()}
        assert {"hodie_entry_ai", "hodie_entry_ad", "hodie_entry_au", "hodie_article_ai"} <= triggers
