"""Order events and the order resource: FastSpring's id-only and expanded shapes, the
undocumented payloads kept whole."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sblgen.events import OrderCompleted, parse
from sblgen.events.accounts import Account
from sblgen.events.base import Product
from sblgen.events.subscriptions import Subscription
from tests.webhook_apps import example_body, example_events


def test_order_completed_id_only_shape() -> None:
    (event, *_) = parse(example_body())
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


def test_expanded_order_shape() -> None:
    completed = example_events("expanded.json")["order.completed"]
    assert isinstance(completed, OrderCompleted)
    assert isinstance(completed.data.account, Account)
    assert completed.data.account_id == "N8FjcSWcQNeYCc-suM1O8g"
    item = completed.data.items[0]
    assert isinstance(item.product, Product) and item.product_path == "pro-plan"
    assert isinstance(item.subscription, Subscription)
    assert item.subscription_id == "AmYzjmPbSbWYkESv7MnwwA"
    assert item.subscription.product_path == "pro-plan"
    assert item.subscription.account_id == "N8FjcSWcQNeYCc-suM1O8g"


def test_quotes_keep_every_field() -> None:
    quote = example_events()["quote.created"]
    assert quote.data.model_extra == {"id": "QUOTE-1", "status": "OPEN"}
