"""FastSpring's resources as webhooks carry them: orders, subscriptions, accounts, returns.

Every model is lenient, because a field FastSpring adds or changes must not stop a seller's
fulfilment:

- unknown fields are kept and readable through ``model_extra``;
- every field is optional, so a partial or older payload still parses;
- ``account``, ``order``, ``product`` and ``subscription`` accept both shapes FastSpring
  sends: the id alone (webhook expansion off, the default) or the expanded object
  (expansion on). The ``*_id`` / ``product_path`` properties read the id from either;
- times are epoch milliseconds on the wire (``changed``, ``next``, ``begin``...) and become
  timezone-aware :class:`~datetime.datetime`; the ``...Display`` strings (locale-dependent)
  and the ``...Value`` / ``...InSeconds`` copies stay in ``model_extra``;
- amounts are :class:`~decimal.Decimal` (a JSON number or a numeric string).

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
from typing import Annotated, Any

from pydantic import AliasChoices, AwareDatetime, Field

from sblgen._model import ResponseModel
from sblgen.types import Timestamp

__all__ = [
    "EventTime",
    "Account",
    "AccountLookup",
    "Address",
    "Charge",
    "ChargeFailure",
    "Chargeback",
    "Contact",
    "FulfillmentFailure",
    "ItemDriver",
    "MailingListEntry",
    "Order",
    "OrderItem",
    "Payment",
    "PaymentMethodDetails",
    "Payout",
    "PayoutEntry",
    "Product",
    "Quote",
    "Recipient",
    "RecipientDetails",
    "Return",
    "ReturnOriginal",
    "Subscription",
    "SubscriptionAddon",
]


#: A FastSpring time, always timezone-aware: epoch milliseconds (what webhooks send) are
#: read by pydantic's own parser (no Python call per field), an ISO-8601 text with an offset
#: too; only a text without an offset goes through :data:`~sblgen.types.Timestamp`, which
#: reads it as UTC. (Integers up to 2e10 would count as seconds, i.e. ms times before
#: 1970-08-21: FastSpring sends none.)
EventTime = Annotated[AwareDatetime | Timestamp, Field(union_mode="left_to_right")]


def _id_of(value: object, *fields: str) -> str | None:
    """The id of a reference that is either the id itself or an expanded object."""
    if value is None or isinstance(value, str):
        return value
    for name in fields:
        found = getattr(value, name, None)
        if isinstance(found, str) and found:
            return found
    return None


class Contact(ResponseModel):
    """A buyer's contact details (``customer`` on orders, ``contact`` on accounts)."""

    first: str | None = None
    last: str | None = None
    email: str | None = None
    company: str | None = None
    phone: str | None = None
    subscribed: bool | None = None


class Address(ResponseModel):
    """A postal address.

    Orders spell the keys ``addressLine1``/``postalCode``; the account events' address keys
    contain spaces (``"address line 1"``, ``"postal code"``, ``"region custom"``). Both
    spellings fill the same fields.

    >>> address = Address.model_validate({"address line 1": "1 Main St", "postal code": "1"})
    >>> address.address_line1, address.postal_code
    ('1 Main St', '1')
    """

    address_line1: str | None = Field(
        None, validation_alias=AliasChoices("addressLine1", "address line 1", "address_line1")
    )
    address_line2: str | None = Field(
        None, validation_alias=AliasChoices("addressLine2", "address line 2", "address_line2")
    )
    city: str | None = None
    region: str | None = None
    region_code: str | None = None
    region_display: str | None = None
    region_custom: str | None = Field(
        None, validation_alias=AliasChoices("regionCustom", "region custom", "region_custom")
    )
    postal_code: str | None = Field(
        None, validation_alias=AliasChoices("postalCode", "postal code", "postal_code")
    )
    country: str | None = None
    display: str | None = None


class AccountLookup(ResponseModel):
    """An account's lookup keys: FastSpring's ``global`` key and your own ``custom`` key."""

    global_: str | None = Field(None, validation_alias=AliasChoices("global", "global_"))
    custom: str | None = None


class Account(ResponseModel):
    """A FastSpring account (``account.created`` / ``account.updated`` data, or an expanded
    ``account`` reference)."""

    id: str | None = None
    account: str | None = None
    contact: Contact | None = None
    address: Address | None = None
    language: str | None = None
    country: str | None = None
    lookup: AccountLookup | None = None
    url: str | None = None
    subscribed: bool | None = None

    @property
    def account_id(self) -> str | None:
        """The account id (``id``, or ``account`` on older payloads)."""
        return self.id or self.account


class Product(ResponseModel):
    """An expanded ``product`` reference; ``product`` is the product path."""

    product: str | None = None
    id: str | None = None
    display: str | dict[str, str] | None = None
    sku: str | None = None


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


class OrderItem(ResponseModel):
    """One line of an order (or of a return)."""

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

    @property
    def product_path(self) -> str | None:
        """The product path, whether ``product`` is the path or an expanded product."""
        return _id_of(self.product, "product", "id")

    @property
    def subscription_id(self) -> str | None:
        """The id of the subscription this item created, if any."""
        return _id_of(self.subscription, "id", "subscription")


class RecipientDetails(Contact):
    """A fulfilment recipient (gift purchases)."""

    account: str | Account | None = None
    address: Address | None = None


class Recipient(ResponseModel):
    """One entry of ``recipients``: ``{"recipient": {...}}``."""

    recipient: RecipientDetails | None = None


class Order(ResponseModel):
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

    @property
    def account_id(self) -> str | None:
        """The account id, whether ``account`` is the id or an expanded account."""
        return _id_of(self.account, "id", "account")


class PaymentMethodDetails(ResponseModel):
    """The payment method a ``subscription.updated`` event reports as changed."""

    type: str | None = None
    card_brand: str | None = None
    last_four: str | None = None
    expiration_date: str | None = None


class SubscriptionAddon(ResponseModel):
    """An add-on of a subscription."""

    product: str | Product | None = None
    sku: str | None = None
    display: str | None = None
    quantity: int | None = None
    price: Decimal | None = None
    discount: Decimal | None = None
    subtotal: Decimal | None = None
    discounts: tuple[Any, ...] = ()


class Subscription(ResponseModel):
    """A subscription (``subscription.*`` event data, or an expanded ``subscription``).

    ``state`` is one of ``active``, ``overdue``, ``canceled``, ``deactivated``, ``trial``
    (kept as text: other values may appear). A canceled subscription stays ``active`` until
    its deactivation date.
    """

    id: str | None = None
    subscription: str | None = None
    active: bool | None = None
    state: str | None = None
    changed: EventTime | None = None
    live: bool | None = None
    currency: str | None = None
    account: str | Account | None = None
    product: str | Product | None = None
    sku: str | None = None
    display: str | None = None
    quantity: int | None = None
    adhoc: bool | None = None
    auto_renew: bool | None = None
    price: Decimal | None = None
    price_display: str | None = None
    discount: Decimal | None = None
    subtotal: Decimal | None = None
    subtotal_display: str | None = None
    attributes: dict[str, Any] | None = None
    discount_duration: int | None = None
    next: EventTime | None = None
    end: EventTime | None = None
    canceled_date: EventTime | None = None
    deactivation_date: EventTime | None = None
    begin: EventTime | None = None
    sequence: int | None = None
    periods: int | None = None
    remaining_periods: int | None = None
    interval_unit: str | None = None
    interval_length: int | None = None
    next_charge_currency: str | None = None
    next_charge_date: EventTime | None = None
    next_charge_pre_tax: Decimal | None = None
    next_charge_total: Decimal | None = None
    next_notification_type: str | None = None
    next_notification_date: EventTime | None = None
    is_subscription_eligible_for_pause_by_buyer: bool | None = None
    is_pause_scheduled: bool | None = None
    pause_date: EventTime | None = None
    resume_date: EventTime | None = None
    initial_order_id: str | None = None
    initial_order_reference: str | None = None
    quote: str | None = None
    decline_reason: str | None = None
    payment_method: str | PaymentMethodDetails | None = None
    payment_method_action: str | None = None
    addons: tuple[SubscriptionAddon, ...] = ()
    discounts: tuple[Any, ...] = ()
    instructions: tuple[Any, ...] = ()

    @property
    def subscription_id(self) -> str | None:
        """The subscription id (``id``, or its copy ``subscription``)."""
        return self.id or self.subscription

    @property
    def account_id(self) -> str | None:
        """The account id, whether ``account`` is the id or an expanded account."""
        return _id_of(self.account, "id", "account")

    @property
    def product_path(self) -> str | None:
        """The plan's product path, whether ``product`` is the path or an expanded product."""
        return _id_of(self.product, "product", "id")


class Charge(ResponseModel):
    """``subscription.charge.completed`` data: a rebill (or proration) charge that succeeded.

    ``order`` is the charge's order (its id, or the expanded order).
    """

    order: str | Order | None = None
    currency: str | None = None
    total: Decimal | None = None
    status: str | None = None
    timestamp: EventTime | None = None
    subscription: str | Subscription | None = None
    account: str | Account | None = None

    @property
    def order_id(self) -> str | None:
        """The charge's order id, from either shape."""
        return _id_of(self.order, "order", "id")

    @property
    def subscription_id(self) -> str | None:
        """The subscription id, from either shape."""
        return _id_of(self.subscription, "id", "subscription")

    @property
    def account_id(self) -> str | None:
        """The account id, from either shape."""
        return _id_of(self.account, "id", "account")


class ChargeFailure(ResponseModel):
    """``subscription.charge.failed`` data: why a rebill failed (``reason``, e.g.
    ``"EXPIRED_CARD"``)."""

    reason: str | None = None
    subscription: str | Subscription | None = None
    account: str | Account | None = None
    quote: str | None = None
    custom_reference_id: str | None = Field(
        None,
        validation_alias=AliasChoices(
            "customReferenceID", "customReferenceId", "custom_reference_id"
        ),
    )
    changed: EventTime | None = None
    timestamp: EventTime | None = None

    @property
    def subscription_id(self) -> str | None:
        """The subscription id, from either shape."""
        return _id_of(self.subscription, "id", "subscription")

    @property
    def account_id(self) -> str | None:
        """The account id, from either shape."""
        return _id_of(self.account, "id", "account")


class ReturnOriginal(ResponseModel):
    """The order a return refunds."""

    id: str | None = None
    order: str | None = None
    reference: str | None = None
    account: str | Account | None = None
    currency: str | None = None
    total: Decimal | None = None
    tax: Decimal | None = None
    subtotal: Decimal | None = None
    notes: tuple[Any, ...] = ()
    subscriptions: tuple[str, ...] = ()


class Return(ResponseModel):
    """A return or refund (``return.created`` data; the fields beyond the first few follow
    the returns API object, which FastSpring documents for the API rather than the event)."""

    return_: str | None = Field(None, validation_alias=AliasChoices("return", "return_"))
    reference: str | None = None
    completed: bool | None = None
    changed: EventTime | None = None
    live: bool | None = None
    account: str | Account | None = None
    currency: str | None = None
    payout_currency: str | None = None
    total_return: Decimal | None = None
    tax: Decimal | None = None
    subtotal: Decimal | None = None
    total_refund_in_payout_currency: Decimal | None = None
    payment: Payment | None = None
    reason: str | None = None
    note: str | None = None
    type: str | None = None
    original: ReturnOriginal | None = None
    customer: Contact | None = None
    items: tuple[OrderItem, ...] = ()
    quote: str | None = None

    @property
    def return_id(self) -> str | None:
        """The return id."""
        return self.return_

    @property
    def order_id(self) -> str | None:
        """The refunded order's id."""
        if self.original is None:
            return None
        return self.original.order or self.original.id


class Payout(ResponseModel):
    """One payee's share of a payout entry (amounts may arrive as strings)."""

    payee: str | None = None
    currency: str | None = None
    payout: Decimal | None = None
    subtotal: Decimal | None = None
    total: Decimal | None = None


class PayoutEntry(ResponseModel):
    """``payoutEntry.created`` data: the payout for an order or a return."""

    order_id: str | None = None
    reference: str | None = None
    live: bool | None = None
    order: str | Order | None = None
    account: str | Account | None = None
    subscriptions: tuple[str | Subscription, ...] = ()
    subtractions: dict[str, Any] | None = None
    payouts: tuple[Payout, ...] = ()


class FulfillmentFailure(ResponseModel):
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

    @property
    def order_id(self) -> str | None:
        """The order id, from either shape."""
        return _id_of(self.order, "order", "id")


class MailingListEntry(ResponseModel):
    """``mailingListEntry.*`` data (cart abandonment and remarketing lists).

    FastSpring documents no field list for it: every field is kept in ``model_extra``.
    """


class Quote(ResponseModel):
    """``quote.*`` data. FastSpring's event reference names the events but documents no
    field list: every field is kept in ``model_extra``."""


class Chargeback(ResponseModel):
    """``order.chargeback`` data. No field list is documented: every field is kept in
    ``model_extra``."""
