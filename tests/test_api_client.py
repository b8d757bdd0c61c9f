"""Client and AsyncClient against the fake FastSpring over real sockets: settings,
credentials, bodies, responses (retry and error rules: test_api_policy)."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from sblgen import (
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ServerError,
    UnexpectedResponseError,
)
from sblgen._version import __version__
from sblgen.api import AsyncClient, Client, SessionRequest
from sblgen.testing import EXPIRES_MS, PASSWORD, USERNAME, FakeFastSpring, client_for
from tests.aio import run_async

BODY = SessionRequest.model_validate(
    {"account": "uKj7izONRfanVwBL9eiG_A", "items": [{"product": "falcon", "quantity": 2}]}
)


def test_create_session(fake: FakeFastSpring) -> None:
    with client_for(fake) as client:
        response = client.create_session(BODY)
    assert response.id.startswith("SE")
    assert response.expires is not None and response.expires.timestamp() * 1000 == EXPIRES_MS
    assert response.model_extra == {"newServerField": {"ignored": True}}
    (request,) = fake.requests
    assert (request.method, request.path) == ("POST", "/sessions")
    assert request.body == BODY.to_json().encode()
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"].startswith(f"sblgen/{__version__}")
    assert (
        request.headers["Authorization"]
        == "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    )


def test_create_session_from_mapping_validates_first(fake: FakeFastSpring) -> None:
    from pydantic import ValidationError

    with client_for(fake) as client, pytest.raises(ValidationError):
        client.create_session({"items": [{"product": "p"}]})
    assert fake.requests == []


def test_credentials_from_environment(
    fake: FakeFastSpring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", fake.base_url)
    with Client() as client:
        assert client.create_session(BODY).id


def test_missing_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FASTSPRING_API_USERNAME", raising=False)
    monkeypatch.delenv("FASTSPRING_API_PASSWORD", raising=False)
    with pytest.raises(ConfigurationError, match="FASTSPRING_API_USERNAME"):
        Client()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"timeout": 0}, "timeout=0"),
        ({"timeout": -1.0}, "timeout=-1.0"),
        ({"timeout": float("nan")}, "timeout=nan"),
        ({"max_retries": -1}, "max_retries"),
        ({"retry_after_cap": -1.0}, "retry_after_cap=-1.0"),
        ({"base_url": "ftp://api.example.com"}, "must start with https://"),
    ],
)
def test_bad_settings_fail_at_construction(settings: dict[str, Any], message: str) -> None:
    """Caught when the client is made, not as a bare ValueError on the first request."""
    with pytest.raises(ConfigurationError, match=message):
        Client(username="u", password="p", **settings)
    with pytest.raises(ConfigurationError, match=message):
        AsyncClient(username="u", password="p", **settings)


def test_credentials_never_shown(fake: FakeFastSpring) -> None:
    client = Client(username=USERNAME, password=PASSWORD, base_url=fake.base_url)
    assert PASSWORD not in repr(client) and USERNAME not in repr(client)
    fake.fail_next("500")
    with pytest.raises(ServerError) as exc:
        client.create_session(BODY)
    assert PASSWORD not in str(exc.value) and PASSWORD not in repr(exc.value)
    client.close()
    with_userinfo = Client(username="u", password="p", base_url="https://u:hunter2@api.example.com")
    assert "hunter2" not in repr(with_userinfo)
    with_userinfo.close()


def test_wrong_credentials(fake: FakeFastSpring) -> None:
    client = Client(username="x", password="y", base_url=fake.base_url)
    with client, pytest.raises(AuthenticationError) as exc:
        client.create_session(BODY)
    assert exc.value.status == 401
    assert str(exc.value) == f"POST {fake.base_url}/sessions -> HTTP 401: Unauthorized"


def test_server_side_validation_400(fake: FakeFastSpring) -> None:
    with client_for(fake) as client, pytest.raises(BadRequestError) as exc:
        client.request("POST", "/sessions", content=b'{"items": []}')
    assert exc.value.server_message == "Invalid request"


def test_malformed_success_body(fake: FakeFastSpring) -> None:
    fake.fail_next("malformed")
    with client_for(fake) as client, pytest.raises(UnexpectedResponseError) as exc:
        client.create_session(BODY)
    assert exc.value.status == 200


def test_async_client(fake: FakeFastSpring) -> None:
    async def scenario() -> None:
        async with AsyncClient(  # the 1 s Retry-After below must fit in the call's timeout
            username=USERNAME, password=PASSWORD, base_url=fake.base_url, timeout=2.0
        ) as client:
            slept: list[float] = []

            async def no_sleep(seconds: float) -> None:
                slept.append(seconds)

            client._sleep = no_sleep
            response = await client.create_session(BODY)
            assert response.items is not None and response.items[0].quantity == 2
            fake.fail_next("503", retry_after="1")
            assert (await client.create_session(BODY)).id
            assert slept == [1.0]
            fake.fail_next("400")
            with pytest.raises(BadRequestError):
                await client.create_session(BODY)
            fake.fail_next("slow", seconds=1.5)
            client._http.timeout = httpx.Timeout(0.3)
            with pytest.raises(ApiTimeoutError):
                await client.create_session(BODY)
            assert "credentials=<hidden>" in repr(client)

    run_async(scenario)


def test_v2_handles_get_a_sender_not_the_client(fake: FakeFastSpring) -> None:
    """The seam: a handle holds the client's ``request`` and public base URL, nothing else."""
    with client_for(fake) as client:
        checkout = client.checkout("acme/popup-acme")
        assert checkout._sender.send == client.request
        assert checkout._sender.base_url == fake.base_url
        assert checkout.create({}).id
    assert AsyncClient(username="u", password="p").checkout("a/b")._sender.base_url == (
        "https://api.fastspring.com"
    )
