"""Subscription charge events: the charge's order, subscription and account in either
shape, and why a rebill failed."""

from __future__ import annotations

from typing import Any

from sblgen.events import OrderCompleted, SubscriptionChargeCompleted, SubscriptionChargeFailed
from sblgen.events.orders import Order
from sblgen.events.subscriptions import Subscription
from tests.webhook_apps import example_events


def test_expanded_charge_shape() -> None:
    events = example_events("expanded.json")
    completed, charge = events["order.completed"], events["subscription.charge.completed"]
    assert isinstance(completed, OrderCompleted)
    assert isinstance(charge, SubscriptionChargeCompleted)
    assert isinstance(charge.data.order, Order) and charge.data.order_id == completed.data.order_id
    assert isinstance(charge.data.subscription, Subscription)
    assert charge.data.subscription_id == "AmYzjmPbSbWYkESv7MnwwA"
    assert charge.data.account_id == "N8FjcSWcQNeYCc-suM1O8g"


def test_charge_failure_fields() -> None:
    failed = example_events()["subscription.charge.failed"]
    assert isinstance(failed, SubscriptionChargeFailed)
    assert (failed.data.reason, failed.data.custom_reference_id) == ("EXPIRED_CARD", "user-42")


def test_a_failed_charge_keys_on_its_time_from_any_field() -> None:
    def key(data: dict[str, Any]) -> str | None:
        event = SubscriptionChargeFailed(id="e1", type="subscription.charge.failed", data=data)
        return event.business_key()

    ms = 1700000000000  # FastSpring's times are epoch milliseconds
    assert key({"subscription": "s1", "changed": ms}) == f"subscription.charge.failed:s1:{ms}"
    assert key({"subscription": "s1", "timestamp": ms + 1}) == (
        f"subscription.charge.failed:s1:{ms + 1}"
    )
    expanded = {"subscription": {"id": "s1", "changed": ms + 2}}
    assert key(expanded) == f"subscription.charge.failed:s1:{ms + 2}"
    assert key({"subscription": "s1"}) is None  # no time: only the event id de-duplicates
