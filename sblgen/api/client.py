"""HTTP clients for FastSpring's Sessions API (needs the ``sblgen[api]`` extra: httpx).

>>> import sblgen.api
>>> with sblgen.api.Client(username="u", password="p",
...                        base_url="http://127.0.0.1:9") as client:
...     client
Client(base_url='http://127.0.0.1:9', credentials=<hidden>)

Configuration is keyword-only: ``username``/``password`` (or the environment variables
``FASTSPRING_API_USERNAME`` / ``FASTSPRING_API_PASSWORD``), ``base_url`` (or
``FASTSPRING_API_BASE_URL``, default ``https://api.fastspring.com``), ``timeout`` (seconds,
default 10), ``max_retries`` and ``retry_after_cap``.

Retries are bounded and safe. sblgen repeats a request only when it knows the server did not
act on it:

- the connection could not be made, or no pooled connection was free (the request was never
  sent);
- the server answered 429 or 503 (it refused the request), after the ``Retry-After`` it
  asked for, capped at ``retry_after_cap`` seconds.

A POST that may have reached FastSpring (a read timeout, a connection dropped mid-response,
a 500) is *not* repeated: creating a session is not idempotent and FastSpring documents no
idempotency key, so a blind retry could create a second session. Such failures raise at once;
the caller decides. Read-only requests (GET) are retried on those failures too.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Self, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
from pydantic import ValidationError

from sblgen._version import __version__
from sblgen.api.models import ErrorBody, SessionRequest, SessionResponse
from sblgen.api.v2 import (
    CheckoutPath,
    Customer,
    LineItem,
    SessionCreate,
    SessionUpdate,
    V2Session,
    url_segment,
    v2_body,
)
from sblgen.errors import (
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

__all__ = [
    "DEFAULT_BASE_URL",
    "AsyncCheckoutSessions",
    "AsyncClient",
    "CheckoutSessions",
    "Client",
    "error_for_response",
]

DEFAULT_BASE_URL = "https://api.fastspring.com"
USER_AGENT = f"sblgen/{__version__} (+https://pypi.org/project/sblgen/) httpx/{httpx.__version__}"
_RETRY_STATUSES = frozenset({429, 503})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _public_url(url: str) -> str:
    """The URL without any user:password part."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def error_for_response(method: str, url: str, response: httpx.Response) -> ApiError:
    """The typed error for a non-2xx response (one mapping for every endpoint)."""
    body = response.text
    message: str | None = None
    params: object = None
    try:
        data = json.loads(body) if body else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        parsed = ErrorBody.model_validate(data)
        message = parsed.message
        params = parsed.params
        if message is None and isinstance(data.get("error"), str):
            message = data["error"]
    status = response.status_code
    cls: type[ApiError]
    if status in (400, 422):
        cls = BadRequestError
    elif status in (401, 403):
        cls = AuthenticationError
    elif status == 404:
        cls = NotFoundError
    elif status == 429:
        cls = RateLimitError
    elif status >= 500:
        cls = ServerError
    else:
        cls = UnexpectedResponseError
    return cls(method, _public_url(url), status, body, message, params=params)


def _retry_after(response: httpx.Response, cap: float, attempt: int) -> float:
    """Seconds to wait before retry ``attempt``: ``Retry-After`` (seconds or an HTTP date)
    capped at ``cap``, or exponential back-off when the header is missing or unreadable."""
    header = response.headers.get("Retry-After", "").strip()
    delay: float | None = None
    try:
        delay = float(header)
    except ValueError:
        try:
            delay = email.utils.parsedate_to_datetime(header).timestamp() - time.time()
        except (ValueError, TypeError, OverflowError):
            delay = None
    if delay is None or delay != delay:  # missing, unreadable or NaN
        delay = 0.5 * 2**attempt
    return max(0.0, min(delay, cap))


class _Settings:
    """What both clients share: credentials, URLs, error mapping, retry decisions."""

    def __init__(
        self,
        username: str | None,
        password: str | None,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        retry_after_cap: float,
    ) -> None:
        username = username if username is not None else os.environ.get("FASTSPRING_API_USERNAME")
        password = password if password is not None else os.environ.get("FASTSPRING_API_PASSWORD")
        if not username or not password:
            raise ConfigurationError(
                "FastSpring API credentials are missing: pass username= and password=, or set "
                "FASTSPRING_API_USERNAME and FASTSPRING_API_PASSWORD (Developer Tools > APIs > "
                "API Credentials in the FastSpring app)."
            )
        base = base_url or os.environ.get("FASTSPRING_API_BASE_URL") or DEFAULT_BASE_URL
        if urlsplit(base).scheme not in ("http", "https"):
            raise ConfigurationError(f"base_url {base!r} must start with https:// (or http://).")
        if max_retries < 0:
            raise ConfigurationError("max_retries must be 0 or more.")
        if not 0 < timeout < float("inf"):
            raise ConfigurationError(f"timeout={timeout!r}: give a number of seconds above 0.")
        if not 0 <= retry_after_cap < float("inf"):
            raise ConfigurationError(
                f"retry_after_cap={retry_after_cap!r}: give a number of seconds, 0 or more."
            )
        self.auth = httpx.BasicAuth(username, password)
        self.base_url = _public_url(base.rstrip("/"))
        self.timeout = httpx.Timeout(timeout)
        self.max_retries = max_retries
        self.retry_after_cap = retry_after_cap
        self.headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}

    def url(self, path: str) -> str:
        return self.base_url + path

    def failure(
        self, method: str, url: str, exc: httpx.HTTPError, retry_safe: bool, attempt: int
    ) -> ApiError | None:
        """``None`` when the request may be tried again, else the error to raise."""
        never_sent = isinstance(exc, _NOT_SENT)
        if (never_sent or retry_safe) and attempt < self.max_retries:
            return None
        cls = ApiTimeoutError if isinstance(exc, httpx.TimeoutException) else ApiConnectionError
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if not never_sent and not retry_safe:
            detail += " (not retried: the request may have reached FastSpring)"
        return cls(method, url, None, detail=detail)

    def outcome(
        self, method: str, url: str, response: httpx.Response, attempt: int
    ) -> float | ApiError | None:
        """A delay before retrying, the error to raise, or ``None`` for success."""
        if response.is_success:
            return None
        if response.status_code in _RETRY_STATUSES and attempt < self.max_retries:
            return _retry_after(response, self.retry_after_cap, attempt)
        return error_for_response(method, url, response)

    @staticmethod
    def parse(method: str, url: str, response: httpx.Response) -> SessionResponse:
        try:
            return SessionResponse.model_validate_json(response.content)
        except ValidationError as err:
            raise UnexpectedResponseError(
                method,
                url,
                response.status_code,
                response.text,
                detail=f"the body is not a session ({err.error_count()} problems)",
            ) from None

    def __repr__(self) -> str:
        return f"base_url={self.base_url!r}, credentials=<hidden>"


def _body(request: SessionRequest | Mapping[str, Any]) -> bytes:
    model = (
        request if isinstance(request, SessionRequest) else SessionRequest.model_validate(request)
    )
    return model.to_json().encode("utf-8")


class Client:
    """Synchronous Sessions API client; use it as a context manager (or call
    :meth:`close`)."""

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        retry_after_cap: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._settings = _Settings(
            username, password, base_url, timeout, max_retries, retry_after_cap
        )
        self._http = httpx.Client(
            auth=self._settings.auth,
            headers=self._settings.headers,
            timeout=self._settings.timeout,
            transport=transport,
        )
        self._sleep: Callable[[float], None] = time.sleep

    def request(
        self, method: str, path: str, *, content: bytes | None = None, retry_safe: bool = False
    ) -> httpx.Response:
        """Send one API request with sblgen's auth, retries and error mapping; return the
        successful response."""
        url = self._settings.url(path)
        headers = {"Content-Type": "application/json"} if content is not None else None
        attempt = 0
        while True:
            try:
                response = self._http.request(method, url, content=content, headers=headers)
            except httpx.HTTPError as exc:
                error = self._settings.failure(method, url, exc, retry_safe, attempt)
                if error is not None:
                    raise error from None
                attempt += 1
                continue
            outcome = self._settings.outcome(method, url, response, attempt)
            if outcome is None:
                return response
            if isinstance(outcome, ApiError):
                raise outcome
            self._sleep(outcome)
            attempt += 1

    def create_session(self, request: SessionRequest | Mapping[str, Any]) -> SessionResponse:
        """``POST /sessions``: create a session; its ``id`` becomes ``checkout: "<id>"``."""
        url = self._settings.url("/sessions")
        response = self.request("POST", "/sessions", content=_body(request))
        return self._settings.parse("POST", url, response)

    def checkout(self, path: CheckoutPath | str) -> CheckoutSessions:
        """Sessions API v2 for one checkout path (``store/checkout``).

        >>> Client(username="u", password="p").checkout("acme/popup-acme").base_path
        '/v2/checkouts/acme/popup-acme/sessions'
        """
        return CheckoutSessions(self, CheckoutPath.parse(path))

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client({self._settings!r})"


class AsyncClient:
    """Asynchronous Sessions API client (same rules as :class:`Client`)."""

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        retry_after_cap: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._settings = _Settings(
            username, password, base_url, timeout, max_retries, retry_after_cap
        )
        self._http = httpx.AsyncClient(
            auth=self._settings.auth,
            headers=self._settings.headers,
            timeout=self._settings.timeout,
            transport=transport,
        )
        self._sleep: Callable[[float], Any] = asyncio.sleep

    async def request(
        self, method: str, path: str, *, content: bytes | None = None, retry_safe: bool = False
    ) -> httpx.Response:
        """Async twin of :meth:`Client.request`."""
        url = self._settings.url(path)
        headers = {"Content-Type": "application/json"} if content is not None else None
        attempt = 0
        while True:
            try:
                response = await self._http.request(method, url, content=content, headers=headers)
            except httpx.HTTPError as exc:
                error = self._settings.failure(method, url, exc, retry_safe, attempt)
                if error is not None:
                    raise error from None
                attempt += 1
                continue
            outcome = self._settings.outcome(method, url, response, attempt)
            if outcome is None:
                return response
            if isinstance(outcome, ApiError):
                raise outcome
            await self._sleep(outcome)
            attempt += 1

    async def create_session(self, request: SessionRequest | Mapping[str, Any]) -> SessionResponse:
        """``POST /sessions`` (see :meth:`Client.create_session`)."""
        url = self._settings.url("/sessions")
        response = await self.request("POST", "/sessions", content=_body(request))
        return self._settings.parse("POST", url, response)

    def checkout(self, path: CheckoutPath | str) -> AsyncCheckoutSessions:
        """Sessions API v2 for one checkout path (see :meth:`Client.checkout`)."""
        return AsyncCheckoutSessions(self, CheckoutPath.parse(path))

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncClient({self._settings!r})"


# --------------------------------------------------------------------------- Sessions v2

_SESSION_ID_MAX = 64
T = TypeVar("T")


def _segment(value: str, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > _SESSION_ID_MAX * 4:
        raise ValueError(f"{value!r} is not a {what}.")
    return url_segment(value, what)


def _session_id(value: str) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= _SESSION_ID_MAX:
        raise ValueError(f"{value!r} is not a v2 session id (1 to {_SESSION_ID_MAX} characters).")
    return url_segment(value, "v2 session id")


def _product_paths(paths: str | Sequence[str]) -> str:
    items = [paths] if isinstance(paths, str) else list(paths)
    if not items:
        raise ValueError("Give at least one product path.")
    return ",".join(_segment(p, "product path") for p in items)


@dataclass(frozen=True, slots=True)
class _Call(Generic[T]):
    """One v2 request, described once for both clients: what to send, whether it may be
    retried after it may have reached FastSpring, and how to read the answer."""

    method: str
    path: str
    body: bytes | None
    retry_safe: bool
    parse: Callable[[str, str, httpx.Response], T]


def _no_body(method: str, url: str, response: httpx.Response) -> None:
    return None


def _json_or_none(method: str, url: str, response: httpx.Response) -> Any:
    return response.json() if response.content.strip() else None


class _V2Calls:
    """Every v2 endpoint of one checkout path, described once for the sync and async
    handles (each ``_name`` method returns the :class:`_Call` behind ``name``)."""

    def __init__(self, path: CheckoutPath) -> None:
        self.path = path
        self.base_path = f"/v2/checkouts/{path.url_path}/sessions"

    def session(self, session_id: str) -> str:
        return f"{self.base_path}/{_session_id(session_id)}"

    def items(self, session_id: str, paths: str | Sequence[str] | None = None) -> str:
        tail = f"/{_product_paths(paths)}" if paths is not None else ""
        return f"{self.session(session_id)}/cart/items{tail}"

    def _create(self, body: SessionCreate | Mapping[str, Any]) -> _Call[V2Session]:
        return _Call(
            "POST", self.base_path, v2_body(body, SessionCreate), False, self.parse_session
        )

    def _get(self, session_id: str) -> _Call[V2Session]:
        return _Call("GET", self.session(session_id), None, True, self.parse_session)

    def _update(
        self, session_id: str, body: SessionUpdate | Mapping[str, Any]
    ) -> _Call[V2Session | None]:
        return _Call(
            "PUT", self.session(session_id), v2_body(body, SessionUpdate), True, self.parse
        )

    def _add_item(
        self, session_id: str, item: LineItem | Mapping[str, Any]
    ) -> _Call[V2Session | None]:
        return _Call("POST", self.items(session_id), v2_body(item, LineItem), False, self.parse)

    def _update_items(
        self, session_id: str, paths: str | Sequence[str], item: LineItem | Mapping[str, Any]
    ) -> _Call[V2Session | None]:
        path = self.items(session_id, paths)
        return _Call("PUT", path, v2_body(item, LineItem), True, self.parse)

    def _remove_item(self, session_id: str, product_path: str) -> _Call[None]:
        return _Call("DELETE", self.items(session_id, product_path), None, False, _no_body)

    def _update_customer(
        self, session_id: str, customer: Customer | Mapping[str, Any]
    ) -> _Call[V2Session | None]:
        path = f"{self.session(session_id)}/customer"
        return _Call("PUT", path, v2_body(customer, Customer), True, self.parse)

    def _payment_methods(self, session_id: str) -> _Call[Any]:
        path = f"{self.session(session_id)}/payment-methods"
        return _Call("GET", path, None, True, _json_or_none)

    @staticmethod
    def parse_session(method: str, url: str, response: httpx.Response) -> V2Session:
        """The session in a response that must carry one."""
        session = _V2Calls.parse(method, url, response)
        if session is None:
            raise UnexpectedResponseError(
                method, url, response.status_code, response.text, detail="expected a session"
            )
        return session

    @staticmethod
    def parse(method: str, url: str, response: httpx.Response) -> V2Session | None:
        """The session in a response, or ``None`` when the body holds none (assumption 5)."""
        if not response.content.strip():
            return None
        try:
            data = json.loads(response.content)
        except ValueError:
            raise UnexpectedResponseError(
                method, url, response.status_code, response.text, detail="the body is not JSON"
            ) from None
        if not (isinstance(data, dict) and "id" in data):
            return None
        try:
            return V2Session.model_validate(data)
        except ValidationError as err:
            raise UnexpectedResponseError(
                method,
                url,
                response.status_code,
                response.text,
                detail=f"the body is not a v2 session ({err.error_count()} problems)",
            ) from None


class CheckoutSessions(_V2Calls):
    """v2 sessions of one checkout path, on a :class:`Client` (see :meth:`Client.checkout`).

    ``create`` and ``add_item`` are never retried once sent (no idempotency key exists);
    reads and replacements (PUT) are retried like any safe request.
    """

    def __init__(self, client: Client, path: CheckoutPath) -> None:
        super().__init__(path)
        self._client = client

    def _run(self, call: _Call[T]) -> T:
        response = self._client.request(
            call.method, call.path, content=call.body, retry_safe=call.retry_safe
        )
        return call.parse(call.method, self._client._settings.url(call.path), response)

    def create(self, body: SessionCreate | Mapping[str, Any]) -> V2Session:
        """``POST .../sessions`` (201): create a session."""
        return self._run(self._create(body))

    def get(self, session_id: str) -> V2Session:
        """``GET .../sessions/{id}``."""
        return self._run(self._get(session_id))

    def update(self, session_id: str, body: SessionUpdate | Mapping[str, Any]) -> V2Session | None:
        """``PUT .../sessions/{id}``: replace customer, items and prices."""
        return self._run(self._update(session_id, body))

    def add_item(self, session_id: str, item: LineItem | Mapping[str, Any]) -> V2Session | None:
        """``POST .../cart/items``: add one line item."""
        return self._run(self._add_item(session_id, item))

    def update_items(
        self,
        session_id: str,
        product_paths: str | Sequence[str],
        item: LineItem | Mapping[str, Any],
    ) -> V2Session | None:
        """``PUT .../cart/items/{paths}``: change quantity or price of one or more items."""
        return self._run(self._update_items(session_id, product_paths, item))

    def remove_item(self, session_id: str, product_path: str) -> None:
        """``DELETE .../cart/items/{path}`` (204)."""
        self._run(self._remove_item(session_id, product_path))

    def update_customer(
        self, session_id: str, customer: Customer | Mapping[str, Any]
    ) -> V2Session | None:
        """``PUT .../sessions/{id}/customer``."""
        return self._run(self._update_customer(session_id, customer))

    def payment_methods(self, session_id: str) -> Any:
        """``GET .../payment-methods`` (path and shape unconfirmed: parsed JSON as is)."""
        return self._run(self._payment_methods(session_id))


class AsyncCheckoutSessions(_V2Calls):
    """Async twin of :class:`CheckoutSessions` (same methods, awaited)."""

    def __init__(self, client: AsyncClient, path: CheckoutPath) -> None:
        super().__init__(path)
        self._client = client

    async def _run(self, call: _Call[T]) -> T:
        response = await self._client.request(
            call.method, call.path, content=call.body, retry_safe=call.retry_safe
        )
        return call.parse(call.method, self._client._settings.url(call.path), response)

    async def create(self, body: SessionCreate | Mapping[str, Any]) -> V2Session:
        """``POST .../sessions`` (201): create a session."""
        return await self._run(self._create(body))

    async def get(self, session_id: str) -> V2Session:
        """``GET .../sessions/{id}``."""
        return await self._run(self._get(session_id))

    async def update(
        self, session_id: str, body: SessionUpdate | Mapping[str, Any]
    ) -> V2Session | None:
        """``PUT .../sessions/{id}``: replace customer, items and prices."""
        return await self._run(self._update(session_id, body))

    async def add_item(
        self, session_id: str, item: LineItem | Mapping[str, Any]
    ) -> V2Session | None:
        """``POST .../cart/items``: add one line item."""
        return await self._run(self._add_item(session_id, item))

    async def update_items(
        self,
        session_id: str,
        product_paths: str | Sequence[str],
        item: LineItem | Mapping[str, Any],
    ) -> V2Session | None:
        """``PUT .../cart/items/{paths}``: change quantity or price of one or more items."""
        return await self._run(self._update_items(session_id, product_paths, item))

    async def remove_item(self, session_id: str, product_path: str) -> None:
        """``DELETE .../cart/items/{path}`` (204)."""
        await self._run(self._remove_item(session_id, product_path))

    async def update_customer(
        self, session_id: str, customer: Customer | Mapping[str, Any]
    ) -> V2Session | None:
        """``PUT .../sessions/{id}/customer``."""
        return await self._run(self._update_customer(session_id, customer))

    async def payment_methods(self, session_id: str) -> Any:
        """``GET .../payment-methods`` (path and shape unconfirmed: parsed JSON as is)."""
        return await self._run(self._payment_methods(session_id))
