"""FastSpring's events API: ``client.events`` (:class:`Events`), and :func:`pull_events`,
which recovers the webhook events your server missed.

>>> events_query(days=3)
'days=3'
>>> events_query(days=31)
Traceback (most recent call last):
ValueError: days=31: give 1 to 30 (FastSpring keeps events for 30 days).

FastSpring marks an event processed when your webhook answered 200 (or listed it in a 202).
Events it could not deliver stay *unprocessed*, and FastSpring recommends a scheduled job
that fetches them, handles them and marks them processed: that is :func:`pull_events`.

Running it from cron next to a webhook receiver is safe:

- **The race.** FastSpring may deliver an event to the webhook while the job holds the same
  event (it retries for days, and a manual resend can come at any time). Both then hand the
  event to their handler. The handler must therefore be idempotent: pass the webhook
  dispatcher, whose store claims each event id (and order/subscription) once, so one of
  the two runs the work and the other sees a duplicate, which it reports as processed.
- **Marking twice is harmless.** Marking sets the event's ``processed`` flag to true; when
  the receiver's acknowledgement has set it already, the job's mark changes nothing. That is
  also why :meth:`Events.mark_processed` is retried after a timeout, unlike other writes.
- **Nothing is lost.** An event is marked only after its handler returned ``True``. One the
  handler declines (``False``), or whose mark fails, stays unprocessed and comes back on the
  next run. An exception from the handler stops the run: the events before it are marked,
  the rest wait for the next run.
- **Pages shift under a running job.** Events fetched are read in full before any is
  handled, within a fixed window ending when the run started; when the receiver marks events
  meanwhile, later pages move up and some events can be skipped by this run, but an event
  skipped that way is still unprocessed and the next run gets it.

Assumptions where FastSpring's documentation is unconfirmed:

- Pages are requested with ``page`` and followed through ``nextPage``; an answer with
  ``more: true`` but no ``nextPage`` ends this run (the rest comes next run).
- ``begin`` older than 30 days is refused by FastSpring; sblgen refuses it before sending.
- Marking is ``POST /events/{id}`` with ``{"processed": true}``; any 2xx without a
  ``result: error`` counts as marked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

from sblgen._model import dumps_compact
from sblgen.api.calls import (
    AsyncHandle,
    Call,
    Op,
    Stream,
    SyncHandle,
    collect,
    model_parser,
    one_call,
    operation,
    paginate,
    parse_json,
    perform,
    stream,
)
from sblgen.api.events_models import ApiEvent, EventPage
from sblgen.api.resource_data import epoch_ms, resource_id
from sblgen.errors import ApiError

__all__ = [
    "MAX_DAYS",
    "AsyncEvents",
    "AsyncEventsClient",
    "EventHandler",
    "Events",
    "EventsClient",
    "PullResult",
    "events_query",
    "pull_events",
    "pull_events_async",
]

#: How far back FastSpring's events API reaches.
MAX_DAYS = 30
#: What :func:`pull_events` calls for each event: the event's JSON object as FastSpring
#: sent it; ``True`` when it is processed (then it is marked), ``False`` to leave it.
EventHandler = Callable[[dict[str, Any]], bool]

_parse_page = model_parser(EventPage, fast=True)
_MARK = dumps_compact({"processed": True}).encode("utf-8")


def _now() -> datetime:
    return datetime.fromtimestamp(time.time(), tz=UTC)


def events_query(
    *,
    begin: datetime | None = None,
    end: datetime | None = None,
    days: int | None = None,
    now: datetime | None = None,
) -> str:
    """The query of an events request: ``begin`` (and ``end``), or ``days``.

    >>> events_query(begin=datetime(2026, 11, 20, tzinfo=UTC),
    ...              end=datetime(2026, 11, 21, tzinfo=UTC), now=datetime(2026, 11, 24, tzinfo=UTC))
    'begin=1795132800000&end=1795219200000'
    """
    if (begin is None) == (days is None):
        raise ValueError("Give begin= (an aware datetime) or days= (1 to 30), one of them.")
    if days is not None:
        if end is not None:
            raise ValueError("end= goes with begin=, not with days=.")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise ValueError(f"days={days!r}: give 1 to 30 (FastSpring keeps events for 30 days).")
        return urlencode({"days": days})
    assert begin is not None
    start = epoch_ms(begin, "begin")
    oldest = (now or _now()) - timedelta(days=MAX_DAYS)
    if begin < oldest:
        raise ValueError(
            f"begin={begin.isoformat()} is more than {MAX_DAYS} days ago; FastSpring refuses "
            f"it. Give a time after {oldest.isoformat(timespec='seconds')}."
        )
    params = {"begin": start}
    if end is not None:
        stop = epoch_ms(end, "end")
        if stop <= start:
            raise ValueError(f"end={end.isoformat()} must be after begin={begin.isoformat()}.")
        params["end"] = stop
    return urlencode(params)


def _page_call(base: str, query: str, page: int | None) -> Call[EventPage]:
    tail = f"&page={page}" if page is not None else ""
    return Call("GET", f"{base}?{query}{tail}", None, True, _parse_page)


def _events_of(page: EventPage) -> Sequence[ApiEvent]:
    return page.events


def _no_answer(method: str, url: str, response: Any) -> None:
    parse_json(method, url, response)  # a result: error raises


@dataclass(frozen=True)
class PullResult:
    """What one :func:`pull_events` run did: how many events it ``fetched``; the ids it
    handled and marked ``processed``; those the handler ``declined``; and those handled but
    ``unmarked`` (id, error), which come back on the next run."""

    fetched: int
    processed: tuple[str, ...]
    declined: tuple[str, ...]
    unmarked: tuple[tuple[str, str], ...]

    def summary(self) -> str:
        """One line for logs.

        >>> PullResult(3, ("e1",), ("e2",), (("e3", "timeout"),)).summary()
        '3 fetched, 1 processed, 1 declined, 1 not marked'
        """
        return (
            f"{self.fetched} fetched, {len(self.processed)} processed, "
            f"{len(self.declined)} declined, {len(self.unmarked)} not marked"
        )


class _EventCalls:
    """The events operations, written once for both clients."""

    @stream
    def unprocessed(
        self,
        *,
        begin: datetime | None = None,
        end: datetime | None = None,
        days: int | None = None,
    ) -> Stream[ApiEvent]:
        """``GET /events/unprocessed``: events not yet marked processed, since ``begin``
        (up to ``end``) or in the last ``days``, page after page."""
        query = events_query(begin=begin, end=end, days=days)
        return paginate(lambda page: _page_call("/events/unprocessed", query, page), _events_of)

    @stream
    def processed(
        self,
        *,
        begin: datetime | None = None,
        end: datetime | None = None,
        days: int | None = None,
    ) -> Stream[ApiEvent]:
        """``GET /events/processed``: events already marked processed, page after page."""
        query = events_query(begin=begin, end=end, days=days)
        return paginate(lambda page: _page_call("/events/processed", query, page), _events_of)

    @one_call
    def mark_processed(self, event_id: str) -> Call[None]:
        """``POST /events/{id}`` ``{"processed": true}``. Idempotent (it sets a flag), so
        it is retried after a timeout like a read."""
        path = f"/events/{resource_id(event_id, 'event id')}"
        return Call("POST", path, _MARK, True, _no_answer)

    @operation
    def pull(
        self, since: datetime, handle: EventHandler, *, until: datetime | None = None
    ) -> Op[PullResult]:
        """Fetch the unprocessed events created since ``since`` (up to ``until``, default
        FastSpring's own now, so that a client clock running behind never hides the newest
        events), pass each to ``handle`` and mark those it returns ``True`` for (see
        :func:`pull_events`)."""
        query = events_query(begin=since, end=until)
        pages = paginate(lambda page: _page_call("/events/unprocessed", query, page), _events_of)
        events: list[ApiEvent] = yield from collect(pages)
        seen: set[str] = set()
        processed: list[str] = []
        declined: list[str] = []
        unmarked: list[tuple[str, str]] = []
        for event in events:
            if event.id in seen:
                continue
            seen.add(event.id)
            done = handle(event.wire)
            if not isinstance(done, bool):
                raise TypeError(
                    f"The event handler returned {type(done).__name__}; it must return True "
                    "(processed: mark it) or False (leave it for the next run)."
                )
            if not done:
                declined.append(event.id)
                continue
            try:
                yield from perform(_EventCalls.mark_processed.fn(self, event.id))
            except ApiError as err:
                unmarked.append((event.id, str(err)))
            else:
                processed.append(event.id)
        return PullResult(len(seen), tuple(processed), tuple(declined), tuple(unmarked))


class Events(SyncHandle, _EventCalls):
    """The events API on a :class:`~sblgen.api.Client`."""


class AsyncEvents(AsyncHandle, _EventCalls):
    """The events API on an :class:`~sblgen.api.AsyncClient` (``async for`` the streams,
    ``await`` the rest)."""


class EventsClient(Protocol):
    """What :func:`pull_events` needs: a :class:`~sblgen.api.Client` (its ``events``)."""

    @property
    def events(self) -> Events: ...


class AsyncEventsClient(Protocol):
    """What :func:`pull_events_async` needs: an :class:`~sblgen.api.AsyncClient`."""

    @property
    def events(self) -> AsyncEvents: ...


def pull_events(
    client: EventsClient, since: datetime, handle: EventHandler, *, until: datetime | None = None
) -> PullResult:
    """Recover missed webhook events: fetch the unprocessed events created since ``since``,
    pass each event's JSON object to ``handle`` (the webhook dispatcher, or any callable
    returning ``True`` when the event is processed) and mark those processed. Safe to run
    from cron next to the webhook receiver (see the module documentation).

    ``since`` must be a timezone-aware datetime within FastSpring's 30 days. With the
    webhook receiver's :class:`~sblgen.events.Dispatcher` and store, so that an event runs
    its handlers once whichever path delivers it::

        from sblgen.events import parse_event

        def handle(event):
            result = dispatcher.dispatch([parse_event(event)], store).results[0]
            return result.outcome.acknowledged

        pull_events(client, datetime.now(UTC) - timedelta(days=3), handle)
    """
    return client.events.pull(since, handle, until=until)


async def pull_events_async(
    client: AsyncEventsClient,
    since: datetime,
    handle: EventHandler,
    *,
    until: datetime | None = None,
) -> PullResult:
    """:func:`pull_events` on an :class:`~sblgen.api.AsyncClient` (``handle`` stays a plain
    function)."""
    return await client.events.pull(since, handle, until=until)
