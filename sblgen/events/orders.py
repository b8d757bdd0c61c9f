"""Orders: the order resource (its items, payment and recipients), the ``order.*`` events,
and the events about an order's aftermath FastSpring documents little of: chargebacks,
failed fulfilments, mailing-list entries and quotes.

>>> order = Order.model_validate({"order": "o1", "reference": "ACM-1", "completed": True,
...     "changed": 1571172709980, "total": 36.15, "account": {"id": "a1"},
...     "items": [{"product": "pro-plan", "quantity": 1, "subscription": "s1"}],
...     "siteId": "new-field"})
>>> order.order_id, order.account_id, order.total, order.changed.year
('o1', 'a1', Decimal('36.15'), 2019)
>>> order.items[0].product_path, order.items[0].subscription_id, order.model_extra
('pro-plan', 's1', {'siteId': 'new-field'})
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import AliasChoices, Field

from sblgen._model import ResponseModel
from sblgen.events.accounts import Account, Address, Contact
from sblgen.events.base import (
    AccountReference,
    Event,
    EventTime,
    OrderReference,
    Product,
    ProductReference,
    SubscriptionReference,
    epoch_ms,
    join_key,
)
from sblgen.events.subscriptions import Subscription

__all__ = [
    "Payment",
    "ItemDriver",
    "OrderItem",
    "RecipientDetails",
    "Recipient",
    "Order",
    "Chargeback",
    "FulfillmentFailure",
    "MailingListEntry",
    "Quote",
    "OrderEvent",
    "OrderCompleted",
    "OrderFailed",
    "OrderCanceled",
    "OrderPaymentPending",
    "OrderApprovalPending",
    "OrderChargeback",
    "FulfillmentFailed",
    "MailingListEntryUpdated",
    "QuoteCreated",
    "QuoteUpdated",
]


class Payment(ResponseModel):
    """An order's payment summary (``creditCard`` is also spelled ``creditcard``)."""

    type: str | None = None
    credit_card: str | None = Field(
        None, validation_alias=AliasChoices("creditCard", "creditcard", "credit_card")
    )
    card_ending: str | None = None
    bank: str | None = None


class ItemDriver(ResponseModel):
    """Why an item was added: ``type`` (``addon``, ``one_time_fee``, ``cross-sell``) and the
    ``path`` of the item that added it."""

    type: str | None = None
    path: str | None = None


class OrderItem(ResponseModel, ProductReference, SubscriptionReference):
    """One line of an order (or of a return); ``subscription_id`` is the id of the
    subscription this item created, if any."""

    product: str | Product | None = None
    quantity: int | None = None
    display: str | None = None
    sku: str | None = None
    subtotal: Decimal | None = None
    subtotal_display: str | None = None
    subtotal_in_payout_currency: Decimal | None = None
    discount: Decimal | None = None
    discount_display: str | None = None
    coupon: str | None = None
    attributes: dict[str, Any] | None = None
    subscription: str | Subscription | None = None
    fulfillments: dict[str, Any] | None = None
    driver: ItemDriver | None = None


class RecipientDetails(Contact):
    """A fulfilment recipient (gift purchases)."""

    account: str | Account | None = None
    address: Address | None = None


class Recipient(ResponseModel):
    """One entry of ``recipients``: ``{"recipient": {...}}``."""

    recipient: RecipientDetails | None = None


class Order(ResponseModel, AccountReference):
    """An order (``order.*`` event data, or an expanded ``order`` reference).

    ``completed`` is false for a failed, declined or pending order; ``live`` is false for a
    test order. ``tags`` (set through the orders API) is read when present; FastSpring's
    examples never show it in an event, so do not rely on it to find your user.
    """

    order: str | None = None
    id: str | None = None
    reference: str | None = None
    buyer_reference: str | None = None
    ip_address: str | None = None
    completed: bool | None = None
    changed: EventTime | None = None
    language: str | None = None
    live: bool | None = None
    currency: str | None = None
    payout_currency: str | None = None
    invoice_url: str | None = None
    account: str | Account | None = None
    total: Decimal | None = None
    total_display: str | None = None
    total_in_payout_currency: Decimal | None = None
    tax: Decimal | None = None
    tax_display: str | None = None
    subtotal: Decimal | None = None
    subtotal_display: str | None = None
    discount: Decimal | None = None
    discount_display: str | None = None
    discount_with_tax: Decimal | None = None
    bill_descriptor: str | None = None
    payment: Payment | None = None
    customer: Contact | None = None
    address: Address | None = None
    recipients: tuple[Recipient, ...] = ()
    notes: tuple[Any, ...] = ()
    items: tuple[OrderItem, ...] = ()
    coupons: tuple[str, ...] = ()
    tags: dict[str, Any] | None = None
    quote: str | None = None

    @property
    def order_id(self) -> str | None:
        """The order id (``order``, or its backward-compatible copy ``id``)."""
        return self.order or self.id


class Chargeback(ResponseModel):
    """``order.chargeback`` data. No field list is documented: every field is kept in
    ``model_extra``."""


class FulfillmentFailure(ResponseModel, OrderReference):
    """``fulfillment.failed`` data: a fulfilment step failed after payment (e.g. the
    license list ran out)."""

    product: str | Product | None = None
    quote: str | None = None
    fulfillment: str | None = None
    type: str | None = None
    order: str | Order | None = None
    reference: str | None = None
    account: str | Account | None = None
    subscription: str | Subscription | None = None
    reason: str | None = None


class MailingListEntry(ResponseModel):
    """``mailingListEntry.*`` data (cart abandonment and remarketing lists).

    FastSpring documents no field list for it: every field is kept in ``model_extra``.
    """


class Quote(ResponseModel):
    """``quote.*`` data. FastSpring's event reference names the events but documents no
    field list: every field is kept in ``model_extra``."""


class OrderEvent(Event):
    """Base of the ``order.*`` events: ``data`` is the :class:`Order`.

    Business key: ``<type>:<order id>:<changed ms>`` (``order.completed`` overrides it).
    """

    data: Order

    def business_key(self) -> str | None:
        return join_key(self.type, self.data.order_id, epoch_ms(self.data.changed))


class OrderCompleted(OrderEvent):
    """``order.completed``: a new order was paid and fulfilled (for subscriptions, only the
    initial order; rebills send ``subscription.charge.completed``).

    Business key: ``order.completed:<order id>``. An order completes once, so a manual
    resend, even one whose ``changed`` moved on, never fulfils it twice.

    >>> OrderCompleted(id="e1", type="order.completed", data={"order": "o1"}).business_key()
    'order.completed:o1'
    """

    event_types = ("order.completed",)
    type: Literal["order.completed"]

    def business_key(self) -> str | None:
        return join_key(self.type, self.data.order_id)


class OrderFailed(OrderEvent):
    """``order.failed``: a checkout payment was declined (``data.completed`` is false)."""

    event_types = ("order.failed",)
    type: Literal["order.failed"]


class OrderCanceled(OrderEvent):
    """``order.canceled``: you or the buyer canceled the order.

    Business key: ``order.canceled:<order id>`` (an order is canceled once).
    """

    event_types = ("order.canceled",)
    type: Literal["order.canceled"]

    def business_key(self) -> str | None:
        return join_key(self.type, self.data.order_id)


class OrderPaymentPending(OrderEvent):
    """``order.payment.pending``: the buyer chose a delayed payment method."""

    event_types = ("order.payment.pending",)
    type: Literal["order.payment.pending"]


class OrderApprovalPending(OrderEvent):
    """``order.approval.pending``: the order waits for approval."""

    event_types = ("order.approval.pending",)
    type: Literal["order.approval.pending"]


class OrderChargeback(Event):
    """``order.chargeback``. FastSpring documents no payload for it: ``data`` is a
    :class:`Chargeback` with every field in ``model_extra``. No business key."""

    event_types = ("order.chargeback",)
    type: Literal["order.chargeback"]
    data: Chargeback


class FulfillmentFailed(Event):
    """``fulfillment.failed``: a fulfilment step failed after payment. No business key
    (nothing documented tells two failures of one order apart)."""

    event_types = ("fulfillment.failed",)
    type: Literal["fulfillment.failed"]
    data: FulfillmentFailure


class MailingListEntryUpdated(Event):
    """``mailingListEntry.updated`` (cart abandonment, remarketing). No business key.
    Other ``mailingListEntry.*`` types parse as the generic :class:`Event`."""

    event_types = ("mailingListEntry.updated",)
    type: Literal["mailingListEntry.updated"]
    data: MailingListEntry


class QuoteCreated(Event):
    """``quote.created``. No payload is documented: ``data`` keeps every field."""

    event_types = ("quote.created",)
    type: Literal["quote.created"]
    data: Quote


class QuoteUpdated(Event):
    """``quote.updated``. No payload is documented: ``data`` keeps every field."""

    event_types = ("quote.updated",)
    type: Literal["quote.updated"]
    data: Quote
