"""Articles now point at the social app's Partner and Author, and the almanac forgets its own
copies: state only, the tables stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('almanac', '0006_social_models_leave_state'),
        ('social', '0003_models_from_almanac'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='article',
                    name='partner',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='articles', to='social.partner'),
                ),
                migrations.AlterField(
                    model_name='article',
                    name='authors',
                    field=models.ManyToManyField(blank=True, related_name='articles', to='social.author'),
                ),
                migrations.DeleteModel(
                    name='Author',
                ),
                migrations.DeleteModel(
                    name='Comment',
                ),
                migrations.DeleteModel(
                    name='Partner',
                ),
            ],
        ),
    ]
