"""The retry/error policy: typed errors per status, what may be sent again, Retry-After.

Unit checks of each decision, then the same rules end to end: a real Client against the
fake FastSpring over real sockets, with faults.
"""

from __future__ import annotations

import json

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
from sblgen.api import Client, SessionRequest
from sblgen.api.policy import (
    RetryPolicy,
    body_excerpt,
    check_url,
    error_for_response,
    public_url,
    retry_after,
)
from sblgen.testing import FakeFastSpring, client_for

BODY = SessionRequest.model_validate(
    {"account": "uKj7izONRfanVwBL9eiG_A", "items": [{"product": "falcon", "quantity": 2}]}
)
URL = "https://api.example.com/sessions"


# ---------------------------------------------------------------- decisions


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (422, BadRequestError),
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, NotFoundError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (418, UnexpectedResponseError),
    ],
)
def test_error_for_each_status(status: int, error: type[ApiError]) -> None:
    err = error_for_response("GET", URL, httpx.Response(status, text="plain words"))
    assert type(err) is error
    assert (err.status, err.body, err.server_message) == (status, "plain words", None)


def test_error_message_from_message_or_error_field() -> None:
    err = error_for_response("GET", URL, httpx.Response(400, json={"error": "INVALID_INPUT"}))
    assert err.server_message == "INVALID_INPUT"
    err = error_for_response("GET", URL, httpx.Response(400, json={"message": "m", "error": "e"}))
    assert err.server_message == "m"


def test_error_url_never_carries_credentials() -> None:
    err = error_for_response("GET", "https://u:hunter2@api.example.com/x", httpx.Response(500))
    assert "hunter2" not in str(err) and err.url == "https://api.example.com/x"
    assert public_url("http://127.0.0.1:8080/a?b=1") == "http://127.0.0.1:8080/a?b=1"


@pytest.mark.parametrize(
    ("exc", "retry_safe", "attempt", "retried"),
    [
        (httpx.ConnectError("refused"), False, 0, True),  # never sent: always safe
        (httpx.PoolTimeout("busy"), False, 0, True),
        (httpx.ReadTimeout("slow"), False, 0, False),  # a write may have arrived
        (httpx.ReadTimeout("slow"), True, 0, True),
        (httpx.RemoteProtocolError("dropped"), True, 1, True),
        (httpx.ConnectError("refused"), True, 2, False),  # retries used up
    ],
)
def test_failure_decisions(
    exc: httpx.HTTPError, retry_safe: bool, attempt: int, retried: bool
) -> None:
    error = RetryPolicy(max_retries=2, retry_after_cap=5.0).failure(
        "POST", URL, exc, retry_safe, attempt
    )
    assert (error is None) == retried
    if error is not None:
        expected = (
            ApiTimeoutError if isinstance(exc, httpx.TimeoutException) else ApiConnectionError
        )
        assert type(error) is expected and error.status is None


def test_outcome_decisions() -> None:
    policy = RetryPolicy(max_retries=1, retry_after_cap=5.0)
    assert policy.outcome("POST", URL, httpx.Response(201), 0) is None
    assert policy.outcome("POST", URL, httpx.Response(503, headers={"Retry-After": "2"}), 0) == 2
    assert isinstance(policy.outcome("POST", URL, httpx.Response(503), 1), ServerError)
    assert isinstance(policy.outcome("POST", URL, httpx.Response(500), 0), ServerError)


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
    assert retry_after(httpx.Response(429, headers=headers), 5.0, 1) == expected


# ---------------------------------------------------------------- end to end


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
    with client_for(fake) as client, pytest.raises(error) as exc:
        client.create_session(BODY)
    assert exc.value.status == status
    assert len(fake.requests) == 1


def test_bad_request_carries_message_and_params(fake: FakeFastSpring) -> None:
    fake.fail_next("400")
    with client_for(fake) as client, pytest.raises(BadRequestError) as exc:
        client.create_session(BODY)
    assert exc.value.server_message == "Invalid product path"
    assert exc.value.params == {"items[0].product": "nope"}
    assert "Invalid product path" in str(exc.value)
    assert exc.value.body is not None and json.loads(exc.value.body)["message"]


@pytest.mark.parametrize("fault", ["429", "503"])
def test_429_and_503_are_retried_honouring_retry_after(fake: FakeFastSpring, fault: str) -> None:
    fake.fail_next(fault, count=2, retry_after="7")
    client = client_for(fake, retry_after_cap=5, timeout=30)  # room for the two 5 s waits
    slept: list[float] = []
    client._sleep = slept.append
    with client:
        assert client.create_session(BODY).id
    assert slept == [5, 5]  # asked for 7 s, capped at 5
    assert len(fake.requests) == 3


def test_retry_after_http_date_and_exhaustion(fake: FakeFastSpring) -> None:
    fake.fail_next("429", count=3, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
    client = client_for(fake, max_retries=2)
    slept: list[float] = []
    client._sleep = slept.append
    with client, pytest.raises(RateLimitError):
        client.create_session(BODY)
    assert slept == [0.0, 0.0]  # a date in the past: retry at once
    assert len(fake.requests) == 3


def test_unreadable_retry_after_still_retries(fake: FakeFastSpring) -> None:
    fake.fail_next("503", count=1, retry_after="when pigs fly")
    client = client_for(fake)
    slept: list[float] = []
    client._sleep = slept.append
    with client:
        assert client.create_session(BODY).id
    assert slept == [0.5]


def test_slow_response_times_out_and_is_not_repeated(fake: FakeFastSpring) -> None:
    fake.fail_next("slow", seconds=1.5)
    with client_for(fake, timeout=0.3) as client, pytest.raises(ApiTimeoutError) as exc:
        client.create_session(BODY)
    assert "not retried" in str(exc.value)
    assert len(fake.requests) == 1


def test_dropped_connection_is_not_repeated(fake: FakeFastSpring) -> None:
    fake.fail_next("drop")
    with client_for(fake) as client, pytest.raises(ApiConnectionError) as exc:
        client.create_session(BODY)
    assert exc.value.status is None
    assert len(fake.requests) == 1


def test_reset_before_answer_is_not_repeated(fake: FakeFastSpring) -> None:
    fake.fail_next("reset")
    with client_for(fake) as client, pytest.raises(ApiConnectionError):
        client.create_session(BODY)
    assert len(fake.requests) == 1


def test_get_is_retried_after_a_dropped_connection(fake: FakeFastSpring) -> None:
    fake.fail_next("drop")
    with client_for(fake) as client, pytest.raises(NotFoundError):
        client.request("GET", "/nothing-here", retry_safe=True)
    assert len(fake.requests) == 2


def test_connection_refused_is_retried_then_raises() -> None:
    server = FakeFastSpring()
    url = server.base_url
    server.close()
    client = Client(username="u", password="p", base_url=url, timeout=0.5, max_retries=2)
    with client, pytest.raises(ApiConnectionError) as exc:
        client.create_session(BODY)
    assert "ConnectError" in str(exc.value)


# --------------------------------------------------------------------------- URLs and excerpts


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "base_url must be a URL (text), not int."),
        (
            "https://api.example.com#",
            "base_url 'https://api.example.com' has a query (?...) or fragment (#...): sblgen "
            "appends paths such as /sessions to it; give only https://host[:port][/path].",
        ),
        (
            "https://",
            "base_url 'https://' is not a URL (no host, or spaces or control characters in "
            "it); give https://host[:port][/path].",
        ),
    ],
)
def test_check_url_refuses_in_one_exact_line(value: object, message: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        check_url(value, "base_url")
    assert str(raised.value) == message


def test_check_url_drops_only_a_base_urls_trailing_slashes() -> None:
    assert check_url("https://api.example.com/vX//", "base_url") == "https://api.example.com/vX"
    # A full URL (not a base) is used as given.
    token_url = "https://id@auth.example.com/oauth/token/"
    assert check_url(token_url, "token_url", base=False) == token_url


def test_body_excerpt_escapes_line_separators_and_says_when_it_stops() -> None:
    assert body_excerpt("a\u2028b\u2029c") == "a\\u2028b\\u2029c"
    # Hiding a long secret leaves a short excerpt of a longer body: still marked as cut.
    assert body_excerpt("token=" + "x" * 5000) == "token=[hidden]..."


def test_error_for_response_note_goes_before_the_excerpt() -> None:
    note = "gave up after 3 attempts"
    err = error_for_response("GET", URL, httpx.Response(502, text="<html>"), note=note)
    assert str(err) == f"GET {URL} -> HTTP 502: {note}; unexpected body: <html>"
    err = error_for_response("GET", URL, httpx.Response(502), note=note)
    assert str(err) == f"GET {URL} -> HTTP 502: {note}"


def test_a_result_error_keeps_the_request_body_and_fields() -> None:
    body = {"result": "error", "error": {"email": "is invalid"}}
    err = error_for_response(
        "POST", "https://u:hunter2@api.example.com/accounts", httpx.Response(400, json=body)
    )
    assert (err.method, err.url, err.status) == ("POST", "https://api.example.com/accounts", 400)
    assert err.body == json.dumps(body, separators=(",", ":")) and err.params == {
        "email": "is invalid"
    }
    assert err.server_message == "email: is invalid"


def test_a_v2_error_without_a_message_shows_the_body() -> None:
    body = {"status": "502 BAD_GATEWAY", "id": "FS9"}
    err = error_for_response("GET", URL, httpx.Response(502, json=body))
    assert err.error_id == "FS9"
    assert "unexpected body: " + json.dumps(body, separators=(",", ":")) in str(err)
