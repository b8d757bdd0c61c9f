"""FastSpring orders: the order object (``GET /orders/{id}``) and a page of an order list.

``account``, item ``product`` and item ``subscription`` are ids in API answers and whole
objects in expanded webhooks; the ``…_id``/``…_path`` properties read either shape.

>>> order = Order.model_validate({"order": "oN5eASPKTM2Jwkx15ICNyg",
...     "id": "oN5eASPKTM2Jwkx15ICNyg", "reference": "FUR191015-1265-35113",
...     "completed": True, "live": False, "changed": 1571172709980,
...     "changedDisplay": "10/15/19", "account": "N8FjcSWcQNeYCc-suM1O8g", "total": 36.15,
...     "items": [{"product": "pro-plan", "quantity": 1, "subscription": "AmYzjmPbSbWYkESv7MnwwA"},
...               {"product": "pro-plan.setupFee", "quantity": 1}]})
>>> order.order_id, order.account_id, order.total, order.changed.year
('oN5eASPKTM2Jwkx15ICNyg', 'N8FjcSWcQNeYCc-suM1O8g', Decimal('36.15'), 2019)
>>> [i.product_path for i in order.items], order.subscription_ids
(['pro-plan', 'pro-plan.setupFee'], ('AmYzjmPbSbWYkESv7MnwwA',))
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from sblgen._model import ResponseModel
from sblgen.api.accounts_models import Account
from sblgen.api.resource_data import (
    Amount,
    ApiTime,
    Count,
    IdOr,
    Items,
    ProductInfo,
    ResultFields,
    product_ref,
    ref_id,
)
from sblgen.api.subscriptions_models import Subscription

__all__ = ["Order", "OrderAddress", "OrderCustomer", "OrderItem", "OrderPage"]


class OrderCustomer(ResponseModel):
    """The buyer's contact on an order."""

    first: str | None = None
    last: str | None = None
    email: str | None = None
    company: str | None = None
    phone: str | None = None


class OrderAddress(ResponseModel):
    """The billing address on an order."""

    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    region_code: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    display: str | None = None


class OrderItem(ResponseModel):
    """One line of an order. A setup fee is an item of its own (``<path>.setupFee``); items
    added through another item carry a ``driver``."""

    product: IdOr[ProductInfo] = None
    quantity: Count = None
    display: str | None = None
    sku: str | None = None
    subtotal: Amount = None
    discount: Amount = None
    coupon: str | None = None
    attributes: dict[str, Any] | None = None
    subscription: IdOr[Subscription] = None
    fulfillments: dict[str, Any] | None = None
    driver: dict[str, Any] | None = None

    @property
    def product_path(self) -> str | None:
        """The product path, whether ``product`` is a path or an expanded product."""
        return product_ref(self.product)

    @property
    def subscription_id(self) -> str | None:
        """The subscription this item created, whether an id or an expanded object."""
        return ref_id(self.subscription, "subscription", "id")


class Order(ResultFields):
    """One order. ``completed`` is false for a failed, declined or pending order; ``live``
    is false for a test order (a ``.test.`` storefront).

    ``tags`` is read when FastSpring sends it; whether order answers include the tags set
    with ``POST /orders`` is not documented, so it may be ``None`` even for a tagged order.
    """

    order: str | None = None
    id: str | None = None
    reference: str | None = None
    buyer_reference: str | None = None
    ip_address: str | None = None
    completed: bool | None = None
    changed: ApiTime | None = None
    language: str | None = None
    live: bool | None = None
    currency: str | None = None
    payout_currency: str | None = None
    invoice_url: str | None = None
    account: IdOr[Account] = None
    total: Amount = None
    tax: Amount = None
    subtotal: Amount = None
    discount: Amount = None
    discount_with_tax: Amount = None
    bill_descriptor: str | None = None
    payment: dict[str, Any] | None = None
    customer: OrderCustomer | None = None
    address: OrderAddress | None = None
    recipients: Items[dict[str, Any]] = ()
    notes: Items[Any] = ()
    items: Items[OrderItem] = ()
    coupons: Items[str] = ()
    returns: Items[dict[str, Any]] = ()
    tags: dict[str, Any] | None = None
    quote: str | None = None
    site_id: str | None = None

    @property
    def order_id(self) -> str:
        """The order id (``order``, or the older ``id``)."""
        return self.order or self.id or ""

    @property
    def account_id(self) -> str | None:
        """The account id, whether ``account`` is an id or an expanded account."""
        return ref_id(self.account, "account", "id")

    @property
    def subscription_ids(self) -> tuple[str, ...]:
        """The subscriptions this order created (from its items)."""
        return tuple(i.subscription_id for i in self.items if i.subscription_id)


def _orders(value: object) -> object:
    """``null`` reads as no orders; an id (a list that holds ids only) as an order with just
    its id."""
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return [{"order": v, "id": v} if isinstance(v, str) else v for v in value]
    return value


class OrderPage(ResultFields):
    """One page of ``GET /orders?begin=...``. ``next_page`` is ``None`` on the last page.
    A list that holds ids only gives orders with just their id set."""

    page: Count = None
    limit: Count = None
    next_page: Count = None
    total: Count = None
    orders: Annotated[tuple[Order, ...], BeforeValidator(_orders)] = ()
