"""Subscription events: the subscription's fields, dates and changed payment method."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sblgen.events import SubscriptionCanceled, SubscriptionUpdated
from tests.webhook_apps import example_events


def test_subscription_fields() -> None:
    events = example_events()
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
