"""Typed FastSpring webhook events, and :func:`parse` for a webhook body.

A webhook POST carries ``{"events": [...]}``; each event has ``id``, ``type``, ``live``,
``processed``, ``created`` (epoch ms) and ``data``, the resource the event is about. Every
event type FastSpring documents has its own class with ``data`` typed
(:class:`~sblgen.events.resources.Order`, :class:`~sblgen.events.resources.Subscription`,
...). An event type sblgen does not know yet is still readable: it parses as the generic
:class:`Event`, with ``data`` left as the JSON it was.

>>> body = (b'{"events": [{"id": "e1", "type": "order.completed", "live": false,'
...         b' "processed": false, "created": 1700000000000,'
...         b' "data": {"order": "o1", "reference": "ACM-1", "total": 9.99}},'
...         b' {"id": "e2", "type": "widget.invented", "data": {"x": 1}}]}')
>>> completed, future = parse(body)
>>> type(completed).__name__, completed.data.order_id, completed.data.total
('OrderCompleted', 'o1', Decimal('9.99'))
>>> type(future).__name__, future.type, future.data
('Event', 'widget.invented', {'x': 1})

Bodies are bounded before anything is parsed: at most :data:`MAX_BODY_BYTES` bytes and
:data:`MAX_JSON_DEPTH` levels of nesting. Every problem is one
:class:`~sblgen.errors.WebhookPayloadError` line:

>>> parse(b'{"events": [{"id": "e1"}]}')
Traceback (most recent call last):
sblgen.errors.WebhookPayloadError: The webhook body is not FastSpring's events envelope: \
events[0].type is missing ...
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, create_model

from sblgen import limits
from sblgen._model import ResponseModel
from sblgen.errors import WebhookPayloadError
from sblgen.events.resources import (
    Account,
    Charge,
    Chargeback,
    ChargeFailure,
    EventTime,
    FulfillmentFailure,
    MailingListEntry,
    Order,
    PayoutEntry,
    Quote,
    Return,
    Subscription,
)

__all__ = [
    "EVENT_TYPES",
    "MAX_BODY_BYTES",
    "MAX_JSON_DEPTH",
    "AccountCreated",
    "AccountEvent",
    "AccountUpdated",
    "Event",
    "FulfillmentFailed",
    "MailingListEntryUpdated",
    "OrderApprovalPending",
    "OrderCanceled",
    "OrderChargeback",
    "OrderCompleted",
    "OrderEvent",
    "OrderFailed",
    "OrderPaymentPending",
    "PayoutEntryCreated",
    "QuoteCreated",
    "QuoteUpdated",
    "ReturnCreated",
    "SubscriptionActivated",
    "SubscriptionCanceled",
    "SubscriptionChargeCompleted",
    "SubscriptionChargeFailed",
    "SubscriptionDeactivated",
    "SubscriptionEvent",
    "SubscriptionPaused",
    "SubscriptionPaymentOverdue",
    "SubscriptionPaymentReminder",
    "SubscriptionResumed",
    "SubscriptionTrialReminder",
    "SubscriptionUncanceled",
    "SubscriptionUpdated",
    "UnreadableEvent",
    "event_class",
    "json_depth",
    "parse",
    "parse_event",
    "read_events",
]

#: The largest webhook body read (:data:`sblgen.limits.MAX_BODY_BYTES`, 5 MiB).
MAX_BODY_BYTES = limits.MAX_BODY_BYTES

#: The deepest JSON nesting accepted: sblgen's one limit, :data:`sblgen.limits.MAX_DEPTH`.
MAX_JSON_DEPTH = limits.MAX_DEPTH

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def _ms(value: datetime | None) -> int | None:
    return None if value is None else round((value - _EPOCH) / _MS)


def _key(*parts: object) -> str | None:
    """``"a:b:c"``, or None when a part is missing (no stable key then)."""
    if any(part is None or part == "" for part in parts):
        return None
    return ":".join(str(part) for part in parts)


class Event(ResponseModel):
    """One webhook event. Also the class of every event type sblgen does not know:
    ``data`` then stays the JSON value FastSpring sent.

    Unknown top-level fields (``event`` on events from the events API, for one) are kept in
    ``model_extra``.
    """

    model_config = ConfigDict(defer_build=True)

    #: The ``type`` value(s) this class parses; empty for the generic event.
    event_types: ClassVar[tuple[str, ...]] = ()

    id: str = Field(min_length=1)
    type: str
    live: bool | None = None
    processed: bool | None = None
    created: EventTime | None = None
    data: Any = None

    def business_key(self) -> str | None:
        """A key for the *resource change* this event reports, stable across FastSpring's
        manual resends (which get a new event id), or None when the payload holds nothing
        that identifies the change (then only the event id de-duplicates).

        The generic event has none:

        >>> Event(id="e1", type="widget.invented").business_key() is None
        True
        """
        return None


# ----------------------------------------------------------------------------- orders


class OrderEvent(Event):
    """Base of the ``order.*`` events: ``data`` is the :class:`Order`.

    Business key: ``<type>:<order id>:<changed ms>`` (``order.completed`` overrides it).
    """

    data: Order

    def business_key(self) -> str | None:
        return _key(self.type, self.data.order_id, _ms(self.data.changed))


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
        return _key(self.type, self.data.order_id)


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
        return _key(self.type, self.data.order_id)


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


# ---------------------------------------------------------------------- subscriptions


class SubscriptionEvent(Event):
    """Base of the events whose ``data`` is the :class:`Subscription` itself.

    Business key: ``<type>:<subscription id>:<changed ms>``: one key per change, so that a
    cancel, an uncancel and a second cancel are three events, while a resend of one of them
    is a duplicate.
    """

    data: Subscription

    def business_key(self) -> str | None:
        return _key(self.type, self.data.subscription_id, _ms(self.data.changed))


class SubscriptionActivated(SubscriptionEvent):
    """``subscription.activated``: a new subscription (trials included; not rebills).

    Business key: ``subscription.activated:<subscription id>`` (a subscription starts once).
    """

    event_types = ("subscription.activated",)
    type: Literal["subscription.activated"]

    def business_key(self) -> str | None:
        return _key(self.type, self.data.subscription_id)


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
        return _key(self.type, self.data.subscription_id)


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
        return _key(self.type, self.data.order_id)


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
        return _key(self.type, data.subscription_id, _ms(when))


# ------------------------------------------------------------- returns, payouts, accounts


class ReturnCreated(Event):
    """``return.created``: a return or refund was issued; ``data`` is the :class:`Return`.

    Business key: ``return.created:<return id>``.
    """

    event_types = ("return.created",)
    type: Literal["return.created"]
    data: Return

    def business_key(self) -> str | None:
        return _key(self.type, self.data.return_id)


class PayoutEntryCreated(Event):
    """``payoutEntry.created``: a payout entry for an order or a return. No business key:
    no documented field identifies one entry (an order and its return share ids)."""

    event_types = ("payoutEntry.created",)
    type: Literal["payoutEntry.created"]
    data: PayoutEntry


class AccountEvent(Event):
    """Base of the ``account.*`` events: ``data`` is the :class:`Account`."""

    data: Account


class AccountCreated(AccountEvent):
    """``account.created``: a new account (an unknown email at checkout, or the API).

    Business key: ``account.created:<account id>``.
    """

    event_types = ("account.created",)
    type: Literal["account.created"]

    def business_key(self) -> str | None:
        return _key(self.type, self.data.account_id)


class AccountUpdated(AccountEvent):
    """``account.updated``: account details changed. No business key: the payload has no
    change time, and an account changes many times."""

    event_types = ("account.updated",)
    type: Literal["account.updated"]


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


# ------------------------------------------------------------------------------ parsing

_CLASSES: tuple[type[Event], ...] = (
    OrderCompleted,
    OrderFailed,
    OrderCanceled,
    OrderPaymentPending,
    OrderApprovalPending,
    OrderChargeback,
    FulfillmentFailed,
    MailingListEntryUpdated,
    SubscriptionActivated,
    SubscriptionUpdated,
    SubscriptionCanceled,
    SubscriptionUncanceled,
    SubscriptionDeactivated,
    SubscriptionPaused,
    SubscriptionResumed,
    SubscriptionTrialReminder,
    SubscriptionPaymentReminder,
    SubscriptionPaymentOverdue,
    SubscriptionChargeCompleted,
    SubscriptionChargeFailed,
    ReturnCreated,
    PayoutEntryCreated,
    AccountCreated,
    AccountUpdated,
    QuoteCreated,
    QuoteUpdated,
)

#: Event type -> its class. A type not listed parses as :class:`Event`.
EVENT_TYPES: Mapping[str, type[Event]] = {t: cls for cls in _CLASSES for t in cls.event_types}


def event_class(event_type: str) -> type[Event]:
    """The class that parses ``event_type`` (:class:`Event` for unknown types).

    >>> event_class("subscription.canceled").__name__, event_class("nope").__name__
    ('SubscriptionCanceled', 'Event')
    """
    return EVENT_TYPES.get(event_type, Event)


@dataclass(frozen=True)
class UnreadableEvent:
    """An event whose ``data`` does not fit its type's model. It is reported, never
    acknowledged, so FastSpring delivers it again once the handler code can read it."""

    id: str
    type: str
    error: str


# The fast path: the whole envelope in one pass of pydantic's JSON parser, each event
# picked by its "type". Unknown types or a bad event fall back to the per-event path.
_fast: TypeAdapter[Any] | None = None


def _fast_adapter() -> TypeAdapter[Any]:
    global _fast
    if _fast is None:
        known = Annotated[Union[tuple(_CLASSES)], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007
        envelope = create_model(
            "_Envelope",
            __config__=ConfigDict(extra="ignore"),
            events=(list[known], ...),  # type: ignore[valid-type]
        )
        _fast = TypeAdapter(envelope)
    return _fast


json_depth = limits.json_depth
_nests_deeper_than = limits.nests_deeper_than


def _check_bounds(body: bytes) -> None:
    if len(body) > MAX_BODY_BYTES:
        raise WebhookPayloadError(
            f"The webhook body is {len(body)} bytes, more than MAX_BODY_BYTES "
            f"({MAX_BODY_BYTES}); FastSpring's posts are far smaller, so refuse it."
        )
    depth = limits.nests_deeper_than(body, MAX_JSON_DEPTH)
    if depth is not None:
        raise WebhookPayloadError(
            f"The webhook body nests {depth} levels deep, more than MAX_JSON_DEPTH "
            f"({MAX_JSON_DEPTH}); FastSpring's events nest about 10, so refuse it."
        )
    try:
        limits.check_json_bytes(body)
    except limits.LimitError as err:
        raise WebhookPayloadError(f"The webhook body is refused: {err}.") from None


def _as_bytes(body: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    raise TypeError(f"parse the raw webhook body (bytes or str), not {type(body).__name__}")


# Union members name themselves in pydantic's error locations ("account.str",
# "changed.datetime"); a location names fields only.
_UNION_TAGS = frozenset({"str", "int", "float", "bool", "decimal", "datetime", "list", "dict"})


def _location(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, str) and (part in _UNION_TAGS or "[" in part or part[:1].isupper()):
            continue
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "data"


def _envelope_events(body: bytes) -> list[Mapping[str, Any]]:
    """The event objects of the envelope, each checked to have a string id and type."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as err:
        reason = err.msg if isinstance(err, json.JSONDecodeError) else str(err)
        raise WebhookPayloadError(f"The webhook body is not JSON: {reason}.") from None

    def bad(what: str) -> WebhookPayloadError:
        return WebhookPayloadError(f"The webhook body is not FastSpring's events envelope: {what}.")

    if not isinstance(document, dict):
        raise bad('it is not a JSON object {"events": [...]}')
    events = document.get("events")
    if not isinstance(events, list):
        raise bad('"events" is missing or not a list')
    for index, item in enumerate(events):
        if not isinstance(item, dict):
            raise bad(f"events[{index}] is not an object")
        for name in ("id", "type"):
            value = item.get(name)
            if value is None:
                raise bad(
                    f'events[{index}].{name} is missing (each event needs a string "id" and "type")'
                )
            if not isinstance(value, str) or not value:
                raise bad(f"events[{index}].{name} is {value!r}, not a non-empty string")
    return events


def _read_one(item: Mapping[str, Any]) -> Event | UnreadableEvent:
    try:
        return parse_event(item)
    except WebhookPayloadError as err:
        return UnreadableEvent(id=str(item["id"]), type=str(item["type"]), error=str(err))


def parse_event(item: Mapping[str, Any]) -> Event:
    """One event from its JSON object (an element of a webhook's ``events``, or of the
    events API's answer), as its type's class.

    >>> parse_event({"id": "e9", "type": "subscription.canceled",
    ...     "data": {"id": "s1", "active": True, "state": "canceled"}}).data.state
    'canceled'
    >>> parse_event({"id": "e9", "type": "subscription.canceled", "data": {"active": "maybe"}})
    Traceback (most recent call last):
    sblgen.errors.WebhookPayloadError: Event 'e9' (subscription.canceled): data.active: Input \
    should be a valid boolean, ...
    """
    event_type = item.get("type")
    cls = event_class(event_type) if isinstance(event_type, str) else Event
    try:
        return cls.model_validate(item)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = _location(first["loc"])
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        raise WebhookPayloadError(
            limits.printable(
                f"Event {item.get('id')!r} ({event_type}): {where}: {first['msg']}{more}."
            )
        ) from None


def read_events(body: bytes | str) -> list[Event | UnreadableEvent]:
    """Every event of a webhook body (or of an events API answer, which has the same
    ``events`` list); an event whose data does not fit its type's model is an
    :class:`UnreadableEvent` instead of failing the others.

    Raises :class:`~sblgen.errors.WebhookPayloadError` (one line) when the body as a whole
    is too large, too deep, not JSON, or not the events envelope.

    >>> body = b'{"events": [{"id": "e1", "type": "order.completed", "data": {"total": "x"}}]}'
    >>> read_events(body)[0].error
    "Event 'e1' (order.completed): data.total: Input should be a valid decimal."
    """
    raw = _as_bytes(body)
    _check_bounds(raw)
    try:
        return list(_fast_adapter().validate_json(raw).events)
    except ValidationError:
        pass  # an unknown type or a bad event: read them one by one
    return [_read_one(item) for item in _envelope_events(raw)]


def parse(body: bytes | str) -> list[Event]:
    """Every event of a webhook body, typed; the first problem raises one
    :class:`~sblgen.errors.WebhookPayloadError` line naming the event and the field.

    >>> [event.type for event in parse('{"events": []}')]
    []
    """
    events = read_events(body)
    for event in events:
        if isinstance(event, UnreadableEvent):
            raise WebhookPayloadError(event.error)
    return events  # type: ignore[return-value]  # no UnreadableEvent is left
