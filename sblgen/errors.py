"""The exceptions sblgen raises.

Invalid *data* (a model field that breaks a rule) raises :class:`pydantic.ValidationError`,
which carries the location of every bad field. Everything else derives from one root::

    SblgenError
     ├── UnsupportedFieldError   the builder was asked for something a target cannot carry
     ├── RenderError             a snippet cannot be rendered safely (e.g. clean without
     │                           data-continuous, a plaintext secure payload on a live store)
     ├── StorefrontError         a storefront string that is not a FastSpring storefront
     ├── InputFileError          a JSON/TOML file given to the CLI cannot be read or parsed
     ├── CryptoError             secure payload cryptography
     │    ├── SecureKeyError      a private key or certificate that cannot be used
     │    └── DecryptError        a secure request that cannot be decrypted
     ├── ApiError                a Sessions API call failed (method, url, status, body kept)
     │    ├── BadRequestError     400/422: FastSpring's message, field errors, error id
     │    ├── AuthenticationError 401/403: wrong or missing API credentials
     │    ├── NotFoundError       404
     │    ├── RateLimitError      429 (after the bounded retries)
     │    ├── ServerError         5xx
     │    ├── UnexpectedResponseError  any other status, or a body that is not the JSON expected
     │    ├── ApiTimeoutError     no answer in time
     │    └── ApiConnectionError  could not connect, or the connection broke mid-response
     ├── SessionWarningError     a v2 session was created or updated, with FastSpring warnings
     ├── ConfigurationError      missing credentials or settings
     ├── SiteError               a static site that cannot be built (file, key or line, fix)
     └── WebhookError            a webhook that cannot be trusted or read
          ├── WebhookSignatureError  missing or wrong X-FS-Signature
          └── WebhookPayloadError    a body that is not FastSpring's events envelope

Every message is a full sentence naming the bad value and the fix.

>>> issubclass(UnsupportedFieldError, SblgenError)
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sblgen.limits import printable

__all__ = [
    "SiteError",
    "ApiConnectionError",
    "ApiError",
    "ApiFieldError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "UnexpectedResponseError",
    "WebhookError",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "CryptoError",
    "DecryptError",
    "InputFileError",
    "RenderError",
    "SblgenError",
    "SecureKeyError",
    "SessionWarningError",
    "StorefrontError",
    "UnsupportedFieldError",
]


class SblgenError(Exception):
    """Root of every sblgen error that is not a :class:`pydantic.ValidationError`."""


class UnsupportedFieldError(SblgenError, ValueError):
    """The purchase description holds something the requested target cannot carry.

    >>> err = UnsupportedFieldError("Session", "price override", "use .secure_payload()")
    >>> err.target, err.field
    ('Session', 'price override')
    """

    def __init__(self, target: str, field: str, fix: str) -> None:
        self.target = target
        self.field = field
        self.fix = fix
        super().__init__(f"{target} cannot carry {field}; {fix}.")


class RenderError(SblgenError, ValueError):
    """A snippet cannot be rendered as asked, because the result would not work or be unsafe."""


class StorefrontError(SblgenError, ValueError):
    """A string that is not a FastSpring storefront (``store.onfastspring.com/path``)."""


class InputFileError(SblgenError, ValueError):
    """A JSON or TOML input file that cannot be read or parsed."""


class CryptoError(SblgenError):
    """Secure payload cryptography failed; the message never contains key material."""


class SecureKeyError(CryptoError, ValueError):
    """A private key or certificate that cannot be used (not RSA, too small, wrong password,
    unreadable, or not matching its pair)."""


class DecryptError(CryptoError, ValueError):
    """A secure request that cannot be decrypted with the given certificate."""


class ConfigurationError(SblgenError):
    """Missing or invalid configuration, such as API credentials."""


@dataclass(frozen=True, slots=True)
class ApiFieldError:
    """One entry of a v2 error body's ``errors[]``: which field FastSpring refused, and why.

    ``rejected_value`` is what was sent (it can be buyer data): it is kept on this attribute
    only, never shown in an error message or a repr.

    >>> ApiFieldError("INVALID_EMAIL_FORMAT", "email", "Invalid email", "me_example.com")
    ApiFieldError(error_code='INVALID_EMAIL_FORMAT', field='email', message='Invalid email')
    """

    error_code: str | None
    field: str | None
    message: str | None
    rejected_value: object = dataclasses.field(default=None, repr=False)

    def describe(self, top_message: str | None = None) -> str:
        """``field: errorCode``, and the message when it says more than ``top_message``."""
        text = ": ".join(part for part in (self.field, self.error_code) if part) or "error"
        if self.message and self.message != top_message:
            text += f" {self.message}"
        return text


#: Field errors an :class:`ApiError` message names before it says ``(+N more)``.
SHOWN_FIELD_ERRORS = 3


class ApiError(SblgenError):
    """A Sessions API call failed. Keeps ``method``, ``url`` (never credentials), ``status``
    (``None`` when there was no response), the raw ``body`` text and the server's
    ``server_message``.

    From a v2 error body it also keeps ``error_id`` (quote it to FastSpring support),
    ``error_status`` (such as ``"400 BAD_REQUEST"``), ``timestamp`` and the field errors
    ``errors``; v1's ``params`` stays in ``params``. The message is one line; it names each
    field error (at most three) but never the value that was refused.

    >>> err = ApiError("POST", "https://api.fastspring.com/sessions", 418, "teapot", "short")
    >>> str(err)
    'POST https://api.fastspring.com/sessions -> HTTP 418: short'
    >>> err = ApiError("POST", "https://x.test/v2", 400, None, "Invalid email",
    ...     error_id="FS1", errors=[ApiFieldError("INVALID_EMAIL", "email", None, "me_x.com")])
    >>> str(err)
    'POST https://x.test/v2 -> HTTP 400: Invalid email (email: INVALID_EMAIL) [error id FS1]'
    """

    def __init__(
        self,
        method: str,
        url: str,
        status: int | None,
        body: str | None = None,
        server_message: str | None = None,
        *,
        params: object = None,
        detail: str | None = None,
        error_id: str | None = None,
        errors: Sequence[ApiFieldError] = (),
        error_status: str | None = None,
        timestamp: str | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.body = body
        self.errors = tuple(errors)
        if server_message is None and self.errors:
            server_message = self.errors[0].message
        self.server_message = server_message
        self.params = params
        self.error_id = error_id
        self.error_status = error_status
        self.timestamp = timestamp
        what = f"HTTP {status}" if status is not None else (detail or "no response")
        text = f"{method} {url} -> {what}"
        if server_message:
            text += f": {server_message}"
        elif detail and status is not None:
            text += f": {detail}"
        if self.errors:
            shown = self.errors[:SHOWN_FIELD_ERRORS]
            text += f" ({'; '.join(e.describe(server_message) for e in shown)})"
            if len(self.errors) > len(shown):
                text += f" (+{len(self.errors) - len(shown)} more)"
        if error_id:
            text += f" [error id {error_id}]"
        # The server's words on one line, without escape sequences a terminal would obey.
        super().__init__(printable(text))


class BadRequestError(ApiError):
    """400/422: FastSpring rejected the request. ``server_message`` says why; a v2 body also
    gives the field errors (``errors``) and the ``error_id``; v1 gives ``params``."""


class AuthenticationError(ApiError):
    """401/403: the API username/password are wrong or lack permission."""


class NotFoundError(ApiError):
    """404: no such resource (FastSpring's older docs also use 404 for rate limiting)."""


class RateLimitError(ApiError):
    """429: too many requests, after sblgen's bounded retries honouring Retry-After."""


class ServerError(ApiError):
    """5xx: FastSpring failed. A POST is not repeated: it may have taken effect."""


class UnexpectedResponseError(ApiError):
    """A status sblgen does not expect, or a success whose body is not the expected JSON."""


class ApiTimeoutError(ApiError):
    """No (complete) answer within the timeout."""


class ApiConnectionError(ApiError):
    """The connection failed, or broke before the whole response arrived."""


class _Warning(Protocol):
    """What :class:`SessionWarningError` reads of a warning (``sblgen.api.v2.V2Warning``)."""

    @property
    def code(self) -> str: ...
    @property
    def field(self) -> str | None: ...
    @property
    def message(self) -> str | None: ...


class SessionWarningError(SblgenError):
    """A v2 session was created or updated, but FastSpring answered with ``warnings[]`` (a
    coupon that did not apply, a checkout still in test mode, ...), and the client was made
    with ``on_warning="raise"``.

    The session **exists**: ``session`` is it (a :class:`sblgen.api.v2.V2Session`),
    ``warnings`` are FastSpring's warnings (:class:`sblgen.api.v2.V2Warning`).
    """

    #: The session FastSpring made or changed (a ``V2Session``; typed loosely so that this
    #: module stays below the API models).
    session: Any

    def __init__(
        self,
        method: str,
        url: str,
        verb: str,
        session: Any,
        warnings: Sequence[_Warning],
    ) -> None:
        self.method = method
        self.url = url
        self.session = session
        self.warnings = tuple(warnings)
        listed = "; ".join(
            f"{w.code} ({w.field}): {w.message}" if w.field else f"{w.code}: {w.message}"
            for w in self.warnings
        )
        super().__init__(
            printable(
                f"{method} {url} {verb} session {session.id} with FastSpring warnings: "
                f"{listed}. The session exists: use err.session or fix the request."
            )
        )


class WebhookError(SblgenError):
    """A webhook request that cannot be trusted or read."""


class WebhookSignatureError(WebhookError):
    """The ``X-FS-Signature`` header is missing or does not match the body."""


class WebhookPayloadError(WebhookError, ValueError):
    """The body is not FastSpring's ``{"events": [...]}`` envelope."""


class SiteError(SblgenError):
    """A static site that cannot be built; the message names the file, the key or line,
    and the fix. Nothing is written when this is raised."""
