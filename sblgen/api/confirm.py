"""Confirm an order on your server after the checkout popup closes.

The SBL's popup-closed callback runs in the buyer's browser and gives the order's ``id`` (and
``reference``). Your page posts the id to your server, and the server confirms it with
FastSpring before it unlocks anything:

>>> from sblgen.api.orders_models import Order
>>> order = Order.model_validate({"order": "o1", "completed": True, "live": True,
...     "account": "acc-7", "items": [{"product": "pro-plan", "quantity": 1}]})
>>> check_order(order, expect_live=True, expect_account="acc-7",
...             expect_items={"pro-plan": 1}).order_id
'o1'
>>> check_order(order, expect_live=False)
Traceback (most recent call last):
sblgen.api.confirm.OrderConfirmationError: Order 'o1' is a live order, but ... (check 'live').

**Why the browser's data is never trusted.** Anything the browser sends can be written by
anyone: the callback's arguments, a "completed" flag, a total, the products. Browser data
is not proof of purchase. So the only thing taken from the browser is the order *id*, an
opaque key, and everything that decides what the buyer gets is read from FastSpring with
your store's credentials:

- ``completed``: false means failed, declined or still pending;
- ``live``: an order placed on the ``.test.`` storefront is paid with test cards, so a live
  site must refuse test orders (and a test site live ones);
- the account, tags or items you expected, so that a real order of *someone else's* (an id
  seen in a shared link, or a cheap product's order replayed for an expensive one) does
  not unlock your buyer's purchase.

An id is confirmed, not consumed: store the confirmed order id under a unique key so that a
second popup callback, or the ``order.completed`` webhook that follows, fulfils nothing
twice.

Each failed check raises :class:`OrderConfirmationError` naming it (``check``). FastSpring
errors other than "not found" (a timeout, a 5xx) raise the usual
:class:`~sblgen.errors.ApiError`: the buyer's page can try again, and the webhook will
still arrive. Whether a just-completed order can briefly fail to read (replication lag) is
not documented; a :class:`OrderConfirmationError` with ``check="found"`` right after
checkout can be retried after a second or two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sblgen.api.orders_models import Order
from sblgen.api.resource_data import resource_id
from sblgen.errors import NotFoundError, SblgenError

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.client import AsyncClient, Client

__all__ = [
    "Check",
    "ConfirmedOrder",
    "OrderConfirmationError",
    "check_order",
    "confirm_order",
    "confirm_order_async",
]

#: The checks, in the order they run.
Check = Literal["order_id", "found", "completed", "live", "account", "tags", "items"]


class OrderConfirmationError(SblgenError):
    """An order that does not confirm the purchase; ``check`` names the failed check,
    ``expected`` and ``actual`` what it compared.

    >>> err = OrderConfirmationError("completed", "o1", True, False, "it is not completed")
    >>> err.check, str(err)
    ('completed', "Order 'o1' it is not completed (check 'completed').")
    """

    def __init__(
        self, check: Check, order_id: str, expected: object, actual: object, problem: str
    ) -> None:
        self.check = check
        self.order_id = order_id
        self.expected = expected
        self.actual = actual
        super().__init__(f"Order {order_id!r} {problem} (check {check!r}).")


@dataclass(frozen=True)
class ConfirmedOrder:
    """An order FastSpring confirmed: completed, in the expected mode, for the expected
    account, tags and items. ``order`` is the whole order as FastSpring returned it."""

    order: Order

    @property
    def order_id(self) -> str:
        """The order id (store it under a unique key: fulfil once)."""
        return self.order.order_id

    @property
    def reference(self) -> str | None:
        """The customer-facing order reference."""
        return self.order.reference

    @property
    def account_id(self) -> str | None:
        """The buyer's FastSpring account id."""
        return self.order.account_id

    @property
    def subscription_ids(self) -> tuple[str, ...]:
        """The subscriptions the order created."""
        return self.order.subscription_ids


def _checked_id(order_id: object) -> str:
    try:
        resource_id(order_id, "order id")
    except ValueError as err:
        raise OrderConfirmationError(
            "order_id", str(order_id), "one FastSpring order id", order_id, f"is refused: {err}"
        ) from None
    assert isinstance(order_id, str)
    return order_id


def _mode(live: bool | None) -> str:
    return "a live order" if live is True else "a test order" if live is False else "of no mode"


def _not_found(order_id: str, err: NotFoundError) -> OrderConfirmationError:
    why = err.server_message or f"HTTP {err.status}"
    return OrderConfirmationError(
        "found", order_id, "an order", None, f"is not known to FastSpring ({why})"
    )


def _expected_items(items: Mapping[str, int] | Iterable[str]) -> dict[str, int | None]:
    if isinstance(items, Mapping):
        return dict(items)
    if isinstance(items, str):
        return {items: None}
    return dict.fromkeys(items)


def check_order(
    order: Order,
    *,
    expect_live: bool,
    expect_account: str | None = None,
    expect_tags: Mapping[str, str] | None = None,
    expect_items: Mapping[str, int] | Iterable[str] | None = None,
    order_id: str | None = None,
) -> ConfirmedOrder:
    """Run the confirmation checks on an order read from FastSpring (no IO).

    ``expect_items`` maps product paths to quantities (or lists paths, any quantity); the
    order must hold each of them, and may hold more (setup fees, add-ons, cross-sells).
    ``expect_tags`` must all be present with these values. Tags are only checked when the
    order carries a ``tags`` object, which FastSpring does not document for order reads,
    so an order without one fails the check rather than pass unchecked.
    """
    oid = order.order_id
    if order_id is not None and oid != order_id:
        raise OrderConfirmationError(
            "order_id", order_id, order_id, oid, f"came back from FastSpring as {oid!r}"
        )
    if order.completed is not True:
        raise OrderConfirmationError(
            "completed",
            oid,
            True,
            order.completed,
            "is not completed (failed, declined or pending)",
        )
    if order.live is not expect_live:
        problem = f"is {_mode(order.live)}, but {_mode(expect_live)} was expected"
        raise OrderConfirmationError("live", oid, expect_live, order.live, problem)
    if expect_account is not None and order.account_id != expect_account:
        raise OrderConfirmationError(
            "account",
            oid,
            expect_account,
            order.account_id,
            f"belongs to account {order.account_id!r}, not {expect_account!r}",
        )
    if expect_tags:
        tags = order.tags
        if tags is None:
            raise OrderConfirmationError(
                "tags", oid, dict(expect_tags), None, "carries no tags to check"
            )
        wrong = {k: tags.get(k) for k, v in expect_tags.items() if tags.get(k) != v}
        if wrong:
            raise OrderConfirmationError(
                "tags", oid, dict(expect_tags), dict(tags), f"has tags {wrong!r} that differ"
            )
    if expect_items is not None:
        held: dict[str, int] = {}
        for item in order.items:
            if item.product_path:
                held[item.product_path] = held.get(item.product_path, 0) + (item.quantity or 0)
        for path, quantity in _expected_items(expect_items).items():
            if path not in held or (quantity is not None and held[path] != quantity):
                raise OrderConfirmationError(
                    "items",
                    oid,
                    _expected_items(expect_items),
                    held,
                    f"holds {held.get(path, 0)} of {path!r}, expected "
                    f"{'some' if quantity is None else quantity}",
                )
    return ConfirmedOrder(order)


def confirm_order(
    client: Client,
    order_id: str,
    *,
    expect_live: bool,
    expect_account: str | None = None,
    expect_tags: Mapping[str, str] | None = None,
    expect_items: Mapping[str, int] | Iterable[str] | None = None,
) -> ConfirmedOrder:
    """Fetch ``order_id`` from FastSpring and confirm it (:func:`check_order`).

    ``expect_live`` is the storefront's mode: ``False`` for a ``.test.`` storefront
    (``Storefront.parse(...).is_test``), ``True`` for the live one.
    """
    oid = _checked_id(order_id)
    try:
        order = client.orders.get(oid)
    except NotFoundError as err:
        raise _not_found(oid, err) from None
    return check_order(
        order,
        expect_live=expect_live,
        expect_account=expect_account,
        expect_tags=expect_tags,
        expect_items=expect_items,
        order_id=oid,
    )


async def confirm_order_async(
    client: AsyncClient,
    order_id: str,
    *,
    expect_live: bool,
    expect_account: str | None = None,
    expect_tags: Mapping[str, str] | None = None,
    expect_items: Mapping[str, int] | Iterable[str] | None = None,
) -> ConfirmedOrder:
    """:func:`confirm_order` on an :class:`~sblgen.api.AsyncClient`."""
    oid = _checked_id(order_id)
    try:
        order = await client.orders.get(oid)
    except NotFoundError as err:
        raise _not_found(oid, err) from None
    return check_order(
        order,
        expect_live=expect_live,
        expect_account=expect_account,
        expect_tags=expect_tags,
        expect_items=expect_items,
        order_id=oid,
    )
