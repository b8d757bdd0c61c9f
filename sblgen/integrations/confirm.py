"""The server's half of confirming an order when the checkout popup closes, framework-free:
the Flask route (:mod:`sblgen.integrations.flask_confirm`) and the Django view
(:mod:`sblgen.integrations.django.confirm`) are thin wrappers around :func:`confirm_request`.

The page (:func:`sblgen.confirm_snippet.confirm_on_close`) POSTs ``{"id": "<order id>"}``
as ``application/json``. The server reads that one id and nothing else, fetches the order
from FastSpring with the store's API credentials and runs every check
(:func:`sblgen.api.confirm_order`): completed, ``live`` matching the storefront's mode (a
``.test.`` storefront makes test orders), and the account, tags and items you expected for
this buyer. The browser's data is never trusted: anyone can post any id, so what the buyer
gets is decided only by what FastSpring says about that id.

The answer is JSON, typed:

====== =============== ==============================================================
status ``result``      when
====== =============== ==============================================================
200    ``confirmed``   every check passed (:class:`OrderConfirmed`)
400    ``refused``     no usable ``id`` in the body (``check: "order_id"``)
404    ``refused``     FastSpring knows no such order (``check: "found"``): a forged id,
                       or one read a moment too early; the page may retry once
413    ``refused``     a body larger than :data:`MAX_BODY_BYTES`
415    ``refused``     not ``application/json``
422    ``refused``     a check failed: ``check`` is ``completed``, ``live``, ``account``,
                       ``tags`` or ``items`` (:class:`OrderRefused`)
502    ``error``       FastSpring could not be asked (down, timeout, credentials):
                       :class:`ConfirmFailed`, ``retry: true``; the webhook still comes
====== =============== ==============================================================

**Fulfil once.** With a ``store`` (any :class:`~sblgen.events.store.EventStore`: the
webhook receiver's SQLite or Django store), ``on_confirmed`` runs under the claim
``order.completed:<order id>`` (:func:`fulfilment_key`), which is the key the webhook
:class:`~sblgen.events.Dispatcher` claims for that order's ``order.completed`` event. So
whichever comes first, the popup's confirmation or the webhook, fulfils the order, and the
other one is a duplicate (``"duplicate": true`` in the answer; a webhook is acknowledged
without running its handler).

>>> from sblgen.api.orders_models import Order
>>> reply = refused_reply(400, "order_id", "The body has no order id.")
>>> reply.status, reply.json()
(400, '{"result":"refused","check":"order_id","message":"The body has no order id."}')
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from sblgen.api.confirm import Check, ConfirmedOrder, OrderConfirmationError, confirm_order
from sblgen.api.resource_data import resource_id
from sblgen.errors import ApiError
from sblgen.storefront import Storefront

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.client import Client
    from sblgen.events.store import EventStore

__all__ = [
    "CONTENT_TYPE",
    "MAX_BODY_BYTES",
    "ConfirmFailed",
    "ConfirmReply",
    "ConfirmedItem",
    "Expectations",
    "OrderConfirmed",
    "OrderRefused",
    "confirm_request",
    "expect_live",
    "fulfilment_key",
    "read_order_id",
    "refused_reply",
]

logger = logging.getLogger("sblgen.confirm")

#: The answer's content type.
CONTENT_TYPE = "application/json"
#: The largest request body read: ``{"id": "..."}`` is a few dozen bytes.
MAX_BODY_BYTES = 4096

#: The HTTP status of each failed check.
_STATUS: dict[str, int] = {"order_id": 400, "found": 404}


@dataclass(frozen=True)
class Expectations:
    """What this buyer's order must be, beyond completed and in the storefront's mode:
    their FastSpring ``account`` id, ``tags`` you set on the checkout, and ``items``
    (product path -> quantity, or a list of paths). ``None`` is not checked."""

    account: str | None = None
    tags: Mapping[str, str] | None = None
    items: Mapping[str, int] | Iterable[str] | None = None


class _Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class ConfirmedItem(_Answer):
    """One line of the confirmed order."""

    product: str | None
    quantity: int | None


class OrderConfirmed(_Answer):
    """HTTP 200: FastSpring confirmed the order. ``duplicate`` is true when it had been
    confirmed (or fulfilled from a webhook) before, so ``on_confirmed`` did not run again."""

    result: Literal["confirmed"] = "confirmed"
    order: str
    reference: str | None
    account: str | None
    live: bool | None
    items: tuple[ConfirmedItem, ...]
    subscriptions: tuple[str, ...]
    duplicate: bool = False

    @classmethod
    def of(cls, confirmed: ConfirmedOrder, *, duplicate: bool = False) -> OrderConfirmed:
        """The answer for a :class:`~sblgen.api.ConfirmedOrder`."""
        order = confirmed.order
        return cls(
            order=confirmed.order_id,
            reference=confirmed.reference,
            account=confirmed.account_id,
            live=order.live,
            items=tuple(
                ConfirmedItem(product=i.product_path, quantity=i.quantity) for i in order.items
            ),
            subscriptions=confirmed.subscription_ids,
            duplicate=duplicate,
        )


class OrderRefused(_Answer):
    """HTTP 4xx: the order does not confirm the purchase; ``check`` names the check that
    failed (``request`` for a request that is not ``{"id": ...}`` JSON)."""

    result: Literal["refused"] = "refused"
    check: Check | Literal["request"]
    message: str


class ConfirmFailed(_Answer):
    """HTTP 5xx: the order could not be confirmed now; the page may try again."""

    result: Literal["error"] = "error"
    message: str
    retry: bool = True


@dataclass(frozen=True)
class ConfirmReply:
    """What the view answers: a status and the typed JSON body."""

    status: int
    body: OrderConfirmed | OrderRefused | ConfirmFailed

    def json(self) -> str:
        """The body as compact JSON."""
        return self.body.model_dump_json()


def refused_reply(status: int, check: Check | Literal["request"], message: str) -> ConfirmReply:
    """A 4xx answer naming the failed ``check``."""
    return ConfirmReply(status, OrderRefused(check=check, message=message))


def fulfilment_key(order_id: str) -> str:
    """The store key that decides who fulfils ``order_id``: the same key the webhook
    :class:`~sblgen.events.Dispatcher` claims for the order's ``order.completed`` event.

    >>> fulfilment_key("oN5eASPKTM2Jwkx15ICNyg")
    'order.completed:oN5eASPKTM2Jwkx15ICNyg'
    """
    key = f"order.completed:{order_id}"
    # The dispatcher stores keys longer than 200 characters as their SHA-256.
    return key if len(key) <= 200 else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def expect_live(storefront: Storefront | str) -> bool:
    """The mode orders of ``storefront`` have: ``False`` for a ``.test.`` storefront.

    >>> expect_live("acme.test.onfastspring.com/popup-acme"), expect_live("acme.onfastspring.com")
    (False, True)
    """
    return not Storefront.parse(storefront).is_test


def read_order_id(body: bytes | None, content_type: str | None) -> str | ConfirmReply:
    """The order id in a request body, or the 4xx answer that refuses the request. ``body``
    is ``None`` when it was larger than :data:`MAX_BODY_BYTES` (the caller stops reading).

    >>> read_order_id(b'{"id": "oN5eASPKTM2Jwkx15ICNyg"}', "application/json")
    'oN5eASPKTM2Jwkx15ICNyg'
    >>> read_order_id(b"id=o1", "application/x-www-form-urlencoded").status
    415
    """
    media = (content_type or "").partition(";")[0].strip().lower()
    if media != CONTENT_TYPE:
        return refused_reply(
            415, "request", 'Send the order id as application/json: {"id": "<order id>"}.'
        )
    if body is None or len(body) > MAX_BODY_BYTES:
        return refused_reply(
            413, "request", f"The body is larger than the {MAX_BODY_BYTES} bytes allowed."
        )
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return refused_reply(400, "request", 'The body is not JSON; send {"id": "<order id>"}.')
    order_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(order_id, str) or not order_id:
        return refused_reply(
            400, "order_id", 'The body has no order id; send {"id": "<order id>"}.'
        )
    try:
        return resource_id(order_id, "order id")
    except ValueError as err:
        return refused_reply(400, "order_id", str(err))


def confirm_request(
    body: bytes | None,
    content_type: str | None,
    *,
    client: Client | Callable[[], Client],
    live: bool,
    expectations: Expectations | None = None,
    on_confirmed: Callable[[ConfirmedOrder], object] | None = None,
    store: EventStore | None = None,
) -> ConfirmReply:
    """Answer one confirmation request: read the order id, confirm it with FastSpring
    (``live`` is the storefront's mode, :func:`expect_live`), run ``on_confirmed`` (once per
    order when a ``store`` is given) and say what happened. ``client`` may be a function
    that returns the client, called only once the request holds an order id. An exception
    from ``on_confirmed`` propagates (the order stays unfulfilled: the claim is released)."""
    found = read_order_id(body, content_type)
    if isinstance(found, ConfirmReply):
        return found
    expect = expectations or Expectations()
    try:
        confirmed = confirm_order(
            client() if callable(client) else client,
            found,
            expect_live=live,
            expect_account=expect.account,
            expect_tags=expect.tags,
            expect_items=expect.items,
        )
    except OrderConfirmationError as err:
        logger.warning("Order confirmation refused: %s", err)
        return refused_reply(_STATUS.get(err.check, 422), err.check, str(err))
    except ApiError as err:
        logger.error("Order %r could not be confirmed: %s", found, err)
        message = "FastSpring could not be asked about the order right now; try again."
        return ConfirmReply(502, ConfirmFailed(message=message))
    duplicate = False
    if on_confirmed is not None:
        duplicate = _fulfil(confirmed, on_confirmed, store)
    logger.info("Order %s confirmed%s.", confirmed.order_id, " (again)" if duplicate else "")
    return ConfirmReply(200, OrderConfirmed.of(confirmed, duplicate=duplicate))


def _fulfil(
    confirmed: ConfirmedOrder,
    on_confirmed: Callable[[ConfirmedOrder], object],
    store: EventStore | None,
) -> bool:
    """Run ``on_confirmed`` (once per order with a store); True when it had run before."""
    if store is None:
        on_confirmed(confirmed)
        return False
    key = fulfilment_key(confirmed.order_id)
    if not store.claim(key):
        return True  # done (or being done right now) by a webhook or an earlier confirmation
    try:
        on_confirmed(confirmed)
    except BaseException:
        store.release(key)
        raise
    store.mark_done(key)
    return False
