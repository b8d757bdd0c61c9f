"""The purchase description the builder holds: product lines and given fields."""

from __future__ import annotations

import dataclasses

import pytest

from sblgen import CheckoutBuilder, LineItem
from sblgen._description import Description, given


def test_line_item_overrides_in_declaration_order() -> None:
    assert LineItem("p").overrides() == []
    item = LineItem("p", 2, sku="S", price={"USD": 1}, interval="month")
    assert item.overrides() == ["price", "interval", "sku"]


def test_given_leaves_out_self_and_unset_arguments() -> None:
    assert given({"self": 1, "a": None, "b": "x", "c": 0}) == (("b", "x"), ("c", 0))


def test_description_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Description().coupon = "X"  # type: ignore[misc]


def test_builder_methods_keep_only_the_fields_given() -> None:
    builder = CheckoutBuilder().contact(email="a@example.com", city="Oslo").recipient(memo="Hi")
    assert builder.session().to_dict() == {
        "paymentContact": {"email": "a@example.com", "city": "Oslo"},
        "recipient": {"memo": "Hi"},
    }


def test_line_item_is_the_public_name() -> None:
    from sblgen import builder

    assert builder.LineItem is LineItem
