"""The table behind :class:`~sblgen.integrations.django.webhooks.DjangoStore`.

One row per claimed webhook key (``event:<id>`` or a business key such as
``order.completed:<order id>``). The key is the primary key, so the database's unique
index, not a read-then-write, decides which web worker runs an event's handlers, across
processes and machines. ``python manage.py migrate`` creates it.
"""

from __future__ import annotations

from django.db import models


class WebhookClaim(models.Model):
    """A claimed (``pending``) or processed (``done``) webhook de-duplication key."""

    PENDING = "pending"
    DONE = "done"

    key = models.CharField(max_length=255, primary_key=True)
    state = models.CharField(
        max_length=7, choices=[(PENDING, "pending"), (DONE, "done")], default=PENDING
    )
    claimed_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "sblgen"
        db_table = "sblgen_webhook_claim"
        verbose_name = "webhook claim"
        indexes = [  # noqa: RUF012 (Django Meta)
            models.Index(fields=["state", "done_at"], name="sblgen_claim_state_done")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"
