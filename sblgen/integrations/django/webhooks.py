"""FastSpring webhooks in Django: a ready view and a store on the project's database.

``urls.py``::

    from sblgen.events import Dispatcher, OrderCompleted
    from sblgen.integrations.django.webhooks import webhook_view

    dispatcher = Dispatcher()

    @dispatcher.on(OrderCompleted)
    def fulfil(event: OrderCompleted) -> None:
        ...

    urlpatterns = [path("fastspring/webhooks/", webhook_view(dispatcher))]

``settings.py`` (every key optional)::

    INSTALLED_APPS = [..., "sblgen.integrations.django"]   # then: manage.py migrate
    SBLGEN_WEBHOOKS = {
        "SECRET_ENV": "SBLGEN_WEBHOOK_SECRET",  # the default; or "SECRET": "..." / [old, new]
        "DATABASE": "default",                  # the database alias of the DjangoStore
        "SQLITE_PATH": None,                    # set it to use an SQLiteStore file instead
        "MAX_BODY_BYTES": 5 * 1024 * 1024,
    }

The view is CSRF-exempt (FastSpring cannot send a CSRF token; the HMAC signature
authenticates the post), answers 405 to anything but POST, reads the raw body itself
(bounded by ``MAX_BODY_BYTES``, independent of ``DATA_UPLOAD_MAX_MEMORY_SIZE``) and runs
outside ``ATOMIC_REQUESTS``: each claim commits at once, so other workers see it. Wrap a
handler's own writes in ``transaction.atomic()`` when they belong together.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sblgen.errors import ConfigurationError
from sblgen.events.dispatch import Dispatcher
from sblgen.events.endpoint import SETTING, StoreChoice, WebhookSettings, answer, read_limited
from sblgen.events.receiver import CONTENT_TYPE, Secrets
from sblgen.events.store import DEFAULT_LEASE_SECONDS, EventStore, SQLiteStore

__all__ = ["DjangoStore", "webhook_view"]


class DjangoStore:
    """An :class:`~sblgen.events.store.EventStore` on a Django database (the
    ``sblgen_webhook_claim`` table of :class:`~sblgen.integrations.django.models.WebhookClaim`).

    Every web worker and machine using the same database shares it. ``claim`` is one INSERT
    whose primary key refuses the second caller (an ``IntegrityError``), or one conditional
    UPDATE that takes over a pending claim whose lease ran out. ``clock`` (epoch seconds) is
    injectable for tests.
    """

    def __init__(
        self,
        *,
        using: str = "default",
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.using = using
        self.lease_seconds = lease_seconds
        self._clock = clock

    def _now(self) -> datetime:
        now = datetime.fromtimestamp(self._clock(), tz=UTC)
        return now if settings.USE_TZ else timezone.make_naive(now)

    def __repr__(self) -> str:
        return f"DjangoStore(using={self.using!r})"

    def _rows(self) -> Any:
        from sblgen.integrations.django.models import WebhookClaim

        return WebhookClaim.objects.using(self.using)

    def claim(self, key: str) -> bool:
        now = self._now()
        rows = self._rows()
        try:
            with transaction.atomic(using=self.using):
                rows.create(key=key, state="pending", claimed_at=now)
            return True
        except IntegrityError:
            stale = now - timedelta(seconds=self.lease_seconds)
            taken = rows.filter(key=key, state="pending", claimed_at__lt=stale).update(
                claimed_at=now
            )
            return bool(taken == 1)

    def mark_done(self, key: str) -> None:
        now = self._now()
        rows = self._rows()
        if rows.filter(key=key).update(state="done", done_at=now):
            return
        try:
            with transaction.atomic(using=self.using):
                rows.create(key=key, state="done", claimed_at=now, done_at=now)
        except IntegrityError:  # inserted meanwhile
            rows.filter(key=key).update(state="done", done_at=now)

    def release(self, key: str) -> None:
        self._rows().filter(key=key, state="pending").delete()

    def is_done(self, key: str) -> bool:
        return bool(self._rows().filter(key=key, state="done").exists())

    def purge(self, older_than: timedelta = timedelta(days=90)) -> int:
        """Delete done keys older than ``older_than`` (keep at least 30 days: the events API
        returns events that old). Returns how many were deleted."""
        deleted, _ = (
            self._rows().filter(state="done", done_at__lt=self._now() - older_than).delete()
        )
        return int(deleted)


def _database() -> str:
    """The database alias of the default :class:`DjangoStore`."""
    return str((getattr(settings, SETTING, None) or {}).get("DATABASE", "default"))


def _settings() -> WebhookSettings:
    values = getattr(settings, SETTING, None)
    try:
        config = WebhookSettings.from_mapping(values, setting=SETTING, extra_keys=("DATABASE",))
    except ConfigurationError as err:
        raise ImproperlyConfigured(f"settings.{err}") from None
    using = (values or {}).get("DATABASE", "default")
    if not config.sqlite_path and using not in settings.DATABASES:
        raise ImproperlyConfigured(
            f"settings.{SETTING}['DATABASE'] is {using!r}, which is not in settings.DATABASES; "
            "name one of its aliases (or set SQLITE_PATH)."
        )
    return config


def _default_store(config: WebhookSettings, using: str) -> EventStore:
    if config.sqlite_path:
        return SQLiteStore(config.sqlite_path)
    return DjangoStore(using=using)


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body, or None when it is larger than ``limit``."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared <= limit and hasattr(request, "_body"):  # a middleware already read it
        body: bytes = request.body
        return body
    return read_limited(request.read, limit, declared=declared)


def webhook_view(
    dispatcher: Dispatcher,
    *,
    store: EventStore | None = None,
    secrets: Secrets | None = None,
) -> Callable[[HttpRequest], HttpResponse]:
    """The Django view that receives FastSpring's webhook posts and dispatches them.

    ``store`` defaults to a :class:`DjangoStore` on ``SBLGEN_WEBHOOKS["DATABASE"]`` (or an
    SQLite store when ``SQLITE_PATH`` is set); ``secrets`` defaults to the settings'
    ``SECRET`` plus the ``SECRET_ENV`` environment variable(s), read on every request.
    """
    stores = StoreChoice(store)

    def current_store(config: WebhookSettings) -> EventStore:
        using = _database()
        return stores.get((config.sqlite_path, using), lambda: _default_store(config, using))

    def fastspring_webhook(request: HttpRequest) -> HttpResponse:
        config = _settings()
        reply = answer(
            _read_body(request, config.max_body_bytes),
            request.headers,
            config,
            secrets,
            dispatcher,
            lambda: current_store(config),
        )
        return HttpResponse(reply.body, status=reply.status, content_type=CONTENT_TYPE)

    view: Callable[[HttpRequest], HttpResponse] = csrf_exempt(
        require_POST(transaction.non_atomic_requests(fastspring_webhook))
    )
    return view
