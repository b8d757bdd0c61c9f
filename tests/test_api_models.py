"""Sessions API v1 models: FastSpring's example bodies byte for byte, every rule."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from sblgen import CheckoutBuilder, SblOptions, UnsupportedFieldError
from sblgen.api import SessionRequest, SessionResponse
from sblgen.render import checkout_snippet
from sblgen.testing import FakeFastSpring, client_for
from tests.jsontext import compact_js

DATA = Path(__file__).parent / "data" / "sessions_api"
EXAMPLES = sorted((Path(__file__).parent / "data" / "seeds").glob("sessions_api_example_*.jsonc"))


def _example(path: Path) -> str:
    text = compact_js(path.read_text())
    # The scraped page turned the address into "[email protected]" (with a no-break space).
    return re.sub(r"\[email.protected\]", "john.doe@example.com", text)


def test_four_examples_exist() -> None:
    assert len(EXAMPLES) == 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_round_trips_byte_for_byte(path: Path) -> None:
    expected = _example(path)
    request = SessionRequest.from_json(expected)
    assert request.to_json() == expected
    assert SessionRequest.model_validate(request.to_dict()) == request


def test_builder_reproduces_examples() -> None:
    first = CheckoutBuilder().account("uKj7izONRfanVwBL9eiG_A").product("falcon", 1)
    assert first.api_request().to_json() == _example(EXAMPLES[0])
    third = (
        CheckoutBuilder().account("uKj7izONRfanVwBL9eiG_A").product("nest", 2).coupon("0BXB6NMMCT")
    )
    assert third.api_request().to_json() == _example(EXAMPLES[2])


def test_builder_api_request() -> None:
    body = (
        CheckoutBuilder()
        .contact(email="john.doe@example.com", first_name="John", last_name="Doe", company="Acme")
        .language("en")
        .country("US")
        .lookup("customKey")
        .product("falcon", 1, price={"USD": 7.95})
        .product(
            "sub",
            1,
            trial=0,
            renew="opt-auto",
            interval="month",
            interval_length=1,
            quantity_behavior="allow",
            quantity_default=1,
            attributes={"A": "1"},
        )
        .expiration(3)
        .api_request()
    )
    assert body.to_json() == (
        '{"contact":{"first":"John","last":"Doe","email":"john.doe@example.com","company":"Acme",'
        '"country":"US","language":"en"},"lookup":{"custom":"customKey"},'
        '"items":[{"product":"falcon","quantity":1,"pricing":{"price":{"USD":7.95}}},'
        '{"product":"sub","quantity":1,"pricing":{"trial":0,"renew":"opt-auto","interval":"month",'
        '"intervalLength":1,"quantityBehavior":"allow","quantityDefault":1},"attributes":{"A":"1"}}],'
        '"expiration":3}'
    )


@pytest.mark.parametrize(
    ("builder", "field"),
    [
        (CheckoutBuilder().account("a").product("p").recipient(email="r@example.com"), "recipient"),
        (CheckoutBuilder().account("a").product("p").tax_id("X"), "tax_id"),
        (CheckoutBuilder().account("a").product("p").payment_method("card"), "payment_method"),
        (
            CheckoutBuilder().account("a").product("p").invoice_due_date("2027-01-01"),
            "invoice_due_date",
        ),
        (CheckoutBuilder().account("a").product("p").checkout(), "checkout"),
        (CheckoutBuilder().account("a").product("p").reset(), "reset"),
        (CheckoutBuilder().account("a").product("p", sku="S"), "sku for 'p'"),
        (CheckoutBuilder().account("a").product("p", display={"en": "P"}), "display for 'p'"),
        (
            CheckoutBuilder()
            .contact(email="a@example.com", first_name="A", last_name="B", city="X")
            .product("p"),
            "contact city",
        ),
    ],
)
def test_builder_refuses(builder: CheckoutBuilder, field: str) -> None:
    with pytest.raises(UnsupportedFieldError) as exc:
        builder.api_request()
    assert exc.value.target == "SessionRequest (Sessions API)"
    assert exc.value.field == field


def test_api_only_fields_refused_elsewhere() -> None:
    with pytest.raises(UnsupportedFieldError, match="lookup"):
        CheckoutBuilder().lookup("abcd").session()
    with pytest.raises(UnsupportedFieldError, match="expiration"):
        CheckoutBuilder().expiration(2).secure_payload()


def test_lookup_is_the_secure_payloads_account_custom_key() -> None:
    contact = {"email": "ann@example.com", "first_name": "Ann", "last_name": "Lee"}
    body = CheckoutBuilder().contact(**contact).lookup("user-42").secure_payload()
    assert body.to_dict()["accountCustomKey"] == "user-42"
    with pytest.raises(ValidationError, match="accountCustomKey is used together with contact"):
        CheckoutBuilder().lookup("user-42").secure_payload()


ITEM = [{"product": "p"}]


@pytest.mark.parametrize(
    ("data", "loc", "message"),
    [
        ({"items": ITEM}, "", "exactly one of account"),
        (
            {
                "account": "a",
                "contact": {"first": "A", "last": "B", "email": "a@example.com"},
                "items": ITEM,
            },
            "",
            "exactly one",
        ),
        ({"account": "a", "items": []}, "items", "at least 1"),
        ({"account": "a"}, "items", "Field required"),
        (
            {"contact": {"first": "A", "email": "a@example.com"}, "items": ITEM},
            "contact.last",
            "required",
        ),
        (
            {"contact": {"first": "A", "last": "B", "email": "x"}, "items": ITEM},
            "contact.email",
            "email",
        ),
        (
            {"account": "a", "lookup": {"custom": "abcd"}, "items": ITEM},
            "",
            "lookup.custom goes with contact",
        ),
        (
            {
                "contact": {"first": "A", "last": "B", "email": "a@example.com"},
                "lookup": {"custom": "ab"},
                "items": ITEM,
            },
            "lookup.custom",
            "at least 4",
        ),
        (
            {
                "contact": {"first": "A", "last": "B", "email": "a@example.com"},
                "lookup": {"custom": "ab cd"},
                "items": ITEM,
            },
            "lookup.custom",
            "pattern",
        ),
        ({"account": "a", "items": [{"product": "p"}, {"product": "p"}]}, "", "more than once"),
        (
            {"account": "a", "items": [{"product": "p", "pricing": {"interval": "month"}}]},
            "items.0.pricing",
            "needs intervalLength",
        ),
        (
            {"account": "a", "items": [{"product": "p", "pricing": {"renew": "never"}}]},
            "items.0.pricing.renew",
            "auto",
        ),
        (
            {
                "account": "a",
                "items": [{"product": "p", "pricing": {"interval": "decade", "intervalLength": 1}}],
            },
            "items.0.pricing.interval",
            "adhoc",
        ),
        (
            {
                "account": "a",
                "items": [{"product": "p", "pricing": {"quantityBehavior": "freeze"}}],
            },
            "items.0.pricing.quantityBehavior",
            "allow",
        ),
        (
            {"account": "a", "items": [{"product": "p", "pricing": {"trial": -1}}]},
            "items.0.pricing.trial",
            "greater than or equal",
        ),
        (
            {
                "account": "a",
                "items": [
                    {
                        "product": "p",
                        "pricing": {"discount": {"type": "percent", "percentage": 120}},
                    }
                ],
            },
            "items.0.pricing.discount.percentage",
            "100",
        ),
        (
            {"account": "a", "items": [{"product": "p", "pricing": {"price": {"USD": -1}}}]},
            "items.0.pricing.price",
            "negative",
        ),
        ({"account": "a", "items": ITEM, "expiration": 8}, "expiration", "less than or equal to 7"),
        ({"account": "a", "items": ITEM, "language": "english"}, "language", "ISO 639-1"),
        ({"account": "a", "items": ITEM, "country": "USA"}, "country", "ISO 3166-1"),
        ({"account": "a", "items": ITEM, "coupon": "a b"}, "coupon", "coupon code"),
        ({"account": "a", "items": ITEM, "extra": 1}, "extra", "unknown field"),
    ],
)
def test_rules(data: dict[str, Any], loc: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        SessionRequest.model_validate(data)
    errors = [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.value.errors()]
    assert any(where == loc and message in msg for where, msg in errors), errors


def test_response_ignores_unknown_fields_and_hands_off() -> None:
    response = SessionResponse.model_validate(
        {
            "id": "Xy12AbCdEf34GhIj",
            "currency": "USD",
            "expires": 1490303946745,
            "order": None,
            "account": "ACC",
            "subtotal": 9.99,
            "items": [{"product": "pro-plan", "quantity": 1, "more": "x"}],
            "brandNew": {"a": 1},
        }
    )
    assert response.expires == dt.datetime(2017, 3, 23, 21, 19, 6, 745000, tzinfo=dt.UTC)
    assert response.model_extra == {"brandNew": {"a": 1}}
    assert response.checkout_session().to_dict() == {"checkout": "Xy12AbCdEf34GhIj"}
    assert response.hosted_url("acme.onfastspring.com/acme") == (
        "https://acme.onfastspring.com/acme/session/Xy12AbCdEf34GhIj"
    )
    snippet = checkout_snippet(response, SblOptions(storefront="acme.onfastspring.com/popup-acme"))
    assert "<script>var fscSession = (function(" in snippet
    assert '(window,document,"session",{"checkout":"Xy12AbCdEf34GhIj"});</script>' in snippet
    iso = SessionResponse.model_validate({"id": "X" * 12, "expires": "2026-12-31T00:00:00"})
    assert iso.expires is not None and iso.expires.tzinfo is not None


def test_response_keeps_any_non_empty_id() -> None:
    """The id is FastSpring's: no length rule of sblgen's on the response."""
    assert SessionResponse.model_validate({"id": "S" * 200}).id == "S" * 200
    with pytest.raises(ValidationError):
        SessionResponse.model_validate({"id": ""})


def test_response_models_are_data() -> None:
    """Turning a response into HTML is the renderer's job (sblgen.render.checkout_snippet)."""
    assert not hasattr(SessionResponse, "checkout_snippet")


# ---------------------------------------------------------------- issue 18: the schema's pricing


def _pricing(**pricing: Any) -> dict[str, Any]:
    return {"account": "a", "items": [{"product": "p", "pricing": pricing}]}


@pytest.mark.parametrize(
    ("pricing", "loc", "message"),
    [
        (
            {"discountType": "percent", "quantityDiscounts": {"1": {"USD": 5}}},
            "items.0.pricing.quantityDiscounts.1",
            "a percentage such as 10",
        ),
        (
            {"discountType": "amount", "quantityDiscounts": {"1": 50}},
            "items.0.pricing.quantityDiscounts.1",
            "an amount per currency",
        ),
        (
            {"discountType": "percent", "quantityDiscounts": {"1": 150}},
            "items.0.pricing.quantityDiscounts.1",
            "at most 100",
        ),
        (
            {"discountType": "percent", "quantityDiscounts": {"0": 5}},
            "items.0.pricing.quantityDiscounts.0.[key]",
            "not a quantity threshold",
        ),
        (
            {"discountType": "percent", "quantityDiscounts": {"x": 5}},
            "items.0.pricing.quantityDiscounts.x.[key]",
            "not a quantity threshold",
        ),
        ({"quantityDiscounts": {"1": 5}}, "items.0.pricing", "needs discountType"),
        ({"discountType": "coupon"}, "items.0.pricing.discountType", "'percent' or 'amount'"),
        ({"discountDuration": 0}, "items.0.pricing.discountDuration", "greater than or equal to 1"),
        ({"trialPrice": {"USD": 1}}, "items.0.pricing", "trialPrice goes with paidTrial: true"),
        (
            {"paidTrial": False, "trialPrice": {"USD": 1}},
            "items.0.pricing",
            "FastSpring ignores it",
        ),
        ({"paidTrial": True}, "items.0.pricing", "paidTrial true needs trialPrice"),
        ({"quantityDefault": 0}, "items.0.pricing.quantityDefault", "greater than or equal to 1"),
    ],
)
def test_v1_pricing_rules(pricing: dict[str, Any], loc: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        SessionRequest.model_validate(_pricing(**pricing))
    errors = [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.value.errors()]
    assert len(errors) == 1 and errors[0][0] == loc and message in errors[0][1], errors


def test_v1_pricing_round_trips_in_the_schemas_order() -> None:
    pricing = (
        '{"trial":7,"paymentCollected":true,"paidTrial":true,"trialPrice":{"USD":1.5},'
        '"renew":"auto","interval":"month","intervalLength":1,"quantityBehavior":"lock",'
        '"quantityDefault":2,"price":{"USD":10},"discountType":"amount","discountDuration":3,'
        '"quantityDiscounts":{"1":{"USD":1},"5":{"USD":2.25,"EUR":2}}}'
    )
    text = f'{{"account":"a","items":[{{"product":"p","pricing":{pricing}}}]}}'
    request = SessionRequest.from_json(text)
    assert request.to_json() == text
    assert request.items[0].pricing is not None
    assert request.items[0].pricing.quantity_discounts == {
        "1": {"USD": 1},
        "5": {"USD": Decimal("2.25"), "EUR": 2},
    }


def test_v1_documented_request_over_http() -> None:
    text = compact_js((DATA / "v1" / "create-request-4.json").read_text())
    with FakeFastSpring() as fake, client_for(fake) as client:
        response = client.create_session(json.loads(text))
        assert response.id.startswith("SE")
        (request,) = fake.requests
    assert request.body == text.encode()
