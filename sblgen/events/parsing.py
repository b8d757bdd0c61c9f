"""Every webhook event type's class, and :func:`parse` for a webhook body.

A webhook POST carries ``{"events": [...]}``; each event has ``id``, ``type``, ``live``,
``processed``, ``created`` (epoch ms) and ``data``, the resource the event is about. Every
event type FastSpring documents has its own class with ``data`` typed
(:class:`~sblgen.events.orders.Order`, :class:`~sblgen.events.subscriptions.Subscription`,
...). An event type sblgen does not know yet is still readable: it parses as the generic
:class:`~sblgen.events.base.Event`, with ``data`` left as the JSON it was.

>>> body = (b'{"events": [{"id": "e1", "type": "order.completed", "live": false,'
...         b' "processed": false, "created": 1700000000000,'
...         b' "data": {"order": "o1", "reference": "ACM-1", "total": 9.99}},'
...         b' {"id": "e2", "type": "widget.invented", "data": {"x": 1}}]}')
>>> completed, future = parse(body)
>>> type(completed).__name__, completed.data.order_id, completed.data.total
('OrderCompleted', 'o1', Decimal('9.99'))
>>> type(future).__name__, future.type, future.data
('Event', 'widget.invented', {'x': 1})

Bodies are bounded before anything is parsed (:mod:`sblgen.events.bounds`). Every problem
is one :class:`~sblgen.errors.WebhookPayloadError` line:

>>> parse(b'{"events": [{"id": "e1"}]}')
Traceback (most recent call last):
sblgen.errors.WebhookPayloadError: The webhook body is not FastSpring's events envelope: \
events[0].type is missing ...
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, create_model

from sblgen.errors import WebhookPayloadError
from sblgen.events import accounts, charges, orders, returns, subscriptions
from sblgen.events.base import Event
from sblgen.events.bounds import check_bounds

__all__ = ["EVENT_TYPES", "UnreadableEvent", "event_class", "parse", "parse_event", "read_events"]

#: Every event class; :data:`EVENT_TYPES` lists their types in this order.
_CLASSES: tuple[type[Event], ...] = (
    orders.OrderCompleted,
    orders.OrderFailed,
    orders.OrderCanceled,
    orders.OrderPaymentPending,
    orders.OrderApprovalPending,
    orders.OrderChargeback,
    orders.FulfillmentFailed,
    orders.MailingListEntryUpdated,
    subscriptions.SubscriptionActivated,
    subscriptions.SubscriptionUpdated,
    subscriptions.SubscriptionCanceled,
    subscriptions.SubscriptionUncanceled,
    subscriptions.SubscriptionDeactivated,
    subscriptions.SubscriptionPaused,
    subscriptions.SubscriptionResumed,
    subscriptions.SubscriptionTrialReminder,
    subscriptions.SubscriptionPaymentReminder,
    subscriptions.SubscriptionPaymentOverdue,
    charges.SubscriptionChargeCompleted,
    charges.SubscriptionChargeFailed,
    returns.ReturnCreated,
    returns.PayoutEntryCreated,
    accounts.AccountCreated,
    accounts.AccountUpdated,
    orders.QuoteCreated,
    orders.QuoteUpdated,
)

#: Event type -> its class. A type not listed parses as :class:`~sblgen.events.base.Event`.
EVENT_TYPES: Mapping[str, type[Event]] = {t: cls for cls in _CLASSES for t in cls.event_types}


def event_class(event_type: str) -> type[Event]:
    """The class that parses ``event_type`` (:class:`~sblgen.events.base.Event` for unknown
    types).

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
            f"Event {item.get('id')!r} ({event_type}): {where}: {first['msg']}{more}."
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
    check_bounds(raw)
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
