"""FastSpring webhooks, end to end: typed events, handlers run once, per-event
acknowledgement.

>>> from sblgen.events import Dispatcher, MemoryStore, OrderCompleted, receive
>>> from sblgen.webhooks import sign
>>> dispatcher = Dispatcher()
>>> @dispatcher.on(OrderCompleted)
... def fulfil(event: OrderCompleted) -> None:
...     print("fulfil", event.data.order_id, [i.product_path for i in event.data.items])
>>> body = (b'{"events": [{"id": "e1", "type": "order.completed", "live": false, "data":'
...         b' {"order": "o1", "completed": true, "items": [{"product": "pro-plan"}]}}]}')
>>> headers = {"X-FS-Signature": sign(body, "s3cret")}
>>> store = MemoryStore()
>>> receive(body, headers, "s3cret", dispatcher, store)
fulfil o1 ['pro-plan']
WebhookReply(status=200, body='')
>>> receive(body, headers, "s3cret", dispatcher, store)  # a redelivery: not fulfilled again
WebhookReply(status=200, body='')

- the events and the resources they carry, by domain: :mod:`sblgen.events.orders`,
  :mod:`~sblgen.events.subscriptions`, :mod:`~sblgen.events.charges`,
  :mod:`~sblgen.events.returns`, :mod:`~sblgen.events.accounts`; what they share (the
  generic :class:`Event`, times, id-or-object references) in :mod:`~sblgen.events.base`;
- :mod:`sblgen.events.parsing`: the class of each event type, :func:`parse`; the body's size
  and depth limits in :mod:`~sblgen.events.bounds`;
- :mod:`sblgen.events.dispatch`: :class:`Dispatcher` (handlers by type) and the
  200 / 202-with-ids acknowledgement;
- :mod:`sblgen.events.store`: the claim-store protocol, :class:`MemoryStore`,
  :class:`SQLiteStore`;
- :mod:`sblgen.events.receiver`: :func:`receive`, framework-free;
- :mod:`sblgen.events.endpoint`: what the Flask endpoint
  (``sblgen.integrations.flask_webhooks``) and the Django one
  (``sblgen.integrations.django.webhooks``) share: :class:`WebhookSettings`, the body
  limit, the default store, the reply.

The same :class:`Dispatcher` and store serve events fetched from FastSpring's events API
(unprocessed events a webhook missed): ``dispatcher.dispatch([parse_event(e) for e in
api_events], store)`` runs them through the same handlers and de-duplication, and its
``processed`` ids are the ones to mark processed.
"""

from __future__ import annotations

from sblgen.events.accounts import AccountCreated, AccountEvent, AccountUpdated
from sblgen.events.base import Event
from sblgen.events.bounds import MAX_BODY_BYTES, MAX_JSON_DEPTH
from sblgen.events.charges import SubscriptionChargeCompleted, SubscriptionChargeFailed
from sblgen.events.dispatch import Acknowledgement, Dispatcher, EventResult, Outcome
from sblgen.events.endpoint import WebhookSettings
from sblgen.events.orders import (
    FulfillmentFailed,
    MailingListEntryUpdated,
    OrderApprovalPending,
    OrderCanceled,
    OrderChargeback,
    OrderCompleted,
    OrderEvent,
    OrderFailed,
    OrderPaymentPending,
    QuoteCreated,
    QuoteUpdated,
)
from sblgen.events.parsing import (
    EVENT_TYPES,
    UnreadableEvent,
    event_class,
    parse,
    parse_event,
    read_events,
)
from sblgen.events.receiver import WebhookReply, receive
from sblgen.events.returns import PayoutEntryCreated, ReturnCreated
from sblgen.events.store import EventStore, MemoryStore, SQLiteStore
from sblgen.events.subscriptions import (
    SubscriptionActivated,
    SubscriptionCanceled,
    SubscriptionDeactivated,
    SubscriptionEvent,
    SubscriptionPaused,
    SubscriptionPaymentOverdue,
    SubscriptionPaymentReminder,
    SubscriptionResumed,
    SubscriptionTrialReminder,
    SubscriptionUncanceled,
    SubscriptionUpdated,
)

__all__ = [
    "EVENT_TYPES",
    "MAX_BODY_BYTES",
    "MAX_JSON_DEPTH",
    "Acknowledgement",
    "AccountCreated",
    "AccountEvent",
    "AccountUpdated",
    "Dispatcher",
    "Event",
    "EventResult",
    "EventStore",
    "FulfillmentFailed",
    "MailingListEntryUpdated",
    "MemoryStore",
    "OrderApprovalPending",
    "OrderCanceled",
    "OrderChargeback",
    "OrderCompleted",
    "OrderEvent",
    "OrderFailed",
    "OrderPaymentPending",
    "Outcome",
    "PayoutEntryCreated",
    "QuoteCreated",
    "QuoteUpdated",
    "ReturnCreated",
    "SQLiteStore",
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
    "WebhookReply",
    "WebhookSettings",
    "event_class",
    "parse",
    "parse_event",
    "read_events",
    "receive",
]
