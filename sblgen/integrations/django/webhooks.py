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
from sblgen.events.receiver import (
    CONTENT_TYPE,
    Secrets,
    WebhookReply,
    WebhookSettings,
    read_limited,
    receive,
)
from sblgen.events.store import DEFAULT_LEASE_SECONDS, EventStore, SQLiteStore

__all__ = ["DjangoStore", "webhook_view"]

_SETTING = "SBLGEN_WEBHOOKS"


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


def _settings() -> WebhookSettings:
    values = getattr(settings, _SETTING, None)
    try:
        config = WebhookSettings.from_mapping(values, setting=_SETTING, extra_keys=("DATABASE",))
    except ConfigurationError as err:
        raise ImproperlyConfigured(f"settings.{err}") from None
    using = (values or {}).get("DATABASE", "default")
    if not config.sqlite_path and using not in settings.DATABASES:
        raise ImproperlyConfigured(
            f"settings.{_SETTING}['DATABASE'] is {using!r}, which is not in settings.DATABASES; "
            "name one of its aliases (or set SQLITE_PATH)."
        )
    return config


def _default_store(config: WebhookSettings) -> EventStore:
    if config.sqlite_path:
        return SQLiteStore(config.sqlite_path)
    using = (getattr(settings, _SETTING, None) or {}).get("DATABASE", "default")
    return DjangoStore(using=using)


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
    stores: dict[tuple[str | None, str], EventStore] = {}

    def current_store(config: WebhookSettings) -> EventStore:
        if store is not None:
            return store
        using = (getattr(settings, _SETTING, None) or {}).get("DATABASE", "default")
        key = (config.sqlite_path, str(using))
        if key not in stores:
            stores[key] = _default_store(config)
        return stores[key]

    def fastspring_webhook(request: HttpRequest) -> HttpResponse:
        config = _settings()
        limit = config.max_body_bytes
        body: bytes | None
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            body = None
        elif hasattr(request, "_body"):  # a middleware already read it
            body = request.body
        else:
            body = read_limited(request.read, limit)
        if body is None or len(body) > limit:
            reply = WebhookReply(
                413, f"The webhook body is larger than the {limit} bytes allowed (MAX_BODY_BYTES)."
            )
        else:
            reply = receive(
                body,
                request.headers,
                config.secrets() if secrets is None else secrets,
                dispatcher,
                current_store(config),
                max_body_bytes=limit,
            )
        return HttpResponse(reply.body, status=reply.status, content_type=CONTENT_TYPE)

    view: Callable[[HttpRequest], HttpResponse] = csrf_exempt(
        require_POST(transaction.non_atomic_requests(fastspring_webhook))
    )
    return view
