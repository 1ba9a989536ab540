"""Partner, Author and Comment, now this app's, on the tables the almanac app created: state
only, nothing in the database changes."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('almanac', '0006_social_models_leave_state'),
        ('social', '0002_announced_and_names'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Partner',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True)),
                        ('slug', models.SlugField(unique=True)),
                        ('site_url', models.URLField(blank=True)),
                        ('feed_url', models.URLField(blank=True)),
                        ('attribution', models.CharField(blank=True, help_text='e.g. "written together with ExecutedToday.com"', max_length=300)),
                        ('description', models.TextField(blank=True)),
                    ],
                    options={
                        'db_table': 'almanac_partner',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Comment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day_key', models.PositiveSmallIntegerField(blank=True, help_text="MMDD of a day page's comments.", null=True)),
                        ('author_name', models.CharField(blank=True, max_length=200)),
                        ('author_email', models.EmailField(blank=True, help_text='Never shown.', max_length=254)),
                        ('author_url', models.URLField(blank=True, max_length=500)),
                        ('body', models.TextField()),
                        ('markup', models.CharField(choices=[('text', 'Plain text'), ('markdown', 'Markdown'), ('html', 'HTML (imported)')], default='text', max_length=10)),
                        ('status', models.CharField(choices=[('approved', 'Approved'), ('pending', 'Pending'), ('spam', 'Spam'), ('trash', 'Trash')], db_index=True, default='pending', max_length=10)),
                        ('comment_type', models.CharField(choices=[('comment', 'Comment'), ('pingback', 'Pingback'), ('trackback', 'Trackback'), ('webmention', 'Webmention'), ('reply', 'Reply (Webmention)'), ('like', 'Like (Webmention)'), ('repost', 'Repost (Webmention)'), ('mention', 'Mention (Webmention)')], default='comment', max_length=12)),
                        ('badge', models.CharField(blank=True, choices=[('', 'None'), ('partner', 'Partner'), ('author', 'Author')], default='', max_length=10)),
                        ('created', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('source_id', models.CharField(blank=True, max_length=200, null=True, unique=True)),
                        ('source_url', models.URLField(blank=True, help_text='The page a Webmention came from.', max_length=500)),
                        ('import_hash', models.CharField(blank=True, editable=False, max_length=40)),
                        ('ip_hash', models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
                        ('notified', models.BooleanField(default=False, editable=False)),
                        ('article', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='almanac.article')),
                        ('collection', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='day_comments', to='almanac.collection')),
                        ('entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='almanac.entry')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='replies', to='social.comment')),
                    ],
                    options={
                        'db_table': 'almanac_comment',
                        'ordering': ['created', 'pk'],
                    },
                ),
                migrations.AlterField(
                    model_name='mention',
                    name='comment',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mention', to='social.comment'),
                ),
                migrations.CreateModel(
                    name='Author',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True)),
                        ('url', models.URLField(blank=True)),
                        ('partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='social.partner')),
                    ],
                    options={
                        'db_table': 'almanac_author',
                        'ordering': ['name'],
                    },
                ),
                migrations.AlterField(
                    model_name='feedstate',
                    name='partner',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='feed_state', to='social.partner'),
                ),
                migrations.AlterField(
                    model_name='suggestion',
                    name='partner',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suggestions', to='social.partner'),
                ),
                migrations.AddConstraint(
                    model_name='comment',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('article__isnull', False), ('collection__isnull', True), ('entry__isnull', True)), models.Q(('article__isnull', True), ('collection__isnull', True), ('entry__isnull', False)), models.Q(('article__isnull', True), ('collection__isnull', False), ('day_key__isnull', False), ('entry__isnull', True)), _connector='OR'), name='comment_has_one_target'),
                ),
            ],
        ),
    ]
