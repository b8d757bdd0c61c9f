"""Trust and read FastSpring webhooks.

FastSpring signs each webhook body with HMAC-SHA256 under the secret you set for the
webhook, base64-encoded in the ``X-FS-Signature`` header. Verify against the *raw* body
bytes, before parsing. During a secret rotation, pass both secrets.

>>> import base64, hashlib, hmac
>>> body = (b'{"events":[{"id":"e1","type":"order.completed","live":false,'
...         b'"processed":false,"created":1700000000000,"data":{"id":"o1"}}]}')
>>> signature = base64.b64encode(hmac.new(b"s3cret", body, hashlib.sha256).digest()).decode()
>>> payload = verify_webhook(body, {"X-FS-Signature": signature}, secrets=["s3cret"])
>>> payload.events[0].type, payload.events[0].created.year
('order.completed', 2023)

Framework views pass the raw body and the headers mapping: Django
``verify_webhook(request.body, request.headers, secrets)``, Flask
``verify_webhook(request.get_data(), request.headers, secrets)``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from sblgen._model import ResponseModel
from sblgen.errors import WebhookPayloadError, WebhookSignatureError
from sblgen.types import Timestamp

__all__ = [
    "SIGNATURE_HEADER",
    "WebhookEvent",
    "WebhookPayload",
    "header",
    "parse_events",
    "sign",
    "verify_webhook",
    "verify_signature",
]

SIGNATURE_HEADER = "X-FS-Signature"


class WebhookEvent(ResponseModel):
    """One event; fields FastSpring adds later stay readable in ``model_extra``."""

    id: str
    type: str
    live: bool | None = None
    processed: bool | None = None
    created: Timestamp | None = None
    data: Any = None


class WebhookPayload(ResponseModel):
    """The ``{"events": [...]}`` envelope."""

    events: list[WebhookEvent]


def _secrets(secrets: str | bytes | Iterable[str | bytes]) -> list[bytes]:
    items = [secrets] if isinstance(secrets, str | bytes) else list(secrets)
    keys = [s.encode("utf-8") if isinstance(s, str) else s for s in items]
    if not keys or not all(keys):
        raise WebhookSignatureError(
            "No webhook secret was given; pass the secret set in FastSpring."
        )
    return keys


def sign(body: bytes, secret: str | bytes) -> str:
    """The ``X-FS-Signature`` value FastSpring sends for ``body`` (for tests and tools)."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode("ascii")


def verify_signature(
    body: bytes, signature: str | None, secrets: str | bytes | Iterable[str | bytes]
) -> None:
    """Raise :class:`~sblgen.errors.WebhookSignatureError` unless ``signature`` is the
    HMAC-SHA256 of ``body`` under one of ``secrets``. Comparison is constant-time."""
    if not isinstance(body, bytes | bytearray):
        raise TypeError("verify the raw request body as bytes, before any parsing")
    if signature is None or not signature.strip():
        raise WebhookSignatureError(
            f"The request has no {SIGNATURE_HEADER} header; refuse it (FastSpring signs every "
            "webhook that has a secret)."
        )
    try:
        given = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookSignatureError(f"The {SIGNATURE_HEADER} header is not base64.") from None
    matched = False
    for key in _secrets(secrets):
        expected = hmac.new(key, bytes(body), hashlib.sha256).digest()
        matched |= hmac.compare_digest(expected, given)
    if not matched:
        raise WebhookSignatureError(
            f"The {SIGNATURE_HEADER} signature does not match the body for any configured "
            "secret; refuse the request."
        )


def parse_events(body: bytes | str) -> WebhookPayload:
    """Parse the events envelope (lenient to unknown fields)."""
    try:
        return WebhookPayload.model_validate_json(body)
    except ValidationError as err:
        raise WebhookPayloadError(
            f"The webhook body is not FastSpring's events envelope ({err.error_count()} "
            "problems, first: "
            f"{'.'.join(str(p) for p in err.errors()[0]['loc']) or 'body'}: "
            f"{err.errors()[0]['msg']})."
        ) from None


def header(headers: Mapping[str, str], name: str) -> str | None:
    """The value of header ``name`` in any mapping of request headers, ignoring the case of
    the name (a plain ``dict`` of headers keeps whatever case the client sent), or None.

    >>> header({"x-fs-signature": "abc="}, SIGNATURE_HEADER), header({}, SIGNATURE_HEADER)
    ('abc=', None)
    """
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, item in headers.items():
        if key.lower() == lowered:
            return item
    return None


def verify_webhook(
    body: bytes,
    headers: Mapping[str, str],
    secrets: str | bytes | Iterable[str | bytes],
) -> WebhookPayload:
    """Verify the signature header over the raw ``body``, then parse the events."""
    verify_signature(body, header(headers, SIGNATURE_HEADER), secrets)
    return parse_events(body)
