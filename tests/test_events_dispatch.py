"""The dispatcher: handlers by type, per-event acknowledgement (200 / 202 + ids / 500) and
de-duplication by event id and business key."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from sblgen.events import (
    Acknowledgement,
    Dispatcher,
    Event,
    EventResult,
    MemoryStore,
    OrderCompleted,
    OrderEvent,
    Outcome,
    SubscriptionCanceled,
    SubscriptionEvent,
    parse,
    parse_event,
    read_events,
)
from tests.webhook_apps import MIXED, RESENT, charge_failed, envelope, order_completed


class Recorder:
    """A dispatcher whose handlers record what they were given; ``fail`` holds the event
    types whose handler raises."""

    def __init__(self) -> None:
        self.dispatcher = Dispatcher()
        self.ran: list[tuple[str, str]] = []
        self.fail: set[str] = set()

        @self.dispatcher.on(OrderCompleted)
        def fulfil(event: OrderCompleted) -> None:
            self._run("fulfil", event)

        @self.dispatcher.on("subscription.charge.failed", "subscription.canceled")
        def subscription(event: Event) -> None:
            self._run("subscription", event)

    def _run(self, name: str, event: Event) -> None:
        self.ran.append((name, event.id))
        if event.type in self.fail:
            raise RuntimeError(f"{name} is down")


def outcomes(ack: Acknowledgement) -> list[tuple[str, str]]:
    return [(r.event_id, r.outcome.value) for r in ack.results]


def test_all_processed_is_200_with_an_empty_body() -> None:
    rec = Recorder()
    ack = rec.dispatcher.dispatch(parse(MIXED), MemoryStore())
    assert (ack.status, ack.body, ack.processed, ack.failed) == (200, "", ("evt-1", "evt-2"), ())
    assert rec.ran == [("fulfil", "evt-1"), ("subscription", "evt-2")]


def test_a_failing_handler_leaves_only_its_event_for_redelivery(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rec = Recorder()
    rec.fail.add("subscription.charge.failed")
    store = MemoryStore()
    first = rec.dispatcher.dispatch(parse(MIXED), store)
    assert (first.status, first.body) == (202, "evt-1")
    assert outcomes(first) == [("evt-1", "handled"), ("evt-2", "failed")]
    assert first.results[1].error == (
        "tests.test_events_dispatch.Recorder.__init__.<locals>.subscription: "
        "RuntimeError: subscription is down"
    )
    assert "evt-2 (subscription.charge.failed); not acknowledged" in caplog.text
    # FastSpring delivers evt-2 again (here: the whole post again); evt-1 does not rerun.
    rec.fail.clear()
    second = rec.dispatcher.dispatch(parse(MIXED), store)
    assert (second.status, second.body) == (200, "")
    assert outcomes(second) == [("evt-1", "duplicate"), ("evt-2", "handled")]
    assert rec.ran == [("fulfil", "evt-1"), ("subscription", "evt-2"), ("subscription", "evt-2")]


def test_nothing_processed_is_500() -> None:
    rec = Recorder()
    rec.fail |= {"order.completed", "subscription.charge.failed"}
    ack = rec.dispatcher.dispatch(parse(MIXED), MemoryStore())
    assert (ack.status, ack.processed, ack.failed) == (500, (), ("evt-1", "evt-2"))
    assert ack.body == "No event was processed; deliver them again."


def test_a_manual_resend_with_new_ids_is_a_duplicate() -> None:
    rec = Recorder()
    store = MemoryStore()
    rec.dispatcher.dispatch(parse(MIXED), store)
    resend = rec.dispatcher.dispatch(parse(RESENT), store)
    assert outcomes(resend) == [("evt-1-resent", "duplicate"), ("evt-2-resent", "duplicate")]
    assert resend.status == 200 and len(rec.ran) == 2
    assert store.is_done("event:evt-1-resent")  # the new id is remembered too


def test_distinct_changes_of_one_subscription_all_run() -> None:
    rec = Recorder()
    store = MemoryStore()

    def canceled(event_id: str, changed: int) -> dict[str, Any]:
        data = {"id": "s1", "state": "canceled", "changed": changed}
        return {"id": event_id, "type": "subscription.canceled", "data": data}

    body = envelope(canceled("c1", 1), canceled("c2", 2), canceled("c2-resent", 2))
    ack = rec.dispatcher.dispatch(parse(body), store)
    assert outcomes(ack) == [("c1", "handled"), ("c2", "handled"), ("c2-resent", "duplicate")]


def test_without_a_business_key_only_the_event_id_deduplicates() -> None:
    dispatcher = Dispatcher()
    ran: list[str] = []
    dispatcher.on("account.updated")(lambda event: ran.append(event.id))
    store = MemoryStore()
    body = envelope(
        {"id": "a1", "type": "account.updated", "data": {"id": "acc"}},
        {"id": "a1", "type": "account.updated", "data": {"id": "acc"}},
        {"id": "a2", "type": "account.updated", "data": {"id": "acc"}},
    )
    ack = dispatcher.dispatch(parse(body), store)
    assert outcomes(ack) == [("a1", "handled"), ("a1", "duplicate"), ("a2", "handled")]
    assert ack.processed == ("a1", "a2") and ran == ["a1", "a2"]


def test_an_event_another_worker_is_running_is_not_acknowledged() -> None:
    rec = Recorder()
    store = MemoryStore()
    assert store.claim("event:evt-1")  # another worker holds it right now
    ack = rec.dispatcher.dispatch(parse(envelope(order_completed("evt-1"))), store)
    assert (ack.status, outcomes(ack)) == (500, [("evt-1", "in_progress")])
    # Same for its business key (a manual resend racing the original); our event-id claim
    # is given back, so the redelivery can claim it.
    store = MemoryStore()
    assert store.claim("order.completed:o1")
    ack = rec.dispatcher.dispatch(parse(envelope(order_completed("evt-9"))), store)
    assert outcomes(ack) == [("evt-9", "in_progress")]
    assert store.claim("event:evt-9") is True
    assert rec.ran == []


def test_unhandled_types_are_acknowledged_without_touching_the_store() -> None:
    class NoStore(MemoryStore):
        def claim(self, key: str) -> bool:
            raise AssertionError("no claim for an unhandled event")

    body = envelope(
        {"id": "u1", "type": "quote.created", "data": {}},
        {"id": "u2", "type": "widget.invented", "data": None},
    )
    ack = Dispatcher().dispatch(parse(body), NoStore())
    assert (ack.status, outcomes(ack)) == (200, [("u1", "unhandled"), ("u2", "unhandled")])


def test_unreadable_events_are_never_acknowledged() -> None:
    rec = Recorder()
    body = envelope(order_completed("evt-1"), {"id": "bad", "type": "order.completed", "data": 7})
    ack = rec.dispatcher.dispatch(read_events(body), MemoryStore())
    assert (ack.status, ack.body) == (202, "evt-1")
    assert ack.results[1].outcome is Outcome.UNREADABLE
    assert ack.results[1].error is not None and "Event 'bad' (order.completed): data:" in (
        ack.results[1].error
    )


def test_a_failing_store_leaves_the_event_for_redelivery() -> None:
    class Down(MemoryStore):
        def claim(self, key: str) -> bool:
            raise OSError("disk I/O error")

    rec = Recorder()
    ack = rec.dispatcher.dispatch(parse(MIXED), Down())
    assert ack.status == 500 and rec.ran == []
    assert ack.results[0].error == "the event store failed: OSError('disk I/O error')"

    class CannotRecord(MemoryStore):
        def mark_done(self, key: str) -> None:
            raise OSError("disk full")

    ack = rec.dispatcher.dispatch(parse(MIXED), CannotRecord())
    assert ack.status == 200  # the handlers ran: acknowledging avoids running them twice


def test_async_handlers_are_refused_at_run_time() -> None:
    dispatcher = Dispatcher()

    async def fulfil(event: OrderCompleted) -> None:
        pass

    dispatcher.on(OrderCompleted)(fulfil)
    ack = dispatcher.dispatch(parse(envelope(order_completed("e1"))), MemoryStore())
    assert ack.status == 500
    assert ack.results[0].error is not None
    assert "is async; webhook handlers run synchronously" in ack.results[0].error


def test_catch_all_runs_for_every_event_after_the_typed_handlers() -> None:
    rec = Recorder()
    seen: list[str] = []
    rec.dispatcher.on_any(lambda event: seen.append(f"{type(event).__name__}:{event.id}"))
    body = envelope(order_completed("evt-1"), {"id": "w", "type": "widget.new", "data": {}})
    ack = rec.dispatcher.dispatch(parse(body), MemoryStore())
    assert outcomes(ack) == [("evt-1", "handled"), ("w", "handled")]
    assert seen == ["OrderCompleted:evt-1", "Event:w"] and rec.ran == [("fulfil", "evt-1")]
    assert rec.dispatcher.handles("anything") is True


def test_registration() -> None:
    dispatcher = Dispatcher()

    @dispatcher.on(OrderEvent)
    def orders(event: OrderEvent) -> None: ...

    @dispatcher.on(SubscriptionEvent)
    def subscriptions(event: SubscriptionEvent) -> None: ...

    assert dispatcher.handlers_for("order.failed") == (orders,)
    assert dispatcher.handlers_for("subscription.paused") == (subscriptions,)
    assert dispatcher.handlers_for("subscription.charge.completed") == ()
    assert dispatcher.handlers_for("order.chargeback") == ()  # its data is not an Order
    dispatcher.on("order.refunded", strict=False)(orders)
    assert dispatcher.handles("order.refunded")
    with pytest.raises(ValueError, match=r"'order\.complete' is not a FastSpring event type"):
        dispatcher.on("order.complete")
    with pytest.raises(TypeError, match="ambiguous; use on_any"):
        dispatcher.on(Event)
    with pytest.raises(TypeError, match="an event type is a non-empty string"):
        dispatcher.on("")
    assert repr(dispatcher).startswith("Dispatcher(order.approval.pending, ")


def test_custom_business_key_and_long_keys() -> None:
    dispatcher = Dispatcher(business_key=lambda event: "tenant-7:" + "x" * 300)
    dispatcher.on(SubscriptionCanceled)(lambda event: None)
    event = parse_event({"id": "e1", "type": "subscription.canceled", "data": {"id": "s"}})
    event_key, business = dispatcher.keys(event)
    assert event_key == "event:e1"
    assert business.startswith("sha256:") and len(business) == 71


def test_events_from_the_events_api_share_the_store_with_webhooks() -> None:
    rec = Recorder()
    store = MemoryStore()
    rec.dispatcher.dispatch(parse(MIXED), store)
    api_events = [  # what GET /events/unprocessed returns: the same ids, plus "event"
        {**order_completed("evt-1"), "event": "evt-1"},
        {**charge_failed("evt-3", "s2"), "event": "evt-3"},
    ]
    ack = rec.dispatcher.dispatch([parse_event(e) for e in api_events], store)
    assert outcomes(ack) == [("evt-1", "duplicate"), ("evt-3", "handled")]
    assert ack.processed == ("evt-1", "evt-3")  # the ids to mark processed


def test_one_id_twice_in_a_post_is_acknowledged_only_if_no_copy_failed() -> None:
    ack = Acknowledgement(
        tuple(EventResult("e1", "order.completed", o) for o in (Outcome.FAILED, Outcome.HANDLED))
    )
    assert (ack.processed, ack.failed, ack.status) == ((), ("e1",), 500)


def test_handler_exceptions_are_logged_with_the_event_not_the_payload(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rec = Recorder()
    rec.fail.add("order.completed")
    with caplog.at_level(logging.ERROR, logger="sblgen.events"):
        rec.dispatcher.dispatch(parse(MIXED), MemoryStore())
    (record,) = caplog.records
    assert record.getMessage().startswith("Webhook handler tests.test_events_dispatch.")
    assert "evt-1 (order.completed)" in record.getMessage()
    assert "EXPIRED_CARD" not in caplog.text


def test_an_events_api_answer_reads_like_a_webhook_body() -> None:
    rec = Recorder()
    answer = json.dumps(
        {
            "action": "events.get",
            "result": "success",
            "page": 1,
            "limit": 25,
            "more": False,
            "events": [{**order_completed("evt-7", "o7"), "event": "evt-7"}],
        }
    ).encode()
    ack = rec.dispatcher.dispatch(read_events(answer), MemoryStore())
    assert ack.processed == ("evt-7",) and rec.ran == [("fulfil", "evt-7")]
