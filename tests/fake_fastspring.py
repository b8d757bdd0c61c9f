"""A fake FastSpring API over real HTTP on 127.0.0.1, with faults on demand.

It checks Basic auth, validates ``POST /sessions`` bodies with sblgen's own request model
(as FastSpring would by its documented rules), answers like FastSpring, records every
request, and injects faults: ``server.fail_next("429", retry_after="1")``.

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
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Self, TypeVar

from pydantic import BaseModel, RootModel, ValidationError

from sblgen.api.models import SessionRequest
from sblgen.api.v2 import Customer, SessionCreate, SessionUpdate, V2LineItem
from sblgen.preview import LoopbackHTTPServer

if TYPE_CHECKING:
    from sblgen.api.client import Client

USERNAME = "api-user"
PASSWORD = "api-secret-Pa55"
EXPIRES_MS = 1_900_000_000_000


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
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass
class Fault:
    kind: str
    params: dict[str, Any]


class FakeFastSpring:
    """Start with ``FakeFastSpring()``; ``base_url`` is where it listens; ``close()`` stops."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.state: dict[str, Any] = {"sessions": {}, "v2": {}}
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("POST", re.compile(r"/sessions"), _create_session),
            *V2_ROUTES,
        ]
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
                with fake._lock:
                    fake.requests.append(recorded)
                    fault = fake.faults.pop(0) if fake.faults else None
                if fault is not None and fake._apply_fault(self, fault):
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

    def fail_next(self, kind: str, count: int = 1, **params: Any) -> None:
        """Queue ``count`` faults: ``slow`` (seconds=), ``400``, ``401``, ``403``, ``404``,
        ``429`` (retry_after=), ``500``, ``503`` (retry_after=), ``malformed`` (200 with a
        broken body), ``drop`` (close mid-response), ``reset`` (close before answering)."""
        with self._lock:
            self.faults.extend(Fault(kind, params) for _ in range(count))

    def next_id(self, prefix: str) -> str:
        with self._lock:
            self._counter += 1
            return f"{prefix}{self._counter:012d}AbCd"

    def close(self) -> None:
        self._httpd.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ internals

    def _dispatch(self, recorded: Recorded) -> Reply:
        auth = recorded.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        if auth != expected:
            return Reply(401, {"message": "Unauthorized"})
        path = recorded.path.split("?", 1)[0]
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

    def _apply_fault(self, handler: BaseHTTPRequestHandler, fault: Fault) -> bool:
        """Act out a fault; True when the response has been handled."""
        kind, p = fault.kind, fault.params
        send: Callable[[Reply], None] = handler._send  # type: ignore[attr-defined]
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
    try:
        body = json.loads(request.body)
        session = SessionRequest.model_validate(body)
    except (ValueError, ValidationError) as err:
        params = None
        if isinstance(err, ValidationError):
            first = err.errors()[0]
            params = {".".join(str(p) for p in first["loc"]): first["msg"]}
        return Reply(400, {"message": "Invalid request", "params": params})
    session_id = fake.next_id("SE")
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


# --------------------------------------------------------------------------- Sessions v2

_V2 = r"/v2/checkouts/(?P<store>[^/]+)/(?P<checkout>[^/]+)/sessions"
_V2_SESSION = _V2 + r"/(?P<sid>[^/]+)"


def _v2_invalid(err: Exception) -> Reply:
    detail = str(err)
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        detail = ".".join(str(p) for p in first["loc"]) + ": " + first["msg"]
    # v2 error bodies are undocumented: this fake uses yet another shape on purpose.
    return Reply(400, {"error": "INVALID_INPUT", "details": [detail]})


def _v2_session(fake: FakeFastSpring, match: re.Match[str]) -> dict[str, Any] | None:
    found: dict[str, Any] | None = fake.state["v2"].get(match["sid"])
    if found is None or found["_checkout"] != (match["store"], match["checkout"]):
        return None
    return found


def _v2_public(session: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in session.items() if not k.startswith("_")}
    lines = data["cart"]["lineItems"]
    data["cart"]["withTaxNetTotal"] = round(sum(9.9 * (i.get("quantity") or 1) for i in lines), 2)
    data["checkoutStatus"] = ["PRODUCTS_REQUIRED"] if not lines else "READY"
    return data


def _not_found() -> Reply:
    return Reply(404, raw=b"Session not found", headers={"Content-Type": "text/plain"})


def _v2_apply(session: dict[str, Any], body: SessionCreate) -> None:
    wire = body.to_dict()
    session["live"] = wire.get("live", True) and session["_store_live"]
    session["cart"] = {"lineItems": list(wire.get("cart", {}).get("lineItems", []))}
    for key in ("customer", "orderTags", "locale", "country"):
        if key in wire:
            session[key] = wire[key]


def _v2_create(fake: FakeFastSpring, match: re.Match[str], request: Recorded) -> Reply:
    try:
        body = SessionCreate.model_validate_json(request.body)
    except (ValueError, ValidationError) as err:
        return _v2_invalid(err)
    sid = fake.next_id("V2")
    store = match["store"]
    live = not store.endswith("test")
    host = f"{store}{'' if live else '.test'}.onfastspring.com"
    session: dict[str, Any] = {
        "_checkout": (store, match["checkout"]),
        "_store_live": live,
        "id": sid,
        "currency": "EUR",
        "expires": "2030-03-17T17:46:40Z",
        "checkoutUrls": {"webcheckoutUrl": f"https://{host}/session/{sid}"},
    }
    _v2_apply(session, body)
    fake.state["v2"][sid] = session
    return Reply(201, _v2_public(session))


#: What a v2 endpoint does once its session is found: (session, parsed body, match) -> reply.
SessionHandler = Callable[[dict[str, Any], M, re.Match[str]], Reply]


def _v2_endpoint(body: type[M]) -> Callable[[SessionHandler[M]], Handler]:
    """A v2 handler: 404 for an unknown session, 400 for a body that is not a ``body``."""

    def wrap(handle: SessionHandler[M]) -> Handler:
        def handler(fake: FakeFastSpring, match: re.Match[str], request: Recorded) -> Reply:
            session = _v2_session(fake, match)
            if session is None:
                return _not_found()
            try:
                parsed = body.model_validate_json(request.body or b"null")
            except (ValueError, ValidationError) as err:
                return _v2_invalid(err)
            return handle(session, parsed, match)

        return handler

    return wrap


class _NoBody(RootModel[None]):
    """The empty body of GET and DELETE."""


@_v2_endpoint(_NoBody)
def _v2_get(session: dict[str, Any], _body: _NoBody, match: re.Match[str]) -> Reply:
    return Reply(200, _v2_public(session))


@_v2_endpoint(SessionUpdate)
def _v2_update(session: dict[str, Any], body: SessionUpdate, match: re.Match[str]) -> Reply:
    _v2_apply(session, body)
    return Reply(200, _v2_public(session))


@_v2_endpoint(V2LineItem)
def _v2_add_item(session: dict[str, Any], item: V2LineItem, match: re.Match[str]) -> Reply:
    lines = session["cart"]["lineItems"]
    if any(line["productPath"] == item.product_path for line in lines):
        return Reply(400, {"error": "Item exists"})
    lines.append({"quantity": 1, **item.to_dict()})
    return Reply(200, _v2_public(session))


@_v2_endpoint(V2LineItem)
def _v2_update_items(session: dict[str, Any], item: V2LineItem, match: re.Match[str]) -> Reply:
    lines = {line["productPath"]: line for line in session["cart"]["lineItems"]}
    paths = match["paths"].split(",")
    missing = [p for p in paths if p not in lines]
    if missing:
        return Reply(400, {"error": f"Product not found: {', '.join(missing)}"})
    changes = {k: v for k, v in item.to_dict().items() if k != "productPath"}
    for path in paths:
        lines[path].update(changes)
    return Reply(200, _v2_public(session))


@_v2_endpoint(_NoBody)
def _v2_remove_item(session: dict[str, Any], _body: _NoBody, match: re.Match[str]) -> Reply:
    lines = session["cart"]["lineItems"]
    kept = [line for line in lines if line["productPath"] != match["paths"]]
    if len(kept) == len(lines):
        return Reply(400, {"error": "Product not found"})
    session["cart"]["lineItems"] = kept
    return Reply(204)


@_v2_endpoint(Customer)
def _v2_customer(session: dict[str, Any], customer: Customer, match: re.Match[str]) -> Reply:
    session["customer"] = customer.to_dict()
    return Reply(200)


@_v2_endpoint(_NoBody)
def _v2_payment_methods(session: dict[str, Any], _body: _NoBody, match: re.Match[str]) -> Reply:
    return Reply(200, {"paymentMethods": [{"type": "card"}, {"type": "paypal"}]})


V2_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    ("POST", re.compile(_V2), _v2_create),
    ("GET", re.compile(_V2_SESSION), _v2_get),
    ("PUT", re.compile(_V2_SESSION), _v2_update),
    ("POST", re.compile(_V2_SESSION + r"/cart/items"), _v2_add_item),
    ("PUT", re.compile(_V2_SESSION + r"/cart/items/(?P<paths>[^/]+)"), _v2_update_items),
    ("DELETE", re.compile(_V2_SESSION + r"/cart/items/(?P<paths>[^/]+)"), _v2_remove_item),
    ("PUT", re.compile(_V2_SESSION + r"/customer"), _v2_customer),
    ("GET", re.compile(_V2_SESSION + r"/payment-methods"), _v2_payment_methods),
]


# --------------------------------------------------------------------------- test helpers


def client_for(fake: FakeFastSpring, **settings: Any) -> Client:
    """A :class:`~sblgen.api.Client` for ``fake`` (timeout 1 s unless given) that never
    sleeps between retries."""
    from sblgen.api.client import Client

    settings.setdefault("timeout", 1.0)
    client = Client(username=USERNAME, password=PASSWORD, base_url=fake.base_url, **settings)
    client._sleep = lambda seconds: None
    return client


def run_async(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run(scenario())`` in a thread of its own: the session's Playwright browser
    keeps an event loop running in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result()
