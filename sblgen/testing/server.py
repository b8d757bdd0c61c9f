"""The fake FastSpring server: real HTTP on 127.0.0.1, FastSpring's documented answers, a log
of every request, and faults on demand.

>>> from sblgen.testing import FakeFastSpring
>>> with FakeFastSpring() as fake:
...     fake.base_url.startswith("http://127.0.0.1:")
True
"""

from __future__ import annotations

import base64
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Literal, Self
from urllib.parse import parse_qs

from sblgen.preview import LoopbackHTTPServer
from sblgen.testing.core import (
    CLIENT_ID,
    CLIENT_SECRET,
    MAX_BODY_BYTES,
    PASSWORD,
    TOKEN_PATH,
    USERNAME,
    FakeState,
    Handler,
    Recorded,
    Reply,
)
from sblgen.testing.resources import FakeResources
from sblgen.testing.routes import RESOURCE_ROUTES
from sblgen.testing.v1 import V1_ROUTES
from sblgen.testing.v2 import DOCUMENTED_400, V2_ROUTES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sblgen.api.client import AsyncClient, Client

__all__ = ["FAULTS", "FakeFastSpring", "async_client_for", "client_for", "oauth_client_for"]

#: Every fault :meth:`FakeFastSpring.fail_next` knows, and what it does.
FAULTS: dict[str, str] = {
    "slow": "wait seconds= (default 2) before answering normally",
    "400": "400 with a v1 {message, params} body (a v2 ErrorResponse on /v2/ paths)",
    "400-documented": "400 with FastSpring's documented v2 ErrorResponse example",
    "401": "401 Unauthorized (a v2 ErrorResponse on /v2/ paths)",
    "403": "403 Forbidden",
    "404": "404 Not found (a v2 ErrorResponse on /v2/ paths)",
    "429": "429 Too many requests (retry_after= sets Retry-After)",
    "500": "500 Internal error",
    "503": "503 with no body (retry_after= sets Retry-After)",
    "malformed": "200 with a broken JSON body",
    "empty-200": "200 with no body",
    "drop": "close the connection in the middle of the response",
    "reset": "reset the connection before answering",
}
_STATUSES: dict[str, tuple[int, Any]] = {
    "400": (400, {"message": "Invalid product path", "params": {"items[0].product": "nope"}}),
    "401": (401, {"message": "Unauthorized"}),
    "403": (403, {"message": "Forbidden"}),
    "404": (404, {"message": "Not found"}),
    "429": (429, {"message": "Too many requests"}),
    "500": (500, {"message": "Internal error"}),
    "503": (503, None),
}
_V2_MESSAGES = {"400": "Invalid request", "401": "Unauthorized", "404": "Not found"}
Target = Literal["api", "token"]


@dataclass
class Fault:
    """One queued fault (or scripted reply, kind ``"reply"``)."""

    kind: str
    params: dict[str, Any]
    #: Which requests it hits: ``"api"`` (every one but the token request) or ``"token"``.
    on: str = "api"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class FakeFastSpring(FakeState):
    """A fake FastSpring API for tests, serving on ``127.0.0.1`` from the moment it is made
    until :meth:`close` (or the end of its ``with`` block).

    It answers Sessions v1 (``POST /sessions``), Sessions v2 (``/v2/checkouts/...``), the REST
    resources (orders, subscriptions, accounts, product prices, events) and OAuth2 client
    credentials (``POST /identity/oauth/token``) in FastSpring's documented shapes. Bodies
    are validated with sblgen's own request models. Every request is logged in
    :attr:`requests`; :meth:`fail_next` and :meth:`respond_next` script what the next ones
    get.

    Credentials: HTTP Basic with :attr:`username` / :attr:`password` everywhere; a Bearer
    token it issued to :attr:`client_id` / :attr:`client_secret` on ``/v2/`` paths (v1 and
    the REST resources document HTTP Basic alone). Point sblgen at it with
    :meth:`env` (the environment variables) or :func:`client_for` (a client):

    >>> from sblgen.api import Client
    >>> with FakeFastSpring() as fake:
    ...     order = fake.add_order(items=[("pro-monthly", 2)])
    ...     with Client(base_url=fake.base_url, username=fake.username,
    ...                 password=fake.password) as client:
    ...         got = client.orders.get(order["id"])
    ...     got.items[0].product, got.items[0].quantity, fake.requests[-1].path
    ('pro-monthly', 2, '/orders/OR...')

    Faults and scripted answers hit the next requests, in order:

    >>> from sblgen.errors import RateLimitError
    >>> with FakeFastSpring() as fake, client_for(fake, max_retries=0) as client:
    ...     fake.fail_next("429", retry_after=1)
    ...     try:
    ...         client.create_session({"account": "acc-1", "items": [{"product": "falcon"}]})
    ...     except RateLimitError as err:
    ...         print(err.status, len(fake.requests))
    429 1

    Its repr names where it listens, never the credentials:

    >>> fake = FakeFastSpring(password="hunter2")
    >>> "hunter2" in repr(fake), repr(fake).startswith("<FakeFastSpring http://127.0.0.1:")
    (False, True)
    >>> fake.close()
    """

    def __init__(
        self,
        *,
        username: str = USERNAME,
        password: str = PASSWORD,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        port: int = 0,
    ) -> None:
        super().__init__()
        #: The HTTP Basic username it accepts.
        self.username = username
        #: The HTTP Basic password it accepts.
        self.password = password
        #: The OAuth2 client id it issues tokens to.
        self.client_id = client_id
        #: The OAuth2 client secret it accepts.
        self.client_secret = client_secret
        #: Every request received, oldest first (its repr hides credentials).
        self.requests: list[Recorded] = []
        #: Queued faults and scripted replies, next first.
        self.faults: list[Fault] = []
        #: (method, path pattern, handler): the first pattern that matches the whole path
        #: answers; more routes can be appended.
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = [*V1_ROUTES, *V2_ROUTES]
        #: Seconds an issued OAuth2 token lives (``expires_in``).
        self.token_lifetime = 3600
        #: Issued tokens, oldest first; :meth:`expire_tokens` makes them all answer 401.
        self.tokens: list[str] = []
        self._token_expiry: dict[str, float] = {}
        self.state["resources"] = FakeResources()
        self.routes.extend(RESOURCE_ROUTES)
        self._closed = False
        self._httpd = LoopbackHTTPServer(_request_handler(self), port).start()

    # ------------------------------------------------------------------ where it is

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: the ``base_url=`` (``FASTSPRING_API_BASE_URL``) that
        points sblgen's clients at it."""
        return self._httpd.url

    @property
    def token_url(self) -> str:
        """Its OAuth2 token endpoint (``token_url=``, ``FASTSPRING_OAUTH_TOKEN_URL``)."""
        return self.base_url + TOKEN_PATH

    def env(self, *, oauth: bool = False) -> dict[str, str]:
        """The environment variables that point sblgen's clients (``Client()``, the CLI's
        ``sblgen api`` commands) at this fake: its base URL and HTTP Basic credentials, or
        with ``oauth=True`` its OAuth2 client credentials and token URL. Set them with
        ``monkeypatch.setenv`` or ``unittest.mock.patch.dict(os.environ, fake.env())``.

        >>> with FakeFastSpring() as fake:
        ...     sorted(fake.env())
        ...     sorted(fake.env(oauth=True))
        ['FASTSPRING_API_BASE_URL', 'FASTSPRING_API_PASSWORD', 'FASTSPRING_API_USERNAME']
        ['FASTSPRING_API_BASE_URL', 'FASTSPRING_OAUTH_CLIENT_ID',
         'FASTSPRING_OAUTH_CLIENT_SECRET', 'FASTSPRING_OAUTH_TOKEN_URL']
        """
        env = {"FASTSPRING_API_BASE_URL": self.base_url}
        if oauth:
            env["FASTSPRING_OAUTH_CLIENT_ID"] = self.client_id
            env["FASTSPRING_OAUTH_CLIENT_SECRET"] = self.client_secret
            env["FASTSPRING_OAUTH_TOKEN_URL"] = self.token_url
        else:
            env["FASTSPRING_API_USERNAME"] = self.username
            env["FASTSPRING_API_PASSWORD"] = self.password
        return env

    # ------------------------------------------------------------------ scripting

    def fail_next(self, kind: str, count: int = 1, *, on: Target = "api", **params: Any) -> None:
        """Answer the next ``count`` requests with a fault (see :data:`FAULTS`): ``slow``
        (``seconds=``), ``400``, ``400-documented``, ``401``, ``403``, ``404``, ``429``
        (``retry_after=``), ``500``, ``503`` (``retry_after=``), ``malformed``,
        ``empty-200``, ``drop``, ``reset``. On a ``/v2/`` path, 400, 401 and 404 answer with
        the v2 error body. ``on="token"`` aims them at the OAuth2 token request instead of
        the API.

        >>> with FakeFastSpring() as fake:
        ...     fake.fail_next("418")
        Traceback (most recent call last):
        ValueError: unknown fault '418': use one of slow, 400, 400-documented, ...
        """
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}: use one of {', '.join(FAULTS)}")
        self._queue(Fault(kind, params, _target(on)), count)

    def respond_next(
        self,
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        count: int = 1,
        on: Target = "api",
    ) -> None:
        """Answer the next ``count`` requests with ``status`` and a JSON ``body`` (or ``raw``
        bytes), whatever they ask: for an answer FastSpring might give that the fake does
        not act out by itself.

        >>> from sblgen.errors import BadRequestError
        >>> with FakeFastSpring() as fake, client_for(fake) as client:
        ...     fake.respond_next(400, {"message": "Store closed", "params": {}})
        ...     try:
        ...         client.create_session({"account": "acc-1", "items": [{"product": "falcon"}]})
        ...     except BadRequestError as err:
        ...         print(err.server_message)
        Store closed
        """
        reply = Reply(status, body, dict(headers or {}), raw)
        self._queue(Fault("reply", {"reply": reply}, _target(on)), count)

    def expire_tokens(self) -> None:
        """Every OAuth2 token issued so far answers 401 from now on."""
        with self._lock:
            self._token_expiry = dict.fromkeys(self._token_expiry, 0.0)

    # ------------------------------------------------------------------ seeding

    @property
    def resources(self) -> FakeResources:
        """The REST resources' state: orders, subscriptions, accounts, prices, events, and
        the switches that act out FastSpring behaviours (``expand``, ``hide_tags``, ...)."""
        state: FakeResources = self.state["resources"]
        return state

    def add_order(
        self,
        *,
        live: bool = False,
        completed: bool = True,
        account_id: str | None = None,
        items: Sequence[tuple[str, int]] = (("pro-monthly", 1),),
        tags: dict[str, str] | None = None,
        changed: int | None = None,
        event: bool = True,
    ) -> dict[str, Any]:
        """Seed an order (and its account, and a subscription for each ``pro-...``
        product), as FastSpring would answer it; ``order.completed`` (or ``order.failed``)
        joins the unprocessed events unless ``event=False``. ``items`` are (product path,
        quantity); ``changed`` is milliseconds since the epoch."""
        return self.resources.add_order(
            live=live,
            completed=completed,
            account_id=account_id,
            items=items,
            tags=tags,
            changed=changed,
            event=event,
        )

    def add_account(
        self, email: str = "ada@example.com", *, custom: str | None = None, **contact: Any
    ) -> dict[str, Any]:
        """Seed an account (``custom`` is its ``lookup.custom`` id; ``contact`` fields such
        as ``first=`` override the defaults)."""
        return self.resources.add_account(email, custom=custom, **contact)

    def add_subscription(
        self, account_id: str, product: str = "pro-monthly", *, live: bool = False, **fields: Any
    ) -> dict[str, Any]:
        """Seed an active subscription of ``account_id`` (``fields`` override any field)."""
        return self.resources.add_subscription(account_id, product, live=live, **fields)

    def add_event(
        self,
        type: str,
        data: dict[str, Any],
        *,
        live: bool = False,
        processed: bool = False,
        created: int | None = None,
    ) -> dict[str, Any]:
        """Seed an event for ``/events/unprocessed`` (or ``processed``)."""
        return self.resources.add_event(type, data, live=live, processed=processed, created=created)

    def set_price(
        self,
        product: str,
        country: str,
        currency: str,
        price: float,
        display: str,
        **extra: Any,
    ) -> None:
        """Set ``product``'s price in ``country`` (what ``/products/price`` answers)."""
        self.resources.set_price(product, country, currency, price, display, **extra)

    # ------------------------------------------------------------------ life

    def close(self) -> None:
        """Stop serving and release the port (again: nothing)."""
        if not self._closed:
            self._closed = True
            self._httpd.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else self.base_url
        return f"<FakeFastSpring {state}>"

    # ------------------------------------------------------------------ internals

    def _queue(self, fault: Fault, count: int) -> None:
        if count < 1:
            raise ValueError(f"count={count!r}: give 1 or more")
        with self._lock:
            self.faults.extend(Fault(fault.kind, fault.params, fault.on) for _ in range(count))

    def _take_fault(self, recorded: Recorded) -> Fault | None:
        """Log the request; the first queued fault aimed at its kind, taken off the queue."""
        on = "token" if recorded.path.split("?")[0] == TOKEN_PATH else "api"
        with self._lock:
            self.requests.append(recorded)
            index = next((i for i, f in enumerate(self.faults) if f.on == on), None)
            return self.faults.pop(index) if index is not None else None

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
                try:
                    return handler(self, match, recorded)
                except Exception as err:  # a request the handler did not expect
                    return Reply(500, {"message": f"Internal error ({type(err).__name__})"})
        if allowed:
            return Reply(405, {"message": "Method not allowed"})
        return Reply(404, {"message": f"No route for {path}"})

    def _authorized(self, header: str, v2: bool) -> bool:
        """Basic everywhere; a Bearer token this fake issued, not expired, on v2 only (v1
        documents HTTP Basic alone)."""
        if header == _basic(self.username, self.password):
            return True
        token = header.removeprefix("Bearer ")
        if not v2 or token == header:
            return False
        with self._lock:
            return self._token_expiry.get(token, 0.0) > time.monotonic()

    def _issue_token(self, recorded: Recorded) -> Reply:
        """RFC 6749 section 4.4: client credentials with HTTP Basic client auth."""
        if recorded.headers.get("Authorization") != _basic(self.client_id, self.client_secret):
            return Reply(
                401, {"error": "invalid_client", "error_description": "Bad client credentials"}
            )
        if recorded.headers.get("Content-Type") != "application/x-www-form-urlencoded":
            return Reply(400, {"error": "invalid_request", "error_description": "Form body"})
        form = parse_qs(recorded.body.decode(errors="replace"))
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

    def _apply_fault(self, handler: _RequestHandler, fault: Fault, recorded: Recorded) -> bool:
        """Act out a fault; True when the response has been handled."""
        kind, p = fault.kind, fault.params
        if kind == "reply":
            handler.send(p["reply"])
            return True
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
            handler.send(Reply(200, raw=b'{"id": "x", "currency": '))
        elif kind == "empty-200":
            handler.send(Reply(200))
        elif kind == "400-documented":
            handler.send(Reply(400, raw=DOCUMENTED_400))
        elif recorded.path.startswith("/v2/") and kind in _V2_MESSAGES:
            handler.send(self.v2_error(int(kind), _V2_MESSAGES[kind]))
        else:
            status, body = _STATUSES[kind]
            headers = {"Retry-After": str(p["retry_after"])} if "retry_after" in p else {}
            handler.send(Reply(status, body, headers))
        return True


def _target(on: str) -> str:
    if on not in ("api", "token"):
        raise ValueError(f"on={on!r}: give 'api' (the default) or 'token'")
    return on


class _RequestHandler(BaseHTTPRequestHandler):
    """One connection to the fake (HTTP/1.1, kept alive)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    fake: FakeFastSpring

    def _handle(self) -> None:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self.send(Reply(411, {"message": "Send a Content-Length (no chunked bodies)."}))
            return
        length_text = self.headers.get("Content-Length") or "0"
        length = int(length_text) if length_text.isdigit() else -1
        if length < 0:
            self.close_connection = True
            self.send(Reply(400, {"message": f"Bad Content-Length: {length_text[:20]!r}"}))
            return
        if length > MAX_BODY_BYTES:
            self.close_connection = True  # the unread body must not be taken as a request
            message = f"Request body too large: {length} bytes (at most {MAX_BODY_BYTES})."
            self.send(Reply(413, {"message": message}))
            return
        body = self.rfile.read(length) if length else b""
        recorded = Recorded(self.command, self.path, dict(self.headers), body)
        fault = self.fake._take_fault(recorded)
        if fault is not None and self.fake._apply_fault(self, fault, recorded):
            return
        self.send(self.fake._dispatch(recorded))

    def send(self, reply: Reply) -> None:
        payload = reply.payload()
        self.send_response(reply.status)
        if payload and "Content-Type" not in reply.headers:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        return


def _request_handler(fake: FakeFastSpring) -> Callable[..., _RequestHandler]:
    """The handler class for one fake (each fake serves its own state)."""
    return type("RequestHandler", (_RequestHandler,), {"fake": fake})


# --------------------------------------------------------------------------- clients


def client_for(fake: FakeFastSpring, **settings: Any) -> Client:
    """A :class:`~sblgen.api.Client` for ``fake`` with its HTTP Basic credentials, a 1 s
    timeout unless ``timeout=`` says otherwise, and no sleeping between retries (a test of
    ``fail_next("503")`` stays fast). Other ``settings`` go to the client. Needs the
    ``sblgen[api]`` extra (httpx).

    >>> with FakeFastSpring() as fake, client_for(fake) as client:
    ...     session = client.create_session({"account": "acc-1", "items": [{"product": "falcon"}]})
    ...     session.items[0].product
    'falcon'
    """
    from sblgen.api.client import Client

    settings.setdefault("timeout", 1.0)
    client = Client(
        username=fake.username, password=fake.password, base_url=fake.base_url, **settings
    )
    client._sleep = _no_sleep
    return client


def oauth_client_for(fake: FakeFastSpring, **settings: Any) -> Client:
    """Like :func:`client_for`, with ``fake``'s OAuth2 client credentials and token URL
    (Sessions v2 only, as at FastSpring)."""
    from sblgen.api.client import Client

    settings.setdefault("timeout", 1.0)
    client = Client(
        client_id=fake.client_id,
        client_secret=fake.client_secret,
        token_url=fake.token_url,
        base_url=fake.base_url,
        **settings,
    )
    client._sleep = _no_sleep
    return client


def async_client_for(fake: FakeFastSpring, **settings: Any) -> AsyncClient:
    """Like :func:`client_for`, an :class:`~sblgen.api.AsyncClient` (no sleeping between
    retries either)."""
    from sblgen.api.client import AsyncClient

    settings.setdefault("timeout", 1.0)
    client = AsyncClient(
        username=fake.username, password=fake.password, base_url=fake.base_url, **settings
    )
    client._sleep = _no_sleep_async
    return client


def _no_sleep(seconds: float) -> None:
    return None


async def _no_sleep_async(seconds: float) -> None:
    return None
