"""The webhook endpoint without a framework: ``receive(raw_body, headers, ...)`` verifies
the signature over the raw bytes, parses the events, dispatches them and returns the
``(status, body)`` FastSpring expects. The Flask and Django integrations are thin wrappers
(what they share is :mod:`sblgen.events.endpoint`).

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
than :data:`~sblgen.events.bounds.MAX_JSON_DEPTH`); 413 for a body larger than the limit
(:data:`~sblgen.events.bounds.MAX_BODY_BYTES` by default); 500 when no secret is
configured. The body of each error is one line of text.

FastSpring signs a webhook only when it has an "HMAC SHA256 Secret"; sblgen refuses every
post without a valid signature, so set a secret on each webhook in FastSpring and give the
same one here (during a rotation, both: any of them is accepted).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from sblgen.errors import WebhookPayloadError, WebhookSignatureError
from sblgen.events.bounds import MAX_BODY_BYTES
from sblgen.events.dispatch import Dispatcher
from sblgen.events.parsing import read_events
from sblgen.events.store import EventStore
from sblgen.webhooks import SIGNATURE_HEADER, header, verify_signature

__all__ = ["CONTENT_TYPE", "SECRET_ENV", "Secrets", "WebhookReply", "receive"]

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
        verify_signature(bytes(raw_body), header(headers, SIGNATURE_HEADER), keys)
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
