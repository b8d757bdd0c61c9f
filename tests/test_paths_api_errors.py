"""The whole status-code-to-error map, with every kind of body, on every path.

Every status from 300 to 599 (the documented ones and the odd ones) through
:func:`~sblgen.api.policy.error_for_response` and :meth:`RetryPolicy.outcome`, with no
body, plain text, v1 JSON, v2 JSON and JSON that is neither; then a sample of them over a
real socket through :class:`~sblgen.api.Client` and :class:`~sblgen.api.AsyncClient`,
from a small server on 127.0.0.1 that answers whatever status it is asked for.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from sblgen import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from sblgen.api import AsyncClient, Client
from sblgen.api.policy import (
    RETRY_STATUSES,
    RetryPolicy,
    error_for_response,
    public_url,
    unexpected_body,
)
from tests.aio import run_async

URL = "https://api.example.com/sessions"

#: The map, written out independently of the code under test.
DOCUMENTED: dict[int, type[ApiError]] = {
    400: BadRequestError,
    422: BadRequestError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    429: RateLimitError,
}


def expected_error(status: int) -> type[ApiError]:
    if status in DOCUMENTED:
        return DOCUMENTED[status]
    if 500 <= status <= 599:
        return ServerError
    return UnexpectedResponseError


V2_BODY = {
    "status": "400 BAD_REQUEST",
    "id": "FS0001",
    "timestamp": "2026-03-20T10:49:51.000Z",
    "message": "Top message",
    "errors": [{"errorCode": "E1", "field": "f", "message": "m1", "rejectedValue": "secret-x"}],
}
#: Body kind -> (body text, the server_message it gives).
BODIES: dict[str, tuple[str, str | None]] = {
    "none": ("", None),
    "text": ("<html>Bad Gateway</html>", None),
    "v1": (
        json.dumps({"message": "Invalid product path", "params": {"p": 1}}),
        "Invalid product path",
    ),
    "error string": (json.dumps({"error": "INVALID_INPUT"}), "INVALID_INPUT"),
    "v2": (json.dumps(V2_BODY), "Top message"),
    "v2 without message": (json.dumps({**V2_BODY, "message": None}), "m1"),
    "json list": ("[1, 2]", None),
    "json null": ("null", None),
    "json string": ('"oops"', None),
    "broken json": ('{"message": ', None),
    "empty object": ("{}", None),
}
STATUSES = range(300, 600)


def _check(err: ApiError, status: int, kind: str, method: str = "POST") -> None:
    body, message = BODIES[kind]
    assert type(err) is expected_error(status), (status, kind)
    assert err.status == status
    assert err.body == body
    assert err.server_message == message, (status, kind)
    text = str(err)
    assert len(text.splitlines()) == 1
    assert text.startswith(f"{method} {URL.split('/sessions')[0]}")
    assert f"-> HTTP {status}" in text
    assert "secret-x" not in text and "secret-x" not in repr(err)
    if kind.startswith("v2"):
        assert (err.error_id, err.error_status) == ("FS0001", "400 BAD_REQUEST")
        assert err.timestamp == V2_BODY["timestamp"] and len(err.errors) == 1
        assert "[error id FS0001]" in text
    else:
        assert (err.error_id, err.errors) == (None, ())
    if kind == "v1":
        assert err.params == {"p": 1}


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_every_status_with_every_body(kind: str) -> None:
    body, _ = BODIES[kind]
    for status in STATUSES:
        err = error_for_response("POST", URL, httpx.Response(status, text=body))
        _check(err, status, kind)


def test_every_status_through_the_retry_policy() -> None:
    policy = RetryPolicy(max_retries=2, retry_after_cap=5.0)
    for status in range(200, 300):
        assert policy.outcome("GET", URL, httpx.Response(status), attempt=0) is None
    for status in STATUSES:
        for attempt in (0, 1, 2, 3):
            outcome = policy.outcome("GET", URL, httpx.Response(status, text="x"), attempt)
            if status in RETRY_STATUSES and attempt < 2:
                assert isinstance(outcome, float) and outcome == 0.5 * 2**attempt
            else:
                assert type(outcome) is expected_error(status), (status, attempt)
    assert {429, 503} == RETRY_STATUSES


def test_no_retries_at_all() -> None:
    policy = RetryPolicy(max_retries=0, retry_after_cap=5.0)
    assert isinstance(policy.outcome("GET", URL, httpx.Response(429), 0), RateLimitError)
    assert isinstance(policy.outcome("GET", URL, httpx.Response(503), 0), ServerError)


# --------------------------------------------------------------- over a real socket


class _StatusServer(ThreadingHTTPServer):
    daemon_threads = True
    hits = 0


class _Handler(BaseHTTPRequestHandler):
    server: _StatusServer

    def _answer(self) -> None:
        self.server.hits += 1
        _, status, kind = self.path.split("/", 2)
        body = BODIES[kind.replace("-", " ")][0].encode()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(int(status))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[_StatusServer]:
    httpd = _StatusServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


#: Documented statuses and odd ones, each class of 3xx/4xx/5xx.
SAMPLE = [300, 302, 399, 400, 401, 402, 403, 404, 405, 409, 418, 422, 429, 451, 499]
SAMPLE += [500, 501, 502, 503, 504, 511, 599]


def _base(server: _StatusServer) -> str:
    host, port = server.server_address[:2]
    return f"http://u:pw@{host!s}:{port}"


@pytest.mark.parametrize("kind", ["none", "text", "v1", "v2"])
def test_client_raises_the_mapped_error(server: _StatusServer, kind: str) -> None:
    client = Client(base_url=_base(server), username="u", password="pw", max_retries=1)
    slept: list[float] = []
    client._sleep = slept.append
    with client:
        for status in SAMPLE:
            before = server.hits
            with pytest.raises(ApiError) as exc:
                client.request("POST", f"/{status}/{kind.replace(' ', '-')}", content=b"{}")
            err = exc.value
            assert type(err) is expected_error(status), status
            assert err.status == status and err.body == BODIES[kind][0]
            assert "pw" not in str(err) and "u:" not in err.url
            sent = server.hits - before
            assert sent == (2 if status in RETRY_STATUSES else 1), status
    assert slept == [0.0, 0.0]  # the one retry each of 429 and 503, Retry-After: 0


def test_async_client_raises_the_mapped_error(server: _StatusServer) -> None:
    async def run() -> list[tuple[int, type[ApiError], str | None]]:
        found = []
        client = AsyncClient(base_url=_base(server), username="u", password="pw", max_retries=0)
        async with client:
            for status in SAMPLE:
                try:
                    await client.request("GET", f"/{status}/v1", retry_safe=True)
                except ApiError as err:
                    found.append((status, type(err), err.server_message))
        return found

    message = "Invalid product path"
    assert run_async(run) == [(s, expected_error(s), message) for s in SAMPLE]


def test_a_success_status_is_returned(server: _StatusServer) -> None:
    with Client(base_url=_base(server), username="u", password="pw") as client:
        for status in (200, 201, 202, 299):
            assert client.request("GET", f"/{status}/v1").status_code == status


# --------------------------------------------------------------- one v2 key is enough


@pytest.mark.parametrize(
    ("body", "read"),
    [
        ({"errors": [{"errorCode": "E1", "field": "f", "message": "m1"}]}, "errors"),
        ({"id": "FS0002", "message": "m"}, "id"),
        ({"status": "404 NOT_FOUND", "message": "m"}, "status"),
    ],
)
def test_any_one_v2_key_makes_a_v2_error_body(body: dict[str, Any], read: str) -> None:
    err = error_for_response("GET", URL, httpx.Response(404, json=body))
    if read == "errors":
        assert [(e.error_code, e.field) for e in err.errors] == [("E1", "f")]
        assert err.server_message == "m1"
    elif read == "id":
        assert err.error_id == "FS0002" and "[error id FS0002]" in str(err)
    else:
        assert err.error_status == "404 NOT_FOUND"


# --------------------------------------------------------------- failures without a response


@pytest.mark.parametrize(
    ("exc", "retry_safe", "detail"),
    [
        (
            httpx.ReadTimeout("slow"),
            False,
            "ReadTimeout: slow (not retried: the request may have reached FastSpring)",
        ),
        (
            httpx.ReadTimeout(""),
            False,
            "ReadTimeout (not retried: the request may have reached FastSpring)",
        ),
        (httpx.ReadTimeout("slow"), True, "ReadTimeout: slow"),
        (httpx.ConnectError("refused"), False, "ConnectError: refused"),
        (httpx.ConnectError(""), True, "ConnectError"),
        (
            httpx.RemoteProtocolError("dropped"),
            False,
            "RemoteProtocolError: dropped (not retried: the request may have reached FastSpring)",
        ),
    ],
)
def test_a_failure_says_what_happened_and_whether_it_was_retried(
    exc: httpx.HTTPError, retry_safe: bool, detail: str
) -> None:
    error = RetryPolicy(max_retries=0, retry_after_cap=5.0).failure(
        "PUT", URL, exc, retry_safe, attempt=0
    )
    assert error is not None
    assert (error.method, error.url, error.status, error.body) == ("PUT", URL, None, None)
    assert str(error) == f"PUT {URL} -> {detail}"


def test_a_success_whose_body_is_wrong() -> None:
    err = unexpected_body("GET", URL, httpx.Response(200, text="<html>"), "not JSON")
    assert type(err) is UnexpectedResponseError
    assert (err.method, err.url, err.status, err.body) == ("GET", URL, 200, "<html>")
    assert str(err) == f"GET {URL} -> HTTP 200: not JSON: <html>"


def test_public_url_of_odd_urls() -> None:
    assert public_url("/sessions?a=1") == "/sessions?a=1"
    assert public_url("https://u:p@[::1]:8443/x") == "https://[::1]:8443/x"
    assert public_url("http://[fe80::1%25eth0]/x") == "http://[fe80::1%25eth0]/x"
    assert public_url("http://user@host/x#frag") == "http://host/x"


class _V6StatusServer(_StatusServer):
    address_family = socket.AF_INET6


def test_a_client_on_an_ipv6_base_url() -> None:
    """The base URL keeps its brackets once its credentials are taken out."""
    try:
        httpd = _V6StatusServer(("::1", 0), _Handler)
    except OSError:  # pragma: no cover - a machine without IPv6 loopback
        pytest.skip("no IPv6 loopback here")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        port = httpd.server_address[1]
        with Client(base_url=f"http://u:pw@[::1]:{port}", username="u", password="pw") as client:
            assert client.request("GET", "/200/v1").status_code == 200
            with pytest.raises(NotFoundError) as exc:
                client.request("GET", "/404/none")
        assert exc.value.url == f"http://[::1]:{port}/404/none"
    finally:
        httpd.shutdown()
        httpd.server_close()
