"""Run each webhook event's handlers once, and tell FastSpring exactly which events are done.

Register handlers by event type (a class or a type string); :meth:`Dispatcher.dispatch`
runs them for each event, de-duplicated through an :class:`~sblgen.events.store.EventStore`,
and returns the :class:`Acknowledgement` to send back:

- every event processed: HTTP **200** (FastSpring marks all of the post's events
  processed);
- some processed: HTTP **202** whose body lists the processed event ids, one per line
  (FastSpring marks only those, and delivers the others again);
- none processed: HTTP **500**. An empty 202 should mean the same, but FastSpring documents
  only "the listed ids", so sblgen answers with the status FastSpring itself suggests for
  failures.

An event counts as processed when all of its handlers returned, when it is a duplicate of
one already processed, or when no handler is registered for its type (it is acknowledged
and dropped; otherwise FastSpring would deliver it again for a week). It is *not* processed
when a handler raised, when its data does not fit its type's model, when the store failed,
or when another worker is running the same event right now.

>>> from sblgen.events import OrderCompleted, SubscriptionChargeFailed, parse
>>> from sblgen.events.store import MemoryStore
>>> dispatcher = Dispatcher()
>>> fulfilled = []
>>> @dispatcher.on(OrderCompleted)
... def fulfil(event: OrderCompleted) -> None:
...     fulfilled.append(event.data.order_id)
>>> @dispatcher.on("subscription.charge.failed")
... def dun(event: SubscriptionChargeFailed) -> None:
...     raise RuntimeError("mail server down")
>>> events = parse(b'{"events": [{"id": "e1", "type": "order.completed", "data": {"order": "o1"}},'
...     b' {"id": "e2", "type": "subscription.charge.failed", "data": {"subscription": "s1"}}]}')
>>> store = MemoryStore()
>>> ack = dispatcher.dispatch(events, store)
>>> ack.status, ack.body, fulfilled
(202, 'e1', ['o1'])
>>> again = dispatcher.dispatch(events, store)  # FastSpring redelivers: e1 is a duplicate
>>> again.status, [r.outcome.value for r in again.results], fulfilled
(202, ['duplicate', 'failed'], ['o1'])

De-duplication keys (all claimed before any handler runs; a refused one makes the event a
duplicate or in progress):

- ``event:<event id>``: automatic retries keep the id;
- the event's :meth:`~sblgen.events.base.Event.business_key`, because a manual resend
  from the FastSpring app gets a *new* event id:

  ====================================== ======================================================
  type                                   business key
  ====================================== ======================================================
  ``order.completed``, ``order.canceled`` ``<type>:<order id>``
  other ``order.*`` (failed, pending)    ``<type>:<order id>:<changed ms>``
  ``subscription.activated``,            ``<type>:<subscription id>``
  ``subscription.deactivated``
  other subscription-object events       ``<type>:<subscription id>:<changed ms>``
  (updated, canceled, uncanceled,
  paused, resumed, reminders, overdue)
  ``subscription.charge.completed``      ``<type>:<charge order id>``
  ``subscription.charge.failed``         ``<type>:<subscription id>:<changed/timestamp ms>``
  ``return.created``                     ``<type>:<return id>``
  ``account.created``                    ``<type>:<account id>``
  ``account.updated``, ``payoutEntry.*``, none (the event id only: nothing in the payload
  ``fulfillment.failed``, ``quote.*``,   tells two such changes apart)
  ``order.chargeback``,
  ``mailingListEntry.*``, unknown types
  ====================================== ======================================================

  A key part that is missing from the payload means no business key. Pass
  ``Dispatcher(business_key=...)`` to use your own rule. Keys longer than 200 characters are
  stored as their SHA-256.

An event's handlers are one unit: if one raises, the event's claims are released and on
redelivery *all* its handlers run again, so a handler that has side effects before it can
fail should be idempotent (or register one handler per type).
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar, overload

from sblgen.events.base import Event
from sblgen.events.parsing import EVENT_TYPES, UnreadableEvent
from sblgen.events.store import EventStore

__all__ = ["Acknowledgement", "Dispatcher", "EventResult", "Handler", "Outcome"]

logger = logging.getLogger("sblgen.events")

EventT = TypeVar("EventT", bound=Event)
HandlerT = TypeVar("HandlerT", bound=Callable[..., object])

#: A handler takes the typed event; its return value is ignored.
Handler = Callable[[Any], object]

_MAX_KEY = 200


class Outcome(StrEnum):
    """What happened to one event."""

    HANDLED = "handled"
    """Its handlers ran and returned."""
    DUPLICATE = "duplicate"
    """Already processed (same event id, or same business key)."""
    UNHANDLED = "unhandled"
    """No handler is registered for its type."""
    FAILED = "failed"
    """A handler raised, or the store failed."""
    IN_PROGRESS = "in_progress"
    """Another worker holds its claim right now."""
    UNREADABLE = "unreadable"
    """Its data does not fit its type's model."""

    @property
    def acknowledged(self) -> bool:
        """Whether FastSpring is told the event is processed."""
        return self in (Outcome.HANDLED, Outcome.DUPLICATE, Outcome.UNHANDLED)


@dataclass(frozen=True)
class EventResult:
    """One event's outcome; ``error`` is a one-line reason for the failing outcomes."""

    event_id: str
    event_type: str
    outcome: Outcome
    error: str | None = None


@dataclass(frozen=True)
class Acknowledgement:
    """The answer for one webhook post (or one batch from the events API).

    >>> ok = EventResult("e1", "order.completed", Outcome.HANDLED)
    >>> bad = EventResult("e2", "order.completed", Outcome.FAILED, "RuntimeError: boom")
    >>> Acknowledgement((ok,)).status, Acknowledgement((ok, bad)).status
    (200, 202)
    >>> Acknowledgement((ok, bad)).body, Acknowledgement((bad,)).status
    ('e1', 500)
    """

    results: tuple[EventResult, ...]

    @property
    def processed(self) -> tuple[str, ...]:
        """Ids of the events to acknowledge, in order (an id listed twice in one post counts
        only if none of its copies failed)."""
        failed = set(self.failed)
        ids = (r.event_id for r in self.results if r.outcome.acknowledged)
        return tuple(dict.fromkeys(i for i in ids if i not in failed))

    @property
    def failed(self) -> tuple[str, ...]:
        """Ids of the events left for FastSpring to deliver again, in order."""
        ids = (r.event_id for r in self.results if not r.outcome.acknowledged)
        return tuple(dict.fromkeys(ids))

    @property
    def status(self) -> int:
        """200 (all processed), 202 (only :attr:`processed`) or 500 (none)."""
        if not self.failed:
            return 200
        return 202 if self.processed else 500

    @property
    def body(self) -> str:
        """The response body: the processed ids one per line for a 202, else a short note."""
        status = self.status
        if status == 202:
            return "\n".join(self.processed)
        if status == 500:
            return "No event was processed; deliver them again."
        return ""


def _handler_name(handler: Handler) -> str:
    module = getattr(handler, "__module__", None)
    name = getattr(handler, "__qualname__", None) or repr(handler)
    return f"{module}.{name}" if module else name


def _store_key(key: str) -> str:
    if len(key) <= _MAX_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


class Dispatcher:
    """Handlers by event type, and the per-event run/acknowledge logic.

    ``business_key`` replaces :meth:`Event.business_key` as the second de-duplication key
    (return None for "event id only").
    """

    def __init__(self, *, business_key: Callable[[Event], str | None] | None = None) -> None:
        self._handlers: dict[str, list[Handler]] = {}
        self._any: list[Handler] = []
        self._business_key = business_key

    def __repr__(self) -> str:
        types = ", ".join(sorted(self._handlers))
        return f"Dispatcher({types}{', *' if self._any else ''})"

    @overload
    def on(
        self, kind: type[EventT], /
    ) -> Callable[[Callable[[EventT], object]], Callable[[EventT], object]]: ...

    @overload
    def on(
        self, kind: str, /, *more: str, strict: bool = True
    ) -> Callable[[HandlerT], HandlerT]: ...

    def on(self, kind: type[Event] | str, /, *more: str, strict: bool = True) -> Any:
        """Decorator: run the function for events of ``kind``.

        ``kind`` is an event class (its subclasses' types too: ``on(OrderEvent)`` covers
        every ``order.*`` event sblgen knows) or one or more type strings. A string that is
        no known type is refused as a likely typo, unless ``strict=False`` (for a type
        FastSpring added after this sblgen).

        >>> d = Dispatcher()
        >>> @d.on("order.completed", "order.canceled")
        ... def log(event: Event) -> None: ...
        >>> d.handles("order.canceled"), d.handles("order.failed")
        (True, False)
        >>> d.on("order.complete")
        Traceback (most recent call last):
        ValueError: 'order.complete' is not a FastSpring event type sblgen knows; check the ...
        """
        types = self._types(kind, more, strict=strict)

        def register(handler: HandlerT) -> HandlerT:
            for event_type in types:
                self._handlers.setdefault(event_type, []).append(handler)
            return handler

        return register

    def _types(
        self, kind: type[Event] | str, more: Sequence[str], *, strict: bool
    ) -> tuple[str, ...]:
        if isinstance(kind, type):
            if more:
                raise TypeError("pass either one event class or type strings to on()")
            if kind is Event:
                raise TypeError("on(Event) is ambiguous; use on_any for every event")
            types = tuple(t for t, cls in EVENT_TYPES.items() if issubclass(cls, kind))
            if not types:
                raise TypeError(f"{kind.__name__} is not an event class of sblgen.events")
            return types
        types = (kind, *more)
        for event_type in types:
            if not isinstance(event_type, str) or not event_type:
                raise TypeError(f"an event type is a non-empty string, not {event_type!r}")
            if strict and event_type not in EVENT_TYPES:
                raise ValueError(
                    f"{event_type!r} is not a FastSpring event type sblgen knows; check the "
                    "spelling, or pass strict=False for a type newer than sblgen."
                )
        return types

    def on_any(self, handler: HandlerT) -> HandlerT:
        """Decorator: run the function for *every* event, after the type's own handlers."""
        self._any.append(handler)
        return handler

    def handles(self, event_type: str) -> bool:
        """Whether any handler (typed or catch-all) runs for ``event_type``."""
        return bool(self._any) or bool(self._handlers.get(event_type))

    def handlers_for(self, event_type: str) -> tuple[Handler, ...]:
        """The handlers for ``event_type``, in the order they run."""
        return (*self._handlers.get(event_type, ()), *self._any)

    def keys(self, event: Event) -> tuple[str, ...]:
        """The store keys claimed for ``event``: its id, then its business key (if any).

        >>> from sblgen.events.parsing import parse_event
        >>> Dispatcher().keys(parse_event({"id": "e1", "type": "order.completed",
        ...     "data": {"order": "o1"}}))
        ('event:e1', 'order.completed:o1')
        """
        business = (
            self._business_key(event) if self._business_key is not None else event.business_key()
        )
        keys = [_store_key(f"event:{event.id}")]
        if business:
            keys.append(_store_key(business))
        return tuple(keys)

    def dispatch(
        self, events: Iterable[Event | UnreadableEvent], store: EventStore
    ) -> Acknowledgement:
        """Run the handlers of each event, in order, and say what to acknowledge. Never
        raises for a handler's or the store's failure: those events are simply not
        acknowledged (and logged on the ``sblgen.events`` logger)."""
        return Acknowledgement(tuple(self._run(event, store) for event in events))

    def _run(self, event: Event | UnreadableEvent, store: EventStore) -> EventResult:
        if isinstance(event, UnreadableEvent):
            logger.error("Webhook event not acknowledged: %s", event.error)
            return EventResult(event.id, event.type, Outcome.UNREADABLE, event.error)
        handlers = self.handlers_for(event.type)
        if not handlers:
            return EventResult(event.id, event.type, Outcome.UNHANDLED)
        claimed: list[str] = []
        try:
            for key in self.keys(event):
                if store.claim(key):
                    claimed.append(key)
                    continue
                done = store.is_done(key)
                for mine in claimed:
                    # A manual resend of a processed change: remember its new id too.
                    (store.mark_done if done else store.release)(mine)
                outcome = Outcome.DUPLICATE if done else Outcome.IN_PROGRESS
                return EventResult(event.id, event.type, outcome)
        except Exception as err:  # the store is down: leave the event for a redelivery
            self._release(store, claimed)
            return self._failed(event, f"the event store failed: {err!r}")
        for handler in handlers:
            try:
                result = handler(event)
                if inspect.isawaitable(result):
                    if inspect.iscoroutine(result):
                        result.close()
                    raise TypeError(
                        f"{_handler_name(handler)} is async; webhook handlers run "
                        "synchronously, so make it a plain function"
                    )
            except Exception as err:
                logger.exception(
                    "Webhook handler %s failed for event %s (%s); not acknowledged, so "
                    "FastSpring delivers it again.",
                    _handler_name(handler),
                    event.id,
                    event.type,
                )
                self._release(store, claimed)
                return EventResult(
                    event.id,
                    event.type,
                    Outcome.FAILED,
                    f"{_handler_name(handler)}: {type(err).__name__}: {err}",
                )
        try:
            for key in claimed:
                store.mark_done(key)
        except Exception:  # handlers ran: acknowledge, or a redelivery would run them again
            logger.exception(
                "Event %s (%s) was handled but the store could not record it.",
                event.id,
                event.type,
            )
        return EventResult(event.id, event.type, Outcome.HANDLED)

    @staticmethod
    def _release(store: EventStore, claimed: Iterable[str]) -> None:
        for key in claimed:
            try:
                store.release(key)
            except Exception:  # the lease expires instead
                logger.exception("Could not release the webhook claim %s.", key)

    @staticmethod
    def _failed(event: Event, error: str) -> EventResult:
        logger.error("Webhook event %s (%s) not acknowledged: %s", event.id, event.type, error)
        return EventResult(event.id, event.type, Outcome.FAILED, error)
