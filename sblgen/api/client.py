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

Retries are bounded and safe (:mod:`sblgen.api.policy`): a request is repeated only when
the server did not act on it (never sent, or refused with 429/503 after ``Retry-After``). A
POST that may have reached FastSpring (a read timeout, a connection dropped mid-response, a
500) is *not* repeated: creating a session is not idempotent. Read-only requests (GET) are
retried on those failures too.

Sessions API v2 lives under :meth:`Client.checkout` (:mod:`sblgen.api.checkout_sessions`).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Mapping
from typing import Any, Self
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from sblgen._model import as_model
from sblgen._version import __version__
from sblgen.api.checkout_sessions import (
    AsyncCheckoutSessions,
    AsyncSendRequest,
    CheckoutSessions,
    Sender,
    SendRequest,
)
from sblgen.api.models import SessionRequest, SessionResponse
from sblgen.api.policy import RetryPolicy, public_url, unexpected_body
from sblgen.api.v2 import CheckoutPath
from sblgen.errors import ApiError, ConfigurationError

__all__ = ["DEFAULT_BASE_URL", "AsyncClient", "Client"]

DEFAULT_BASE_URL = "https://api.fastspring.com"
USER_AGENT = f"sblgen/{__version__} (+https://pypi.org/project/sblgen/) httpx/{httpx.__version__}"


class _Settings:
    """What both clients share: credentials, URLs, headers and the retry policy."""

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
        self.base_url = public_url(base.rstrip("/"))
        self.policy = RetryPolicy(max_retries, retry_after_cap)
        #: Keyword arguments for ``httpx.Client`` / ``httpx.AsyncClient``.
        self.http_options: dict[str, Any] = {
            "auth": httpx.BasicAuth(username, password),
            "headers": {"User-Agent": USER_AGENT, "Accept": "application/json"},
            "timeout": httpx.Timeout(timeout),
        }

    def url(self, path: str) -> str:
        return self.base_url + path

    @staticmethod
    def parse(method: str, url: str, response: httpx.Response) -> SessionResponse:
        try:
            return SessionResponse.model_validate_json(response.content)
        except ValidationError as err:
            detail = f"the body is not a session ({err.error_count()} problems)"
            raise unexpected_body(method, url, response, detail) from None

    def __repr__(self) -> str:
        return f"base_url={self.base_url!r}, credentials=<hidden>"


def _body(request: SessionRequest | Mapping[str, Any]) -> bytes:
    return as_model(request, SessionRequest).to_json().encode("utf-8")


def _headers(content: bytes | None) -> dict[str, str] | None:
    return {"Content-Type": "application/json"} if content is not None else None


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
        self._http = httpx.Client(**self._settings.http_options, transport=transport)
        self._sleep: Callable[[float], None] = time.sleep

    def request(
        self, method: str, path: str, *, content: bytes | None = None, retry_safe: bool = False
    ) -> httpx.Response:
        """Send one API request with sblgen's auth, retries and error mapping; return the
        successful response."""
        url, policy = self._settings.url(path), self._settings.policy
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    method, url, content=content, headers=_headers(content)
                )
            except httpx.HTTPError as exc:
                error = policy.failure(method, url, exc, retry_safe, attempt)
                if error is not None:
                    raise error from None
                attempt += 1
                continue
            outcome = policy.outcome(method, url, response, attempt)
            if outcome is None:
                return response
            if isinstance(outcome, ApiError):
                raise outcome
            self._sleep(outcome)
            attempt += 1

    def create_session(self, request: SessionRequest | Mapping[str, Any]) -> SessionResponse:
        """``POST /sessions``: create a session; its ``id`` becomes ``checkout: "<id>"``."""
        response = self.request("POST", "/sessions", content=_body(request))
        return self._settings.parse("POST", self._settings.url("/sessions"), response)

    def checkout(self, path: CheckoutPath | str) -> CheckoutSessions:
        """Sessions API v2 for one checkout path (``store/checkout``).

        >>> Client(username="u", password="p").checkout("acme/popup-acme").base_path
        '/v2/checkouts/acme/popup-acme/sessions'
        """
        sender: Sender[SendRequest] = Sender(self.request, self._settings.base_url)
        return CheckoutSessions(sender, CheckoutPath.parse(path))

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
        self._http = httpx.AsyncClient(**self._settings.http_options, transport=transport)
        self._sleep: Callable[[float], Any] = asyncio.sleep

    async def request(
        self, method: str, path: str, *, content: bytes | None = None, retry_safe: bool = False
    ) -> httpx.Response:
        """Async twin of :meth:`Client.request`."""
        url, policy = self._settings.url(path), self._settings.policy
        attempt = 0
        while True:
            try:
                response = await self._http.request(
                    method, url, content=content, headers=_headers(content)
                )
            except httpx.HTTPError as exc:
                error = policy.failure(method, url, exc, retry_safe, attempt)
                if error is not None:
                    raise error from None
                attempt += 1
                continue
            outcome = policy.outcome(method, url, response, attempt)
            if outcome is None:
                return response
            if isinstance(outcome, ApiError):
                raise outcome
            await self._sleep(outcome)
            attempt += 1

    async def create_session(self, request: SessionRequest | Mapping[str, Any]) -> SessionResponse:
        """``POST /sessions`` (see :meth:`Client.create_session`)."""
        response = await self.request("POST", "/sessions", content=_body(request))
        return self._settings.parse("POST", self._settings.url("/sessions"), response)

    def checkout(self, path: CheckoutPath | str) -> AsyncCheckoutSessions:
        """Sessions API v2 for one checkout path (see :meth:`Client.checkout`)."""
        sender: Sender[AsyncSendRequest] = Sender(self.request, self._settings.base_url)
        return AsyncCheckoutSessions(sender, CheckoutPath.parse(path))

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncClient({self._settings!r})"
