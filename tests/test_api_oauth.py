"""OAuth2 client credentials, the alternative to HTTP Basic for Sessions v2: against the fake
FastSpring's token endpoint over real sockets (token cached, refreshed on expiry and on 401,
the secret never shown)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest

from sblgen import ApiConnectionError, AuthenticationError, ConfigurationError, NotFoundError
from sblgen.api import AsyncClient, Client
from sblgen.testing import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    TOKEN_PATH,
    USERNAME,
    FakeFastSpring,
    Recorded,
    oauth_client_for,
)
from tests.aio import run_async

CHECKOUT = "acme/popup-acme"


@pytest.fixture
def oauth_client(fake: FakeFastSpring) -> Iterator[Client]:
    with oauth_client_for(fake) as client:
        yield client


def _token_requests(fake: FakeFastSpring) -> list[Recorded]:
    return [r for r in fake.requests if r.path == TOKEN_PATH]


def _api_requests(fake: FakeFastSpring) -> list[Recorded]:
    return [r for r in fake.requests if r.path != TOKEN_PATH]


def test_oauth_token_fetched_once_and_sent_as_bearer(
    fake: FakeFastSpring, oauth_client: Client
) -> None:
    checkout = oauth_client.checkout(CHECKOUT)
    sid = checkout.create({}).id
    assert checkout.get(sid).id == sid
    (token_request,) = _token_requests(fake)
    assert token_request.method == "POST"
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(token_request.body.decode()) == {"grant_type": ["client_credentials"]}
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert token_request.headers["Authorization"] == f"Basic {basic}"
    assert token_request.headers["User-Agent"].startswith("sblgen/")
    assert [r.headers["Authorization"] for r in _api_requests(fake)] == ["Bearer tok-1"] * 2


def test_oauth_scope_is_sent_when_given(fake: FakeFastSpring) -> None:
    with oauth_client_for(fake, scope="ROLE_SELLER_API_READ_WRITE") as client:
        client.checkout(CHECKOUT).create({})
    (token_request,) = _token_requests(fake)
    assert parse_qs(token_request.body.decode())["scope"] == ["ROLE_SELLER_API_READ_WRITE"]


def test_oauth_refreshes_on_401(fake: FakeFastSpring, oauth_client: Client) -> None:
    checkout = oauth_client.checkout(CHECKOUT)
    sid = checkout.create({}).id
    fake.expire_tokens()
    assert checkout.get(sid).id == sid
    assert len(_token_requests(fake)) == 2
    gets = [r for r in fake.requests if r.method == "GET"]
    assert [r.headers["Authorization"] for r in gets] == ["Bearer tok-1", "Bearer tok-2"]


def test_oauth_second_401_is_an_authentication_error(
    fake: FakeFastSpring, oauth_client: Client
) -> None:
    oauth_client.checkout(CHECKOUT).create({})
    fake.expire_tokens()
    fake.token_lifetime = -1  # every new token is born expired
    with pytest.raises(AuthenticationError) as exc:
        oauth_client.checkout(CHECKOUT).create({})
    assert exc.value.error_status == "401 UNAUTHORIZED"
    assert len(_token_requests(fake)) == 2  # one refresh, not a loop


def test_oauth_refreshes_before_expiry(fake: FakeFastSpring, oauth_client: Client) -> None:
    fake.token_lifetime = 120
    now = [1000.0]
    oauth_client._clock = lambda: now[0]
    checkout = oauth_client.checkout(CHECKOUT)
    sid = checkout.create({}).id
    now[0] += 100  # fresh until 120 - min(60, 12) = 108 s
    checkout.get(sid)
    assert len(_token_requests(fake)) == 1
    now[0] += 19
    checkout.get(sid)
    assert len(_token_requests(fake)) == 2
    statuses = [r.headers["Authorization"] for r in _api_requests(fake)]
    assert statuses == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]  # no 401 round trip


def test_oauth_bad_secret(fake: FakeFastSpring) -> None:
    token_url = fake.base_url + TOKEN_PATH
    secret = "wrong-secret-Pa55"
    client = Client(
        client_id=CLIENT_ID, client_secret=secret, token_url=token_url, base_url=fake.base_url
    )
    with client, pytest.raises(AuthenticationError) as exc:
        client.checkout(CHECKOUT).create({})
    message = str(exc.value)
    assert token_url in message and "invalid_client" in message
    assert "Bad client credentials" in message
    assert secret not in message and secret not in repr(exc.value)
    assert secret not in repr(client) and CLIENT_ID not in repr(client)
    assert _api_requests(fake) == []


def test_oauth_token_request_retried_like_a_read(fake: FakeFastSpring) -> None:
    fake.fail_next("503", on="token", retry_after="2")
    fake.fail_next("reset", on="token")
    slept: list[float] = []
    with oauth_client_for(fake, timeout=5.0) as client:  # room for the 2 s Retry-After
        client._sleep = slept.append
        assert client.checkout(CHECKOUT).create({}).id  # a create: never repeated once sent
    assert slept == [2.0]
    assert len(_token_requests(fake)) == 3 and len(_api_requests(fake)) == 1


def test_oauth_token_connection_failures_give_up(fake: FakeFastSpring) -> None:
    fake.fail_next("drop", count=3, on="token")
    with oauth_client_for(fake) as client, pytest.raises(ApiConnectionError):
        client.checkout(CHECKOUT).create({})
    assert len(_token_requests(fake)) == 3 and _api_requests(fake) == []


def test_oauth_configuration(fake: FakeFastSpring, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "FASTSPRING_API_USERNAME",
        "FASTSPRING_API_PASSWORD",
        "FASTSPRING_OAUTH_CLIENT_ID",
        "FASTSPRING_OAUTH_CLIENT_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError, match="both kinds") as both:
        Client(username="u", password="p", client_id="c", client_secret="s")
    assert "username=" in str(both.value) and "client_id=" in str(both.value)
    with pytest.raises(ConfigurationError, match="missing") as neither:
        AsyncClient()
    assert "FASTSPRING_API_USERNAME" in str(neither.value)
    assert "FASTSPRING_OAUTH_CLIENT_ID" in str(neither.value)
    with pytest.raises(ConfigurationError, match="client_secret"):
        Client(client_id="c")
    with pytest.raises(ConfigurationError, match="token_url"):
        Client(client_id="c", client_secret="s", token_url="ftp://login.example.com/token")

    monkeypatch.setenv("FASTSPRING_OAUTH_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("FASTSPRING_OAUTH_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("FASTSPRING_OAUTH_TOKEN_URL", fake.base_url + TOKEN_PATH)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", fake.base_url)
    with Client() as from_env:
        assert from_env.checkout(CHECKOUT).create({}).id
        with pytest.raises(ConfigurationError, match="documents HTTP Basic only"):
            from_env.create_session({"account": "acc-1", "items": [{"product": "p"}]})
    assert [r.path for r in fake.requests] == [TOKEN_PATH, f"/v2/checkouts/{CHECKOUT}/sessions"]
    with Client(username=USERNAME, password=PASSWORD) as explicit:  # arguments beat the env
        assert explicit.create_session({"account": "acc-1", "items": [{"product": "p"}]}).id
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    with pytest.raises(ConfigurationError, match="both kinds"):
        Client()


def test_v1_refuses_bearer_tokens(fake: FakeFastSpring, oauth_client: Client) -> None:
    """The fake follows the v1 definition: Basic only, also for a token it issued."""
    oauth_client.checkout(CHECKOUT).create({})
    with pytest.raises(AuthenticationError) as exc:
        oauth_client.request("POST", "/sessions", content=b"{}")
    assert str(exc.value).endswith("-> HTTP 401: Unauthorized")
    assert fake.tokens == ["tok-1", "tok-2"]  # the 401 got one refresh, then the error
    assert [r.headers["Authorization"] for r in fake.requests if r.path == "/sessions"] == [
        "Bearer tok-1",
        "Bearer tok-2",
    ]


def test_async_oauth_single_token_under_concurrency(fake: FakeFastSpring) -> None:
    async def scenario() -> list[str]:
        async with AsyncClient(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            token_url=fake.base_url + TOKEN_PATH,
            base_url=fake.base_url,
        ) as client:
            checkout = client.checkout(CHECKOUT)
            sid = "missing"
            results = await asyncio.gather(
                *(checkout.get(sid) for _ in range(5)), return_exceptions=True
            )
            assert all(isinstance(r, NotFoundError) for r in results)
            fake.expire_tokens()
            created = await checkout.create({})
            return [created.id]

    assert len(run_async(scenario)) == 1
    assert fake.tokens == ["tok-1", "tok-2"]
    assert {r.headers["Authorization"] for r in _api_requests(fake)[:5]} == {"Bearer tok-1"}
