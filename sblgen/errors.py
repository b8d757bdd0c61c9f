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
     │    ├── BadRequestError     400/422: FastSpring's message and params
     │    ├── AuthenticationError 401/403: wrong or missing API credentials
     │    ├── NotFoundError       404
     │    ├── RateLimitError      429 (after the bounded retries)
     │    ├── ServerError         5xx
     │    ├── UnexpectedResponseError  any other status, or a body that is not the JSON expected
     │    ├── ApiTimeoutError     no answer in time
     │    └── ApiConnectionError  could not connect, or the connection broke mid-response
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

__all__ = [
    "SiteError",
    "ApiConnectionError",
    "ApiError",
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


class ApiError(SblgenError):
    """A Sessions API call failed. Keeps ``method``, ``url`` (never credentials), ``status``
    (``None`` when there was no response), the raw ``body`` text and the server's
    ``server_message``.

    >>> err = ApiError("POST", "https://api.fastspring.com/sessions", 418, "teapot", "short")
    >>> str(err)
    'POST https://api.fastspring.com/sessions -> HTTP 418: short'
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
    ) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.body = body
        self.server_message = server_message
        self.params = params
        what = f"HTTP {status}" if status is not None else (detail or "no response")
        text = f"{method} {url} -> {what}"
        if server_message:
            text += f": {server_message}"
        elif detail and status is not None:
            text += f": {detail}"
        super().__init__(text)


class BadRequestError(ApiError):
    """400/422: FastSpring rejected the request; see ``server_message`` and ``params``."""


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


class WebhookError(SblgenError):
    """A webhook request that cannot be trusted or read."""


class WebhookSignatureError(WebhookError):
    """The ``X-FS-Signature`` header is missing or does not match the body."""


class WebhookPayloadError(WebhookError, ValueError):
    """The body is not FastSpring's ``{"events": [...]}`` envelope."""


class SiteError(SblgenError):
    """A static site that cannot be built; the message names the file, the key or line,
    and the fix. Nothing is written when this is raised."""
