"""Sessions API v2 data: request models byte for byte, limits, the escape hatch, response
tolerance, the checkout path and URL segments, and the builder's v2 body."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import sblgen.api.v2
from sblgen import CheckoutBuilder, UnsupportedFieldError
from sblgen.api.v2 import (
    CheckoutPath,
    Customer,
    SessionCreate,
    V2Address,
    V2LineItem,
    V2Session,
    url_segment,
)
from tests.jsontext import compact_js

DEMO = Path(__file__).parent / "data" / "sessions_v2_demo_request.json"
SHOP = "acme.test/popup-acme"


# ---------------------------------------------------------------- models


def test_demo_request_round_trips_byte_for_byte() -> None:
    """The demo sends lowercase payment methods; they go out in the schema's UPPERCASE."""
    demo = compact_js(DEMO.read_text())
    expected = demo.replace('["ideal","card"]', '["IDEAL","CARD"]').replace(
        '["sepa","wire"]', '["SEPA","WIRE"]'
    )
    assert expected.endswith(
        '"paymentMethodsOrder":["IDEAL","CARD"],"hidePaymentMethods":["SEPA","WIRE"]}'
    )
    body = SessionCreate.from_json(demo)
    assert body.to_json() == expected
    assert SessionCreate.model_validate(json.loads(body.to_json())) == body


def test_escape_hatch_is_sent_at_every_level_and_never_dropped() -> None:
    body = SessionCreate.model_validate(
        {
            "live": False,
            "cart": {
                "lineItems": [{"productPath": "p", "extra_fields": {"promo": {"x": 1}}}],
                "extra_fields": {"coupon": "SPRING"},
            },
            "extra_fields": {"currency": "USD", "newFlag": True},
        }
    )
    assert body.to_dict() == {
        "live": False,
        "cart": {"lineItems": [{"productPath": "p", "promo": {"x": 1}}], "coupon": "SPRING"},
        "currency": "USD",
        "newFlag": True,
    }
    assert json.loads(body.to_json()) == body.to_dict()


@pytest.mark.parametrize("key", ["live", "buyerIp", "buyer_ip"])
def test_escape_hatch_refuses_known_fields(key: str) -> None:
    with pytest.raises(ValidationError, match="would overwrite known fields"):
        SessionCreate.model_validate({"extra_fields": {key: 1}})


def test_case_disagreements_accepted_and_normalised() -> None:
    body = SessionCreate.model_validate(
        {
            "paymentMethodsOrder": ["CARD", "ACH"],
            "hidePaymentMethods": "sepa, WIRE",
            "customer": {"shipToType": "gift_purchase"},
            "cart": {"lineItems": [{"productPath": "p", "quantityBehavior": "lock"}]},
        }
    )
    assert body.to_dict() == {
        "customer": {"shipToType": "GIFT_PURCHASE"},
        "cart": {"lineItems": [{"productPath": "p", "quantityBehavior": "LOCK"}]},
        "paymentMethodsOrder": ["CARD", "ACH"],
        "hidePaymentMethods": ["SEPA", "WIRE"],
    }


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"locale": "english"}, "locale"),
        ({"buyerIp": "999.1.1.1"}, "buyerIp"),
        ({"buyerIp": "1" * 40}, "buyerIp"),
        ({"country": "XX"}, "country"),
        ({"customer": {"accountId": "x" * 65}}, "customer.accountId"),
        ({"customer": {"externalAccountId": "abc"}}, "customer.externalAccountId"),
        ({"customer": {"taxId": "x" * 256}}, "customer.taxId"),
        ({"customer": {"taxIdRegion": "CAL"}}, "customer.taxIdRegion"),
        ({"customer": {"shipToType": "TO_MARS"}}, "customer.shipToType"),
        ({"customer": {"billToContact": {"email": "nope"}}}, "customer.billToContact.email"),
        ({"cart": {"lineItems": [{"quantity": 1}]}}, "cart.lineItems.0.productPath"),
        ({"cart": {"lineItems": [{"productPath": "p" * 257}]}}, "cart.lineItems.0.productPath"),
        (
            {"cart": {"lineItems": [{"productPath": "p", "quantityBehavior": "freeze"}]}},
            "cart.lineItems.0.quantityBehavior",
        ),
        (
            {
                "cart": {
                    "lineItems": [{"productPath": "p", "customPrice": {"unitPrice": {"EUR": -5}}}]
                }
            },
            "cart.lineItems.0.customPrice.unitPrice",
        ),
        ({"cart": {"lineItems": [{"productPath": "p"}, {"productPath": "p"}]}}, "cart"),
        ({"orderTags": {"a": 1}}, "orderTags"),
        ({"paymentMethodsOrder": ["credit card"]}, "paymentMethodsOrder.0"),
        ({"unknownField": 1}, "unknownField"),
        # issue 18: the schema's lengths, pattern and enum
        ({"customer": {"externalAccountId": "has space"}}, "customer.externalAccountId"),
        (
            {"customer": {"billToContact": {"firstName": "x" * 51}}},
            "customer.billToContact.firstName",
        ),
        (
            {"customer": {"billToContact": {"lastName": "x" * 51}}},
            "customer.billToContact.lastName",
        ),
        (
            {"customer": {"billToContact": {"email": "a@" + "x" * 254}}},
            "customer.billToContact.email",
        ),
        ({"customer": {"shipToContact": {"company": "x" * 256}}}, "customer.shipToContact.company"),
        (
            {"customer": {"billToContact": {"phoneNumber": "5" * 65}}},
            "customer.billToContact.phoneNumber",
        ),
        *(
            ({"customer": {"billToAddress": {name: "x" * 257}}}, f"customer.billToAddress.{name}")
            for name in ("addressLine1", "addressLine2", "city", "region")
        ),
        (
            {"customer": {"shipToAddress": {"postalCode": "x" * 51}}},
            "customer.shipToAddress.postalCode",
        ),
        ({"cart": {"couponCode": "C" * 257}}, "cart.couponCode"),
        ({"paymentMethodsOrder": ["bitcoin"]}, "paymentMethodsOrder.0"),
    ],
)
def test_documented_limits(data: dict[str, Any], loc: str) -> None:
    with pytest.raises(ValidationError) as exc:
        SessionCreate.model_validate(data)
    locs = [".".join(str(p) for p in e["loc"]) for e in exc.value.errors()]
    assert loc in locs, locs
    if loc != "unknownField":
        assert all("Extra inputs are not permitted" not in e["msg"] for e in exc.value.errors())


def test_session_response_tolerance() -> None:
    session = V2Session.model_validate(
        {
            "id": "V2abc",
            "live": False,
            "currency": "CNY",
            "expires": "2026-12-31T00:00:00Z",
            "cart": {
                "lineItems": [{"productPath": "x", "quantity": 1, "new": 1}],
                "withTaxNetTotal": 9.9,
            },
            "checkoutUrls": {"webcheckoutUrl": "https://acme.test.onfastspring.com/session/V2abc"},
            "checkoutStatus": ["PRODUCTS_REQUIRED"],
            "somethingNew": {"a": 1},
        }
    )
    assert session.expires is not None and session.expires.year == 2026
    assert session.cart.with_tax_net_total == Decimal("9.9")  # typed since issue 18
    assert session.cart.model_extra == {}
    assert session.cart.line_items[0].model_extra == {"new": 1}
    assert session.model_extra == {"somethingNew": {"a": 1}}
    assert session.checkout_status == ["PRODUCTS_REQUIRED"]
    assert V2Session.model_validate({"id": "x", "expires": 1_700_000_000_000}).expires is not None


def test_session_response_keeps_any_non_empty_id() -> None:
    """The id is FastSpring's: no length rule of sblgen's (the SBL's applies at hand-off)."""
    assert V2Session.model_validate({"id": "V" * 200}).id == "V" * 200
    with pytest.raises(ValidationError):
        V2Session.model_validate({"id": ""})


def test_checkout_path() -> None:
    path = CheckoutPath.parse("acme/popup+é?")
    assert path.url_path == "acme/popup%2B%C3%A9%3F"
    assert CheckoutPath.parse("/acme/main/").value == "acme/main"
    assert CheckoutPath.from_storefront(
        "https://acme.onfastspring.com/popup-acme/"
    ) == CheckoutPath("acme", "popup-acme")
    assert CheckoutPath("acme", "popup-acme").matches("acme.test.onfastspring.com/popup-acme")
    assert not CheckoutPath("acme", "web").matches("acme.onfastspring.com/popup-acme")
    assert not CheckoutPath("acme", "web").matches("acme.onfastspring.com")
    for bad in ("acme", "a/b/c", "a//b", "", "a/ b", "../..", "a/..", "./b"):
        with pytest.raises(ValueError, match="not a checkout path"):
            CheckoutPath.parse(bad)
    with pytest.raises(ValueError, match="would change the endpoint"):
        _ = CheckoutPath("..", "x").url_path  # built directly, bypassing parse()
    assert CheckoutPath.parse(".a/b..").url_path == ".a/b.."  # dots inside a name are fine


def test_url_segment() -> None:
    assert url_segment("a b/c?d#e%") == "a%20b%2Fc%3Fd%23e%25"
    assert url_segment("S" * 300) == "S" * 300
    for bad in ("", None, b"..", 5):
        with pytest.raises(ValueError, match="is not a v2 session id: give a non-empty string"):
            url_segment(bad, "v2 session id")  # type: ignore[arg-type]
    for dots in (".", ".."):
        with pytest.raises(ValueError, match="would change the endpoint"):
            url_segment(dots)


def test_v2_names_do_not_reuse_top_level_names() -> None:
    """``sblgen.LineItem``/``sblgen.Address`` are other things: v2's carry the V2 prefix."""
    assert not hasattr(sblgen.api.v2, "LineItem") and not hasattr(sblgen.api.v2, "Address")
    customer = Customer(bill_to_address=V2Address(city="Delft", country="NL"))
    assert customer.to_dict() == {"billToAddress": {"city": "Delft", "country": "NL"}}
    assert V2LineItem(product_path="p", quantity=2).to_json() == '{"productPath":"p","quantity":2}'


def test_builder_v2_body() -> None:
    body = (
        CheckoutBuilder()
        .contact(email="ada@example.com", first_name="Ada", last_name="Lovelace", country="NL")
        .language("en")
        .country("NL")
        .lookup("user-1234")
        .tax_id("NL123")
        .tag("campaign", "spring")
        .payment_method("ideal")
        .product("demo-product-1", 1, price={"EUR": 500}, quantity_behavior="lock")
        .api_request(version=2, live=False)
    )
    assert body.to_json() == (
        '{"locale":"en","country":"NL","live":false,"customer":{"externalAccountId":"user-1234",'
        '"billToContact":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace"},'
        '"billToAddress":{"country":"NL"},"taxId":"NL123"},"orderTags":{"campaign":"spring"},'
        '"cart":{"lineItems":[{"productPath":"demo-product-1","quantity":1,"quantityBehavior":"LOCK",'
        '"customPrice":{"unitPrice":{"EUR":500}}}]},"paymentMethodsOrder":["IDEAL"]}'
    )


@pytest.mark.parametrize(
    ("builder", "field"),
    [
        (CheckoutBuilder().invoice_due_date("2027-01-01"), "invoice_due_date"),
        (CheckoutBuilder().product("p", sku="S"), "sku for 'p'"),
        (CheckoutBuilder().product("p", renew="auto"), "renew for 'p'"),
        (CheckoutBuilder().checkout(), "checkout"),
        (CheckoutBuilder().recipient(email="a@example.com", memo="Hi"), "recipient memo"),
        (CheckoutBuilder().product("p").coupon(""), "coupon ''"),
        (
            CheckoutBuilder().product("p", interval_count="until-cancelled"),
            "interval_count 'until-cancelled' for 'p'",
        ),
        (CheckoutBuilder().payment_method("card", hide_others=True), "hide_other_payment_methods"),
        (CheckoutBuilder().expiration(2), "expiration"),
    ],
)
def test_builder_v2_refuses(builder: CheckoutBuilder, field: str) -> None:
    with pytest.raises(UnsupportedFieldError) as exc:
        builder.api_request(version=2)
    assert exc.value.target == "SessionCreate (Sessions API v2)"
    assert exc.value.field == field


def test_live_is_v2_only() -> None:
    with pytest.raises(UnsupportedFieldError, match="live"):
        CheckoutBuilder().account("a").product("p").api_request(live=False)  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="versions 1 and 2"):
        CheckoutBuilder().account("a").product("p").api_request(version=3)  # type: ignore[call-overload]
