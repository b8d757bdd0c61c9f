"""The Sessions API retry and error policy, one for every endpoint and both clients.

Retries are bounded and safe. sblgen repeats a request only when it knows the server did not
act on it:

- the connection could not be made, or no pooled connection was free (the request was never
  sent);
- the server answered 429 or 503 (it refused the request), after the ``Retry-After`` it
  asked for, capped at ``retry_after_cap`` seconds.

A write that may have reached FastSpring (a read timeout, a connection dropped mid-response,
a 500) is *not* repeated: creating a session is not idempotent and FastSpring documents no
idempotency key, so a blind retry could create a second session. Such failures raise at once;
the caller decides. Calls marked ``retry_safe`` (reads, and PUTs that replace) are retried on
those failures too.

Every non-2xx answer becomes one typed :class:`~sblgen.errors.ApiError`
(:func:`error_for_response`), whose URL never carries a ``user:password`` part
(:func:`public_url`). A body that is not FastSpring's error shape (a proxy's HTML page, a
gateway's text) is quoted in the message, short and sanitised (:func:`body_excerpt`).

>>> policy = RetryPolicy(max_retries=2, retry_after_cap=5.0)
>>> policy.outcome("POST", "https://api.example.com/sessions",
...                httpx.Response(429, headers={"Retry-After": "7"}), attempt=0)
5.0
>>> str(policy.outcome("POST", "https://api.example.com/sessions", httpx.Response(500), attempt=0))
'POST https://api.example.com/sessions -> HTTP 500'
"""

from __future__ import annotations

import email.utils
import json
import re
import time
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from pydantic import ValidationError

from sblgen.api.models import ErrorBody
from sblgen.api.resource_data import result_failure
from sblgen.api.v2_responses import V2ErrorBody
from sblgen.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)

__all__ = [
    "RetryPolicy",
    "body_excerpt",
    "error_for_response",
    "public_url",
    "retry_after",
    "unexpected_body",
]

#: Statuses that mean "refused, not acted on": safe to send again after ``Retry-After``.
RETRY_STATUSES = frozenset({429, 503})
#: Failures that happen before the request leaves this machine: safe to send again.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def public_url(url: str) -> str:
    """The URL without any ``user:password`` part.

    >>> public_url("https://u:hunter2@api.example.com:8443/sessions?x=1")
    'https://api.example.com:8443/sessions?x=1'
    >>> public_url("http://u:p@[::1]:8080/sessions")
    'http://[::1]:8080/sessions'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


#: The most characters of an unexpected body that an error message quotes.
EXCERPT_CHARS = 200
#: Names of parameters and JSON keys whose values are hidden from an excerpt.
_HIDDEN_NAMES = r"[\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|key|auth|signature|credential)[\w.-]*"
#: What may carry a secret, each with what is kept of it.
_SECRETS = (
    # name=value in a query string or a form: ?api_key=..., &password=...
    (re.compile(rf"(?i)(\b{_HIDDEN_NAMES}\s*=\s*)[^&\s\"'<>;,]+"), r"\1[hidden]"),
    # "name": value in JSON
    (
        re.compile(rf'(?i)("{_HIDDEN_NAMES}"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|[^\s,}}\]]+)'),
        r"\1[hidden]",
    ),
    # user:password@ in a URL
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s@]+@"), r"\1[hidden]@"),
    # Authorization: Basic ... / Bearer ...
    (re.compile(r"(?i)\b(basic|bearer)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [hidden]"),
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp"):
        return char
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def body_excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a response body, safe to put in a one-line error message: at most
    ``limit`` characters (then ``...``), control and format characters escaped (``\\n``,
    ``\\x1b``, ``\\u202e``), and values that look like secrets (``token=``, ``"password":``,
    ``user:pass@``, ``Bearer ...``) hidden.

    >>> body_excerpt("<html>\\n<title>502 Bad Gateway</title>")
    '<html>\\\\n<title>502 Bad Gateway</title>'
    >>> body_excerpt("denied: https://api.example.com/x?user=ann&api_key=s3cr3t&n=1")
    'denied: https://api.example.com/x?user=ann&api_key=[hidden]&n=1'
    >>> len(body_excerpt("x" * 5000))
    203
    """
    head = text[: limit * 4]  # enough for `limit` characters, even after secrets are hidden
    for pattern, kept in _SECRETS:
        head = pattern.sub(kept, head)
    pieces: list[str] = []
    size = 0
    for char in head:
        piece = _escaped(char)
        if size + len(piece) > limit:
            return "".join(pieces) + "..."
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces) + ("..." if len(text) > len(head) else "")


def _not_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


def _status_error(status: int) -> type[ApiError]:
    if status in (400, 422):
        return BadRequestError
    if status in (401, 403):
        return AuthenticationError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return UnexpectedResponseError


def error_for_response(method: str, url: str, response: httpx.Response) -> ApiError:
    """The typed error for a non-2xx response (one mapping for every endpoint). A body
    without FastSpring's message is quoted instead (:func:`body_excerpt`).

    A v2 error body (``ErrorResponse``: ``status``, ``id``, ``errors[]``) fills the error's
    ``error_status``, ``error_id``, ``timestamp`` and ``errors``; otherwise v1's ``message``
    and ``params``, or a string ``error``, are read.

    >>> err = error_for_response("POST", "https://api.example.com/sessions",
    ...     httpx.Response(400, json={"message": "Invalid product path", "params": {"p": 1}}))
    >>> type(err).__name__, err.server_message, err.params
    ('BadRequestError', 'Invalid product path', {'p': 1})
    >>> err = error_for_response("GET", "https://api.example.com/v2/x", httpx.Response(404,
    ...     json={"status": "404 NOT_FOUND", "id": "FS1", "message": "Session not found"}))
    >>> type(err).__name__, err.error_status, err.error_id
    ('NotFoundError', '404 NOT_FOUND', 'FS1')
    >>> print(error_for_response("POST", "https://api.example.com/sessions",
    ...     httpx.Response(502, text="<html><title>Bad Gateway</title></html>")))
    POST https://api.example.com/sessions -> HTTP 502: unexpected body: <html><title>Bad Gat...
    """
    body = response.text
    cls = _status_error(response.status_code)
    try:
        data = json.loads(body) if body else None
    except ValueError:
        data = None
    # Shown only when the body gives no message of FastSpring's.
    detail = f"unexpected body: {body_excerpt(body)}" if body.strip() else None
    if not isinstance(data, dict):
        return cls(method, public_url(url), response.status_code, body, detail=detail)
    failure = result_failure(data)  # the REST resources' {"result": "error", ...} shape
    if failure is not None:
        if failure.not_found:
            cls = NotFoundError
        return cls(
            method,
            public_url(url),
            response.status_code,
            body,
            failure.message,
            params=failure.fields,
        )
    if {"id", "errors", "status"} & data.keys():
        try:
            v2 = V2ErrorBody.model_validate(data)
        except ValidationError:
            pass
        else:
            return cls(
                method,
                public_url(url),
                response.status_code,
                body,
                v2.message,
                detail=detail,
                error_id=v2.id,
                errors=[item.as_error() for item in v2.errors],
                error_status=v2.status,
                timestamp=v2.timestamp,
            )
    try:
        parsed = ErrorBody.model_validate(data)
    except ValidationError:  # a "message" that is not text: not FastSpring's shape
        parsed = ErrorBody()
    message = parsed.message
    if message is None and isinstance(data.get("error"), str):
        message = data["error"]
    return cls(
        method,
        public_url(url),
        response.status_code,
        body,
        message,
        params=parsed.params,
        detail=detail,
    )


def unexpected_body(
    method: str, url: str, response: httpx.Response, detail: str
) -> UnexpectedResponseError:
    """The error for a success response whose body is not what the endpoint returns. A body
    that is not even JSON (a captive portal's page, a proxy's text) is quoted
    (:func:`body_excerpt`); a JSON one is not, as it may hold buyer data.

    >>> print(unexpected_body("GET", "https://api.example.com/x", httpx.Response(200,
    ...     text="<html>Log in to Wi-Fi</html>"), "the body is not JSON"))
    GET https://api.example.com/x -> HTTP 200: the body is not JSON: <html>Log in to Wi-Fi</html>
    """
    body = response.text
    if body.strip() and _not_json(body):
        detail = f"{detail}: {body_excerpt(body)}"
    return UnexpectedResponseError(method, url, response.status_code, body, detail=detail)


def retry_after(response: httpx.Response, cap: float, attempt: int) -> float:
    """Seconds to wait before retry ``attempt``: ``Retry-After`` (seconds or an HTTP date)
    capped at ``cap``, or exponential back-off when the header is missing or unreadable.

    >>> retry_after(httpx.Response(503, headers={"Retry-After": "2"}), 30.0, 0)
    2.0
    >>> retry_after(httpx.Response(503), 30.0, 2)
    2.0
    """
    header = response.headers.get("Retry-After", "").strip()
    delay: float | None = None
    try:
        delay = float(header)
    except ValueError:
        try:
            delay = email.utils.parsedate_to_datetime(header).timestamp() - time.time()
        except (ValueError, TypeError, OverflowError):
            delay = None
    if delay is None or delay != delay:  # missing, unreadable or NaN
        delay = 0.5 * 2**attempt
    return max(0.0, min(delay, cap))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Whether to try a request again: at most ``max_retries`` more times, never a write
    that may have reached the server, and never waiting longer than ``retry_after_cap``.

    The ``url`` each method takes is shown in errors as given: the clients build it from
    their base URL, already made public (:func:`public_url`)."""

    max_retries: int
    retry_after_cap: float

    def failure(
        self, method: str, url: str, exc: httpx.HTTPError, retry_safe: bool, attempt: int
    ) -> ApiError | None:
        """``None`` when the request may be tried again after ``exc``, else the error to
        raise."""
        never_sent = isinstance(exc, NOT_SENT)
        if (never_sent or retry_safe) and attempt < self.max_retries:
            return None
        cls = ApiTimeoutError if isinstance(exc, httpx.TimeoutException) else ApiConnectionError
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if not never_sent and not retry_safe:
            detail += " (not retried: the request may have reached FastSpring)"
        return cls(method, url, None, detail=detail)

    def outcome(
        self, method: str, url: str, response: httpx.Response, attempt: int
    ) -> float | ApiError | None:
        """A delay before retrying, the error to raise, or ``None`` for success."""
        if response.is_success:
            return None
        if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
            return retry_after(response, self.retry_after_cap, attempt)
        return error_for_response(method, url, response)
