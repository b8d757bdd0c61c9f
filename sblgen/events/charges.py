"""Subscription charges (rebills): what ``subscription.charge.completed`` and
``subscription.charge.failed`` carry, and their events.

>>> event = SubscriptionChargeFailed(id="e1", type="subscription.charge.failed",
...     data={"subscription": "s1", "reason": "EXPIRED_CARD", "timestamp": 1700000000000})
>>> event.data.reason, event.business_key()
('EXPIRED_CARD', 'subscription.charge.failed:s1:1700000000000')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import AliasChoices, Field

from sblgen._model import ResponseModel
from sblgen.events.accounts import Account
from sblgen.events.base import (
    AccountReference,
    Event,
    EventTime,
    OrderReference,
    SubscriptionReference,
    epoch_ms,
    join_key,
)
from sblgen.events.orders import Order
from sblgen.events.subscriptions import Subscription

__all__ = [
    "Charge",
    "ChargeFailure",
    "SubscriptionChargeCompleted",
    "SubscriptionChargeFailed",
]


class Charge(ResponseModel, OrderReference, SubscriptionReference, AccountReference):
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


class ChargeFailure(ResponseModel, SubscriptionReference, AccountReference):
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


class SubscriptionChargeCompleted(Event):
    """``subscription.charge.completed``: a rebill (or proration) charge succeeded; ``data``
    is the :class:`Charge`. FastSpring advises reading the subscription from the API before
    acting on its status.

    Business key: ``subscription.charge.completed:<order id>`` (one charge per order).

    >>> SubscriptionChargeCompleted(id="e1", type="subscription.charge.completed",
    ...     data={"order": {"order": "o7"}, "subscription": "s1"}).business_key()
    'subscription.charge.completed:o7'
    """

    event_types = ("subscription.charge.completed",)
    type: Literal["subscription.charge.completed"]
    data: Charge

    def business_key(self) -> str | None:
        return join_key(self.type, self.data.order_id)


class SubscriptionChargeFailed(Event):
    """``subscription.charge.failed``: a rebill failed (``data.reason``).

    Business key: ``subscription.charge.failed:<subscription id>:<ms>``, with the time from
    ``changed``, ``timestamp`` or the expanded subscription's ``changed``; None when the
    payload has no time (a subscription fails many times over its life, so its id alone
    would drop real failures).
    """

    event_types = ("subscription.charge.failed",)
    type: Literal["subscription.charge.failed"]
    data: ChargeFailure

    def business_key(self) -> str | None:
        data = self.data
        when = data.changed or data.timestamp
        if when is None and isinstance(data.subscription, Subscription):
            when = data.subscription.changed
        return join_key(self.type, data.subscription_id, epoch_ms(when))
