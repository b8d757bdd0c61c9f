"""Subscriptions: the subscription resource, and the events whose ``data`` is the
subscription itself (activated, updated, canceled, reminders...). Its charges (rebills)
are in :mod:`sblgen.events.charges`.

>>> event = SubscriptionCanceled(id="e1", type="subscription.canceled",
...     data={"id": "s1", "active": True, "state": "canceled", "changed": 1700000000000,
...           "product": {"product": "pro-plan"}})
>>> event.data.subscription_id, event.data.product_path, event.business_key()
('s1', 'pro-plan', 'subscription.canceled:s1:1700000000000')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from sblgen._model import ResponseModel
from sblgen.events.accounts import Account
from sblgen.events.base import (
    AccountReference,
    Event,
    EventTime,
    Product,
    ProductReference,
    epoch_ms,
    join_key,
)

__all__ = [
    "PaymentMethodDetails",
    "SubscriptionAddon",
    "Subscription",
    "SubscriptionEvent",
    "SubscriptionActivated",
    "SubscriptionUpdated",
    "SubscriptionCanceled",
    "SubscriptionUncanceled",
    "SubscriptionDeactivated",
    "SubscriptionPaused",
    "SubscriptionResumed",
    "SubscriptionTrialReminder",
    "SubscriptionPaymentReminder",
    "SubscriptionPaymentOverdue",
]


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


class Subscription(ResponseModel, AccountReference, ProductReference):
    """A subscription (``subscription.*`` event data, or an expanded ``subscription``).

    ``state`` is one of ``active``, ``overdue``, ``canceled``, ``deactivated``, ``trial``
    (kept as text: other values may appear). A canceled subscription stays ``active`` until
    its deactivation date. ``product_path`` is the plan's product path.
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


class SubscriptionEvent(Event):
    """Base of the events whose ``data`` is the :class:`Subscription` itself.

    Business key: ``<type>:<subscription id>:<changed ms>``: one key per change, so that a
    cancel, an uncancel and a second cancel are three events, while a resend of one of them
    is a duplicate.
    """

    data: Subscription

    def business_key(self) -> str | None:
        return join_key(self.type, self.data.subscription_id, epoch_ms(self.data.changed))


class SubscriptionActivated(SubscriptionEvent):
    """``subscription.activated``: a new subscription (trials included; not rebills).

    Business key: ``subscription.activated:<subscription id>`` (a subscription starts once).
    """

    event_types = ("subscription.activated",)
    type: Literal["subscription.activated"]

    def business_key(self) -> str | None:
        return join_key(self.type, self.data.subscription_id)


class SubscriptionUpdated(SubscriptionEvent):
    """``subscription.updated``: edited in the app or API, or its payment method changed
    (``data.payment_method`` / ``data.payment_method_action``)."""

    event_types = ("subscription.updated",)
    type: Literal["subscription.updated"]


class SubscriptionCanceled(SubscriptionEvent):
    """``subscription.canceled``: cancellation scheduled. ``data.active`` stays true until
    the period ends (``subscription.deactivated`` follows)."""

    event_types = ("subscription.canceled",)
    type: Literal["subscription.canceled"]


class SubscriptionUncanceled(SubscriptionEvent):
    """``subscription.uncanceled``: a scheduled cancellation was removed."""

    event_types = ("subscription.uncanceled",)
    type: Literal["subscription.uncanceled"]


class SubscriptionDeactivated(SubscriptionEvent):
    """``subscription.deactivated``: the subscription ended (``data.active`` is false).

    Business key: ``subscription.deactivated:<subscription id>`` (it ends once).
    """

    event_types = ("subscription.deactivated",)
    type: Literal["subscription.deactivated"]

    def business_key(self) -> str | None:
        return join_key(self.type, self.data.subscription_id)


class SubscriptionPaused(SubscriptionEvent):
    """``subscription.paused``: a pause was scheduled (``subscription.updated`` comes too)."""

    event_types = ("subscription.paused",)
    type: Literal["subscription.paused"]


class SubscriptionResumed(SubscriptionEvent):
    """``subscription.resumed``. Only FastSpring's own example code handles this type; no
    reference page documents it, so its data is assumed to be the subscription."""

    event_types = ("subscription.resumed",)
    type: Literal["subscription.resumed"]


class SubscriptionTrialReminder(SubscriptionEvent):
    """``subscription.trial.reminder``: a trial-ending reminder was sent."""

    event_types = ("subscription.trial.reminder",)
    type: Literal["subscription.trial.reminder"]


class SubscriptionPaymentReminder(SubscriptionEvent):
    """``subscription.payment.reminder``: an upcoming-payment reminder was sent."""

    event_types = ("subscription.payment.reminder",)
    type: Literal["subscription.payment.reminder"]


class SubscriptionPaymentOverdue(SubscriptionEvent):
    """``subscription.payment.overdue``: an overdue notice was sent."""

    event_types = ("subscription.payment.overdue",)
    type: Literal["subscription.payment.overdue"]
