"""The webhook endpoint without a framework: ``receive(raw_body, headers, ...)`` verifies
the signature over the raw bytes, parses the events, dispatches them and returns the
``(status, body)`` FastSpring expects. The Flask and Django integrations are thin wrappers.

>>> from sblgen.events.dispatch import Dispatcher
>>> from sblgen.events.store import MemoryStore
>>> from sblgen.webhooks import sign
>>> dispatcher, store = Dispatcher(), MemoryStore()
>>> @dispatcher.on("order.completed")
... def fulfil(event): ...
>>> body = b'{"events": [{"id": "e1", "type": "order.completed", "data": {"order": "o1"}}]}'
>>> receive(body, {"X-FS-Signature": sign(body, "s3cret")}, "s3cret", dispatcher, store)
WebhookReply(status=200, body='')
>>> receive(body, {"X-FS-Signature": sign(body, "wrong")}, "s3cret", dispatcher, store).status
401

Statuses: 200 / 202 / 500 from the :class:`~sblgen.events.dispatch.Acknowledgement`
(FastSpring delivers unacknowledged events again); 401 for a missing or wrong
``X-FS-Signature``; 400 for a signed body that is not the events envelope (or nests deeper
than :data:`~sblgen.events.models.MAX_JSON_DEPTH`); 413 for a body larger than the limit
(:data:`~sblgen.events.models.MAX_BODY_BYTES` by default); 500 when no secret is
configured. The body of each error is one line of text.

FastSpring signs a webhook only when it has an "HMAC SHA256 Secret"; sblgen refuses every
post without a valid signature, so set a secret on each webhook in FastSpring and give the
same one here (during a rotation, both: any of them is accepted).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sblgen.errors import ConfigurationError, WebhookPayloadError, WebhookSignatureError
from sblgen.events.dispatch import Dispatcher
from sblgen.events.models import MAX_BODY_BYTES, read_events
from sblgen.events.store import EventStore
from sblgen.webhooks import SIGNATURE_HEADER, verify_signature

__all__ = [
    "CONTENT_TYPE",
    "SECRET_ENV",
    "WebhookReply",
    "WebhookSettings",
    "read_limited",
    "receive",
]

logger = logging.getLogger("sblgen.events")

#: The environment variable the integrations read the webhook secret from by default.
SECRET_ENV = "SBLGEN_WEBHOOK_SECRET"  # noqa: S105 (the variable's name, not a secret)

#: The content type of every reply body.
CONTENT_TYPE = "text/plain; charset=utf-8"


class WebhookReply(NamedTuple):
    """The HTTP status and plain-text body to answer a webhook post with."""

    status: int
    body: str


Secrets = str | bytes | Iterable[str | bytes]


def _secret_list(secrets: Secrets | None) -> list[str | bytes]:
    if secrets is None:
        return []
    items = [secrets] if isinstance(secrets, str | bytes) else list(secrets)
    return [item for item in items if item]


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, item in headers.items():
        if key.lower() == lowered:
            return item
    return None


def receive(
    raw_body: bytes,
    headers: Mapping[str, str],
    secrets: Secrets | None,
    dispatcher: Dispatcher,
    store: EventStore,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> WebhookReply:
    """Handle one webhook post: size check, signature over ``raw_body``, parse, dispatch.

    ``headers`` is any mapping of the request's headers (the lookup ignores case).
    ``secrets`` is the webhook's HMAC secret, or several during a rotation. Never raises for
    a bad request; a failing handler only keeps its own event unacknowledged.
    """
    if len(raw_body) > max_body_bytes:
        message = (
            f"The webhook body is {len(raw_body)} bytes, more than the {max_body_bytes} "
            "allowed (MAX_BODY_BYTES)."
        )
        logger.warning("Webhook refused: %s", message)
        return WebhookReply(413, message)
    keys = _secret_list(secrets)
    if not keys:
        message = (
            "No webhook secret is configured, so no post can be verified; set the webhook's "
            f"HMAC SHA256 secret (e.g. in the {SECRET_ENV} environment variable)."
        )
        logger.error("Webhook refused: %s", message)
        return WebhookReply(500, message)
    try:
        verify_signature(bytes(raw_body), _header(headers, SIGNATURE_HEADER), keys)
    except WebhookSignatureError as err:
        logger.warning("Webhook refused: %s", err)
        return WebhookReply(401, str(err))
    try:
        events = read_events(raw_body)
    except WebhookPayloadError as err:
        logger.warning("Webhook refused: %s", err)
        return WebhookReply(400, str(err))
    ack = dispatcher.dispatch(events, store)
    return WebhookReply(ack.status, ack.body)


def read_limited(read: Callable[[int], bytes], limit: int) -> bytes | None:
    """Read a request stream to its end, or None as soon as it holds more than ``limit``
    bytes (a stream's ``read(n)`` may return fewer bytes than asked).

    >>> import io
    >>> read_limited(io.BytesIO(b"abc").read, 3), read_limited(io.BytesIO(b"abcd").read, 3)
    (b'abc', None)
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = read(min(65536, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return None


_KEYS = ("SECRET", "SECRET_ENV", "SQLITE_PATH", "MAX_BODY_BYTES")


@dataclass(frozen=True)
class WebhookSettings:
    """The webhook settings of a Flask or Django app, checked; secrets never in the repr.

    Keys of the settings mapping (all optional):

    - ``SECRET``: the webhook's HMAC secret, or a list of them during a rotation;
    - ``SECRET_ENV``: the environment variable(s) holding the secret, read on every
      request (default ``SBLGEN_WEBHOOK_SECRET``); both sources are combined;
    - ``SQLITE_PATH``: the file of the :class:`~sblgen.events.store.SQLiteStore`;
    - ``MAX_BODY_BYTES``: the body size limit (default 5 MiB).

    >>> s = WebhookSettings.from_mapping({"SECRET": "k", "SQLITE_PATH": "/tmp/w.sqlite3"},
    ...     setting="SBLGEN_WEBHOOKS")
    >>> s
    WebhookSettings(sqlite_path='/tmp/w.sqlite3', max_body_bytes=5242880, secret_env=(...))
    >>> s.secrets({}), s.secrets({"SBLGEN_WEBHOOK_SECRET": "new"})
    (['k'], ['k', 'new'])
    >>> WebhookSettings.from_mapping({"SECRETS": "k"}, setting="SBLGEN_WEBHOOKS")
    Traceback (most recent call last):
    sblgen.errors.ConfigurationError: SBLGEN_WEBHOOKS has unknown keys SECRETS; use ...
    """

    configured_secrets: tuple[str, ...] = field(default=(), repr=False)
    sqlite_path: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    secret_env: tuple[str, ...] = (SECRET_ENV,)

    @classmethod
    def from_mapping(
        cls,
        values: Mapping[str, Any] | None,
        *,
        setting: str,
        extra_keys: Iterable[str] = (),
    ) -> WebhookSettings:
        """Check ``values`` (the framework's settings dict named ``setting``); each problem
        is one :class:`~sblgen.errors.ConfigurationError` line naming the key."""
        if values is not None and not isinstance(values, Mapping):
            raise ConfigurationError(f"{setting} must be a dict of settings.")
        values = dict(values or {})
        allowed = {*_KEYS, *extra_keys}
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise ConfigurationError(
                f"{setting} has unknown keys {', '.join(map(str, unknown))}; use "
                f"{', '.join(sorted(allowed))}."
            )

        def strings(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
            value = values.get(name)
            if value is None:
                return default
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list | tuple) or not all(
                isinstance(item, str) and item for item in items
            ):
                raise ConfigurationError(
                    f"{setting}[{name!r}] must be a non-empty string or a list of them."
                )
            return tuple(items)

        path = values.get("SQLITE_PATH")
        if path is not None and not isinstance(path, str | os.PathLike):
            raise ConfigurationError(f"{setting}['SQLITE_PATH'] must be a file path.")
        limit = values.get("MAX_BODY_BYTES", MAX_BODY_BYTES)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ConfigurationError(
                f"{setting}['MAX_BODY_BYTES'] must be a positive number of bytes, not {limit!r}."
            )
        return cls(
            configured_secrets=strings("SECRET", ()),
            sqlite_path=None if path is None else str(Path(path)),
            max_body_bytes=limit,
            secret_env=strings("SECRET_ENV", (SECRET_ENV,)),
        )

    def secrets(self, environ: Mapping[str, str] | None = None) -> list[str]:
        """The configured secrets, then those found in the environment variables."""
        env = os.environ if environ is None else environ
        found = [env.get(name, "") for name in self.secret_env]
        return [*self.configured_secrets, *(value for value in found if value)]
