"""Sessions API v2 handles (CheckoutSessions, AsyncCheckoutSessions) against the fake
FastSpring over real sockets: every endpoint, which calls are retried, the hand-off."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from sblgen import (
    ApiTimeoutError,
    BadRequestError,
    NotFoundError,
    SblOptions,
    ServerError,
    UnexpectedResponseError,
)
from sblgen.api import AsyncClient, Client
from sblgen.api.checkout_sessions import CheckoutSessions, Sender
from sblgen.api.v2 import (
    CheckoutPath,
    Customer,
    V2CustomerResponse,
    V2LineItem,
    V2OrderItem,
    V2PaymentMethods,
    V2Session,
)
from sblgen.render import checkout_call, checkout_snippet
from sblgen.testing import PASSWORD, USERNAME, FakeFastSpring
from tests.aio import run_async

DEMO = Path(__file__).parent / "data" / "sessions_v2_demo_request.json"


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


def test_stateful_create_add_remove_get(fake: FakeFastSpring, client: Client) -> None:
    checkout = client.checkout("acme.test/popup-acme")
    created = checkout.create(json.loads(DEMO.read_text()))
    assert created.checkout_status == ["READY_FOR_CHECKOUT"]
    assert created.redirect_url == f"https://acme.test.test.onfastspring.com/session/{created.id}"
    added = checkout.add_item(created.id, V2LineItem(product_path="addon", quantity=2))
    assert isinstance(added, V2OrderItem)
    assert (added.product_path, added.quantity) == ("addon", 2)
    checkout.remove_item(created.id, "demo-product-1")
    fetched = checkout.get(created.id)
    assert [(i.product_path, i.quantity) for i in fetched.cart.line_items] == [("addon", 2)]
    assert fetched.cart.with_tax_net_total == Decimal("19.8")
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
    assert isinstance(updated, V2OrderItem) and updated.quantity == 5
    assert {i.quantity for i in checkout.get(sid).cart.line_items} == {5}
    customer = checkout.update_customer(sid, Customer(tax_id="DE1", ship_to_type="SHIP_TO"))
    assert isinstance(customer, V2CustomerResponse) and customer.tax_id == "DE1"
    replaced = checkout.update(sid, {"cart": {"lineItems": [{"productPath": "c"}]}, "live": False})
    assert replaced is not None and [i.product_path for i in replaced.cart.line_items] == ["c"]
    methods = checkout.payment_methods(sid).payment_methods
    assert [m.id for m in methods] == ["CARD", "PAYPAL", "APPLE_PAY", "GOOGLE_PAY", "WIRE"]
    checkout.remove_item(sid, "c")
    assert checkout.get(sid).checkout_status == ["PRODUCTS_REQUIRED"]


def test_errors_keep_raw_status_and_body(client: Client) -> None:
    checkout = client.checkout("acme/popup-acme")
    with pytest.raises(NotFoundError) as missing:
        checkout.get("NoSuchSession")
    assert missing.value.status == 404
    assert missing.value.body is not None
    assert json.loads(missing.value.body)["status"] == "404 NOT_FOUND"
    assert missing.value.server_message == "Session not found"
    sid = checkout.create({}).id
    checkout.add_item(sid, {"productPath": "a"})
    with pytest.raises(BadRequestError) as exists:
        checkout.add_item(sid, {"productPath": "a"})
    assert exists.value.server_message == "Item exists"
    assert exists.value.errors[0].error_code == "ITEM_EXISTS"
    with pytest.raises(BadRequestError) as gone:
        checkout.remove_item(sid, "zzz")
    assert gone.value.body is not None and "Product not found" in gone.value.body
    with pytest.raises(BadRequestError) as invalid:
        client.request("POST", checkout.base_path, content=b'{"buyerIp": "nope"}')
    assert invalid.value.errors[0].field == "buyerIp"


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
    fake.fail_next("503", retry_after="0.2")  # a wait within the call's 1 s timeout
    assert checkout.create({}).id  # refused by the server: safe to retry
    fake.fail_next("slow", seconds=1.5)
    with pytest.raises(ApiTimeoutError):
        checkout.add_item(sid, {"productPath": "b"})


def test_hand_off(client: Client) -> None:
    session = client.checkout("acme/popup-acme").create({})
    snippet = checkout_snippet(session, SblOptions(storefront="acme.onfastspring.com/popup-acme"))
    assert f'(window,document,"session",{{"checkout":"{session.id}"}});' in snippet
    assert f'"push",{{"checkout":"{session.id}"}});' in checkout_call(session)
    assert session.redirect_url == f"https://acme.onfastspring.com/session/{session.id}"


def test_async_v2(fake: FakeFastSpring) -> None:
    async def scenario() -> list[str]:
        async with AsyncClient(username=USERNAME, password=PASSWORD, base_url=fake.base_url) as c:
            checkout = c.checkout("acme/popup-acme")
            created = await checkout.create({"cart": {"lineItems": [{"productPath": "a"}]}})
            added = await checkout.add_item(created.id, {"productPath": "b"})
            assert isinstance(added, V2OrderItem) and added.product_path == "b"
            item = await checkout.update_items(created.id, "b", {"productPath": "b", "quantity": 3})
            assert item.quantity == 3
            await checkout.remove_item(created.id, "a")
            assert (await checkout.update_customer(created.id, {"taxId": "X1"})).tax_id == "X1"
            assert (await checkout.payment_methods(created.id)).payment_methods
            assert await checkout.update(
                created.id, {"cart": {"lineItems": [{"productPath": "b", "quantity": 3}]}}
            )
            got = await checkout.get(created.id)
            with pytest.raises(NotFoundError):
                await checkout.get("missing")
            return [f"{i.product_path}x{i.quantity}" for i in got.cart.line_items]

    assert run_async(scenario) == ["bx3"]


def test_session_ids_are_whatever_the_server_returned(fake: FakeFastSpring, client: Client) -> None:
    """Any non-empty id goes in the URL as one encoded segment (no length rule of sblgen's);
    an empty one, which would name the sessions collection, is refused before sending."""
    checkout = client.checkout("acme/popup-acme")
    with pytest.raises(NotFoundError):
        checkout.get("S" * 300)
    assert fake.requests[-1].path.endswith("/sessions/" + "S" * 300)
    sent = len(fake.requests)
    with pytest.raises(ValueError, match="is not a v2 session id"):
        checkout.get("")
    with pytest.raises(ValueError, match="is not a product path"):
        checkout.remove_item("SE1", "")
    with pytest.raises(ValueError, match="at least one product path"):
        checkout.update_items("SE1", [], {"productPath": "a"})
    assert len(fake.requests) == sent


def test_handles_run_through_their_sender_alone() -> None:
    """A handle needs only a Sender: here one that answers without any network."""
    sent: list[tuple[str, str, bytes | None, bool]] = []

    def send(
        method: str, path: str, *, content: bytes | None = None, retry_safe: bool = False
    ) -> httpx.Response:
        sent.append((method, path, content, retry_safe))
        return httpx.Response(201, json={"id": "SE1", "checkoutStatus": "READY"})

    checkout = CheckoutSessions(Sender(send, "https://api.example.com"), CheckoutPath("a", "b"))
    assert checkout.create({"live": False}).checkout_status == ["READY"]
    assert checkout.get("SE1").id == "SE1"
    assert sent == [
        ("POST", "/v2/checkouts/a/b/sessions", b'{"live":false}', False),
        ("GET", "/v2/checkouts/a/b/sessions/SE1", None, True),
    ]


# ---------------------------------------------------------------- issue 18: documented bodies


def test_create_echoes_phone_number(client: Client) -> None:
    created = client.checkout("acme/popup-acme").create(
        {"customer": {"billToContact": {"email": "a@example.com", "phoneNumber": "555-555-5555"}}}
    )
    assert created.customer is not None and created.customer.bill_to_contact is not None
    assert created.customer.bill_to_contact.phone_number == "555-555-5555"


def test_create_sends_uppercase_methods(fake: FakeFastSpring, client: Client) -> None:
    checkout = client.checkout("acme/popup-acme")
    sid = checkout.create({"paymentMethodsOrder": ["card"], "hidePaymentMethods": "paypal"}).id
    assert json.loads(fake.requests[-1].body)["paymentMethodsOrder"] == ["CARD"]
    methods = checkout.payment_methods(sid)
    assert isinstance(methods, V2PaymentMethods)
    assert [m.id for m in methods.payment_methods] == ["CARD", "APPLE_PAY", "GOOGLE_PAY", "WIRE"]
    assert methods.payment_methods[0].variants == ["VISA", "MASTER_CARD", "AMEX"]
    with pytest.raises(BadRequestError):  # documented: 400 for an invalid session id
        checkout.payment_methods("NoSuchSession")


def test_coupon_applied_and_invalid_coupon_warns(client: Client) -> None:
    checkout = client.checkout("acme/popup-acme")
    line = {"productPath": "p", "quantity": 2}
    good = checkout.create({"cart": {"couponCode": "SUMMER2026", "lineItems": [line]}})
    assert (good.cart.coupon_code, good.cart.coupon_has_applied) == ("SUMMER2026", True)
    assert good.cart.coupon_discount_total == Decimal("1.98") and good.warnings == []
    bad = checkout.create({"cart": {"couponCode": "NOPE", "lineItems": [line]}})
    assert bad.cart.coupon_has_applied is False
    assert [(w.code, w.field) for w in bad.warnings] == [("INVALID_PROMO_CODE", "promoCode")]


def test_create_session_shape(client: Client) -> None:
    checkout = client.checkout("acme/popup-acme")
    created = checkout.create({"cart": {"lineItems": [{"productPath": "p"}]}})
    assert created.status == "OPEN"
    assert created.created is not None and created.created.tzinfo is not None
    assert created.expires is not None and created.expires - created.created == timedelta(hours=24)
    assert created.checkout_status == ["READY_FOR_CHECKOUT"]
    assert created.payment_methods == [] and created.customer is not None
    assert (created.locale, created.country, created.live) == ("en", "US", True)
    fetched = checkout.get(created.id)
    assert [m.id for m in fetched.payment_methods][:2] == ["CARD", "PAYPAL"]
    assert fetched.cart.line_items[0].price.extended_net_total == Decimal("9.9")
    assert fetched.cart.line_items[0].price.extended_net_total_display == "€9.90"


def _write_endpoints(checkout: CheckoutSessions, sid: str) -> None:
    item = checkout.add_item(sid, V2LineItem(product_path="addon", quantity=2))
    assert isinstance(item, V2OrderItem)
    assert (item.product_path, item.quantity) == ("addon", 2)
    assert item.price.extended_net_total == Decimal("19.8")


def test_write_endpoints_return_documented_bodies(client: Client) -> None:
    checkout = client.checkout("acme/popup-acme")
    sid = checkout.create({"cart": {"lineItems": [{"productPath": "a"}, {"productPath": "b"}]}}).id
    _write_endpoints(checkout, sid)
    item = checkout.update_items(sid, ["a", "b"], {"productPath": "a", "quantity": 5})
    assert isinstance(item, V2OrderItem) and (item.product_path, item.quantity) == ("a", 5)
    customer = checkout.update_customer(sid, Customer(tax_id="DE1"))
    assert isinstance(customer, V2CustomerResponse) and customer.tax_id == "DE1"
    assert customer.account_id  # FastSpring's, revealed to authenticated calls
    session = checkout.update(sid, {"cart": {"lineItems": [{"productPath": "c"}]}})
    assert isinstance(session, V2Session) and session.payment_methods
    assert isinstance(checkout.payment_methods(sid), V2PaymentMethods)


def test_async_write_endpoints_return_documented_bodies(fake: FakeFastSpring) -> None:
    async def scenario() -> None:
        async with AsyncClient(username=USERNAME, password=PASSWORD, base_url=fake.base_url) as c:
            checkout = c.checkout("acme/popup-acme")
            sid = (await checkout.create({"cart": {"lineItems": [{"productPath": "a"}]}})).id
            item = await checkout.add_item(sid, V2LineItem(product_path="addon", quantity=2))
            assert isinstance(item, V2OrderItem)
            assert item.price.extended_net_total == Decimal("19.8")
            changed = await checkout.update_items(sid, "a", {"productPath": "a", "quantity": 4})
            assert isinstance(changed, V2OrderItem) and changed.quantity == 4
            customer = await checkout.update_customer(sid, Customer(tax_id="DE1"))
            assert isinstance(customer, V2CustomerResponse) and customer.tax_id == "DE1"
            session = await checkout.update(sid, {"live": False})
            assert isinstance(session, V2Session) and session.cart.line_items == []
            assert isinstance(await checkout.payment_methods(sid), V2PaymentMethods)

    run_async(scenario)


@pytest.mark.parametrize(
    ("fault", "detail"),
    [
        ("empty-200", "expected an order item; the body is empty"),
        ("malformed", "expected an order item; the body is not JSON"),
    ],
)
def test_write_endpoint_empty_body_is_unexpected(
    fake: FakeFastSpring, client: Client, fault: str, detail: str
) -> None:
    checkout = client.checkout("acme/popup-acme")
    sid = checkout.create({}).id
    fake.fail_next(fault)
    with pytest.raises(UnexpectedResponseError) as exc:
        checkout.add_item(sid, {"productPath": "a"})
    assert exc.value.status == 200 and detail in str(exc.value)


def test_session_body_that_is_not_one_is_unexpected() -> None:
    def send(
        method: str, path: str, *, content: bytes | None = None, retry_safe: bool = False
    ) -> httpx.Response:
        return httpx.Response(200, json={"productPath": "p"})  # an item, not a session

    checkout = CheckoutSessions(Sender(send, "https://api.example.com"), CheckoutPath("a", "b"))
    with pytest.raises(UnexpectedResponseError, match=r"expected a session; .* \(1 problems\)"):
        checkout.get("SE1")


def test_add_item_with_volume_discount(client: Client) -> None:
    checkout = client.checkout("acme/popup-acme")
    sid = checkout.create({}).id
    item = checkout.add_item(
        sid,
        {
            "productPath": "pro",
            "quantity": 3,
            "customPrice": {
                "unitPrice": {"EUR": 20},
                "discounts": [{"minQuantity": 2, "percentDiscount": 10}],
            },
            "subscriptionOverrides": {
                "billingFrequency": {"intervalUnit": "MONTH", "intervalLength": 1},
                "trialDays": 14,
            },
        },
    )
    assert item.price.unit_discount == Decimal(2) and item.price.extended_net_total == Decimal(54)
    assert item.product_type == "SUBSCRIPTION_PLAN"
    assert item.subscription is not None and item.subscription.trial_days == 14
