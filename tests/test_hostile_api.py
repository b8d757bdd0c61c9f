"""The Sessions API client against hostile servers on 127.0.0.1 and hostile settings: one
wall-clock bound per call (connect, trickling reads, retries and Retry-After waits), bounded
memory for a decompression bomb, responses within sblgen's input limits, and base URLs that
are checked without ever showing a password."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import socketserver
import subprocess
import sys
import textwrap
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sblgen.api import AsyncClient, Client, deadline
from sblgen.cli import main
from sblgen.errors import (
    ApiError,
    ApiTimeoutError,
    ConfigurationError,
    RateLimitError,
    UnexpectedResponseError,
)
from sblgen.limits import MAX_ERROR_BODY_CHARS, MAX_RESPONSE_BYTES
from sblgen.testing import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    TOKEN_PATH,
    USERNAME,
    FakeFastSpring,
)
from tests.aio import run_async

CHECKOUT = "acme/popup-acme"
SESSION_ID = "SESSION12345"
#: How long past its timeout a call may take to give up (thread and CI scheduling noise).
SLACK = 1.5

Serve = Callable[[socket.socket], None]


class RawServer:
    """An HTTP server on 127.0.0.1 that answers every connection with ``serve(conn)``
    (after reading the request head): whatever bytes, at whatever pace."""

    def __init__(self, serve: Serve) -> None:
        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                conn: socket.socket = self.request
                conn.settimeout(30)
                head = b""
                while b"\r\n\r\n" not in head:
                    data = conn.recv(65536)
                    if not data:
                        return
                    head += data
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body = head.split(b"\r\n\r\n", 1)[1]
                while len(body) < length:
                    body += conn.recv(65536)
                with contextlib.suppress(OSError):  # the client gave up and closed: fine
                    serve(conn)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[[Serve], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Serve) -> RawServer:
        servers.append(RawServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _trickle(conn: socket.socket, data: bytes, pause: float = 0.2) -> None:
    for byte in data:
        conn.sendall(bytes([byte]))
        time.sleep(pause)


def trickle_head(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    _trickle(conn, b"X-Slow: " + b"a" * 10_000)


def trickle_body(conn: socket.socket) -> None:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 99999\r\n\r\n"
    )
    _trickle(conn, b'{"id": "' + b"x" * 99_990)


def _finishes_within(seconds: float, call: Callable[[], object]) -> BaseException:
    """Run ``call`` in a thread; it must raise within ``seconds`` (a hang fails the test
    instead of hanging the suite). Returns what it raised."""
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    start = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    assert outcome, "returned instead of raising"
    assert time.monotonic() - start <= seconds
    return outcome[0]


def _client(url: str, **settings: Any) -> Client:
    return Client(username=USERNAME, password=PASSWORD, base_url=url, **settings)


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize("server", [trickle_head, trickle_body], ids=["head", "body"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_trickling_server_cannot_outlast_the_timeout(
    serve: Callable[[Serve], RawServer], server: Serve, method: str
) -> None:
    """A byte every 0.2 s kept a timeout=3 call alive for 39 s (longer bodies for ever):
    every read arrived within the per-read timeout."""
    url = serve(server).base_url
    with _client(url, timeout=1.0) as client:
        checkout = client.checkout(CHECKOUT)

        def call() -> object:
            return checkout.get(SESSION_ID) if method == "GET" else checkout.create({})

        error = _finishes_within(1.0 + SLACK, call)
    assert isinstance(error, ApiTimeoutError), repr(error)
    assert "ran out" in str(error) or "timed out" in str(error)


def test_the_async_client_has_the_same_bound(serve: Callable[[Serve], RawServer]) -> None:
    url = serve(trickle_body).base_url

    async def scenario() -> None:
        async with AsyncClient(
            username=USERNAME, password=PASSWORD, base_url=url, timeout=1.0
        ) as client:
            await client.checkout(CHECKOUT).get(SESSION_ID)

    error = _finishes_within(1.0 + SLACK, lambda: run_async(scenario))
    assert isinstance(error, ApiTimeoutError), repr(error)


def test_retries_share_the_one_bound(serve: Callable[[Serve], RawServer]) -> None:
    """A read that may be retried gets a share of the time; all of them, one timeout."""
    attempts: list[float] = []

    def hang(conn: socket.socket) -> None:
        attempts.append(time.monotonic())
        time.sleep(5)

    url = serve(hang).base_url
    with _client(url, timeout=1.2, max_retries=2) as client:
        error = _finishes_within(1.2 + SLACK, lambda: client.checkout(CHECKOUT).get(SESSION_ID))
    assert isinstance(error, ApiTimeoutError)
    assert len(attempts) == 3  # 0.4 s each: every retry still had its turn


def test_a_long_retry_after_ends_the_call_at_once() -> None:
    """A 429 asking for 60 s held a `--timeout 2` call for a minute (the cap was 30 s)."""
    with FakeFastSpring() as fake:
        fake.fail_next("429", retry_after="60")
        client = _client(fake.base_url, timeout=2.0)
        start = time.monotonic()
        with client, pytest.raises(RateLimitError, match="HTTP 429"):
            client.checkout(CHECKOUT).create({})
        assert time.monotonic() - start < 1.0


def test_a_long_retry_after_on_the_token_ends_the_call_at_once() -> None:
    with FakeFastSpring() as fake:
        fake.fail_next("503", on="token", retry_after="20")
        client = Client(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            token_url=fake.base_url + TOKEN_PATH,
            base_url=fake.base_url,
            timeout=2.0,
        )
        start = time.monotonic()
        with client, pytest.raises(ApiTimeoutError, match="waiting 20 s"):
            client.checkout(CHECKOUT).create({})
        assert time.monotonic() - start < 1.0


def test_cli_timeout_bounds_a_rate_limited_call(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeFastSpring() as fake:
        monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
        monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
        monkeypatch.setenv("FASTSPRING_API_BASE_URL", fake.base_url)
        fake.fail_next("429", retry_after="60")
        start = time.monotonic()
        status = main(["api", "v2", "get", "--checkout", CHECKOUT, "--timeout", "2", SESSION_ID])
        assert time.monotonic() - start < 2.0
    err = capsys.readouterr().err
    assert status == 2 and len(err.splitlines()) == 1 and "HTTP 429" in err


def test_cli_trickle_ends_at_the_timeout(
    serve: Callable[[Serve], RawServer], tmp_path: Any
) -> None:
    """The real command in its own process, against a server trickling its answer."""
    url = serve(trickle_body).base_url
    env = {
        **os.environ,
        "FASTSPRING_API_USERNAME": USERNAME,
        "FASTSPRING_API_PASSWORD": PASSWORD,
        "FASTSPRING_API_BASE_URL": url,
    }
    command = ["api", "v2", "get", "--checkout", CHECKOUT, "--timeout", "1.5", SESSION_ID]
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "sblgen", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    elapsed = time.monotonic() - start
    assert done.returncode == 2, done.stderr
    assert "ran out" in done.stderr and len(done.stderr.splitlines()) == 1
    assert elapsed < 1.5 + 10  # plus the interpreter's start-up; unbounded it takes hours


# --------------------------------------------------------------------------- memory

_BOMB_CLIENT = textwrap.dedent(
    """
    import json, sys, time
    from sblgen.api import Client
    from sblgen.errors import UnexpectedResponseError
    start = time.monotonic()
    with Client(username="u", password="p", base_url=sys.argv[1], timeout=60) as client:
        try:
            client.checkout("acme/popup-acme").get("SESSION12345")
        except UnexpectedResponseError as err:
            kept = len(err.body or "") + len(str(err))
            error = str(err)
        else:
            kept, error = 0, None
    # VmHWM, this process's own peak: ru_maxrss would include the parent's size, which
    # Linux carries across fork and exec (the full suite's pytest is several hundred MiB).
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) // 1024
    print(json.dumps({"error": error, "kept": kept, "mib": peak,
                      "seconds": time.monotonic() - start}))
    """
)


def bomb(conn: socket.socket) -> None:
    """1 GiB of zeros, gzip-compressed (about 1 MB) and sent as fast as it is read."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
        b"Connection: close\r\n\r\n"
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"0" * (1 << 20)
    conn.sendall(packer.compress(b'{"id": "'))
    for _ in range(1024):
        conn.sendall(packer.compress(zeros))
    conn.sendall(packer.compress(b'"}') + packer.flush())


def test_a_decompression_bomb_stops_at_the_response_limit(
    serve: Callable[[Serve], RawServer],
) -> None:
    """A 1 MB gzip body that expands to 1 GiB took 5 GB of memory, kept whole in the
    exception; now reading stops at MAX_RESPONSE_BYTES (counted decompressed)."""
    url = serve(bomb).base_url
    done = subprocess.run(
        [sys.executable, "-c", _BOMB_CLIENT, url], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["error"] == (
        f"GET {url}/v2/checkouts/acme/popup-acme/sessions/SESSION12345 -> HTTP 200: the body "
        f"is larger than MAX_RESPONSE_BYTES ({MAX_RESPONSE_BYTES} bytes, counted after "
        "decompression); it was not read further"
    )
    assert report["kept"] < 1000  # nothing of the body stays in the error
    assert report["mib"] < 200, report  # the interpreter, httpx, sblgen and 16 MiB
    assert report["seconds"] < 30


def test_a_large_error_body_is_kept_as_an_excerpt(serve: Callable[[Serve], RawServer]) -> None:
    page = b"<html>" + b"oops " * 400_000 + b"</html>"

    def server_error(conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
            + f"Content-Length: {len(page)}\r\n\r\n".encode()
            + page
        )

    client = _client(serve(server_error).base_url, timeout=5)
    with client, pytest.raises(ApiError) as caught:
        client.checkout(CHECKOUT).create({})
    assert caught.value.body is not None and len(caught.value.body) == MAX_ERROR_BODY_CHARS
    assert len(str(caught.value)) < 400


# --------------------------------------------------------------------------- response limits


def _answer(body: bytes) -> Serve:
    def serve(conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )

    return serve


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"id": "S1", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}", "MAX_DEPTH=64"),
        (b'{"id": "S1", "subtotal": ' + b"9" * 5000 + b"}", "MAX_INT_DIGITS=64"),
        (b'{"id": "S1", "expires": ' + b"9" * 30 + b"}", "not a session"),
        (b'{"id": "S1", "expires": -' + b"9" * 25 + b"}", "not a session"),
    ],
)
def test_responses_are_read_within_the_limits(
    serve: Callable[[Serve], RawServer], body: bytes, message: str
) -> None:
    """Deep nesting and out-of-range timestamps escaped as RecursionError / OverflowError."""
    client = _client(serve(_answer(body)).base_url, timeout=5)
    with client, pytest.raises(UnexpectedResponseError, match=message):
        client.create_session({"account": "A1", "items": [{"product": "p"}]})


def test_error_responses_are_read_within_the_limits(
    serve: Callable[[Serve], RawServer],
) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000

    def answer(conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(deep)}\r\nConnection: close\r\n\r\n".encode()
            + deep
        )

    client = _client(serve(answer).base_url, timeout=5)
    with client, pytest.raises(ApiError, match="HTTP 400"):
        client.checkout(CHECKOUT).create({})


# --------------------------------------------------------------------------- base URLs


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://user:hunter2@api.example.com", "'ftp://api.example.com' must start with https://"),
        ("https://user:hunter2@[::1", "is not a URL"),
        ("https://user:hunter2@api.example.com:99999", "is not a URL"),
        ("https://api.example.com/?account=1", "has a query"),
        ("https://api.example.com/v1#frag", "has a query"),
        ("https://api.example.com?", "has a query"),
        ("https://", "no host"),
        ("https://api.exa mple.com", "spaces or control characters"),
        ("https://api.example.com\x1b[2J", "is not a URL"),
        ("https://api.example.com/\x1b[2J", "spaces or control characters"),
        ("https://api.example.com:0", "port 0"),
    ],
)
def test_bad_base_urls_are_one_line_without_secrets(url: str, message: str) -> None:
    for make in (Client, AsyncClient):
        with pytest.raises(ConfigurationError) as caught:
            make(username="u", password="p", base_url=url)
        text = str(caught.value)
        assert text.startswith("base_url ") and message in text
        assert "hunter2" not in text and "user" not in text and "\x1b" not in text
        assert "\n" not in text


def test_bad_token_urls_are_one_line_without_secrets() -> None:
    for url in ("ftp://id:hunter2@token.example", "https://id:hunter2@[::1/token"):
        with pytest.raises(ConfigurationError) as caught:
            Client(client_id="id", client_secret="s", token_url=url)
        assert str(caught.value).startswith("token_url ") and "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["ftp://user:hunter2@api.example.com", "https://user:hunter2@api.example.com:99999"]
)
def test_cli_bad_base_url_never_shows_the_password(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FASTSPRING_API_USERNAME", "u")
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", "p")
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", url)
    assert main(["api", "v2", "get", "--checkout", CHECKOUT, SESSION_ID]) == 2
    err = capsys.readouterr().err
    assert "hunter2" not in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_base_urls_that_work() -> None:
    with FakeFastSpring() as fake:
        with _client(fake.base_url + "/", timeout=5) as client:  # a trailing slash is fine
            assert client.checkout(CHECKOUT).create({}).id
        assert fake.requests[-1].path == "/v2/checkouts/acme/popup-acme/sessions"
    for url, shown in [
        ("https://u:hunter2@api.example.com/prefix/", "https://api.example.com/prefix"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ]:
        with _client(url) as client:
            assert f"base_url={shown!r}" in repr(client)


def test_a_mock_transport_is_still_bounded() -> None:
    """A transport given by the caller keeps the size limit on bodies it streams."""

    def handler(request: httpx.Request) -> httpx.Response:
        chunks = (b"x" * 65536 for _ in range(MAX_RESPONSE_BYTES // 65536 + 2))
        return httpx.Response(200, content=chunks)

    client = _client("https://api.example.com", transport=httpx.MockTransport(handler))
    with client, pytest.raises(UnexpectedResponseError, match="MAX_RESPONSE_BYTES"):
        client.checkout(CHECKOUT).get(SESSION_ID)


# --------------------------------------------------------------------------- the deadline's parts

_BODY_URL = "https://u:hunter2@api.example.com/v2/x"


def _streamed(*chunks: bytes) -> httpx.Response:
    return httpx.Response(200, content=iter(chunks), request=httpx.Request("GET", _BODY_URL))


def _astreamed(*chunks: bytes) -> httpx.Response:
    async def stream() -> Any:
        for chunk in chunks:
            yield chunk

    return httpx.Response(200, content=stream(), request=httpx.Request("GET", _BODY_URL))


_TOO_LARGE = (
    "GET https://api.example.com/v2/x -> HTTP 200: the body is larger than MAX_RESPONSE_BYTES "
    "(5 bytes, counted after decompression); it was not read further"
)


def test_read_body_reads_every_piece_up_to_the_limit() -> None:
    response = _streamed(b"ab", b"cd", b"ef")
    assert deadline.read_body(response, limit=6) == b"abcdef" == response.content
    assert response.is_closed
    with pytest.raises(UnexpectedResponseError) as raised:
        deadline.read_body(_streamed(b"ab", b"cd", b"ef"), limit=5)
    assert str(raised.value) == _TOO_LARGE and raised.value.body is None


def test_aread_body_reads_every_piece_up_to_the_limit() -> None:
    async def scenario() -> None:
        response = _astreamed(b"ab", b"cd", b"ef")
        assert await deadline.aread_body(response, limit=6) == b"abcdef" == response.content
        with pytest.raises(UnexpectedResponseError) as raised:
            await deadline.aread_body(_astreamed(b"ab", b"cd", b"ef"), limit=5)
        assert str(raised.value) == _TOO_LARGE and raised.value.body is None
        late = deadline.Deadline(1.0, time.monotonic() - 1)
        ran_out = r"the call's timeout \(1 s\) ran out"
        with deadline.bound(late), pytest.raises(httpx.ReadTimeout, match=ran_out):
            await deadline.aread_body(_astreamed(b"ab", b"cd"))

    run_async(scenario)


def test_a_body_read_past_the_deadline_stops() -> None:
    response = _streamed(b"ab", b"cd")
    late = deadline.Deadline(1.0, time.monotonic() - 1)
    ran_out = r"^the call's timeout \(1 s\) ran out$"
    with deadline.bound(late), pytest.raises(httpx.ReadTimeout, match=ran_out) as raised:
        deadline.read_body(response)
    assert raised.value.request is response.request
    assert deadline.read_body(_streamed(b"ab")) == b"ab"  # no deadline outside a call


def test_clamp_gives_the_time_left() -> None:
    assert 4.0 < deadline.Deadline.start(5.0).clamp(None, ValueError) <= 5.0
    assert deadline.Deadline.start(5.0).clamp(0.5, ValueError) == 0.5
    with pytest.raises(ValueError, match=r"^the call's timeout \(2 s\) ran out$"):
        deadline.Deadline(2.0, time.monotonic() - 1).clamp(1.0, ValueError)


def test_install_wraps_every_pool_once() -> None:
    with httpx.Client(mounts={"http://proxied.test": httpx.HTTPTransport()}) as http:
        assert deadline.install(http) == 2
        assert deadline.install(http) == 0
    mock = httpx.MockTransport(lambda request: httpx.Response(200))
    with httpx.Client(
        transport=mock, mounts={"http://proxied.test": httpx.HTTPTransport()}
    ) as http:
        assert deadline.install(http) == 1  # the mock has no pool; the mount still gets one
    ahttp = httpx.AsyncClient()
    assert deadline.install(ahttp) == 1
    backend = ahttp._transport._pool._network_backend  # type: ignore[attr-defined]
    assert isinstance(backend, deadline.AsyncDeadlineBackend)
    run_async(ahttp.aclose)
