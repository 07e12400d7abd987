"""Staff answer a request for help in Mosty: the answer (encrypted like the request's text),
who answered and when."""

import django.db.models.deletion
import mosty.core.crypto
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="replied_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="answered"),
        ),
        migrations.AddField(
            model_name="helprequest",
            name="replied_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="answered by",
            ),
        ),
        migrations.AddField(
            model_name="helprequest",
            name="reply",
            field=mosty.core.crypto.EncryptedTextField(blank=True, verbose_name="answer"),
        ),
    ]
