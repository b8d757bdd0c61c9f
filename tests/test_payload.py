"""The secure payload body model and the builder's .secure_payload()."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from sblgen import CheckoutBuilder, SecurePayload, UnsupportedFieldError
from sblgen.payload import UNTIL_CANCELLED, Pricing, SecureItem

DOC_EXAMPLE = (
    '{"contact":{"email":"ann@example.com","firstName":"Ann","lastName":"Lee"},'
    '"accountCustomKey":"user-42",'
    '"items":[{"product":"pro-plan","quantity":1,'
    '"pricing":{"price":{"USD":20.5},"trial":14,"interval":"month","intervalLength":1}}],'
    '"tags":{"campaign":"spring"}}'
)


def test_documented_example_round_trips() -> None:
    payload = SecurePayload.from_json(DOC_EXAMPLE)
    assert payload.to_json() == DOC_EXAMPLE


def test_every_field() -> None:
    data: dict[str, Any] = {
        "contact": {
            "email": "a@example.com",
            "firstName": "A",
            "lastName": "B",
            "company": "C",
            "addressLine1": "1 Main St",
            "addressLine2": "Apt 2",
            "city": "Town",
            "region": "CA",
            "country": "US",
            "postalCode": "93101",
            "phoneNumber": "+1 555",
        },
        "accountCustomKey": "user-1",
        "recipient": {"email": "r@example.com", "memo": "Hi"},
        "items": [
            {
                "product": "p",
                "quantity": 2,
                "pricing": {
                    "price": {"USD": 19.99, "EUR": 17.99},
                    "quantityBehavior": "lock",
                    "quantityDefault": 1,
                    "trial": 7,
                    "interval": "year",
                    "intervalLength": 1,
                    "intervalCount": 3,
                    "renew": "manual",
                    "discountType": "percent",
                    "quantityDiscounts": {"1": 25},
                    "discountReason": {"en": "Launch"},
                    "discountDuration": 2,
                    "dateLimitsEnabled": True,
                    "dateLimits": {"start": "2026-12-01", "end": "2027-01-01"},
                    "reminderNotification": {
                        "enabled": True,
                        "interval": "week",
                        "intervalLength": 1,
                    },
                    "overdueNotification": {
                        "enabled": True,
                        "interval": "day",
                        "intervalLength": 3,
                        "amount": 2,
                    },
                    "cancellation": {"interval": "month", "intervalLength": 2},
                },
                "display": {"en": "Pro"},
                "description": {"summary": {"en": "S"}, "action": {"en": "A"}, "full": {"en": "F"}},
                "image": "https://example.com/p.png",
                "sku": "SKU-1",
                "attributes": {"k": "v"},
                "selected": True,
                "removable": False,
            }
        ],
        "coupon": "SPRING",
        "country": "US",
        "language": "en",
        "taxId": "US123",
        "tags": {"t": "1"},
        "paymentMethod": "card",
        "hideOtherPaymentMethods": True,
        "invoiceDueDate": "2026-12-31",
    }
    assert SecurePayload.model_validate(data).to_dict() == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact": {"email": "a@example.com", "firstName": "A"}}, "lastName"),
        ({"contact": {"email": "x", "firstName": "A", "lastName": "B"}}, "email address"),
        (
            {
                "contact": {"email": "a@example.com", "firstName": "A", "lastName": "B"},
                "account": "x",
            },
            "exclude each other",
        ),
        ({"accountCustomKey": "k"}, "used together with contact"),
        ({"items": [{"product": "p"}, {"product": "p"}]}, "more than once"),
        ({"items": [{"product": "p", "pricing": {"interval": "month"}}]}, "needs intervalLength"),
        ({"items": [{"product": "p", "pricing": {"renew": "opt-auto"}}]}, "renew"),
        ({"items": [{"product": "p", "pricing": {"interval": "fortnight"}}]}, "interval"),
        (
            {"items": [{"product": "p", "pricing": {"quantityBehavior": "LOCK"}}]},
            "quantityBehavior",
        ),
        (
            {"items": [{"product": "p", "pricing": {"quantityDiscounts": {"x": 1}}}]},
            "quantityDiscounts",
        ),
        ({"items": [{"product": "p", "pricing": {"price": {"USD": -1}}}]}, "negative"),
        ({"items": [{"product": "p", "pricing": {"trial": -1}}]}, "trial"),
        ({"invoiceDueDate": "2020-01-01"}, "not in the future"),
        ({"items": [{"product": "p", "bogus": 1}]}, "unknown field"),
    ],
)
def test_rules(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SecurePayload.model_validate(data)


@pytest.mark.parametrize("count", [None, UNTIL_CANCELLED])
def test_interval_count_null_means_until_cancelled(count: Any) -> None:
    pricing = '{"interval":"month","intervalLength":1,"intervalCount":null}'
    body = f'{{"items":[{{"product":"p","pricing":{pricing}}}]}}'
    parsed = SecurePayload.from_json(body)
    assert parsed.to_json() == body
    built = SecurePayload(
        items=[
            SecureItem(
                product="p",
                pricing=Pricing(interval="month", interval_length=1, interval_count=count),
            )
        ]
    )
    assert built == parsed and built.to_dict() == json.loads(body)
    assert '"intervalCount"' not in Pricing(interval="adhoc").to_json()  # unset: not sent
    for wrong in (0, True, "forever", 1.5):
        with pytest.raises(ValidationError, match="number of rebills"):
            Pricing(interval_count=wrong)


def test_adhoc_interval_needs_no_length() -> None:
    assert SecurePayload.model_validate(
        {"items": [{"product": "p", "pricing": {"interval": "adhoc"}}]}
    ).to_dict() == {"items": [{"product": "p", "pricing": {"interval": "adhoc"}}]}


def test_builder_secure_payload() -> None:
    builder = (
        CheckoutBuilder()
        .product("pro-plan", 1, price={"USD": 20.5}, interval="month", interval_length=1, trial=14)
        .product("addon", 2, display={"en": "Add-on"}, sku="A1", attributes={"k": "v"})
        .contact(email="ann@example.com", first_name="Ann", last_name="Lee")
        .recipient(email="bo@example.com")
        .coupon("SPRING")
        .country("us")
        .language("en")
        .tax_id("US1")
        .tag("campaign", "spring")
        .payment_method("card", hide_others=True)
        .invoice_due_date("2027-01-01")
    )
    assert builder.secure_payload().to_dict() == {
        "contact": {"email": "ann@example.com", "firstName": "Ann", "lastName": "Lee"},
        "recipient": {"email": "bo@example.com"},
        "items": [
            {
                "product": "pro-plan",
                "quantity": 1,
                "pricing": {
                    "price": {"USD": 20.5},
                    "trial": 14,
                    "interval": "month",
                    "intervalLength": 1,
                },
            },
            {
                "product": "addon",
                "quantity": 2,
                "display": {"en": "Add-on"},
                "sku": "A1",
                "attributes": {"k": "v"},
            },
        ],
        "coupon": "SPRING",
        "country": "US",
        "language": "en",
        "taxId": "US1",
        "tags": {"campaign": "spring"},
        "paymentMethod": "card",
        "hideOtherPaymentMethods": True,
        "invoiceDueDate": "2027-01-01",
    }


def test_builder_account_instead_of_contact() -> None:
    assert CheckoutBuilder().account("acc-1").secure_payload().to_dict() == {"account": "acc-1"}


@pytest.mark.parametrize(
    ("builder", "field"),
    [
        (CheckoutBuilder().reset(), "reset"),
        (CheckoutBuilder().checkout(), "checkout"),
        (CheckoutBuilder().postal_code("1"), "postal_code"),
    ],
)
def test_builder_refuses(builder: CheckoutBuilder, field: str) -> None:
    with pytest.raises(UnsupportedFieldError) as exc:
        builder.secure_payload()
    assert exc.value.target == "SecurePayload (secure payload body)"
    assert exc.value.field == field


def test_builder_validation_locations() -> None:
    with pytest.raises(ValidationError) as exc:
        CheckoutBuilder().product("p", renew="opt-auto").secure_payload()
    assert [e["loc"][:4] for e in exc.value.errors()] == [("items", 0, "pricing", "renew")]


def test_builder_interval_count_only_in_a_secure_payload() -> None:
    builder = CheckoutBuilder().product(
        "pro-plan", interval="month", interval_length=1, interval_count=UNTIL_CANCELLED
    )
    pricing = builder.secure_payload().to_dict()["items"][0]["pricing"]
    assert pricing == {"interval": "month", "intervalLength": 1, "intervalCount": None}
    assert 'intervalCount":12' in builder.product("b", interval_count=12).secure_payload().to_json()
    only = CheckoutBuilder().product("pro-plan", interval_count=3)
    for emit in (only.session, only.api_request):
        with pytest.raises(UnsupportedFieldError, match="interval_count"):
            emit()
    # Sessions v2 documents billingFrequency.intervalCount (issue 18): a whole number only.
    line = only.api_request(version=2).to_dict()["cart"]["lineItems"][0]
    assert line["subscriptionOverrides"] == {"billingFrequency": {"intervalCount": 3}}
    with pytest.raises(UnsupportedFieldError, match="interval_count"):
        builder.api_request(version=2)
