"""``client.orders`` against the fake FastSpring over real sockets: one order, order lists
with pagination, the refused ids, both error shapes, retries and faults, sync and async."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from sblgen.api import AsyncClient, Client, Order
from sblgen.errors import (
    ApiConnectionError,
    ApiTimeoutError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from sblgen.testing import PASSWORD, USERNAME, FakeFastSpring, client_for
from sblgen.testing.resources import FakeResources
from tests.aio import run_async


def async_client(fake: FakeFastSpring, **settings: Any) -> AsyncClient:
    """An AsyncClient for ``fake`` that never sleeps between retries."""
    client = AsyncClient(
        username=USERNAME, password=PASSWORD, base_url=fake.base_url, timeout=1.0, **settings
    )

    async def no_sleep(seconds: float) -> None:
        return None

    client._sleep = no_sleep
    return client


def test_get_reads_every_documented_field(data: FakeResources, client: Client) -> None:
    placed = data.add_order(items=[("pro-monthly", 2), ("basic-monthly", 1)], tags={"user": "u1"})
    order = client.orders.get(placed["order"])
    assert order.order_id == placed["order"]
    assert (order.completed, order.live, order.currency) == (True, False, "USD")
    assert order.changed == datetime.fromtimestamp(placed["changed"] / 1000, tz=UTC)
    assert order.account_id == placed["account"]
    assert [(i.product_path, i.quantity) for i in order.items] == [
        ("pro-monthly", 2),
        ("basic-monthly", 1),
    ]
    assert order.subscription_ids == (placed["items"][0]["subscription"],)
    assert order.tags == {"user": "u1"}
    assert order.total == Decimal(75)
    # Unknown fields and FastSpring's …Display/…Value siblings stay readable.
    assert order.model_extra is not None
    assert order.model_extra["changedInSeconds"] == placed["changed"] // 1000
    assert order.model_extra["totalDisplay"] == "$75.00"
    assert order.payment == {"type": "test", "creditcard": "visa", "cardEnding": "4242"}


def test_get_accepts_the_expanded_shape(data: FakeResources, client: Client) -> None:
    placed = data.add_order()
    data.expand = True  # account, product and subscription as whole objects
    order = client.orders.get(placed["order"])
    assert not isinstance(order.account, str)
    assert order.account_id == placed["account"]
    assert order.items[0].product_path == "pro-monthly"
    assert order.subscription_ids == (placed["items"][0]["subscription"],)


@pytest.mark.parametrize(
    ("order_id", "message"),
    [
        ("o1,o2", "several at once"),
        ("o1/../o2", "'/' cannot be part"),
        ("o1%2Co2", "'%' cannot be part"),
        ("o1 o2", "' ' cannot be part"),
        ("", "non-empty"),
        ("..", "would change the endpoint"),
    ],
)
def test_ids_that_are_not_one_order_are_never_sent(
    fake: FakeFastSpring, client: Client, order_id: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        client.orders.get(order_id)
    assert fake.requests == []


def test_not_found_is_the_result_error_shape(fake: FakeFastSpring, client: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.orders.get("missing-order")
    err = caught.value
    assert err.status == 400  # FastSpring's spec gives 400; the body says "Not found"
    assert err.server_message == "order: Not found"
    assert err.params == {"order": "Not found"}
    assert json.loads(err.body or "")["orders"][0]["result"] == "error"
    assert len(fake.requests) == 1


def test_sessions_error_shape_maps_too(fake: FakeFastSpring, client: Client) -> None:
    fake.fail_next("400")  # {"message": ..., "params": ...}
    with pytest.raises(BadRequestError) as caught:
        client.orders.get("o1")
    assert caught.value.server_message == "Invalid product path"
    assert caught.value.params == {"items[0].product": "nope"}


def test_list_follows_every_page(fake: FakeFastSpring, data: FakeResources, client: Client) -> None:
    day = int(datetime(2026, 6, 10, tzinfo=UTC).timestamp() * 1000)
    placed = [data.add_order(changed=day + i, live=i % 2 == 0, event=False) for i in range(5)]
    data.add_order(changed=day + 40 * 86_400_000, event=False)  # outside the range
    data.order_page_size = 2
    orders = list(client.orders.list(date(2026, 6, 1), "2026-07-01"))
    assert [o.order_id for o in orders] == [p["order"] for p in placed]
    paths = [r.path for r in fake.requests]
    assert paths[0] == "/orders?begin=2026-06-01&end=2026-07-01&scope=all"
    assert paths[1:] == [paths[0] + "&page=2", paths[0] + "&page=3"]
    live = list(client.orders.list("2026-06-01", "2026-07-01", scope="live", limit=10))
    assert [o.order_id for o in live] == [p["order"] for p in placed if p["live"]]
    assert fake.requests[-1].path.endswith("scope=live&limit=10")


def test_list_is_lazy_and_stops_early(
    fake: FakeFastSpring, data: FakeResources, client: Client
) -> None:
    day = int(datetime(2026, 6, 10, tzinfo=UTC).timestamp() * 1000)
    for i in range(4):
        data.add_order(changed=day + i, event=False)
    data.order_page_size = 1
    first = next(iter(client.orders.list("2026-06-01", "2026-07-01")))
    assert isinstance(first, Order)
    assert len(fake.requests) == 1


def test_list_arguments_are_checked_before_sending(fake: FakeFastSpring, client: Client) -> None:
    with pytest.raises(ValueError, match="at least one day before"):
        client.orders.list("2026-06-01", "2026-06-01")
    with pytest.raises(ValueError, match="is not a date"):
        client.orders.list("06/01/26", "2026-07-01")
    with pytest.raises(ValueError, match="is a datetime"):
        client.orders.list(datetime(2026, 6, 1, tzinfo=UTC), "2026-07-01")
    with pytest.raises(ValueError, match="scope="):
        client.orders.list("2026-06-01", "2026-07-01", scope="prod")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="limit="):
        client.orders.list("2026-06-01", "2026-07-01", limit=0)
    assert fake.requests == []


def test_the_server_refusing_a_date_range(fake: FakeFastSpring, client: Client) -> None:
    """What FastSpring answers for a bad range (sblgen never sends one): the result: error
    shape keyed by field, as a BadRequestError."""
    with pytest.raises(BadRequestError) as caught:
        client.request("GET", "/orders?begin=nope&end=2026-01-01", retry_safe=True)
    assert caught.value.params == {"begin": "Invalid begin date"}
    assert "begin: Invalid begin date" in str(caught.value)


def test_a_page_that_does_not_move_on_stops(data: FakeResources, client: Client) -> None:
    day = int(datetime(2026, 6, 10, tzinfo=UTC).timestamp() * 1000)
    for i in range(3):
        data.add_order(changed=day + i, event=False)
    data.order_page_size, data.ignore_page = 1, True
    with pytest.raises(UnexpectedResponseError, match="nextPage 2 does not follow page 2"):
        list(client.orders.list("2026-06-01", "2026-07-01"))


@pytest.mark.parametrize("fault", ["429", "503"])
def test_refusals_are_retried_after_retry_after(
    fake: FakeFastSpring, data: FakeResources, fault: str
) -> None:
    placed = data.add_order()
    waits: list[float] = []
    with client_for(fake, timeout=5.0) as client:  # the waits must fit in the call's timeout
        client._sleep = waits.append
        fake.fail_next(fault, retry_after="1")
        assert client.orders.get(placed["order"]).order_id == placed["order"]
    assert waits == [1.0]
    assert len(fake.requests) == 2


def test_refusals_give_up_after_max_retries(fake: FakeFastSpring) -> None:
    fake.fail_next("429", count=3)
    with client_for(fake, timeout=5.0) as client, pytest.raises(RateLimitError):
        client.orders.get("o1")
    assert len(fake.requests) == 3


@pytest.mark.parametrize("fault", ["slow", "drop", "reset"])
def test_a_read_is_retried_after_it_may_have_reached_fastspring(
    fake: FakeFastSpring, data: FakeResources, fault: str
) -> None:
    placed = data.add_order()
    with client_for(fake, timeout=0.3) as client:
        fake.fail_next(fault, seconds=0.6)
        assert client.orders.get(placed["order"]).order_id == placed["order"]
    assert len(fake.requests) == 2


def test_timeouts_and_drops_raise_after_the_retries(fake: FakeFastSpring) -> None:
    with client_for(fake, timeout=0.3, max_retries=1) as client:
        fake.fail_next("slow", count=2, seconds=0.6)
        with pytest.raises(ApiTimeoutError):
            client.orders.get("o1")
        fake.fail_next("drop", count=2)
        with pytest.raises(ApiConnectionError):
            client.orders.get("o1")


def test_a_500_is_not_retried(fake: FakeFastSpring, client: Client) -> None:
    fake.fail_next("500")
    with pytest.raises(ServerError, match="HTTP 500: Internal error"):
        client.orders.get("o1")
    assert len(fake.requests) == 1


def test_malformed_and_wrong_bodies(fake: FakeFastSpring, client: Client) -> None:
    fake.fail_next("malformed")
    with pytest.raises(UnexpectedResponseError, match="not JSON"):
        client.orders.get("o1")
    assert len(fake.requests) == 1  # a complete 200 answer: not retried


def test_credentials_never_in_errors(fake: FakeFastSpring) -> None:
    client = Client(username=USERNAME, password="wrong-Pa55", base_url=fake.base_url)
    with client, pytest.raises(Exception, match="HTTP 401") as caught:
        client.orders.get("o1")
    assert "wrong-Pa55" not in str(caught.value) and "wrong-Pa55" not in repr(client)


def test_async_get_and_list(fake: FakeFastSpring, data: FakeResources) -> None:
    day = int(datetime(2026, 6, 10, tzinfo=UTC).timestamp() * 1000)
    placed = [data.add_order(changed=day + i, event=False) for i in range(3)]
    data.order_page_size = 2

    async def scenario() -> tuple[str, list[str]]:
        async with async_client(fake) as client:
            fake.fail_next("503")
            one = await client.orders.get(placed[0]["order"])
            ids = [o.order_id async for o in client.orders.list("2026-06-01", "2026-07-01")]
            with pytest.raises(NotFoundError):
                await client.orders.get("missing")
            return one.order_id, ids

    one, ids = run_async(scenario)
    assert one == placed[0]["order"]
    assert ids == [p["order"] for p in placed]


def test_handles_describe_themselves(client: Client) -> None:
    get = client.orders.get
    assert get.__name__ == "get"
    assert "GET /orders/{id}" in (get.__doc__ or "")
    assert str(__import__("inspect").signature(client.orders.list)).startswith("(begin")


def test_oauth_clients_are_refused_before_sending(fake: FakeFastSpring) -> None:
    """FastSpring documents HTTP Basic alone for the REST resources."""
    from sblgen.errors import ConfigurationError
    from sblgen.testing import oauth_client_for

    with oauth_client_for(fake) as client:
        for resource in ("orders", "subscriptions", "accounts", "products", "events"):
            with pytest.raises(ConfigurationError, match="document HTTP Basic only"):
                getattr(client, resource)
    assert fake.requests == []
