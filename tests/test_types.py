"""Shared value types: code tables, money, dates, identifiers."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from sblgen import types as t


@pytest.mark.parametrize("name", ["", "-lead", "a" * 256, "x/y", "ü", "a\nb"])
def test_product_path_rejects(name: str) -> None:
    with pytest.raises(ValueError, match="not a product path"):
        t.product_path(name)


def test_empty_coupon_removes() -> None:
    assert t.coupon_code("") == ""


@pytest.mark.parametrize("name", ["function", "undefined", "1abc", "a.b", "a b", "x()", ""])
def test_js_identifier_rejects_code_and_reserved_words(name: str) -> None:
    with pytest.raises(ValueError, match="not a JavaScript function name"):
        t.js_identifier(name)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("7.95"), "7.95"),
        (7.95, "7.95"),
        ("14.95", "14.95"),
        (500, "500"),
        (Decimal("500.00"), "500"),
        (Decimal("10.99"), "10.99"),
        (0.1, "0.1"),
        (Decimal("123456789012.34"), "123456789012.34"),
        (Decimal("0.0001"), "0.0001"),
    ],
)
def test_money_serialises_without_float_noise(value: object, text: str) -> None:
    adapter = TypeAdapter(t.Money)
    assert adapter.dump_json(adapter.validate_python(value)).decode() == text


@given(st.decimals(min_value=0, max_value=Decimal("99999999999"), places=2, allow_nan=False))
def test_money_json_round_trips(amount: Decimal) -> None:
    adapter = TypeAdapter(t.Money)
    text = adapter.dump_json(adapter.validate_python(amount)).decode()
    assert Decimal(text) == amount
    assert Decimal(json.dumps(json.loads(text))) == amount


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "negative"),
        ("abc", "not an amount"),
        (True, "not an amount"),
        (float("nan"), "not a finite"),
        (Decimal("Infinity"), "not a finite"),
        (Decimal("1.00001"), "decimal places"),
        (Decimal("1234567890123456"), "significant digits"),
        ([1], "not an amount"),
    ],
)
def test_money_rejects(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        t.money(value)


def test_price_map_normalises_currency_and_amounts() -> None:
    adapter = TypeAdapter(t.PriceMap)
    prices = adapter.validate_python({"usd": 14.95, "EUR": "10.99"})
    assert prices == {"USD": Decimal("14.95"), "EUR": Decimal("10.99")}
    assert adapter.dump_json(prices) == b'{"USD":14.95,"EUR":10.99}'
    with pytest.raises(ValidationError, match="non-empty mapping"):
        adapter.validate_python({})
    with pytest.raises(ValidationError, match="ISO 4217"):
        adapter.validate_python({"XYZ": 1})


def test_tag_map() -> None:
    adapter = TypeAdapter(t.TagMap)
    assert adapter.validate_python({"a": "1"}) == {"a": "1"}
    with pytest.raises(ValidationError, match="tag values are strings"):
        adapter.validate_python({"a": 1})
    with pytest.raises(ValidationError, match="non-empty string"):
        adapter.validate_python({"": "x"})
    with pytest.raises(ValidationError, match="mapping"):
        adapter.validate_python(["a"])


def test_proto_tag_name_refused() -> None:
    """JavaScript object literals treat "__proto__" as the prototype: the tag would vanish."""
    with pytest.raises(ValidationError, match="'__proto__' cannot be a tag name"):
        TypeAdapter(t.TagMap).validate_python({"__proto__": "x"})


@pytest.mark.parametrize("length", [1, 10])
def test_session_id_of_ten_characters_or_fewer_is_refused_saying_why(length: int) -> None:
    """The SBL reads a checkout string of <= 10 characters as a plain checkout."""
    with pytest.raises(ValueError, match="10 characters or fewer as a plain 'open checkout'"):
        t.session_id("a" * length)


@pytest.mark.parametrize("length", [t.SESSION_ID_MIN_LENGTH, 128])
def test_session_id_longer_than_ten_characters_is_accepted(length: int) -> None:
    assert t.session_id("a" * length) == "a" * length


@pytest.mark.parametrize("value", ["a" * 129, "abcdefghij/k", "abcdefghij k", "abcdefghijé"])
def test_session_id_outside_the_url_safe_alphabet_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="is not a Sessions API session id"):
        t.session_id(value)


def test_session_id_rule_on_every_path() -> None:
    """The model field, the checkout value and the builder all apply the one rule."""
    from sblgen import CheckoutBuilder, Session

    with pytest.raises(ValidationError, match="as a plain 'open checkout'"):
        Session(checkout="a" * 10)
    with pytest.raises(ValidationError, match="as a plain 'open checkout'"):
        TypeAdapter(t.SessionId).validate_python("a" * 10)
    with pytest.raises(ValidationError, match="as a plain 'open checkout'"):
        CheckoutBuilder().checkout("a" * 10).session()
    assert Session(checkout="a" * 11).to_dict() == {"checkout": "a" * 11}
