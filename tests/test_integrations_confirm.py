"""``confirm_request``: the server's half, framework-free, against the fake FastSpring over
real HTTP: each answer (typed JSON, status naming the failed check), the body rules, and
fulfilment once per order shared with the webhook dispatcher's claims."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sblgen.api import Client, ConfirmedOrder
from sblgen.events import Dispatcher, MemoryStore, OrderCompleted, parse_event
from sblgen.integrations.confirm import (
    MAX_BODY_BYTES,
    Expectations,
    OrderConfirmed,
    confirm_request,
    expect_live,
    fulfilment_key,
)
from sblgen.testing import FakeFastSpring
from sblgen.testing.resources import FakeResources

JSON = "application/json"


def _body(order_id: object) -> bytes:
    return json.dumps({"id": order_id}).encode()


def _answer(reply: Any) -> tuple[int, dict[str, Any]]:
    return reply.status, json.loads(reply.json())


def test_a_completed_test_order_confirms(data: FakeResources, client: Client) -> None:
    order = data.add_order(live=False, items=[("pro-monthly", 2)])
    status, body = _answer(confirm_request(_body(order["order"]), JSON, client=client, live=False))
    assert status == 200
    assert body == {
        "result": "confirmed",
        "order": order["order"],
        "reference": order["reference"],
        "account": order["account"],
        "live": False,
        "items": [{"product": "pro-monthly", "quantity": 2}],
        "subscriptions": [order["items"][0]["subscription"]],
        "duplicate": False,
    }
    assert OrderConfirmed.model_validate(body).order == order["order"]


def test_only_the_id_is_read(data: FakeResources, client: Client) -> None:
    """Whatever else the browser says (a total, completed, live) is ignored: the answer is
    what FastSpring says about the id."""
    order = data.add_order(live=False, completed=False)
    claim = {"id": order["order"], "completed": True, "live": False, "total": 0}
    status, body = _answer(
        confirm_request(json.dumps(claim).encode(), JSON, client=client, live=False)
    )
    assert (status, body["check"]) == (422, "completed")


@pytest.mark.parametrize(
    ("order", "live", "expect", "check"),
    [
        ({"live": True}, False, None, "live"),
        ({"live": False}, True, None, "live"),
        ({"completed": False}, False, None, "completed"),
        ({}, False, Expectations(account="someone-else"), "account"),
        ({"tags": {"user": "7"}}, False, Expectations(tags={"user": "42"}), "tags"),
        ({}, False, Expectations(items={"pro-yearly": 1}), "items"),
    ],
)
def test_each_failed_check_is_a_422_naming_it(
    data: FakeResources,
    client: Client,
    order: dict[str, Any],
    live: bool,
    expect: Expectations | None,
    check: str,
) -> None:
    placed = data.add_order(**order)
    reply = confirm_request(
        _body(placed["order"]), JSON, client=client, live=live, expectations=expect
    )
    status, body = _answer(reply)
    assert (status, body["result"], body["check"]) == (422, "refused", check)
    assert f"(check '{check}')" in body["message"]


def test_the_expected_account_and_items_confirm(data: FakeResources, client: Client) -> None:
    account = data.add_account(custom="user-42")["account"]
    placed = data.add_order(account_id=account, items=[("pro-monthly", 1)], tags={"user": "42"})
    expect = Expectations(account=account, tags={"user": "42"}, items=["pro-monthly"])
    reply = confirm_request(
        _body(placed["order"]), JSON, client=client, live=False, expectations=expect
    )
    assert reply.status == 200


def test_an_unknown_id_is_a_404(client: Client) -> None:
    status, body = _answer(confirm_request(_body("FORGEDorder1"), JSON, client=client, live=False))
    assert (status, body["check"]) == (404, "found")


@pytest.mark.parametrize(
    ("body", "content_type", "status", "check"),
    [
        (b'{"id": "o1"}', "text/plain", 415, "request"),
        (b"id=o1", "application/x-www-form-urlencoded", 415, "request"),
        (b'{"id": "o1"', JSON, 400, "request"),
        (b'["o1"]', JSON, 400, "order_id"),
        (b'{"order": "o1"}', JSON, 400, "order_id"),
        (b'{"id": 7}', JSON, 400, "order_id"),
        (b'{"id": ""}', JSON, 400, "order_id"),
        (b'{"id": "o1,o2"}', JSON, 400, "order_id"),
        (b'{"id": "../o1"}', JSON, 400, "order_id"),
        (None, JSON, 413, "request"),
        (b'{"id": "' + b"x" * MAX_BODY_BYTES + b'"}', JSON, 413, "request"),
    ],
)
def test_requests_that_are_not_one_id_are_refused_before_asking(
    fake: FakeFastSpring, body: bytes | None, content_type: str, status: int, check: str
) -> None:
    def no_client() -> Client:
        raise AssertionError("FastSpring must not be asked")

    reply = confirm_request(body, content_type, client=no_client, live=False)
    assert (reply.status, _answer(reply)[1]["check"]) == (status, check)
    assert not any(r.path.startswith("/orders") for r in fake.requests)


def test_json_with_a_charset_is_json(data: FakeResources, client: Client) -> None:
    order = data.add_order()
    reply = confirm_request(
        _body(order["order"]), "application/json; charset=utf-8", client=client, live=False
    )
    assert reply.status == 200


def test_fastspring_down_is_a_502_to_retry(
    fake: FakeFastSpring, data: FakeResources, client: Client
) -> None:
    order = data.add_order()
    fake.fail_next("500")
    status, body = _answer(confirm_request(_body(order["order"]), JSON, client=client, live=False))
    assert status == 502
    assert body == {
        "result": "error",
        "message": "FastSpring could not be asked about the order right now; try again.",
        "retry": True,
    }


def test_wrong_credentials_are_a_502_and_never_leak(
    fake: FakeFastSpring, data: FakeResources
) -> None:
    order = data.add_order()
    with Client(username="api-user", password="wrong-Pa55", base_url=fake.base_url) as bad:
        reply = confirm_request(_body(order["order"]), JSON, client=bad, live=False)
    assert reply.status == 502 and "wrong-Pa55" not in reply.json()


def test_fulfils_once_per_order_with_a_store(data: FakeResources, client: Client) -> None:
    order = data.add_order()
    granted: list[str] = []
    store = MemoryStore()

    def grant(confirmed: ConfirmedOrder) -> None:
        granted.append(confirmed.order_id)

    for _ in range(3):
        reply = confirm_request(
            _body(order["order"]), JSON, client=client, live=False, on_confirmed=grant, store=store
        )
    assert granted == [order["order"]]
    assert _answer(reply)[1]["duplicate"] is True
    # Without a store, each confirmation runs the hook.
    confirm_request(_body(order["order"]), JSON, client=client, live=False, on_confirmed=grant)
    assert len(granted) == 2


def test_a_failing_hook_releases_the_order_for_the_next_try(
    data: FakeResources, client: Client
) -> None:
    order = data.add_order()
    store = MemoryStore()

    def broken(confirmed: ConfirmedOrder) -> None:
        raise RuntimeError("licence server down")

    with pytest.raises(RuntimeError, match="licence server down"):
        confirm_request(
            _body(order["order"]), JSON, client=client, live=False, on_confirmed=broken, store=store
        )
    assert store.claim(fulfilment_key(order["order"]))


def _webhook(order_id: str, event_id: str = "evt-1") -> Any:
    return parse_event(
        {"id": event_id, "type": "order.completed", "live": False, "data": {"order": order_id}}
    )


def test_popup_first_then_the_webhook_is_a_duplicate(data: FakeResources, client: Client) -> None:
    order = data.add_order()
    store = MemoryStore()
    ran: list[str] = []
    hooks = Dispatcher()

    @hooks.on(OrderCompleted)
    def fulfil(event: OrderCompleted) -> None:
        ran.append(f"webhook {event.data.order_id}")

    def grant(confirmed: ConfirmedOrder) -> None:
        ran.append(f"popup {confirmed.order_id}")

    confirm_request(
        _body(order["order"]), JSON, client=client, live=False, on_confirmed=grant, store=store
    )
    ack = hooks.dispatch([_webhook(order["order"])], store)
    assert ack.status == 200 and ack.results[0].outcome.value == "duplicate"
    assert ran == [f"popup {order['order']}"]


def test_webhook_first_then_the_popup_is_a_duplicate(data: FakeResources, client: Client) -> None:
    order = data.add_order()
    store = MemoryStore()
    ran: list[str] = []
    hooks = Dispatcher()
    hooks.on(OrderCompleted)(lambda event: ran.append("webhook"))
    assert hooks.dispatch([_webhook(order["order"])], store).status == 200
    reply = confirm_request(
        _body(order["order"]),
        JSON,
        client=client,
        live=False,
        on_confirmed=lambda confirmed: ran.append("popup"),
        store=store,
    )
    assert (reply.status, _answer(reply)[1]["duplicate"], ran) == (200, True, ["webhook"])


@pytest.mark.parametrize("order_id", ["oN5eASPKTM2Jwkx15ICNyg", "o" * 300])
def test_the_key_is_the_dispatchers_business_key(order_id: str) -> None:
    assert Dispatcher().keys(_webhook(order_id))[1] == fulfilment_key(order_id)


def test_expect_live_follows_the_storefront() -> None:
    assert expect_live("acme.test.onfastspring.com/popup-acme") is False
    assert expect_live("acme.onfastspring.com/popup-acme") is True
