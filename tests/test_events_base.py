"""What the event models share: references read from the id or the expanded object, the
key and time helpers, and the generic event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sblgen.events.base import Event, Product, epoch_ms, id_of, join_key
from sblgen.events.charges import Charge, ChargeFailure
from sblgen.events.orders import FulfillmentFailure, Order, OrderItem
from sblgen.events.subscriptions import Subscription


@pytest.mark.parametrize(
    ("model", "field", "reference", "expanded"),
    [
        (Order, "account", "account_id", {"id": "x1"}),
        (Order, "account", "account_id", {"account": "x1"}),
        (OrderItem, "product", "product_path", {"product": "x1"}),
        (OrderItem, "subscription", "subscription_id", {"subscription": "x1"}),
        (Subscription, "account", "account_id", {"id": "x1"}),
        (Subscription, "product", "product_path", {"id": "x1"}),
        (Charge, "order", "order_id", {"id": "x1"}),
        (Charge, "subscription", "subscription_id", {"id": "x1"}),
        (Charge, "account", "account_id", {"id": "x1"}),
        (ChargeFailure, "subscription", "subscription_id", {"id": "x1"}),
        (ChargeFailure, "account", "account_id", {"account": "x1"}),
        (FulfillmentFailure, "order", "order_id", {"order": "x1"}),
    ],
)
def test_every_reference_reads_either_shape(
    model: type[Order], field: str, reference: str, expanded: dict[str, str]
) -> None:
    assert getattr(model.model_validate({field: "x1"}), reference) == "x1"
    assert getattr(model.model_validate({field: expanded}), reference) == "x1"
    assert getattr(model.model_validate({}), reference) is None


def test_helpers() -> None:
    assert id_of(Product(product="", id="p1"), "product", "id") == "p1"  # empty is missing
    assert id_of(Product(), "product", "id") is None
    assert join_key("a", 1, "") is None and join_key("a", 1) == "a:1"
    assert epoch_ms(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)) == 1000


def test_the_generic_event_needs_an_id() -> None:
    with pytest.raises(ValueError, match="at least 1 character"):
        Event(id="", type="x")
