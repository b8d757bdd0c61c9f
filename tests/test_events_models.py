"""Typed webhook events: every documented type, both reference shapes, unknown types and
fields, bounds, one-line errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sblgen.errors import WebhookPayloadError
from sblgen.events import (
    EVENT_TYPES,
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    AccountCreated,
    Event,
    OrderCompleted,
    PayoutEntryCreated,
    ReturnCreated,
    SubscriptionCanceled,
    SubscriptionChargeCompleted,
    SubscriptionChargeFailed,
    SubscriptionUpdated,
    UnreadableEvent,
    event_class,
    parse,
    parse_event,
    read_events,
)
from sblgen.events.models import _nests_deeper_than, json_depth
from sblgen.events.resources import Account, Order, Product, Subscription

DATA = Path(__file__).parent / "data" / "webhooks"


def _body(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _envelope(*events: dict[str, Any]) -> bytes:
    return json.dumps({"events": list(events)}).encode()


def test_every_documented_type_has_a_class_and_parses() -> None:
    events = parse(_body("every_type.json"))
    assert [e.type for e in events] == list(EVENT_TYPES)
    for event in events:
        assert type(event) is EVENT_TYPES[event.type], event.type
        assert type(event) is not Event
        assert event.created is not None and event.created.tzinfo is not None
        assert event.live is False and event.processed is False


def test_order_completed_id_only_shape() -> None:
    (event, *_) = parse(_body("every_type.json"))
    assert isinstance(event, OrderCompleted)
    order = event.data
    assert order.order_id == "oN5eASPKTM2Jwkx15ICNyg"
    assert order.reference == "ACM191015-1265-35113"
    assert order.completed is True and order.live is False
    assert order.changed == datetime(2019, 10, 15, 20, 51, 49, 980000, tzinfo=UTC)
    assert (order.total, order.tax, order.subtotal) == (
        Decimal("36.15"),
        Decimal("2.2"),
        Decimal("33.95"),
    )
    assert order.account == order.account_id == "N8FjcSWcQNeYCc-suM1O8g"
    assert order.payment is not None and order.payment.credit_card == "visa"  # "creditcard"
    assert order.customer is not None and order.customer.email == "ann@example.com"
    assert order.address is not None and order.address.postal_code == "93101"
    assert order.recipients[0].recipient is not None
    assert order.recipients[0].recipient.account == "N8FjcSWcQNeYCc-suM1O8g"
    assert order.coupons == ("WELCOME10",)
    first, fee = order.items
    assert (first.product_path, first.quantity, first.subscription_id) == (
        "pro-plan",
        1,
        "AmYzjmPbSbWYkESv7MnwwA",
    )
    assert first.fulfillments is not None
    assert first.fulfillments["pro-plan_license_0"][0]["license"] == "ACME-1234-5678"
    assert fee.driver is not None and (fee.driver.type, fee.driver.path) == (
        "one_time_fee",
        "pro-plan",
    )
    # Undeclared fields stay readable; the locale-dependent Display strings too.
    assert order.model_extra is not None
    assert order.model_extra["siteId"] == "acme"
    assert order.model_extra["changedDisplay"] == "10/15/19"


def test_expanded_shapes() -> None:
    completed, charge = parse(_body("expanded.json"))
    assert isinstance(completed, OrderCompleted)
    assert isinstance(completed.data.account, Account)
    assert completed.data.account_id == "N8FjcSWcQNeYCc-suM1O8g"
    item = completed.data.items[0]
    assert isinstance(item.product, Product) and item.product_path == "pro-plan"
    assert isinstance(item.subscription, Subscription)
    assert item.subscription_id == "AmYzjmPbSbWYkESv7MnwwA"
    assert item.subscription.product_path == "pro-plan"
    assert item.subscription.account_id == "N8FjcSWcQNeYCc-suM1O8g"
    assert isinstance(charge, SubscriptionChargeCompleted)
    assert isinstance(charge.data.order, Order) and charge.data.order_id == completed.data.order_id
    assert isinstance(charge.data.subscription, Subscription)
    assert charge.data.subscription_id == "AmYzjmPbSbWYkESv7MnwwA"
    assert charge.data.account_id == "N8FjcSWcQNeYCc-suM1O8g"


def test_subscription_fields() -> None:
    events = {e.type: e for e in parse(_body("every_type.json"))}
    canceled = events["subscription.canceled"]
    assert isinstance(canceled, SubscriptionCanceled)
    sub = canceled.data
    assert (sub.subscription_id, sub.active, sub.state) == (
        "AmYzjmPbSbWYkESv7MnwwA",
        True,
        "canceled",
    )
    assert sub.deactivation_date == datetime(2019, 11, 22, tzinfo=UTC)
    assert sub.next == datetime(2019, 11, 22, tzinfo=UTC)
    assert sub.end is None and sub.remaining_periods is None
    assert sub.product_path == "pro-plan" and sub.account_id == "N8FjcSWcQNeYCc-suM1O8g"
    assert sub.addons[0].product == "extra-seat" and sub.addons[0].subtotal == Decimal(10)
    updated = events["subscription.updated"]
    assert isinstance(updated, SubscriptionUpdated)
    method = updated.data.payment_method
    assert not isinstance(method, str) and method is not None
    assert (method.card_brand, method.last_four) == ("VISA", "4242")
    assert updated.data.payment_method_action == "UPDATED"
    failed = events["subscription.charge.failed"]
    assert isinstance(failed, SubscriptionChargeFailed)
    assert (failed.data.reason, failed.data.custom_reference_id) == ("EXPIRED_CARD", "user-42")


def test_returns_payouts_accounts() -> None:
    events = {e.type: e for e in parse(_body("every_type.json"))}
    ret = events["return.created"]
    assert isinstance(ret, ReturnCreated)
    assert ret.data.return_id == "rRETURN000000000000001"
    assert ret.data.order_id == "oN5eASPKTM2Jwkx15ICNyg"
    assert ret.data.total_return == Decimal("36.15")
    payout = events["payoutEntry.created"]
    assert isinstance(payout, PayoutEntryCreated)
    assert payout.data.order_id == "oN5eASPKTM2Jwkx15ICNyg"
    assert payout.data.payouts[0].payout == Decimal("30.74")  # sent as a string
    account = events["account.created"]
    assert isinstance(account, AccountCreated)
    assert account.data.account_id == "N8FjcSWcQNeYCc-suM1O8g"
    assert account.data.contact is not None and account.data.contact.subscribed is True
    address = account.data.address
    assert address is not None
    assert (address.address_line1, address.postal_code) == ("1 Main St", "93101")  # spaced keys
    assert account.data.lookup is not None
    assert (account.data.lookup.global_, account.data.lookup.custom) == (
        "TVgVGdPBTqeHNBH6LO3f3g",
        "user-42",
    )
    quote = events["quote.created"]
    assert quote.data.model_extra == {"id": "QUOTE-1", "status": "OPEN"}


def test_unknown_types_and_fields_stay_readable() -> None:
    body = _envelope(
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
    body = _envelope(
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


def test_body_size_and_depth_are_bounded() -> None:
    huge = b'{"events": [], "pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    with pytest.raises(WebhookPayloadError, match=r"more than MAX_BODY_BYTES \(5242880\)"):
        parse(huge)
    deep_data: Any = 1
    for _ in range(MAX_JSON_DEPTH):
        deep_data = {"a": deep_data}
    deep = _envelope({"id": "e1", "type": "widget.x", "data": deep_data})
    with pytest.raises(
        WebhookPayloadError, match=r"nests 67 levels deep, more than MAX_JSON_DEPTH"
    ):
        parse(deep)
    # Brackets inside strings do not count; escaped quotes do not end a string.
    tricky = _envelope({"id": "e1", "type": "widget.x", "data": {"t": '\\"' + "[" * 500}})
    assert parse(tricky)[0].data == {"t": '\\"' + "[" * 500}
    # Far past the limit, the parser itself never recurses (no RecursionError).
    with pytest.raises(WebhookPayloadError, match="MAX_JSON_DEPTH"):
        parse(b'{"events": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    with pytest.raises(WebhookPayloadError, match="nests 1000 levels deep"):
        parse(b"[" * 1000)  # never closed


def _reference_depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_reference_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_reference_depth(v) for v in value), default=0)
    return 0


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab\n'),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet='[]{}"\\ab', max_size=4), inner, max_size=4)
    ),
    max_leaves=40,
)


@given(_json, st.booleans())
def test_json_depth_matches_the_structure(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert json_depth(text) == _reference_depth(value)


@given(_json, st.integers(min_value=0, max_value=6))
def test_the_depth_bound_is_exact_at_any_limit(value: Any, limit: int) -> None:
    text = json.dumps(value).encode()
    depth = _reference_depth(value)
    assert _nests_deeper_than(text, limit) == (depth if depth > limit else None)


def test_one_unknown_type_reads_every_event_the_same() -> None:
    """An unknown type sends the whole post down the per-event path (json.loads, then each
    model from Python objects); the typed results do not depend on which path read them."""
    document = json.loads(_body("every_type.json"))
    fast = parse(json.dumps(document).encode())
    document["events"].append({"id": "new", "type": "widget.invented", "data": {"x": 1.5}})
    slow = parse(json.dumps(document).encode())
    assert slow[:-1] == fast
    assert [e.model_dump() for e in slow[:-1]] == [e.model_dump() for e in fast]
