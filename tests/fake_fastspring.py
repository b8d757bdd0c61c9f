"""A fake FastSpring API over real HTTP on 127.0.0.1, with faults on demand.

It checks auth (HTTP Basic everywhere; Bearer tokens it issued on ``/v2/`` paths), issues
OAuth2 client-credentials tokens at ``POST /identity/oauth/token``, validates bodies with
sblgen's own request models (as FastSpring would by its documented rules), answers with the
documented shapes, records every request, and injects faults:
``server.fail_next("429", retry_after="1")``. The Sessions v2 endpoints are in
:mod:`tests.fake_fastspring_v2`.

Routes are a table (method, path pattern) -> handler, so more endpoints can be added.

The helpers the API tests share live here too: :func:`client_for` (a client for a fake that
never sleeps between retries) and :func:`run_async` (``asyncio.run`` off the main thread).
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar
from urllib.parse import parse_qs

from pydantic import ValidationError

from sblgen._model import error_location, error_messages
from sblgen.api.models import SessionRequest
from sblgen.preview import LoopbackHTTPServer

if TYPE_CHECKING:
    from sblgen.api.client import Client

USERNAME = "api-user"
PASSWORD = "api-secret-Pa55"
CLIENT_ID = "oauth-client"
CLIENT_SECRET = "oauth-secret-Pa55"
TOKEN_PATH = "/identity/oauth/token"
EXPIRES_MS = 1_900_000_000_000
DOCUMENTED_400 = Path(__file__).parent / "data" / "sessions_api" / "v2" / "create-response-400.json"
REASONS = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 404: "NOT_FOUND"}


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None


Handler = Callable[["FakeFastSpring", re.Match[str], Recorded], Reply]
T = TypeVar("T")


@dataclass
class Fault:
    kind: str
    params: dict[str, Any]
    #: Which requests it hits: ``"api"`` (every one but the token request) or ``"token"``.
    on: str = "api"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def now_iso() -> str:
    """Now, as FastSpring writes a timestamp (ISO 8601, milliseconds, ``Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FakeFastSpring:
    """Start with ``FakeFastSpring()``; ``base_url`` is where it listens; ``close()`` stops."""

    def __init__(self) -> None:
        from tests.fake_fastspring_v2 import V2_ROUTES

        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.state: dict[str, Any] = {"sessions": {}, "v2": {}}
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("POST", re.compile(r"/sessions"), _create_session),
            *V2_ROUTES,
        ]
        #: Valid coupon codes and their percentage off (a wrong code gets a warning).
        self.coupons: dict[str, int] = {"SUMMER2026": 10, "10_OFF": 10}
        #: Ids the next v1 sessions get, oldest first (then generated ones); FastSpring's
        #: ids are long, but a response keeps whatever id the server sends.
        self.session_ids: list[str] = []
        #: Seconds an issued OAuth2 token lives (``expires_in``).
        self.token_lifetime = 3600
        #: Issued tokens, oldest first; ``expire_tokens()`` makes them all answer 401.
        self.tokens: list[str] = []
        self._token_expiry: dict[str, float] = {}
        from tests.fake_resources import install  # orders, subscriptions, accounts, prices, events

        install(self)
        self._lock = threading.Lock()
        self._counter = 0
        fake = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorded = Recorded(self.command, self.path, dict(self.headers), body)
                on = "token" if recorded.path.split("?")[0] == TOKEN_PATH else "api"
                with fake._lock:
                    fake.requests.append(recorded)
                    index = next((i for i, f in enumerate(fake.faults) if f.on == on), None)
                    fault = fake.faults.pop(index) if index is not None else None
                if fault is not None and fake._apply_fault(self, fault, recorded):
                    return
                reply = fake._dispatch(recorded)
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                if reply.raw is not None:
                    payload = reply.raw
                elif reply.body is None:
                    payload = b""
                else:
                    payload = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                if payload and "Content-Type" not in reply.headers:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._handler_class = RequestHandler
        self._httpd = LoopbackHTTPServer(RequestHandler).start()

    # ------------------------------------------------------------------ control

    @property
    def base_url(self) -> str:
        return self._httpd.url

    def fail_next(self, kind: str, count: int = 1, *, on: str = "api", **params: Any) -> None:
        """Queue ``count`` faults: ``slow`` (seconds=), ``400``, ``401``, ``403``, ``404``,
        ``429`` (retry_after=), ``500``, ``503`` (retry_after=), ``malformed`` (200 with a
        broken body), ``empty-200`` (200 with no body), ``400-documented`` (FastSpring's
        documented 400 body), ``drop`` (close mid-response), ``reset`` (close before
        answering). On a ``/v2/`` path, 400, 401 and 404 answer with the v2 error body.
        ``on="token"`` aims them at the OAuth2 token request instead of the API."""
        with self._lock:
            self.faults.extend(Fault(kind, params, on) for _ in range(count))

    def next_id(self, prefix: str) -> str:
        with self._lock:
            self._counter += 1
            return f"{prefix}{self._counter:012d}AbCd"

    def expire_tokens(self) -> None:
        """Every token issued so far answers 401 from now on."""
        with self._lock:
            self._token_expiry = dict.fromkeys(self._token_expiry, 0.0)

    def error_body(
        self, status: int, message: str, errors: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """A v2 ``ErrorResponse`` (its ``id`` from the fake's counter)."""
        with self._lock:
            self._counter += 1
            error_id = f"FS{self._counter:014d}ABC"
        return {
            "status": f"{status} {REASONS.get(status, 'ERROR')}",
            "timestamp": now_iso(),
            "id": error_id,
            "message": message,
            "errors": errors or [],
        }

    def v2_error(
        self, status: int, message: str, errors: list[dict[str, Any]] | None = None
    ) -> Reply:
        return Reply(status, self.error_body(status, message, errors))

    def v2_invalid(self, err: Exception) -> Reply:
        """400 for a body that is not JSON or breaks a rule: one ``errors[]`` entry per
        problem, each with its wire path (list indices as ``[0]``)."""
        if not isinstance(err, ValidationError):
            return self.v2_error(400, "The request body is not valid JSON.")
        errors = []
        for (loc, message), detail in zip(error_messages(err), err.errors(), strict=True):
            where = error_location(loc, indexed=True)
            value = detail.get("input")
            errors.append(
                {
                    "errorCode": "INVALID_EMAIL_FORMAT"
                    if loc[-1:] == ("email",)
                    else "INVALID_VALUE",
                    "field": where,
                    "message": message,
                    "rejectedValue": value if isinstance(value, str) else _compact(value),
                }
            )
        return self.v2_error(400, errors[0]["message"], errors)

    def close(self) -> None:
        self._httpd.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ internals

    def _dispatch(self, recorded: Recorded) -> Reply:
        path = recorded.path.split("?", 1)[0]
        if path == TOKEN_PATH and recorded.method == "POST":
            return self._issue_token(recorded)
        v2 = path.startswith("/v2/")
        if not self._authorized(recorded.headers.get("Authorization", ""), v2):
            if v2:
                return self.v2_error(401, "Full authentication is required")
            return Reply(401, {"message": "Unauthorized"})
        allowed = False
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            allowed = True
            if method == recorded.method:
                return handler(self, match, recorded)
        if allowed:
            return Reply(405, {"message": "Method not allowed"})
        return Reply(404, {"message": f"No route for {path}"})

    def _authorized(self, header: str, v2: bool) -> bool:
        """Basic everywhere; a Bearer token this fake issued, not expired, on v2 only (v1
        documents HTTP Basic alone)."""
        if header == _basic(USERNAME, PASSWORD):
            return True
        token = header.removeprefix("Bearer ")
        if not v2 or token == header:
            return False
        with self._lock:
            return self._token_expiry.get(token, 0.0) > time.monotonic()

    def _issue_token(self, recorded: Recorded) -> Reply:
        """RFC 6749 section 4.4: client credentials with HTTP Basic client auth."""
        if recorded.headers.get("Authorization") != _basic(CLIENT_ID, CLIENT_SECRET):
            return Reply(
                401, {"error": "invalid_client", "error_description": "Bad client credentials"}
            )
        if recorded.headers.get("Content-Type") != "application/x-www-form-urlencoded":
            return Reply(400, {"error": "invalid_request", "error_description": "Form body"})
        form = parse_qs(recorded.body.decode())
        if form.get("grant_type") != ["client_credentials"]:
            return Reply(400, {"error": "unsupported_grant_type"})
        with self._lock:
            token = f"tok-{len(self.tokens) + 1}"
            self.tokens.append(token)
            self._token_expiry[token] = time.monotonic() + self.token_lifetime
        return Reply(
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self.token_lifetime,
                "scope": "ROLE_SELLER_API_READ_WRITE",
            },
        )

    def _apply_fault(
        self, handler: BaseHTTPRequestHandler, fault: Fault, recorded: Recorded
    ) -> bool:
        """Act out a fault; True when the response has been handled."""
        kind, p = fault.kind, fault.params
        send: Callable[[Reply], None] = handler._send  # type: ignore[attr-defined]
        v2 = recorded.path.startswith("/v2/")
        if kind == "slow":
            time.sleep(float(p.get("seconds", 2)))
            return False
        if kind == "reset":
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            handler.close_connection = True
            handler.connection.close()
            return True
        if kind == "drop":
            handler.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                b'{"id": "partial'
            )
            handler.wfile.flush()
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return True
        if kind == "malformed":
            send(Reply(200, raw=b'{"id": "x", "currency": '))
            return True
        if kind == "empty-200":
            send(Reply(200))
            return True
        if kind == "400-documented":
            send(Reply(400, raw=DOCUMENTED_400.read_bytes()))
            return True
        if v2 and kind in ("400", "401", "404"):
            messages = {"400": "Invalid request", "401": "Unauthorized", "404": "Not found"}
            send(self.v2_error(int(kind), messages[kind]))
            return True
        statuses = {
            "400": (
                400,
                {"message": "Invalid product path", "params": {"items[0].product": "nope"}},
            ),
            "401": (401, {"message": "Unauthorized"}),
            "403": (403, {"message": "Forbidden"}),
            "404": (404, {"message": "Not found"}),
            "429": (429, {"message": "Too many requests"}),
            "500": (500, {"message": "Internal error"}),
            "503": (503, None),
        }
        if kind in statuses:
            status, body = statuses[kind]
            headers = {"Retry-After": str(p["retry_after"])} if "retry_after" in p else {}
            send(Reply(status, body, headers))
            return True
        raise ValueError(f"unknown fault {kind!r}")


def _create_session(fake: FakeFastSpring, match: re.Match[str], request: Recorded) -> Reply:
    """``POST /sessions`` (v1): its errors keep the ``{message, params}`` shape."""
    try:
        body = json.loads(request.body)
        session = SessionRequest.model_validate(body)
    except (ValueError, ValidationError) as err:
        params = None
        if isinstance(err, ValidationError):
            first = err.errors()[0]
            params = {".".join(str(p) for p in first["loc"]): first["msg"]}
        return Reply(400, {"message": "Invalid request", "params": params})
    session_id = fake.session_ids.pop(0) if fake.session_ids else fake.next_id("SE")
    subtotal = 0.0
    for item in session.items:
        if item.pricing and item.pricing.price:
            subtotal += float(next(iter(item.pricing.price.values()))) * (item.quantity or 1)
        else:
            subtotal += 9.99 * (item.quantity or 1)
    data = {
        "id": session_id,
        "currency": "USD",
        "expires": EXPIRES_MS,
        "order": None,
        "account": session.account or fake.next_id("AC"),
        "subtotal": round(subtotal, 2),
        "items": [{"product": i.product, "quantity": i.quantity or 1} for i in session.items],
        "newServerField": {"ignored": True},
    }
    fake.state["sessions"][session_id] = data
    return Reply(200, data)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


# --------------------------------------------------------------------------- test helpers


def client_for(fake: FakeFastSpring, **settings: Any) -> Client:
    """A :class:`~sblgen.api.Client` for ``fake`` (timeout 1 s unless given) that never
    sleeps between retries."""
    from sblgen.api.client import Client

    settings.setdefault("timeout", 1.0)
    client = Client(username=USERNAME, password=PASSWORD, base_url=fake.base_url, **settings)
    client._sleep = lambda seconds: None
    return client


def oauth_client_for(fake: FakeFastSpring, **settings: Any) -> Client:
    """Like :func:`client_for`, with OAuth2 client credentials at the fake's token URL."""
    from sblgen.api.client import Client

    settings.setdefault("timeout", 1.0)
    client = Client(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token_url=fake.base_url + TOKEN_PATH,
        base_url=fake.base_url,
        **settings,
    )
    client._sleep = lambda seconds: None
    return client


def run_async(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run(scenario())`` in a thread of its own: the session's Playwright browser
    keeps an event loop running in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result()
