"""CheckoutBuilder.api_request(version=2): what each builder call becomes in the documented
v2 create body, and what v2 still cannot carry."""

from __future__ import annotations

import pytest

from sblgen import CheckoutBuilder, UnsupportedFieldError

TARGET = "SessionCreate (Sessions API v2)"
BUYER = {"email": "a@example.com", "first_name": "A", "last_name": "B"}


def test_builder_v2_sends_phone_number() -> None:
    body = (
        CheckoutBuilder()
        .contact(**BUYER, phone_number="555")
        .product("p")
        .api_request(version=2)
        .to_dict()
    )
    contact = body["customer"]["billToContact"]
    assert contact["phoneNumber"] == "555" and "phone" not in contact


def test_builder_v2_coupon() -> None:
    body = CheckoutBuilder().product("p").coupon("SUMMER2026").api_request(version=2)
    assert body.to_dict()["cart"] == {
        "couponCode": "SUMMER2026",
        "lineItems": [{"productPath": "p", "quantity": 1}],
    }
    assert CheckoutBuilder().coupon("X").api_request(version=2).to_json() == (
        '{"cart":{"couponCode":"X"}}'
    )
    with pytest.raises(UnsupportedFieldError, match="no value that removes a coupon"):
        CheckoutBuilder().product("p").coupon("").api_request(version=2)


def test_builder_v2_subscription_terms() -> None:
    line = (
        CheckoutBuilder()
        .product(
            "pro",
            trial=14,
            interval="month",
            interval_length=1,
            interval_count=12,
            display={"en": "Pro"},
        )
        .api_request(version=2)
        .to_dict()["cart"]["lineItems"][0]
    )
    assert line["subscriptionOverrides"] == {
        "billingFrequency": {"intervalUnit": "MONTH", "intervalLength": 1, "intervalCount": 12},
        "trialDays": 14,
    }
    assert line["descriptions"] == {"display": {"en": "Pro"}}
    adhoc = CheckoutBuilder().product("x", interval="adhoc").api_request(version=2)
    assert adhoc.to_dict()["cart"]["lineItems"][0]["subscriptionOverrides"] == {
        "billingFrequency": {"intervalUnit": "ON_DEMAND"}
    }
    for refused in ({"renew": "auto"}, {"sku": "S"}, {"interval_count": "until-cancelled"}):
        with pytest.raises(UnsupportedFieldError) as exc:
            CheckoutBuilder().product("pro", **refused).api_request(version=2)  # type: ignore[arg-type]
        assert exc.value.target == TARGET
    with pytest.raises(Exception, match="use 'iw'"):
        CheckoutBuilder().product("pro", display={"he": "x"}).api_request(version=2)


def test_builder_v2_recipient_and_postal_code() -> None:
    body = (
        CheckoutBuilder()
        .contact(**BUYER, country="NL")
        .postal_code("2611")
        .recipient(
            email="r@example.com",
            first_name="R",
            phone_number="1",
            address={"city": "Delft", "country": "NL"},
        )
        .product("p")
        .api_request(version=2)
    )
    assert body.to_dict()["customer"] == {
        "billToContact": {"email": "a@example.com", "firstName": "A", "lastName": "B"},
        "billToAddress": {"postalCode": "2611", "country": "NL"},
        "shipToContact": {"email": "r@example.com", "firstName": "R", "phoneNumber": "1"},
        "shipToAddress": {"city": "Delft", "country": "NL"},
        "shipToType": "GIFT_PURCHASE",
    }
    assert body.country == "NL"  # D9: the contact's country is the schema's billing country
    assert CheckoutBuilder().country("DE").contact(**BUYER, country="NL").api_request(
        version=2
    ).country == ("DE")
    with pytest.raises(UnsupportedFieldError, match="give the postal code once"):
        CheckoutBuilder().contact(**BUYER, postal_code="1").postal_code("2").api_request(version=2)


def test_builder_v2_payment_method_in_the_schemas_spelling() -> None:
    body = CheckoutBuilder().payment_method("googlepay").api_request(version=2)
    assert body.to_dict() == {"paymentMethodsOrder": ["GOOGLE_PAY"]}
    with pytest.raises(UnsupportedFieldError, match="hide_payment_methods"):
        CheckoutBuilder().payment_method("card", hide_others=True).api_request(version=2)


def test_builder_v1_language_and_country_in_contact() -> None:
    """D5: with a contact they go where the current schema has them; with an account they
    stay at the top level (the older page's form, and their only place)."""
    with_contact = CheckoutBuilder().contact(**BUYER).language("de").country("DE").product("p")
    assert with_contact.api_request().to_dict()["contact"] == {
        "first": "A",
        "last": "B",
        "email": "a@example.com",
        "country": "DE",
        "language": "de",
    }
    with_account = CheckoutBuilder().account("acc-1").language("de").country("DE").product("p")
    assert with_account.api_request().to_json() == (
        '{"account":"acc-1","language":"de","country":"DE","items":[{"product":"p","quantity":1}]}'
    )
    with pytest.raises(UnsupportedFieldError, match="give the country once"):
        CheckoutBuilder().contact(**BUYER, country="NL").country("DE").product("p").api_request()
