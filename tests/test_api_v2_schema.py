"""Sessions API v2 request models against FastSpring's published schema: contacts
(``phoneNumber``), payment methods (the ``PaymentMethodType`` enum, sent UPPERCASE), the cart
coupon, and the pricing sub-schemas (``customPrice``, ``descriptions``,
``subscriptionOverrides``) with their rules."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sblgen.api.v2 import (
    Cart,
    Contact,
    CustomPrice,
    CustomPriceDiscount,
    Interval,
    ProductDescription,
    SessionCreate,
    SubscriptionAttribute,
    V2LineItem,
)
from sblgen.api.v2_types import PAYMENT_METHOD_TYPES
from sblgen.types import KNOWN_PAYMENT_METHODS

# ---------------------------------------------------------------- issue 18: contacts, methods


def test_v2_contact_phone_number() -> None:
    assert Contact(phone_number="555-555-5555").to_dict() == {"phoneNumber": "555-555-5555"}
    assert Contact.model_validate({"phone": "1"}).to_dict() == {"phoneNumber": "1"}
    assert Contact.model_validate({"phoneNumber": "2"}).phone_number == "2"
    with pytest.raises(ValidationError) as exc:
        Contact.model_validate({"phoneNumber": "5" * 65})
    assert _locations(exc.value) == ["phoneNumber"]
    assert "at most 64" in str(exc.value)


def test_payment_methods_sent_uppercase() -> None:
    body = SessionCreate.model_validate(
        {
            "paymentMethodsOrder": ["card", "applepay", "Google_Pay"],
            "hidePaymentMethods": "wire, sepa",
        }
    )
    assert body.to_dict() == {
        "paymentMethodsOrder": ["CARD", "APPLE_PAY", "GOOGLE_PAY"],
        "hidePaymentMethods": ["WIRE", "SEPA"],
    }


@pytest.mark.parametrize("sbl_name", KNOWN_PAYMENT_METHODS)
def test_every_sbl_payment_method_has_a_v2_name(sbl_name: str) -> None:
    (sent,) = SessionCreate(payment_methods_order=[sbl_name]).to_dict()["paymentMethodsOrder"]
    assert sent in PAYMENT_METHOD_TYPES


def test_unknown_payment_method_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        SessionCreate.model_validate({"paymentMethodsOrder": ["bitcoin"]})
    assert _locations(exc.value) == ["paymentMethodsOrder.0"]
    assert "CARD" in str(exc.value) and "'bitcoin'" in str(exc.value)


def test_cart_coupon_code() -> None:
    cart = Cart(coupon_code="SUMMER2026", line_items=[V2LineItem(product_path="p")])
    assert cart.to_json() == '{"couponCode":"SUMMER2026","lineItems":[{"productPath":"p"}]}'
    with pytest.raises(ValidationError, match="at most 256"):
        Cart(coupon_code="C" * 257)
    assert Cart(coupon_code="any text, no SBL pattern").coupon_code == "any text, no SBL pattern"


# ---------------------------------------------------------------- issue 18: pricing


PRICED_LINE = (
    '{"productPath":"pro","quantity":3,"descriptions":{"display":{"en":"Pro"},'
    '"summary":{"en":"All of it"},"imageUrl":"https://cdn.example.com/pro.png"},'
    '"customPrice":{"unitPrice":{"USD":10},"discounts":[{"minQuantity":2,"percentDiscount":10}],'
    '"discountDuration":3,"setupFee":{"USD":5},"edsFee":{"USD":2.5},"shippingFee":{"USD":1.25}},'
    '"subscriptionOverrides":{"billingFrequency":{"intervalUnit":"MONTH","intervalLength":1,'
    '"intervalCount":12},"trialDays":14}}'
)


def test_v2_pricing_models_round_trip() -> None:
    line = V2LineItem(
        product_path="pro",
        quantity=3,
        descriptions=ProductDescription(
            display={"en": "Pro"},
            summary={"en": "All of it"},
            image_url="https://cdn.example.com/pro.png",
        ),
        custom_price=CustomPrice(
            unit_price={"USD": 10},
            discounts=[CustomPriceDiscount(min_quantity=2, percent_discount=10)],
            discount_duration=3,
            setup_fee={"USD": 5},
            eds_fee={"USD": 2.5},
            shipping_fee={"USD": 1.25},
        ),
        subscription_overrides=SubscriptionAttribute(
            billing_frequency=Interval(interval_unit="month", interval_length=1, interval_count=12),
            trial_days=14,
        ),
    )
    assert line.to_json() == PRICED_LINE
    assert V2LineItem.from_json(PRICED_LINE) == line


def _line(**fields: Any) -> dict[str, Any]:
    return {"cart": {"lineItems": [{"productPath": "p", **fields}]}}


@pytest.mark.parametrize(
    ("data", "loc", "message"),
    [
        (
            _line(
                customPrice={
                    "discounts": [{"percentDiscount": 5}, {"minQuantity": 1, "percentDiscount": 9}]
                }
            ),
            "cart.lineItems.0.customPrice.discounts",
            "must not overlap",
        ),
        (
            _line(
                customPrice={"discounts": [{"percentDiscount": 5, "amountDiscount": {"USD": 1}}]}
            ),
            "cart.lineItems.0.customPrice.discounts.0",
            "exactly one of amountDiscount",
        ),
        (
            _line(customPrice={"discounts": [{"minQuantity": 2}]}),
            "cart.lineItems.0.customPrice.discounts.0",
            "exactly one of amountDiscount",
        ),
        (
            _line(customPrice={"discounts": [{"percentDiscount": 101}]}),
            "cart.lineItems.0.customPrice.discounts.0.percentDiscount",
            "less than or equal to 100",
        ),
        (
            _line(descriptions={"display": {"he": "x"}}),
            "cart.lineItems.0.descriptions.display.he.[key]",
            "use 'iw'",
        ),
        (
            _line(descriptions={"display": {"xx": "x"}}),
            "cart.lineItems.0.descriptions.display.xx.[key]",
            "ar, cs, da",
        ),
        (
            _line(descriptions={"display": {"en": "x" * 513}}),
            "cart.lineItems.0.descriptions.display.en",
            "at most 512",
        ),
        (
            _line(descriptions={"imageUrl": "/relative.png"}),
            "cart.lineItems.0.descriptions.imageUrl",
            "not an absolute URL",
        ),
        (
            _line(subscriptionOverrides={"billingFrequency": {"intervalUnit": "FORTNIGHT"}}),
            "cart.lineItems.0.subscriptionOverrides.billingFrequency.intervalUnit",
            "'DAY', 'WEEK', 'MONTH', 'YEAR' or 'ON_DEMAND'",
        ),
        (
            _line(subscriptionOverrides={"trialDays": -1}),
            "cart.lineItems.0.subscriptionOverrides.trialDays",
            "greater than or equal to 0",
        ),
        (
            _line(
                imageUrl="https://a.example/x.png",
                descriptions={"imageUrl": "https://b.example/y.png"},
            ),
            "cart.lineItems.0",
            "differ",
        ),
    ],
)
def test_v2_pricing_rules(data: dict[str, Any], loc: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        SessionCreate.model_validate(data)
    assert _locations(exc.value) == [loc]
    assert message in str(exc.value)


def test_language_map_keeps_order_and_takes_iw() -> None:
    description = ProductDescription(display={"IW": "א", "en": "A", "de": "B"})
    assert description.to_dict() == {"display": {"iw": "א", "en": "A", "de": "B"}}


def test_line_image_url_and_boolean_default_normalised() -> None:
    """D1 and D2: FastSpring's AllFields example sends these; sblgen sends the schema's."""
    line = V2LineItem.model_validate(
        {
            "productPath": "p",
            "quantityDefault": True,
            "descriptions": ProductDescription(display={"en": "P"}),
            "imageUrl": "https://cdn.example.com/p.png",
        }
    )
    assert line.to_dict() == {
        "productPath": "p",
        "quantityDefault": 1,
        "descriptions": {"display": {"en": "P"}, "imageUrl": "https://cdn.example.com/p.png"},
    }
    assert (
        V2LineItem.model_validate({"productPath": "p", "quantityDefault": False}).quantity_default
        == 0
    )
    same = {
        "imageUrl": "https://x.example/p.png",
        "descriptions": {"imageUrl": "https://x.example/p.png"},
    }
    assert V2LineItem.model_validate({"productPath": "p", **same}).descriptions is not None


def _locations(err: ValidationError) -> list[str]:
    return [".".join(str(p) for p in e["loc"]) for e in err.errors()]
