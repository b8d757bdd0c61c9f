"""Sessions API v2: models, checkout path, builder, client over real sockets, hand-off."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from sblgen import (
    ApiTimeoutError,
    BadRequestError,
    CheckoutBuilder,
    NotFoundError,
    SblOptions,
    ServerError,
    UnsupportedFieldError,
)
from sblgen.api import AsyncClient, Client
from sblgen.api.v2 import (
    CheckoutPath,
    Customer,
    LineItem,
    SessionCreate,
    V2Session,
)
from tests.fake_fastspring import PASSWORD, USERNAME, FakeFastSpring
from tests.jsontext import compact_js

DEMO = Path(__file__).parent / "data" / "sessions_v2_demo_request.json"
SHOP = "acme.test/popup-acme"


# ---------------------------------------------------------------- models


def test_demo_request_round_trips_byte_for_byte() -> None:
    expected = compact_js(DEMO.read_text())
    body = SessionCreate.from_json(expected)
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
        "paymentMethodsOrder": ["card", "ach"],
        "hidePaymentMethods": ["sepa", "wire"],
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
    ],
)
def test_documented_limits(data: dict[str, Any], loc: str) -> None:
    with pytest.raises(ValidationError) as exc:
        SessionCreate.model_validate(data)
    locs = [".".join(str(p) for p in e["loc"]) for e in exc.value.errors()]
    assert loc in locs, locs


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
    assert session.cart.model_extra == {"withTaxNetTotal": 9.9}
    assert session.model_extra == {"somethingNew": {"a": 1}}
    assert session.checkout_status == ["PRODUCTS_REQUIRED"]
    assert V2Session.model_validate({"id": "x", "expires": 1_700_000_000_000}).expires is not None


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


def test_dot_segments_never_reach_the_server(fake: FakeFastSpring, client: Client) -> None:
    """An HTTP client resolves a ``..`` segment (``/sessions/ID/cart/items/..`` would
    become ``/sessions/ID/cart``), so ids and product paths that are dot segments are
    refused before anything is sent; a slash inside one is encoded."""
    checkout = client.checkout("acme/popup-acme")
    with pytest.raises(ValueError, match="would change the endpoint"):
        checkout.get("..")
    with pytest.raises(ValueError, match="would change the endpoint"):
        checkout.get(".")
    with pytest.raises(ValueError, match="would change the endpoint"):
        checkout.remove_item("SE1", "..")
    with pytest.raises(ValueError, match="would change the endpoint"):
        checkout.update_items("SE1", ["a", ".."], {"productPath": "a", "quantity": 1})
    assert fake.requests == []
    with pytest.raises(NotFoundError):
        checkout.get("../x")
    assert fake.requests[-1].path.endswith("/sessions/..%2Fx")


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
        '"customPrice":{"unitPrice":{"EUR":500}}}]},"paymentMethodsOrder":["ideal"]}'
    )


@pytest.mark.parametrize(
    ("builder", "field"),
    [
        (CheckoutBuilder().coupon("X"), "coupon"),
        (CheckoutBuilder().recipient(email="a@example.com"), "recipient"),
        (CheckoutBuilder().invoice_due_date("2027-01-01"), "invoice_due_date"),
        (CheckoutBuilder().product("p", trial=7), "trial for 'p'"),
        (CheckoutBuilder().product("p", sku="S"), "sku for 'p'"),
        (CheckoutBuilder().checkout(), "checkout"),
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


# ---------------------------------------------------------------- client


@pytest.fixture
def fake() -> Iterator[FakeFastSpring]:
    server = FakeFastSpring()
    yield server
    server.close()


@pytest.fixture
def client(fake: FakeFastSpring) -> Iterator[Client]:
    with Client(username=USERNAME, password=PASSWORD, base_url=fake.base_url, timeout=1.0) as c:
        c._sleep = lambda seconds: None
        yield c


def test_stateful_create_add_remove_get(fake: FakeFastSpring, client: Client) -> None:
    checkout = client.checkout("acme.test/popup-acme")
    created = checkout.create(json.loads(DEMO.read_text()))
    assert created.checkout_status == ["READY"]
    assert created.redirect_url == f"https://acme.test.test.onfastspring.com/session/{created.id}"
    added = checkout.add_item(created.id, LineItem(product_path="addon", quantity=2))
    assert added is not None
    assert [i.product_path for i in added.cart.line_items] == ["demo-product-1", "addon"]
    checkout.remove_item(created.id, "demo-product-1")
    fetched = checkout.get(created.id)
    assert [(i.product_path, i.quantity) for i in fetched.cart.line_items] == [("addon", 2)]
    assert fetched.cart.model_extra == {"withTaxNetTotal": 19.8}
    methods = [r.method + " " + r.path.split("/sessions")[-1] for r in fake.requests]
    assert methods == [
        "POST ",
        f"POST /{created.id}/cart/items",
        f"DELETE /{created.id}/cart/items/demo-product-1",
        f"GET /{created.id}",
    ]
    assert all(
        r.path.startswith("/v2/checkouts/acme.test/popup-acme/sessions") for r in fake.requests
    )


def test_update_items_customer_update_and_payment_methods(client: Client) -> None:
    checkout = client.checkout(CheckoutPath("acme", "popup-acme"))
    sid = checkout.create({"cart": {"lineItems": [{"productPath": "a"}, {"productPath": "b"}]}}).id
    updated = checkout.update_items(sid, ["a", "b"], {"productPath": "a", "quantity": 5})
    assert updated is not None and {i.quantity for i in updated.cart.line_items} == {5}
    assert checkout.update_customer(sid, Customer(tax_id="DE1", ship_to_type="SHIP_TO")) is None
    replaced = checkout.update(sid, {"cart": {"lineItems": [{"productPath": "c"}]}, "live": False})
    assert replaced is not None and [i.product_path for i in replaced.cart.line_items] == ["c"]
    assert checkout.payment_methods(sid) == {
        "paymentMethods": [{"type": "card"}, {"type": "paypal"}]
    }
    checkout.remove_item(sid, "c")
    assert checkout.get(sid).checkout_status == ["PRODUCTS_REQUIRED"]


def test_errors_keep_raw_status_and_body(client: Client) -> None:
    checkout = client.checkout("acme/popup-acme")
    with pytest.raises(NotFoundError) as missing:
        checkout.get("NoSuchSession")
    assert missing.value.status == 404
    assert missing.value.body == "Session not found"
    sid = checkout.create({}).id
    checkout.add_item(sid, {"productPath": "a"})
    with pytest.raises(BadRequestError) as exists:
        checkout.add_item(sid, {"productPath": "a"})
    assert exists.value.server_message == "Item exists"
    with pytest.raises(BadRequestError) as gone:
        checkout.remove_item(sid, "zzz")
    assert gone.value.body is not None and "Product not found" in gone.value.body
    with pytest.raises(BadRequestError) as invalid:
        client.request("POST", checkout.base_path, content=b'{"buyerIp": "nope"}')
    assert (
        invalid.value.body is not None
        and json.loads(invalid.value.body)["error"] == "INVALID_INPUT"
    )


def test_create_and_add_item_not_retried_get_is(fake: FakeFastSpring, client: Client) -> None:
    checkout = client.checkout("acme/popup-acme")
    sid = checkout.create({}).id
    fake.fail_next("500")
    with pytest.raises(ServerError):
        checkout.add_item(sid, {"productPath": "a"})
    fake.fail_next("drop")
    with pytest.raises(Exception, match="not retried"):
        checkout.create({})
    fake.fail_next("drop")
    assert checkout.get(sid).id == sid  # retried
    fake.fail_next("503", retry_after="1")
    assert checkout.create({}).id  # refused by the server: safe to retry
    fake.fail_next("slow", seconds=1.5)
    with pytest.raises(ApiTimeoutError):
        checkout.add_item(sid, {"productPath": "b"})


def test_hand_off(client: Client) -> None:
    session = client.checkout("acme/popup-acme").create({})
    snippet = session.checkout_snippet(SblOptions(storefront="acme.onfastspring.com/popup-acme"))
    assert f'var fscSession = {{"checkout":"{session.id}"}};' in snippet
    assert f'"push",{{"checkout":"{session.id}"}});' in session.checkout_call()
    assert session.redirect_url == f"https://acme.onfastspring.com/session/{session.id}"


def test_async_v2(fake: FakeFastSpring) -> None:
    async def scenario() -> list[str]:
        async with AsyncClient(username=USERNAME, password=PASSWORD, base_url=fake.base_url) as c:
            checkout = c.checkout("acme/popup-acme")
            created = await checkout.create({"cart": {"lineItems": [{"productPath": "a"}]}})
            await checkout.add_item(created.id, {"productPath": "b"})
            await checkout.update_items(created.id, "b", {"productPath": "b", "quantity": 3})
            await checkout.remove_item(created.id, "a")
            await checkout.update_customer(created.id, {"taxId": "X1"})
            assert await checkout.payment_methods(created.id)
            assert await checkout.update(
                created.id, {"cart": {"lineItems": [{"productPath": "b", "quantity": 3}]}}
            )
            got = await checkout.get(created.id)
            with pytest.raises(NotFoundError):
                await checkout.get("missing")
            return [f"{i.product_path}x{i.quantity}" for i in got.cart.line_items]

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(lambda: asyncio.run(scenario())).result() == ["bx3"]
