"""The thematic network models move here from `organisations` with their tables and rows:
this migration only tells Django's state that they now belong to `networks` (the tables keep
their names through `db_table`); nothing in the database changes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0001_initial"),
        ("organisations", "0001_squashed_0003"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Network",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, editable=False, verbose_name="version"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "slug",
                            models.SlugField(
                                max_length=100, unique=True, verbose_name="short name"
                            ),
                        ),
                        (
                            "theme",
                            models.CharField(
                                choices=[
                                    ("education", "Education"),
                                    ("housing", "Housing"),
                                    ("social_assistance", "Social assistance"),
                                    ("mentors", "Mentors"),
                                    ("polish_teachers", "Polish teachers"),
                                    ("translators", "Translators and interpreters"),
                                    ("integration", "Integration organisers"),
                                    ("other", "Other"),
                                ],
                                max_length=30,
                                verbose_name="theme",
                            ),
                        ),
                        ("purpose", models.TextField(blank=True, verbose_name="purpose")),
                        ("is_public", models.BooleanField(default=True, verbose_name="public")),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="changed by",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_network",
                        "verbose_name": "network",
                        "verbose_name_plural": "networks",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="NetworkMembership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("joined_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "network",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="members",
                                to="networks.network",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="network_memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_networkmembership",
                        "verbose_name": "network membership",
                        "verbose_name_plural": "network memberships",
                    },
                ),
                migrations.CreateModel(
                    name="NetworkMeeting",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, editable=False, verbose_name="version"
                            ),
                        ),
                        ("date", models.DateField(verbose_name="date")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("agenda", models.TextField(blank=True, verbose_name="agenda")),
                        ("minutes", models.TextField(blank=True, verbose_name="minutes")),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="created by",
                            ),
                        ),
                        (
                            "network",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="meetings",
                                to="networks.network",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="changed by",
                            ),
                        ),
                        (
                            "attendees",
                            models.ManyToManyField(
                                blank=True,
                                related_name="meetings",
                                to="networks.networkmembership",
                                db_table="organisations_networkmeeting_attendees",
                                verbose_name="attendees",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_networkmeeting",
                        "verbose_name": "network meeting",
                        "verbose_name_plural": "network meetings",
                        "ordering": ["-date", "-pk"],
                    },
                ),
                migrations.AddField(
                    model_name="networkmembership",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="network_memberships",
                        to="organisations.organisation",
                    ),
                ),
                migrations.AddField(
                    model_name="network",
                    name="coordinator",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="coordinated_networks",
                        to="organisations.organisation",
                        verbose_name="coordinating organisation",
                    ),
                ),
                migrations.CreateModel(
                    name="NetworkDocument",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "file",
                            models.FileField(
                                blank=True, upload_to="networks/%Y/%m/", verbose_name="file"
                            ),
                        ),
                        ("url", models.URLField(blank=True, verbose_name="link")),
                        (
                            "network",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="documents",
                                to="networks.network",
                            ),
                        ),
                        (
                            "shared_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "organisations_networkdocument",
                        "verbose_name": "network document",
                        "verbose_name_plural": "network documents",
                        "ordering": ["-created_at", "-pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("file", ""), models.Q(("url", ""), _negated=True)),
                                    models.Q(models.Q(("file", ""), _negated=True), ("url", "")),
                                    _connector="OR",
                                ),
                                name="network_document_file_or_link",
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="networkmembership",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("organisation__isnull", False), ("user__isnull", True)),
                            models.Q(("organisation__isnull", True), ("user__isnull", False)),
                            _connector="OR",
                        ),
                        name="network_member_is_org_or_person",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="networkmembership",
                    constraint=models.UniqueConstraint(
                        fields=("network", "organisation"), name="network_org_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="networkmembership",
                    constraint=models.UniqueConstraint(
                        fields=("network", "user"), name="network_user_unique"
                    ),
                ),
            ],
        ),
    ]
