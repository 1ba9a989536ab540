"""Comment, Partner and Author move to the social app, keeping their tables (almanac_comment,
almanac_partner, almanac_author, almanac_article_authors): state only, first their links, so that
the social app can declare them (social 0003) before the almanac lets go of them (0007)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('almanac', '0005_import_speed'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='author',
                    name='partner',
                ),
                migrations.RemoveField(
                    model_name='comment',
                    name='article',
                ),
                migrations.RemoveField(
                    model_name='comment',
                    name='collection',
                ),
                migrations.RemoveField(
                    model_name='comment',
                    name='entry',
                ),
                migrations.RemoveField(
                    model_name='comment',
                    name='parent',
                ),
            ],
        ),
    ]
