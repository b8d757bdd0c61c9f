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

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from sblgen.api.policy import unexpected_body
from sblgen.api.v2 import (
    CheckoutPath,
    Customer,
    SessionCreate,
    SessionUpdate,
    V2CustomerResponse,
    V2LineItem,
    V2OrderItem,
    V2PaymentMethods,
    V2Session,
    url_segment,
    v2_body,
)
from sblgen.errors import SessionWarningError

__all__ = ["AsyncCheckoutSessions", "CheckoutSessions", "Sender"]

T = TypeVar("T")
logger = logging.getLogger("sblgen.api")


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
    with the client's auth, retries and error mapping), the public base URL that errors
    name, and what to do with FastSpring's warnings on a session it created or updated
    (``"log"``, ``"raise"`` or ``"ignore"``: the client's ``on_warning``)."""

    send: S
    base_url: str
    on_warning: str = "log"

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
    retried after it may have reached FastSpring, how to read the answer, and, for the
    writes whose input can cause warnings, the verb their report uses."""

    method: str
    path: str
    body: bytes | None
    retry_safe: bool
    parse: Callable[[str, str, httpx.Response], T]
    warns: str | None = None

    def read(self, response: httpx.Response, sender: Sender[Any]) -> T:
        """The answer ``response`` carries, parsed; FastSpring's warnings on a session this
        call created or updated are handled as ``sender.on_warning`` says."""
        url = sender.url(self.path)
        result = self.parse(self.method, url, response)
        if isinstance(result, V2Session):
            report_warnings(self, url, result, sender.on_warning)
        return result


def _no_body(method: str, url: str, response: httpx.Response) -> None:
    return None


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], what: str) -> Callable[[str, str, httpx.Response], M]:
    """A parser for a body that must be a ``model`` (``what`` names it in the error): an
    empty body, text that is not JSON, or JSON that is not one is an
    :class:`~sblgen.errors.UnexpectedResponseError`."""

    def parse(method: str, url: str, response: httpx.Response) -> M:
        if not response.content.strip():
            raise unexpected_body(method, url, response, f"expected {what}; the body is empty")
        try:
            return model.model_validate_json(response.content)
        except ValidationError as err:
            if any(e["type"] == "json_invalid" for e in err.errors()):
                detail = f"expected {what}; the body is not JSON"
            else:
                detail = f"expected {what}; the body is not one ({err.error_count()} problems)"
            raise unexpected_body(method, url, response, detail) from None

    return parse


parse_session = _parse(V2Session, "a session")
parse_order_item = _parse(V2OrderItem, "an order item")
parse_customer = _parse(V2CustomerResponse, "a customer")
parse_payment_methods = _parse(V2PaymentMethods, "payment methods")


def report_warnings(call: _Call[Any], url: str, session: V2Session, on_warning: str) -> None:
    """FastSpring's warnings on a session ``call`` created or updated: logged on
    ``sblgen.api`` (one WARNING each), raised as :class:`~sblgen.errors.SessionWarningError`,
    or ignored, as ``on_warning`` says."""
    if call.warns is None or not session.warnings or on_warning == "ignore":
        return
    if on_warning == "raise":
        raise SessionWarningError(call.method, url, call.warns, session, session.warnings)
    for warning in session.warnings:
        logger.warning(
            "FastSpring warning %s on %s for session %s: %s (%s %s)",
            warning.code,
            warning.field or "the request",
            session.id,
            warning.message or "no message",
            call.method,
            url,
        )


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
        content = v2_body(body, SessionCreate)
        return _Call("POST", self.base_path, content, False, parse_session, "created")

    def _get(self, session_id: str) -> _Call[V2Session]:
        return _Call("GET", self.session(session_id), None, True, parse_session)

    def _update(self, session_id: str, body: SessionUpdate | Mapping[str, Any]) -> _Call[V2Session]:
        path, content = self.session(session_id), v2_body(body, SessionUpdate)
        return _Call("PUT", path, content, True, parse_session, "updated")

    def _add_item(
        self, session_id: str, item: V2LineItem | Mapping[str, Any]
    ) -> _Call[V2OrderItem]:
        path = self.items(session_id)
        return _Call("POST", path, v2_body(item, V2LineItem), False, parse_order_item)

    def _update_items(
        self, session_id: str, paths: str | Sequence[str], item: V2LineItem | Mapping[str, Any]
    ) -> _Call[V2OrderItem]:
        path = self.items(session_id, paths)
        return _Call("PUT", path, v2_body(item, V2LineItem), True, parse_order_item)

    def _remove_item(self, session_id: str, product_path: str) -> _Call[None]:
        return _Call("DELETE", self.items(session_id, product_path), None, False, _no_body)

    def _update_customer(
        self, session_id: str, customer: Customer | Mapping[str, Any]
    ) -> _Call[V2CustomerResponse]:
        path = f"{self.session(session_id)}/customer"
        return _Call("PUT", path, v2_body(customer, Customer), True, parse_customer)

    def _payment_methods(self, session_id: str) -> _Call[V2PaymentMethods]:
        path = f"{self.session(session_id)}/payment-methods"
        return _Call("GET", path, None, True, parse_payment_methods)


class CheckoutSessions(_V2Calls):
    """v2 sessions of one checkout path, on a :class:`~sblgen.api.Client` (see
    :meth:`Client.checkout <sblgen.api.Client.checkout>`).

    Each method returns what FastSpring documents for its endpoint. ``create`` and
    ``add_item`` are never retried once sent (no idempotency key exists); reads and
    replacements (PUT) are retried like any safe request. FastSpring's ``warnings`` on a
    session that ``create`` or ``update`` made are handled as the client's ``on_warning``
    says (``get`` only reads them: FastSpring may repeat them on every read).
    """

    def __init__(self, sender: Sender[SendRequest], path: CheckoutPath) -> None:
        super().__init__(path)
        self._sender = sender

    def _run(self, call: _Call[T]) -> T:
        response = self._sender.send(
            call.method, call.path, content=call.body, retry_safe=call.retry_safe
        )
        return call.read(response, self._sender)

    def create(self, body: SessionCreate | Mapping[str, Any]) -> V2Session:
        """``POST .../sessions`` (201): create a session."""
        return self._run(self._create(body))

    def get(self, session_id: str) -> V2Session:
        """``GET .../sessions/{id}`` (200): the session, with its payment methods."""
        return self._run(self._get(session_id))

    def update(self, session_id: str, body: SessionUpdate | Mapping[str, Any]) -> V2Session:
        """``PUT .../sessions/{id}`` (200): replace customer, items and prices; returns the
        session."""
        return self._run(self._update(session_id, body))

    def add_item(self, session_id: str, item: V2LineItem | Mapping[str, Any]) -> V2OrderItem:
        """``POST .../cart/items`` (200): add one line item; returns the line as priced."""
        return self._run(self._add_item(session_id, item))

    def update_items(
        self,
        session_id: str,
        product_paths: str | Sequence[str],
        item: V2LineItem | Mapping[str, Any],
    ) -> V2OrderItem:
        """``PUT .../cart/items/{paths}`` (200): change quantity or price of one or more
        items. FastSpring documents one line item in the answer, also for several paths."""
        return self._run(self._update_items(session_id, product_paths, item))

    def remove_item(self, session_id: str, product_path: str) -> None:
        """``DELETE .../cart/items/{path}`` (204)."""
        self._run(self._remove_item(session_id, product_path))

    def update_customer(
        self, session_id: str, customer: Customer | Mapping[str, Any]
    ) -> V2CustomerResponse:
        """``PUT .../sessions/{id}/customer`` (200): returns the customer."""
        return self._run(self._update_customer(session_id, customer))

    def payment_methods(self, session_id: str) -> V2PaymentMethods:
        """``GET .../payment-methods`` (200): the methods checkout offers, in display order."""
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
        return call.read(response, self._sender)

    async def create(self, body: SessionCreate | Mapping[str, Any]) -> V2Session:
        """``POST .../sessions`` (201): create a session."""
        return await self._run(self._create(body))

    async def get(self, session_id: str) -> V2Session:
        """``GET .../sessions/{id}`` (200): the session, with its payment methods."""
        return await self._run(self._get(session_id))

    async def update(self, session_id: str, body: SessionUpdate | Mapping[str, Any]) -> V2Session:
        """``PUT .../sessions/{id}`` (200): replace customer, items and prices."""
        return await self._run(self._update(session_id, body))

    async def add_item(self, session_id: str, item: V2LineItem | Mapping[str, Any]) -> V2OrderItem:
        """``POST .../cart/items`` (200): add one line item; returns the line."""
        return await self._run(self._add_item(session_id, item))

    async def update_items(
        self,
        session_id: str,
        product_paths: str | Sequence[str],
        item: V2LineItem | Mapping[str, Any],
    ) -> V2OrderItem:
        """``PUT .../cart/items/{paths}`` (200): change one or more items."""
        return await self._run(self._update_items(session_id, product_paths, item))

    async def remove_item(self, session_id: str, product_path: str) -> None:
        """``DELETE .../cart/items/{path}`` (204)."""
        await self._run(self._remove_item(session_id, product_path))

    async def update_customer(
        self, session_id: str, customer: Customer | Mapping[str, Any]
    ) -> V2CustomerResponse:
        """``PUT .../sessions/{id}/customer`` (200): returns the customer."""
        return await self._run(self._update_customer(session_id, customer))

    async def payment_methods(self, session_id: str) -> V2PaymentMethods:
        """``GET .../payment-methods`` (200): the methods checkout offers."""
        return await self._run(self._payment_methods(session_id))
