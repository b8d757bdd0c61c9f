"""Returns and payouts: refunds of an order (``return.created``) and the payout entries
for an order or a return (``payoutEntry.created``).

>>> event = ReturnCreated(id="e1", type="return.created",
...     data={"return": "r1", "original": {"order": "o1"}, "totalReturn": "36.15"})
>>> event.data.return_id, event.data.order_id, event.data.total_return, event.business_key()
('r1', 'o1', Decimal('36.15'), 'return.created:r1')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import AliasChoices, Field

from sblgen._model import ResponseModel
from sblgen.events.accounts import Account, Contact
from sblgen.events.base import Event, EventTime, join_key
from sblgen.events.orders import Order, OrderItem, Payment
from sblgen.events.subscriptions import Subscription

__all__ = [
    "ReturnOriginal",
    "Return",
    "Payout",
    "PayoutEntry",
    "ReturnCreated",
    "PayoutEntryCreated",
]


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


class ReturnCreated(Event):
    """``return.created``: a return or refund was issued; ``data`` is the :class:`Return`.

    Business key: ``return.created:<return id>``.
    """

    event_types = ("return.created",)
    type: Literal["return.created"]
    data: Return

    def business_key(self) -> str | None:
        return join_key(self.type, self.data.return_id)


class PayoutEntryCreated(Event):
    """``payoutEntry.created``: a payout entry for an order or a return. No business key:
    no documented field identifies one entry (an order and its return share ids)."""

    event_types = ("payoutEntry.created",)
    type: Literal["payoutEntry.created"]
    data: PayoutEntry
