"""What the Flask and Django webhook endpoints share around
:func:`~sblgen.events.receiver.receive`: their checked settings, reading the body within its
limit, the claim store each one uses, and the reply.

>>> from sblgen.events.dispatch import Dispatcher
>>> from sblgen.events.store import MemoryStore
>>> from sblgen.webhooks import sign
>>> config = WebhookSettings.from_mapping({"SECRET": "s3cret", "MAX_BODY_BYTES": 200},
...     setting=SETTING)
>>> stores = StoreChoice()
>>> body = b'{"events": []}'
>>> answer(body, {"X-FS-Signature": sign(body, "s3cret")}, config, None, Dispatcher(),
...     lambda: stores.get("my-app", MemoryStore))
WebhookReply(status=200, body='')
>>> answer(None, {}, config, None, Dispatcher(), MemoryStore).body
'The webhook body is larger than the 200 bytes allowed (MAX_BODY_BYTES).'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sblgen.errors import ConfigurationError
from sblgen.events.bounds import MAX_BODY_BYTES
from sblgen.events.dispatch import Dispatcher
from sblgen.events.receiver import SECRET_ENV, Secrets, WebhookReply, receive
from sblgen.events.store import EventStore

__all__ = ["SETTING", "StoreChoice", "WebhookSettings", "answer", "read_limited"]

#: The name of the settings both frameworks read: ``app.config["SBLGEN_WEBHOOKS"]`` in
#: Flask, ``settings.SBLGEN_WEBHOOKS`` in Django.
SETTING = "SBLGEN_WEBHOOKS"

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


def read_limited(
    read: Callable[[int], bytes], limit: int, *, declared: int | None = None
) -> bytes | None:
    """Read a request stream to its end, or None as soon as it holds more than ``limit``
    bytes (a stream's ``read(n)`` may return fewer bytes than asked). A ``declared``
    length (the request's ``Content-Length``) over the limit is None without reading.

    >>> import io
    >>> read_limited(io.BytesIO(b"abc").read, 3), read_limited(io.BytesIO(b"abcd").read, 3)
    (b'abc', None)
    >>> read_limited(io.BytesIO(b"abc").read, 3, declared=4) is None
    True
    """
    if declared is not None and declared > limit:
        return None
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


class StoreChoice:
    """The claim store of a framework endpoint: the one it was given, else one default
    store per key (an app, a database), made on first use and kept.

    >>> from sblgen.events.store import MemoryStore
    >>> choice = StoreChoice()
    >>> choice.get("a", MemoryStore) is choice.get("a", MemoryStore)
    True
    >>> given = MemoryStore()
    >>> StoreChoice(given).get("a", MemoryStore) is given
    True
    """

    def __init__(self, given: EventStore | None = None) -> None:
        self._given = given
        self._made: dict[Hashable, EventStore] = {}

    def get(self, key: Hashable, make: Callable[[], EventStore]) -> EventStore:
        """The given store, or the default store of ``key`` (``make()`` the first time)."""
        if self._given is not None:
            return self._given
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = make()
        return found


def answer(
    body: bytes | None,
    headers: Mapping[str, str],
    config: WebhookSettings,
    secrets: Secrets | None,
    dispatcher: Dispatcher,
    store: Callable[[], EventStore],
) -> WebhookReply:
    """The reply to one post whose ``body`` was read within ``config.max_body_bytes``
    (None: it was larger): 413 then, else :func:`~sblgen.events.receiver.receive` with
    ``secrets`` (by default the settings' secrets, read now) and the ``store()``."""
    limit = config.max_body_bytes
    if body is None or len(body) > limit:
        return WebhookReply(
            413, f"The webhook body is larger than the {limit} bytes allowed (MAX_BODY_BYTES)."
        )
    return receive(
        body,
        headers,
        config.secrets() if secrets is None else secrets,
        dispatcher,
        store(),
        max_body_bytes=limit,
    )
