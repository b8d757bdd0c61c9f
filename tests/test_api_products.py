"""``client.products`` (localized prices) against the fake FastSpring over real sockets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sblgen.api import Client
from sblgen.errors import NotFoundError, ServerError, UnexpectedResponseError
from sblgen.testing import FakeFastSpring, client_for
from sblgen.testing.resources import FakeResources
from tests.aio import run_async
from tests.test_api_orders import async_client


def test_every_product_every_page(
    fake: FakeFastSpring, data: FakeResources, client: Client
) -> None:
    data.price_page_size = 2
    products = client.products.prices()
    assert [p.product for p in products] == ["basic-monthly", "pro-monthly", "pro-yearly"]
    assert [r.path for r in fake.requests] == ["/products/price", "/products/price?page=2"]
    pro = products[1].pricing
    assert (pro["US"].currency, pro["US"].price, pro["US"].display) == (
        "USD",
        Decimal(25),
        "$25.00",
    )
    assert pro["DE"].tiers[2].unit_price == Decimal("22.8")


def test_one_country_and_currency(fake: FakeFastSpring, client: Client) -> None:
    products = client.products.prices(country="de", currency="usd")
    assert fake.requests[-1].path == "/products/price?country=DE&currency=USD"
    yearly = {p.product: p for p in products}["pro-yearly"]
    assert list(yearly.pricing) == ["DE"] and yearly.pricing["DE"].currency == "USD"


def test_one_product(fake: FakeFastSpring, client: Client) -> None:
    yearly = client.products.price("pro-yearly", country="US")
    assert fake.requests[-1].path == "/products/price/pro-yearly?country=US"
    # The documented example's text-typed numbers are read leniently.
    assert yearly.pricing["US"].setup_fee_price == Decimal("10.0")
    assert client.products.price("pro-yearly").pricing["DE"].discount_period_count is None


def test_unknown_product_is_an_item_error(client: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.products.price("no-such-product")
    assert caught.value.status == 200
    assert caught.value.server_message == "product: Product not found"


def test_codes_are_checked_before_sending(fake: FakeFastSpring, client: Client) -> None:
    with pytest.raises(ValueError, match="not an ISO 3166-1"):
        client.products.prices(country="XX")
    with pytest.raises(ValueError, match="needs country="):
        client.products.prices(currency="EUR")
    with pytest.raises(ValueError, match="not a product path"):
        client.products.price("a,b")
    assert fake.requests == []


def test_faults(fake: FakeFastSpring, client: Client) -> None:
    fake.fail_next("503")
    assert len(client.products.prices()) == 3
    fake.fail_next("500")
    with pytest.raises(ServerError):
        client.products.prices()
    fake.fail_next("malformed")
    with pytest.raises(UnexpectedResponseError, match="not JSON"):
        client.products.price("pro-monthly")


def test_a_read_times_out_then_succeeds(fake: FakeFastSpring) -> None:
    with client_for(fake, timeout=0.3) as client:
        fake.fail_next("slow", seconds=0.6)
        assert client.products.price("pro-monthly").product == "pro-monthly"


def test_async_twin(fake: FakeFastSpring, data: FakeResources) -> None:
    data.price_page_size = 1

    async def scenario() -> list[str | None]:
        async with async_client(fake) as client:
            return [p.product for p in await client.products.prices(country="US")]

    assert run_async(scenario) == ["basic-monthly", "pro-monthly", "pro-yearly"]
