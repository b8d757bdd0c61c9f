"""``client.subscriptions`` against the fake FastSpring over real sockets: read, cancel (at
period end and now), uncancel (and its read-back), pause/resume, change and the estimate
that commits nothing; writes are never repeated once they may have reached FastSpring."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sblgen.api import Client
from sblgen.errors import (
    ApiConnectionError,
    ApiTimeoutError,
    BadRequestError,
    NotFoundError,
    ServerError,
    UnexpectedResponseError,
)
from sblgen.testing import FakeFastSpring, client_for
from sblgen.testing.resources import FakeResources
from tests.aio import run_async
from tests.test_api_orders import async_client


@pytest.fixture
def sub(data: FakeResources) -> dict[str, Any]:
    return data.add_subscription(data.add_account()["account"])


def _bodies(fake: FakeFastSpring, method: str) -> list[Any]:
    return [json.loads(r.body) if r.body else None for r in fake.requests if r.method == method]


def test_get(client: Client, sub: dict[str, Any]) -> None:
    read = client.subscriptions.get(sub["id"])
    assert read.subscription_id == sub["id"]
    assert (read.state, read.active, read.product_path) == ("active", True, "pro-monthly")
    assert read.next is not None and read.next.timestamp() * 1000 == sub["next"]
    assert read.deactivation_date is None
    assert read.model_extra is not None and "nextDisplay" in read.model_extra


def test_missing_subscription_is_not_found_whatever_the_status(
    fake: FakeFastSpring, client: Client
) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.subscriptions.get("missing-sub")
    assert caught.value.status == 500  # one FastSpring spec lists 500 here
    assert caught.value.params == {"subscription": "Subscription not found"}
    assert len(fake.requests) == 1  # a 500 is never retried


def test_cancel_at_period_end(fake: FakeFastSpring, client: Client, sub: dict[str, Any]) -> None:
    result = client.subscriptions.cancel(sub["id"])
    assert (result.subscription, result.result) == (sub["id"], "success")
    assert fake.requests[-1].path == f"/subscriptions/{sub['id']}"
    read = client.subscriptions.get(sub["id"])
    assert read.is_canceled and read.active is True
    assert read.deactivation_date == read.next


def test_cancel_immediately(fake: FakeFastSpring, client: Client, sub: dict[str, Any]) -> None:
    client.subscriptions.cancel(sub["id"], immediately=True)
    assert fake.requests[-1].path == f"/subscriptions/{sub['id']}?billingPeriod=0"
    read = client.subscriptions.get(sub["id"])
    assert (read.state, read.active) == ("deactivated", False)


def test_an_item_error_inside_a_200_raises(client: Client, sub: dict[str, Any]) -> None:
    client.subscriptions.cancel(sub["id"])
    with pytest.raises(BadRequestError) as caught:
        client.subscriptions.cancel(sub["id"])
    assert caught.value.status == 200
    assert caught.value.server_message == "subscription: the subscription is already canceled"


def test_uncancel_sends_deactivation_null_and_reads_back(
    fake: FakeFastSpring, client: Client, sub: dict[str, Any]
) -> None:
    client.subscriptions.cancel(sub["id"])
    read = client.subscriptions.uncancel(sub["id"])
    assert read.state == "active" and read.deactivation_date is None
    post = [r for r in fake.requests if r.method == "POST"][-1]
    assert post.path == "/subscriptions"
    assert post.body == (
        b'{"subscriptions":[{"subscription":"' + sub["id"].encode() + b'","deactivation":null}]}'
    )
    assert fake.requests[-1].method == "GET"  # the read-back


def test_uncancel_that_did_not_take_effect_raises(
    data: FakeResources, client: Client, sub: dict[str, Any]
) -> None:
    client.subscriptions.cancel(sub["id"])
    data.ignore_uncancel = True  # FastSpring says success, the subscription stays canceled
    with pytest.raises(UnexpectedResponseError, match="still canceled"):
        client.subscriptions.uncancel(sub["id"])


def test_uncancel_of_a_deactivated_subscription(client: Client, sub: dict[str, Any]) -> None:
    client.subscriptions.cancel(sub["id"], immediately=True)
    with pytest.raises(BadRequestError, match=r"uncancel: Subscription is not active\."):
        client.subscriptions.uncancel(sub["id"])


def test_pause_and_resume(fake: FakeFastSpring, client: Client, sub: dict[str, Any]) -> None:
    paused = client.subscriptions.pause(sub["id"], 2)
    assert paused.is_pause_scheduled is True
    assert paused.resume_date is not None and paused.pause_date == paused.next
    assert _bodies(fake, "POST")[-1] == {"pausePeriodCount": 2}
    count = len(fake.requests)
    resumed = client.subscriptions.resume(sub["id"])
    assert resumed.is_pause_scheduled is False
    # The resume answer holds no subscription: it is read back.
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in fake.requests[count:]] == [
        ("POST", "resume"),
        ("GET", sub["id"]),
    ]


def test_pause_checks_the_period_count_before_sending(
    fake: FakeFastSpring, client: Client, sub: dict[str, Any]
) -> None:
    for periods in (0, -1, True, 1.5):
        with pytest.raises(ValueError, match="periods="):
            client.subscriptions.pause(sub["id"], periods)  # type: ignore[arg-type]
    assert fake.requests == []


def test_pause_error_shape(client: Client, sub: dict[str, Any]) -> None:
    """What FastSpring answers for a bad count (sblgen never sends one)."""
    with pytest.raises(BadRequestError, match=r"subscription\.pause: Invalid number of Periods"):
        client.request("POST", f"/subscriptions/{sub['id']}/pause", content=b"{}")


def test_resume_of_an_unknown_subscription(client: Client) -> None:
    with pytest.raises(NotFoundError, match="Unable to find subscription"):
        client.subscriptions.resume("missing-sub")


def test_estimate_commits_nothing(
    fake: FakeFastSpring, data: FakeResources, client: Client, sub: dict[str, Any]
) -> None:
    orders = len(data.orders)
    estimate = client.subscriptions.estimate(sub["id"], product="pro-yearly", quantity=1)
    assert estimate.subscription == sub["id"]
    assert estimate.current_plan is not None and estimate.current_plan.product == "pro-monthly"
    assert estimate.proposed_plan is not None and estimate.proposed_plan.product == "pro-yearly"
    assert estimate.amount_due is not None and str(estimate.amount_due.total_amount_due) == "112.5"
    assert fake.requests[-1].path == "/subscriptions/estimate"
    # One flat object, never "subscriptions": [...] with preview: true.
    assert _bodies(fake, "POST")[-1] == {
        "subscription": sub["id"],
        "product": "pro-yearly",
        "quantity": 1,
    }
    assert client.subscriptions.get(sub["id"]).product_path == "pro-monthly"
    assert len(data.orders) == orders


def test_estimate_is_retried_like_a_read(fake: FakeFastSpring, sub: dict[str, Any]) -> None:
    with client_for(fake, timeout=0.3) as client:
        fake.fail_next("slow", seconds=0.6)
        assert client.subscriptions.estimate(sub["id"], quantity=2).subscription == sub["id"]
    assert len(fake.requests) == 2


def test_estimate_of_an_unknown_subscription(client: Client) -> None:
    with pytest.raises(NotFoundError, match="Subscription ID does not exist: nope"):
        client.subscriptions.estimate("nope", product="pro-yearly")


def test_change_commits(
    fake: FakeFastSpring, data: FakeResources, client: Client, sub: dict[str, Any]
) -> None:
    orders = len(data.orders)
    result = client.subscriptions.change(sub["id"], product="pro-yearly", prorate=True)
    assert result.result == "success"
    assert _bodies(fake, "POST")[-1] == {
        "subscriptions": [{"subscription": sub["id"], "product": "pro-yearly", "prorate": True}]
    }
    assert client.subscriptions.get(sub["id"]).product_path == "pro-yearly"
    assert len(data.orders) == orders + 1  # the proration order
    with pytest.raises(BadRequestError, match="product: Not a subscription product"):
        client.subscriptions.change(sub["id"], product="no-such-plan", prorate=False)


def test_change_needs_a_change(fake: FakeFastSpring, client: Client) -> None:
    with pytest.raises(ValueError, match="Give what to change"):
        client.subscriptions.change("s1", prorate=True)
    with pytest.raises(ValueError, match="several at once"):
        client.subscriptions.change("s1,s2", quantity=2, prorate=True)
    assert fake.requests == []


@pytest.mark.parametrize("fault", ["slow", "drop"])
def test_a_write_that_may_have_reached_fastspring_is_never_repeated(
    fake: FakeFastSpring, sub: dict[str, Any], fault: str
) -> None:
    with client_for(fake, timeout=0.3) as client:
        fake.fail_next(fault, seconds=0.6)
        with pytest.raises(ApiTimeoutError if fault == "slow" else ApiConnectionError) as caught:
            client.subscriptions.cancel(sub["id"])
    assert "not retried" in str(caught.value)
    assert [r.method for r in fake.requests] == ["DELETE"]


def test_a_500_on_a_write_is_not_repeated(fake: FakeFastSpring, client: Client) -> None:
    fake.fail_next("500")
    with pytest.raises(ServerError):
        client.subscriptions.uncancel("s1")
    assert len(fake.requests) == 1


def test_a_refused_write_is_sent_again(
    fake: FakeFastSpring, client: Client, sub: dict[str, Any]
) -> None:
    fake.fail_next("503")  # refused: FastSpring did not act on it
    assert client.subscriptions.cancel(sub["id"]).result == "success"
    assert [r.method for r in fake.requests] == ["DELETE", "DELETE"]


def test_async_twin(fake: FakeFastSpring, sub: dict[str, Any]) -> None:
    async def scenario() -> tuple[str | None, str | None, bool | None]:
        async with async_client(fake) as client:
            await client.subscriptions.cancel(sub["id"])
            canceled = (await client.subscriptions.get(sub["id"])).state
            uncanceled = (await client.subscriptions.uncancel(sub["id"])).state
            paused = (await client.subscriptions.pause(sub["id"], 1)).is_pause_scheduled
            return canceled, uncanceled, paused

    assert run_async(scenario) == ("canceled", "active", True)
