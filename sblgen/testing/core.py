"""What every route of the fake FastSpring shares: the request log entry, the reply, the
test credentials and the state the handlers read and write (:class:`FakeState`).

A handler is a function ``(fake, match, request) -> Reply``: ``fake`` is the server (a
:class:`FakeState`), ``match`` the route's path match, ``request`` the :class:`Recorded`
request.

>>> Reply(200, {"id": "X"}).status
200
>>> Recorded("GET", "/orders/X", {"Authorization": "Basic c2VjcmV0"}, b"")
Recorded(method='GET', path='/orders/X', headers={'Authorization': '<redacted>'}, body=b'')
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from sblgen._model import error_location, error_messages

__all__ = [
    "CLIENT_ID",
    "CLIENT_SECRET",
    "EXPIRES_MS",
    "MAX_BODY_BYTES",
    "PASSWORD",
    "TOKEN_PATH",
    "USERNAME",
    "FakeState",
    "Handler",
    "Recorded",
    "Reply",
    "now_iso",
]

#: The API username the fake accepts by default (HTTP Basic).
USERNAME = "api-user"
#: The API password the fake accepts by default (HTTP Basic).
PASSWORD = "api-secret-Pa55"  # noqa: S105  (a test credential, public on purpose)
#: The OAuth2 client id the fake accepts by default at :data:`TOKEN_PATH`.
CLIENT_ID = "oauth-client"
#: The OAuth2 client secret the fake accepts by default.
CLIENT_SECRET = "oauth-secret-Pa55"  # noqa: S105
#: Where the fake issues OAuth2 client-credentials tokens (``POST``).
TOKEN_PATH = "/identity/oauth/token"  # noqa: S105
#: The ``expires`` (milliseconds since the epoch) of every Sessions v1 answer.
EXPIRES_MS = 1_900_000_000_000
#: The largest request body the fake reads; a larger ``Content-Length`` gets 413.
MAX_BODY_BYTES = 1_048_576
REASONS = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 404: "NOT_FOUND"}
#: Headers whose values a repr never shows.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


@dataclass(repr=False)
class Recorded:
    """One request the fake received, as sent: ``method``, ``path`` (with its query),
    ``headers`` and the raw ``body``. Its repr hides credentials.

    >>> request = Recorded("POST", "/sessions", {}, b'{"items": []}')
    >>> request.json()
    {'items': []}
    """

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON (``None`` when it is empty)."""
        return json.loads(self.body) if self.body else None

    def __repr__(self) -> str:
        headers = {
            name: "<redacted>" if name.lower() in SECRET_HEADERS else value
            for name, value in self.headers.items()
        }
        return (
            f"Recorded(method={self.method!r}, path={self.path!r}, headers={headers!r}, "
            f"body={self.body!r})"
        )


@dataclass
class Reply:
    """An answer: ``status``, a JSON ``body`` (``None``: no body), more ``headers``, or
    ``raw`` bytes sent as they are instead of the JSON body."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None

    def payload(self) -> bytes:
        """The bytes on the wire."""
        if self.raw is not None:
            return self.raw
        return b"" if self.body is None else json.dumps(self.body).encode()


def now_iso() -> str:
    """Now, as FastSpring writes a timestamp (ISO 8601, milliseconds, ``Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


class FakeState:
    """The state the route handlers share: :attr:`state` (the Sessions v1 and v2 sessions,
    the REST resources), the valid :attr:`coupons`, ids and the v2 error bodies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counter = 0
        #: ``"sessions"`` (v1, by id), ``"v2"`` (v2 sessions, by id), ``"resources"``.
        self.state: dict[str, Any] = {"sessions": {}, "v2": {}}
        #: Valid coupon codes and their percentage off (a wrong code gets a warning).
        self.coupons: dict[str, int] = {"SUMMER2026": 10, "10_OFF": 10}

    def next_id(self, prefix: str) -> str:
        """A new id in FastSpring's style: ``prefix``, a counter, a suffix."""
        with self._lock:
            self._counter += 1
            return f"{prefix}{self._counter:012d}AbCd"

    def error_body(
        self, status: int, message: str, errors: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """A v2 ``ErrorResponse`` (its ``id`` from the fake's counter)."""
        with self._lock:
            self._counter += 1
            error_id = f"FS{self._counter:014d}ABC"
        return {
            "status": f"{status} {REASONS.get(status, 'ERROR')}",
            "timestamp": now_iso(),
            "id": error_id,
            "message": message,
            "errors": errors or [],
        }

    def v2_error(
        self, status: int, message: str, errors: list[dict[str, Any]] | None = None
    ) -> Reply:
        """A reply with a v2 ``ErrorResponse``."""
        return Reply(status, self.error_body(status, message, errors))

    def v2_invalid(self, err: Exception) -> Reply:
        """400 for a body that is not JSON or breaks a rule: one ``errors[]`` entry per
        problem, each with its wire path (list indices as ``[0]``)."""
        if not isinstance(err, ValidationError):
            return self.v2_error(400, "The request body is not valid JSON.")
        errors = []
        for (loc, message), detail in zip(error_messages(err), err.errors(), strict=True):
            value = detail.get("input")
            errors.append(
                {
                    "errorCode": "INVALID_EMAIL_FORMAT"
                    if loc[-1:] == ("email",)
                    else "INVALID_VALUE",
                    "field": error_location(loc, indexed=True),
                    "message": message,
                    "rejectedValue": value if isinstance(value, str) else compact(value),
                }
            )
        return self.v2_error(400, errors[0]["message"], errors)


#: A route's handler: ``(fake, path match, request) -> Reply``.
Handler = Callable[[FakeState, re.Match[str], Recorded], Reply]
