"""``confirm_order``: the server half of the popup-closed confirmation, against the fake
FastSpring over real sockets; every check, and which one failed."""

from __future__ import annotations

import pytest

from sblgen.api import Client, OrderConfirmationError, confirm_order, confirm_order_async
from sblgen.errors import ApiTimeoutError, ServerError
from sblgen.testing import FakeFastSpring, client_for
from sblgen.testing.resources import FakeResources
from tests.aio import run_async
from tests.test_api_orders import async_client


def _failed_check(client: Client, order_id: str, **expect: object) -> OrderConfirmationError:
    expect.setdefault("expect_live", False)
    with pytest.raises(OrderConfirmationError) as caught:
        confirm_order(client, order_id, **expect)  # type: ignore[arg-type]
    return caught.value


def test_a_good_order_confirms(data: FakeResources, client: Client) -> None:
    account = data.add_account(custom="user-42")["account"]
    placed = data.add_order(
        account_id=account, items=[("pro-monthly", 1), ("basic-monthly", 2)], tags={"user": "42"}
    )
    confirmed = confirm_order(
        client,
        placed["order"],
        expect_live=False,
        expect_account=account,
        expect_tags={"user": "42"},
        expect_items={"pro-monthly": 1, "basic-monthly": 2},
    )
    assert confirmed.order_id == placed["order"]
    assert confirmed.reference == placed["reference"]
    assert confirmed.account_id == account
    assert confirmed.subscription_ids == (placed["items"][0]["subscription"],)
    # Paths only, any quantity; extra items (setup fees, add-ons) are allowed.
    assert confirm_order(client, placed["order"], expect_live=False, expect_items=["pro-monthly"])


def test_a_bad_id_is_refused_without_a_request(fake: FakeFastSpring, client: Client) -> None:
    err = _failed_check(client, "o1,o2")
    assert err.check == "order_id" and "several at once" in str(err)
    assert _failed_check(client, "../orders").check == "order_id"
    assert fake.requests == []


def test_unknown_order(client: Client) -> None:
    err = _failed_check(client, "made-up-id")
    assert err.check == "found"
    assert (
        str(err)
        == "Order 'made-up-id' is not known to FastSpring (order: Not found) (check 'found')."
    )


def test_not_completed(data: FakeResources, client: Client) -> None:
    placed = data.add_order(completed=False)
    err = _failed_check(client, placed["order"])
    assert (err.check, err.expected, err.actual) == ("completed", True, False)


def test_test_order_on_a_live_site_and_back(data: FakeResources, client: Client) -> None:
    test_order = data.add_order(live=False)
    err = _failed_check(client, test_order["order"], expect_live=True)
    assert err.check == "live"
    assert "is a test order, but a live order was expected" in str(err)
    live_order = data.add_order(live=True)
    assert _failed_check(client, live_order["order"], expect_live=False).check == "live"
    assert confirm_order(client, live_order["order"], expect_live=True)


def test_someone_elses_order(data: FakeResources, client: Client) -> None:
    placed = data.add_order()
    err = _failed_check(client, placed["order"], expect_account="my-buyer")
    assert (err.check, err.expected, err.actual) == ("account", "my-buyer", placed["account"])


def test_expanded_account_is_compared_by_id(data: FakeResources, client: Client) -> None:
    placed = data.add_order()
    data.expand = True
    assert confirm_order(
        client, placed["order"], expect_live=False, expect_account=placed["account"]
    )


def test_tags(data: FakeResources, client: Client) -> None:
    placed = data.add_order(tags={"user": "42", "plan": "pro"})
    err = _failed_check(client, placed["order"], expect_tags={"user": "43"})
    assert err.check == "tags" and "{'user': '42'}" in str(err)
    data.hide_tags = True  # FastSpring does not document tags on order reads: fail closed
    err = _failed_check(client, placed["order"], expect_tags={"user": "42"})
    assert err.check == "tags" and "carries no tags" in str(err)


def test_items(data: FakeResources, client: Client) -> None:
    placed = data.add_order(items=[("basic-monthly", 1)])
    err = _failed_check(client, placed["order"], expect_items={"pro-monthly": 1})
    assert err.check == "items" and "holds 0 of 'pro-monthly'" in str(err)
    err = _failed_check(client, placed["order"], expect_items={"basic-monthly": 3})
    assert err.check == "items" and "expected 3" in str(err)


def test_fastspring_failures_are_api_errors(fake: FakeFastSpring) -> None:
    """A 5xx or timeout is not a verdict on the order: the usual ApiError, so the page can
    try again."""
    with client_for(fake, timeout=0.3, max_retries=0) as client:
        fake.fail_next("500")
        with pytest.raises(ServerError):
            confirm_order(client, "o1", expect_live=False)
        fake.fail_next("slow", seconds=0.6)
        with pytest.raises(ApiTimeoutError):
            confirm_order(client, "o1", expect_live=False)


def test_async(fake: FakeFastSpring, data: FakeResources) -> None:
    placed = data.add_order(live=True)

    async def scenario() -> tuple[str, str]:
        async with async_client(fake) as client:
            confirmed = await confirm_order_async(client, placed["order"], expect_live=True)
            with pytest.raises(OrderConfirmationError) as caught:
                await confirm_order_async(client, "nope", expect_live=True)
            return confirmed.order_id, caught.value.check

    assert run_async(scenario) == (placed["order"], "found")
