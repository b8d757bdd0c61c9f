"""Client and AsyncClient against the fake FastSpring over real sockets, with faults."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sblgen import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from sblgen._version import __version__
from sblgen.api import AsyncClient, Client, SessionRequest
from sblgen.api.client import _retry_after
from tests.fake_fastspring import EXPIRES_MS, PASSWORD, USERNAME, FakeFastSpring

BODY = SessionRequest.model_validate(
    {"account": "uKj7izONRfanVwBL9eiG_A", "items": [{"product": "falcon", "quantity": 2}]}
)


@pytest.fixture
def fake() -> Iterator[FakeFastSpring]:
    server = FakeFastSpring()
    yield server
    server.close()


def _client(fake: FakeFastSpring, **kw: Any) -> Client:
    kw.setdefault("timeout", 1.0)
    client = Client(username=USERNAME, password=PASSWORD, base_url=fake.base_url, **kw)
    client._sleep = lambda seconds: None
    return client


def test_create_session(fake: FakeFastSpring) -> None:
    with _client(fake) as client:
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

    with _client(fake) as client, pytest.raises(ValidationError):
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


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        ("400", BadRequestError, 400),
        ("401", AuthenticationError, 401),
        ("403", AuthenticationError, 403),
        ("404", NotFoundError, 404),
        ("500", ServerError, 500),
    ],
)
def test_status_errors_are_typed_and_not_retried(
    fake: FakeFastSpring, fault: str, error: type[ApiError], status: int
) -> None:
    fake.fail_next(fault)
    with _client(fake) as client, pytest.raises(error) as exc:
        client.create_session(BODY)
    assert exc.value.status == status
    assert len(fake.requests) == 1


def test_bad_request_carries_message_and_params(fake: FakeFastSpring) -> None:
    fake.fail_next("400")
    with _client(fake) as client, pytest.raises(BadRequestError) as exc:
        client.create_session(BODY)
    assert exc.value.server_message == "Invalid product path"
    assert exc.value.params == {"items[0].product": "nope"}
    assert "Invalid product path" in str(exc.value)
    assert exc.value.body is not None and json.loads(exc.value.body)["message"]


def test_server_side_validation_400(fake: FakeFastSpring) -> None:
    with _client(fake) as client, pytest.raises(BadRequestError) as exc:
        client.request("POST", "/sessions", content=b'{"items": []}')
    assert exc.value.server_message == "Invalid request"


@pytest.mark.parametrize("fault", ["429", "503"])
def test_429_and_503_are_retried_honouring_retry_after(fake: FakeFastSpring, fault: str) -> None:
    fake.fail_next(fault, count=2, retry_after="7")
    client = _client(fake, retry_after_cap=5)
    slept: list[float] = []
    client._sleep = slept.append
    with client:
        assert client.create_session(BODY).id
    assert slept == [5, 5]  # asked for 7 s, capped at 5
    assert len(fake.requests) == 3


def test_retry_after_http_date_and_exhaustion(fake: FakeFastSpring) -> None:
    fake.fail_next("429", count=3, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
    client = _client(fake, max_retries=2)
    slept: list[float] = []
    client._sleep = slept.append
    with client, pytest.raises(RateLimitError):
        client.create_session(BODY)
    assert slept == [0.0, 0.0]  # a date in the past: retry at once
    assert len(fake.requests) == 3


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        (" 3 ", 3.0),
        ("-3", 0.0),  # never a negative sleep
        ("1e400", 5.0),  # capped
        ("inf", 5.0),
        ("Wed, 21 Oct 2099 07:28:00 GMT", 5.0),
        ("soon", 1.0),  # unreadable: back-off for attempt 1 (0.5 s * 2)
        ("Wed, 99 Oct 2099 07:28:00 GMT", 1.0),
        ("nan", 1.0),
        (None, 1.0),
    ],
)
def test_retry_after_values(header: str | None, expected: float) -> None:
    headers = {} if header is None else {"Retry-After": header}
    assert _retry_after(httpx.Response(429, headers=headers), 5.0, 1) == expected


def test_unreadable_retry_after_still_retries(fake: FakeFastSpring) -> None:
    fake.fail_next("503", count=1, retry_after="when pigs fly")
    client = _client(fake)
    slept: list[float] = []
    client._sleep = slept.append
    with client:
        assert client.create_session(BODY).id
    assert slept == [0.5]


def test_slow_response_times_out_and_is_not_repeated(fake: FakeFastSpring) -> None:
    fake.fail_next("slow", seconds=1.5)
    with _client(fake, timeout=0.3) as client, pytest.raises(ApiTimeoutError) as exc:
        client.create_session(BODY)
    assert "not retried" in str(exc.value)
    assert len(fake.requests) == 1


def test_dropped_connection_is_not_repeated(fake: FakeFastSpring) -> None:
    fake.fail_next("drop")
    with _client(fake) as client, pytest.raises(ApiConnectionError) as exc:
        client.create_session(BODY)
    assert exc.value.status is None
    assert len(fake.requests) == 1


def test_reset_before_answer_is_not_repeated(fake: FakeFastSpring) -> None:
    fake.fail_next("reset")
    with _client(fake) as client, pytest.raises(ApiConnectionError):
        client.create_session(BODY)
    assert len(fake.requests) == 1


def test_get_is_retried_after_a_dropped_connection(fake: FakeFastSpring) -> None:
    fake.fail_next("drop")
    with _client(fake) as client, pytest.raises(NotFoundError):
        client.request("GET", "/nothing-here", retry_safe=True)
    assert len(fake.requests) == 2


def test_malformed_success_body(fake: FakeFastSpring) -> None:
    fake.fail_next("malformed")
    with _client(fake) as client, pytest.raises(UnexpectedResponseError) as exc:
        client.create_session(BODY)
    assert exc.value.status == 200


def test_connection_refused_is_retried_then_raises() -> None:
    server = FakeFastSpring()
    url = server.base_url
    server.close()
    client = Client(username="u", password="p", base_url=url, timeout=0.5, max_retries=2)
    with client, pytest.raises(ApiConnectionError) as exc:
        client.create_session(BODY)
    assert "ConnectError" in str(exc.value)


def test_async_client(fake: FakeFastSpring) -> None:
    async def scenario() -> None:
        async with AsyncClient(
            username=USERNAME, password=PASSWORD, base_url=fake.base_url, timeout=1.0
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
            client._http.timeout = __import__("httpx").Timeout(0.3)
            with pytest.raises(ApiTimeoutError):
                await client.create_session(BODY)
            assert "credentials=<hidden>" in repr(client)

    _run_in_thread(scenario)


def _run_in_thread(scenario: Any) -> None:
    """asyncio.run in a thread of its own: the session's Playwright browser keeps an event
    loop running in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(scenario())).result()
