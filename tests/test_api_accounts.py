"""``client.accounts`` against the fake FastSpring over real sockets: get, look up by email
or custom key, create, update, and the account-management URL (fresh per call)."""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import ValidationError

from sblgen.api import Account, Client
from sblgen.api.accounts import _parse_account
from sblgen.errors import (
    ApiConnectionError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    UnexpectedResponseError,
)
from sblgen.testing import FakeFastSpring, client_for
from sblgen.testing.resources import FakeResources
from tests.aio import run_async
from tests.test_api_orders import async_client

NEW = {"contact": {"first": "Grace", "last": "Hopper", "email": "grace@example.com"}}


def test_get(data: FakeResources, client: Client) -> None:
    stored = data.add_account("ada@example.com", custom="user-42")
    order = data.add_order(account_id=stored["account"])
    account = client.accounts.get(stored["account"])
    assert (account.account_id, account.email, account.custom_key) == (
        stored["account"],
        "ada@example.com",
        "user-42",
    )
    assert account.orders == (order["order"],)
    assert account.subscriptions == (order["items"][0]["subscription"],)
    assert account.address is not None and account.address.postal_code == "N1"
    assert account.result == "success"


def test_a_bare_account_object_is_read_too() -> None:
    response = httpx.Response(200, json={"id": "A1", "account": "A1", "contact": {}})
    assert _parse_account("GET", "https://x/accounts/A1", response).account_id == "A1"
    empty = httpx.Response(200, json={"accounts": []})
    with pytest.raises(UnexpectedResponseError, match="'accounts' is empty"):
        _parse_account("GET", "https://x/accounts/A1", empty)
    no_id = httpx.Response(200, json={"contact": {"email": "a@b.co"}})
    with pytest.raises(UnexpectedResponseError, match="has no id"):
        _parse_account("GET", "https://x/accounts/A1", no_id)


def test_missing_account(fake: FakeFastSpring, client: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.accounts.get("missing-acc")
    assert caught.value.status == 500
    assert caught.value.server_message == "account: account not found"


def test_lookup(fake: FakeFastSpring, data: FakeResources, client: Client) -> None:
    ada = data.add_account("ada@example.com", custom="user-42")
    data.add_account("bob@example.com")
    assert client.accounts.lookup(email="ada@example.com") == (ada["account"],)
    assert client.accounts.lookup(custom="user-42") == (ada["account"],)
    assert client.accounts.lookup(email="nobody@example.com") == ()
    assert fake.requests[0].path == "/accounts?email=ada%40example.com"


def test_lookup_takes_exactly_one_condition(fake: FakeFastSpring, client: Client) -> None:
    with pytest.raises(ValueError, match="exactly one of email= or custom="):
        client.accounts.lookup()
    with pytest.raises(ValueError, match="exactly one"):
        client.accounts.lookup(email="a@b.co", custom="k")
    with pytest.raises(ValueError, match="non-empty"):
        client.accounts.lookup(email=" ")
    assert fake.requests == []
    with pytest.raises(BadRequestError, match="Only one condition can be specified"):
        client.request("GET", "/accounts?email=a&custom=b", retry_safe=True)


def test_create_and_update(fake: FakeFastSpring, data: FakeResources, client: Client) -> None:
    account_id = client.accounts.create({**NEW, "lookup": {"custom": "user-7"}, "country": "us"})
    assert json.loads(fake.requests[-1].body) == {
        **NEW,
        "country": "US",
        "lookup": {"custom": "user-7"},
    }
    assert client.accounts.lookup(custom="user-7") == (account_id,)
    assert data.events[-1]["type"] == "account.created"
    assert client.accounts.update(account_id, {"contact": {"phone": "+1 555 0100"}}) == account_id
    assert json.loads(fake.requests[-1].body) == {"contact": {"phone": "+1 555 0100"}}
    assert client.accounts.get(account_id).contact.phone == "+1 555 0100"  # type: ignore[union-attr]


def test_create_with_a_known_email(client: Client) -> None:
    first = client.accounts.create(NEW)
    with pytest.raises(BadRequestError) as caught:
        client.accounts.create(NEW)
    assert caught.value.params == {"email": f"email already exists, /accounts/{first}"}


def test_bodies_are_checked_before_sending(fake: FakeFastSpring, client: Client) -> None:
    with pytest.raises(ValidationError, match="email"):
        client.accounts.create({"contact": {"first": "A", "last": "B"}})
    with pytest.raises(ValidationError, match="at least one field"):
        client.accounts.update("A1", {})
    with pytest.raises(ValidationError, match="unknown field"):
        client.accounts.create({**NEW, "nickname": "x"})
    assert fake.requests == []


def test_create_is_never_sent_twice(fake: FakeFastSpring, data: FakeResources) -> None:
    with client_for(fake) as client:
        fake.fail_next("drop")
        with pytest.raises(ApiConnectionError, match="not retried"):
            client.accounts.create(NEW)
    assert [r.method for r in fake.requests] == ["POST"]


def test_management_url_is_fresh_per_call(
    fake: FakeFastSpring, data: FakeResources, client: Client
) -> None:
    account_id = data.add_account()["account"]
    first = client.accounts.management_url(account_id)
    second = client.accounts.management_url(account_id, subscriptions=True)
    assert first.startswith("https://acme.test.onfastspring.com/account/")
    assert second.endswith("#/subscriptions")
    assert second.removesuffix("#/subscriptions") != first
    assert [r.path for r in fake.requests] == [f"/accounts/{account_id}/authenticate"] * 2
    with pytest.raises(NotFoundError):
        client.accounts.management_url("missing-acc")


def test_reads_are_retried(fake: FakeFastSpring, data: FakeResources, client: Client) -> None:
    account_id = data.add_account()["account"]
    fake.fail_next("429")
    assert client.accounts.get(account_id).account_id == account_id
    fake.fail_next("429", count=3)
    with pytest.raises(RateLimitError):
        client.accounts.lookup(email="x@example.com")


def test_async_twin(fake: FakeFastSpring, data: FakeResources) -> None:
    async def scenario() -> tuple[str | None, tuple[str, ...], str]:
        async with async_client(fake) as client:
            account_id = await client.accounts.create(NEW)
            found = await client.accounts.lookup(email="grace@example.com")
            url = await client.accounts.management_url(account_id)
            account: Account = await client.accounts.get(account_id)
            return account.email, found, url

    email, found, url = run_async(scenario)
    assert email == "grace@example.com" and len(found) == 1 and url.startswith("https://")
