# ruff: noqa: RUF012  (Django reads these class attributes)
"""Create the webhook claim table (``sblgen_webhook_claim``)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="WebhookClaim",
            fields=[
                ("key", models.CharField(max_length=255, primary_key=True, serialize=False)),
                (
                    "state",
                    models.CharField(
                        choices=[("pending", "pending"), ("done", "done")],
                        default="pending",
                        max_length=7,
                    ),
                ),
                ("claimed_at", models.DateTimeField()),
                ("done_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "webhook claim",
                "db_table": "sblgen_webhook_claim",
                "indexes": [
                    models.Index(fields=["state", "done_at"], name="sblgen_claim_state_done")
                ],
            },
        ),
    ]
