"""Sessions API v2 handles: the sessions of one checkout path, on a sync or async client.

Every endpoint is described once (:class:`_V2Calls`) as a :class:`_Call`: what to send,
whether it may be retried after it may have reached FastSpring, and how to read the answer.
The handles only run calls, through a :class:`Sender` their client gives them: the client's
``request`` and the (public) base URL errors name. A handle never sees the client itself.

>>> from sblgen.api.v2 import CheckoutPath
>>> def offline(method, path, *, content=None, retry_safe=False):
...     raise AssertionError("not sent")
>>> handle = CheckoutSessions(Sender(offline, "https://api.example.com"),
...                           CheckoutPath.parse("acme/popup-acme"))
>>> handle.base_path, handle.session("SE1/x")
('/v2/checkouts/acme/popup-acme/sessions', '/v2/checkouts/acme/popup-acme/sessions/SE1%2Fx')
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import httpx
from pydantic import ValidationError

from sblgen.api.policy import unexpected_body
from sblgen.api.v2 import (
    CheckoutPath,
    Customer,
    SessionCreate,
    SessionUpdate,
    V2LineItem,
    V2Session,
    url_segment,
    v2_body,
)

__all__ = ["AsyncCheckoutSessions", "CheckoutSessions", "Sender"]

T = TypeVar("T")


class SendRequest(Protocol):
    """``Client.request``: send one API request, return the successful response."""

    def __call__(
        self, method: str, path: str, *, content: bytes | None = ..., retry_safe: bool = ...
    ) -> httpx.Response: ...


class AsyncSendRequest(Protocol):
    """``AsyncClient.request``: the awaitable twin of :class:`SendRequest`."""

    def __call__(
        self, method: str, path: str, *, content: bytes | None = ..., retry_safe: bool = ...
    ) -> Awaitable[httpx.Response]: ...


#: :class:`SendRequest` or :class:`AsyncSendRequest`.
S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Sender(Generic[S]):
    """The seam between a client and its v2 handles: how to send one request (``send``,
    with the client's auth, retries and error mapping) and the public base URL that
    errors name."""

    send: S
    base_url: str

    def url(self, path: str) -> str:
        """The full URL of ``path``, as errors show it."""
        return self.base_url + path


def _product_paths(paths: str | Sequence[str]) -> str:
    items = [paths] if isinstance(paths, str) else list(paths)
    if not items:
        raise ValueError("Give at least one product path.")
    return ",".join(url_segment(p, "product path") for p in items)


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


def parse_session(method: str, url: str, response: httpx.Response) -> V2Session | None:
    """The session in a response, or ``None`` when the body holds none (assumption 5)."""
    if not response.content.strip():
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        raise unexpected_body(method, url, response, "the body is not JSON") from None
    if not (isinstance(data, dict) and "id" in data):
        return None
    try:
        return V2Session.model_validate(data)
    except ValidationError as err:
        detail = f"the body is not a v2 session ({err.error_count()} problems)"
        raise unexpected_body(method, url, response, detail) from None


def require_session(method: str, url: str, response: httpx.Response) -> V2Session:
    """The session in a response that must carry one."""
    session = parse_session(method, url, response)
    if session is None:
        raise unexpected_body(method, url, response, "expected a session")
    return session


class _V2Calls:
    """Every v2 endpoint of one checkout path, described once for the sync and async
    handles (each ``_name`` method returns the :class:`_Call` behind ``name``)."""

    def __init__(self, path: CheckoutPath) -> None:
        self.path = path
        self.base_path = f"/v2/checkouts/{path.url_path}/sessions"

    def session(self, session_id: str) -> str:
        """The URL path of one session (the id percent-encoded as one segment)."""
        return f"{self.base_path}/{url_segment(session_id, 'v2 session id')}"

    def items(self, session_id: str, paths: str | Sequence[str] | None = None) -> str:
        """The URL path of a session's cart items (or of the named ones)."""
        tail = f"/{_product_paths(paths)}" if paths is not None else ""
        return f"{self.session(session_id)}/cart/items{tail}"

    def _create(self, body: SessionCreate | Mapping[str, Any]) -> _Call[V2Session]:
        return _Call("POST", self.base_path, v2_body(body, SessionCreate), False, require_session)

    def _get(self, session_id: str) -> _Call[V2Session]:
        return _Call("GET", self.session(session_id), None, True, require_session)

    def _update(
        self, session_id: str, body: SessionUpdate | Mapping[str, Any]
    ) -> _Call[V2Session | None]:
        path = self.session(session_id)
        return _Call("PUT", path, v2_body(body, SessionUpdate), True, parse_session)

    def _add_item(
        self, session_id: str, item: V2LineItem | Mapping[str, Any]
    ) -> _Call[V2Session | None]:
        path = self.items(session_id)
        return _Call("POST", path, v2_body(item, V2LineItem), False, parse_session)

    def _update_items(
        self, session_id: str, paths: str | Sequence[str], item: V2LineItem | Mapping[str, Any]
    ) -> _Call[V2Session | None]:
        path = self.items(session_id, paths)
        return _Call("PUT", path, v2_body(item, V2LineItem), True, parse_session)

    def _remove_item(self, session_id: str, product_path: str) -> _Call[None]:
        return _Call("DELETE", self.items(session_id, product_path), None, False, _no_body)

    def _update_customer(
        self, session_id: str, customer: Customer | Mapping[str, Any]
    ) -> _Call[V2Session | None]:
        path = f"{self.session(session_id)}/customer"
        return _Call("PUT", path, v2_body(customer, Customer), True, parse_session)

    def _payment_methods(self, session_id: str) -> _Call[Any]:
        path = f"{self.session(session_id)}/payment-methods"
        return _Call("GET", path, None, True, _json_or_none)


class CheckoutSessions(_V2Calls):
    """v2 sessions of one checkout path, on a :class:`~sblgen.api.Client` (see
    :meth:`Client.checkout <sblgen.api.Client.checkout>`).

    ``create`` and ``add_item`` are never retried once sent (no idempotency key exists);
    reads and replacements (PUT) are retried like any safe request.
    """

    def __init__(self, sender: Sender[SendRequest], path: CheckoutPath) -> None:
        super().__init__(path)
        self._sender = sender

    def _run(self, call: _Call[T]) -> T:
        response = self._sender.send(
            call.method, call.path, content=call.body, retry_safe=call.retry_safe
        )
        return call.parse(call.method, self._sender.url(call.path), response)

    def create(self, body: SessionCreate | Mapping[str, Any]) -> V2Session:
        """``POST .../sessions`` (201): create a session."""
        return self._run(self._create(body))

    def get(self, session_id: str) -> V2Session:
        """``GET .../sessions/{id}``."""
        return self._run(self._get(session_id))

    def update(self, session_id: str, body: SessionUpdate | Mapping[str, Any]) -> V2Session | None:
        """``PUT .../sessions/{id}``: replace customer, items and prices."""
        return self._run(self._update(session_id, body))

    def add_item(self, session_id: str, item: V2LineItem | Mapping[str, Any]) -> V2Session | None:
        """``POST .../cart/items``: add one line item."""
        return self._run(self._add_item(session_id, item))

    def update_items(
        self,
        session_id: str,
        product_paths: str | Sequence[str],
        item: V2LineItem | Mapping[str, Any],
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

    def __init__(self, sender: Sender[AsyncSendRequest], path: CheckoutPath) -> None:
        super().__init__(path)
        self._sender = sender

    async def _run(self, call: _Call[T]) -> T:
        response = await self._sender.send(
            call.method, call.path, content=call.body, retry_safe=call.retry_safe
        )
        return call.parse(call.method, self._sender.url(call.path), response)

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
        self, session_id: str, item: V2LineItem | Mapping[str, Any]
    ) -> V2Session | None:
        """``POST .../cart/items``: add one line item."""
        return await self._run(self._add_item(session_id, item))

    async def update_items(
        self,
        session_id: str,
        product_paths: str | Sequence[str],
        item: V2LineItem | Mapping[str, Any],
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
