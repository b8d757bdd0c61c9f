"""Parsing webhook bodies: every documented type has its class, unknown types and fields
stay readable, one-line errors, a bad event is unreadable without failing the others."""

from __future__ import annotations

import json

import pytest

from sblgen.errors import WebhookPayloadError
from sblgen.events import (
    EVENT_TYPES,
    Event,
    OrderCompleted,
    UnreadableEvent,
    event_class,
    parse,
    parse_event,
    read_events,
)
from tests.webhook_apps import envelope, example_body, order_completed


def test_every_documented_type_has_a_class_and_parses() -> None:
    events = parse(example_body())
    assert [e.type for e in events] == list(EVENT_TYPES)
    for event in events:
        assert type(event) is EVENT_TYPES[event.type], event.type
        assert type(event) is not Event
        assert event.created is not None and event.created.tzinfo is not None
        assert event.live is False and event.processed is False


def test_unknown_types_and_fields_stay_readable() -> None:
    body = envelope(
        {"id": "e1", "type": "order.refunded.partially", "data": {"order": "o1", "amount": 3}},
        {"id": "e2", "type": "mailingListEntry.removed", "data": {"id": "m1"}},
        {"id": "e3", "type": "order.completed", "data": {"order": "o1"}, "extraTop": 1},
    )
    first, second, third = parse(body)
    assert type(first) is Event and first.data == {"order": "o1", "amount": 3}
    assert type(second) is Event and second.type == "mailingListEntry.removed"
    assert isinstance(third, OrderCompleted) and third.model_extra == {"extraTop": 1}
    assert event_class("order.refunded.partially") is Event


def test_events_api_element_parses_too() -> None:
    event = parse_event(
        {"id": "e1", "event": "e1", "type": "account.updated", "processed": True, "data": {}}
    )
    assert event.processed is True and event.model_extra == {"event": "e1"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "The webhook body is not JSON: Expecting value."),
        (b"[]", 'not a JSON object {"events": [...]}'),
        (b"{}", '"events" is missing or not a list'),
        (b'{"events": [1]}', "events[0] is not an object"),
        (b'{"events": [{"type": "x"}]}', "events[0].id is missing"),
        (b'{"events": [{"id": "e", "type": 3}]}', "events[0].type is 3, not a non-empty string"),
        (b'{"events": [{"id": "", "type": "x"}]}', "events[0].id is '', not a non-empty string"),
    ],
)
def test_envelope_errors_are_one_line(body: bytes, message: str) -> None:
    with pytest.raises(WebhookPayloadError) as info:
        parse(body)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_bad_event_is_unreadable_not_fatal() -> None:
    body = envelope(
        {"id": "e1", "type": "order.completed", "data": {"order": "o1"}},
        {"id": "e2", "type": "subscription.canceled", "data": {"quantity": "many", "active": 2}},
        {"id": "e3", "type": "order.completed", "data": "o3"},
    )
    good, bad, worse = read_events(body)
    assert isinstance(good, OrderCompleted)
    assert isinstance(bad, UnreadableEvent) and bad.id == "e2"
    assert bad.error == (
        "Event 'e2' (subscription.canceled): data.active: Input should be a valid boolean, "
        "unable to interpret input (and 1 more)."
    )
    assert isinstance(worse, UnreadableEvent)
    assert worse.error.startswith("Event 'e3' (order.completed): data: Input should be")
    with pytest.raises(WebhookPayloadError, match=r"^Event 'e2' \(subscription.canceled\)"):
        parse(body)


def test_one_unknown_type_reads_every_event_the_same() -> None:
    """An unknown type sends the whole post down the per-event path (json.loads, then each
    model from Python objects); the typed results do not depend on which path read them."""
    document = json.loads(example_body())
    fast = parse(json.dumps(document).encode())
    document["events"].append({"id": "new", "type": "widget.invented", "data": {"x": 1.5}})
    slow = parse(json.dumps(document).encode())
    assert slow[:-1] == fast
    assert [e.model_dump() for e in slow[:-1]] == [e.model_dump() for e in fast]


def test_the_body_may_be_text_but_not_a_parsed_object() -> None:
    assert [e.id for e in parse(envelope(order_completed("e1")).decode())] == ["e1"]
    with pytest.raises(TypeError, match="parse the raw webhook body"):
        read_events({"events": []})  # type: ignore[arg-type]
