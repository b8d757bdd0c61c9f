"""HTTP clients for FastSpring's Sessions API (needs the ``sblgen[api]`` extra: httpx).

>>> import sblgen.api
>>> with sblgen.api.Client(username="u", password="p",
...                        base_url="http://127.0.0.1:9") as client:
...     client
Client(base_url='http://127.0.0.1:9', credentials=<hidden>)

Configuration is keyword-only:

- credentials, exactly one kind: ``username``/``password`` for HTTP Basic (or the
  environment variables ``FASTSPRING_API_USERNAME`` / ``FASTSPRING_API_PASSWORD``), or
  ``client_id``/``client_secret`` for OAuth2 client credentials (``FASTSPRING_OAUTH_CLIENT_ID``
  / ``FASTSPRING_OAUTH_CLIENT_SECRET``; ``token_url`` or ``FASTSPRING_OAUTH_TOKEN_URL``,
  default FastSpring's; an optional ``scope``). Arguments beat the environment. OAuth2 is
  for Sessions v2 only: v1 documents Basic alone (:mod:`sblgen.api.oauth`);
- ``base_url`` (or ``FASTSPRING_API_BASE_URL``, default ``https://api.fastspring.com``),
  ``timeout`` (seconds, default 10), ``max_retries`` and ``retry_after_cap``;
- ``on_warning``: what to do when FastSpring creates or updates a v2 session but answers
  with ``warnings[]`` (a coupon that did not apply, a checkout still in test mode): ``"log"``
  (the default: one WARNING on the ``sblgen.api`` logger per warning), ``"raise"``
  (:class:`~sblgen.errors.SessionWarningError`, which carries the session) or ``"ignore"``.

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
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, Self, TypeVar, cast, get_args
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
from sblgen.api.oauth import DEFAULT_TOKEN_URL, OAuth2ClientCredentials, is_token_request
from sblgen.api.policy import RetryPolicy, public_url, unexpected_body
from sblgen.api.resources import RESOURCES_NEED_BASIC, AsyncClientResources, ClientResources
from sblgen.api.v2 import CheckoutPath
from sblgen.errors import ApiError, ConfigurationError

__all__ = ["DEFAULT_BASE_URL", "AsyncClient", "Client"]

DEFAULT_BASE_URL = "https://api.fastspring.com"
S = TypeVar("S")
USER_AGENT = f"sblgen/{__version__} (+https://pypi.org/project/sblgen/) httpx/{httpx.__version__}"


WarningMode = Literal["log", "raise", "ignore"]
_BASIC_ENV = ("FASTSPRING_API_USERNAME", "FASTSPRING_API_PASSWORD")
_OAUTH_ENV = ("FASTSPRING_OAUTH_CLIENT_ID", "FASTSPRING_OAUTH_CLIENT_SECRET")
_BOTH = (
    "give exactly one kind of FastSpring API credentials: username= and password= "
    "(FASTSPRING_API_USERNAME / FASTSPRING_API_PASSWORD, HTTP Basic: Developer Tools > APIs > "
    "API Credentials in the FastSpring app) or client_id= and client_secret= "
    "(FASTSPRING_OAUTH_CLIENT_ID / FASTSPRING_OAUTH_CLIENT_SECRET, OAuth2, Sessions v2 only)"
)


def _credentials(
    basic: tuple[str | None, str | None], oauth: tuple[str | None, str | None]
) -> tuple[Literal["basic", "oauth"], str, str]:
    """Which kind of auth, and its two values. Explicit arguments beat the environment;
    both kinds at the same level, or neither, is an error naming both."""
    given = {"basic": basic, "oauth": oauth}
    explicit = [kind for kind, pair in given.items() if any(v is not None for v in pair)]
    from_env = {"basic": _BASIC_ENV, "oauth": _OAUTH_ENV}
    if not explicit:
        explicit = [kind for kind, names in from_env.items() if any(map(os.environ.get, names))]
        if len(explicit) == 1:
            given[explicit[0]] = (None, None)
    if len(explicit) != 1:
        what = "both kinds are set" if explicit else "credentials are missing"
        raise ConfigurationError(f"FastSpring API {what}: {_BOTH}.")
    kind = explicit[0]
    pair = given[kind]
    first, second = (
        pair[i] if pair[i] is not None else os.environ.get(from_env[kind][i]) for i in (0, 1)
    )
    if not first or not second:
        names = "username= and password=" if kind == "basic" else "client_id= and client_secret="
        raise ConfigurationError(
            f"FastSpring API credentials are missing: give both {names} "
            f"(or set {' and '.join(from_env[kind])}); {_BOTH}."
        )
    return ("basic" if kind == "basic" else "oauth"), first, second


class _Settings:
    """What both clients share: credentials, URLs, headers, the retry policy and what to do
    with v2 warnings."""

    def __init__(
        self,
        username: str | None,
        password: str | None,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        retry_after_cap: float,
        oauth: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None),
        on_warning: str = "log",
    ) -> None:
        client_id, client_secret, token_url, scope = oauth
        kind, first, second = _credentials((username, password), (client_id, client_secret))
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
        if on_warning not in get_args(WarningMode):
            raise ConfigurationError(
                f"on_warning={on_warning!r}: give 'log' (the default), 'raise' or 'ignore'."
            )
        self.on_warning = cast(WarningMode, on_warning)
        self.base_url = public_url(base.rstrip("/"))
        self.policy = RetryPolicy(max_retries, retry_after_cap)
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        self.auth: httpx.Auth
        if kind == "basic":
            self.auth = httpx.BasicAuth(first, second)
        else:
            token = token_url or os.environ.get("FASTSPRING_OAUTH_TOKEN_URL") or DEFAULT_TOKEN_URL
            if urlsplit(token).scheme not in ("http", "https"):
                raise ConfigurationError(
                    f"token_url {public_url(token)!r} must start with https:// (or http://)."
                )
            self.auth = OAuth2ClientCredentials(
                first,
                second,
                token,
                scope=scope,
                headers={"User-Agent": USER_AGENT},
                timeout=httpx.Timeout(timeout),
                policy=self.policy,
            )
        #: Keyword arguments for ``httpx.Client`` / ``httpx.AsyncClient``.
        self.http_options: dict[str, Any] = {
            "auth": self.auth,
            "headers": headers,
            "timeout": httpx.Timeout(timeout),
        }

    @property
    def oauth(self) -> OAuth2ClientCredentials | None:
        return self.auth if isinstance(self.auth, OAuth2ClientCredentials) else None

    def url(self, path: str) -> str:
        return self.base_url + path

    def retry_safe(self, exc: httpx.HTTPError, retry_safe: bool) -> bool:
        """A failed token request is always safe to repeat: no API write was sent."""
        return retry_safe or is_token_request(exc, self.auth)

    def check_v1(self) -> None:
        """v1 documents HTTP Basic only: refuse before anything is sent."""
        if self.oauth is not None:
            raise ConfigurationError(
                "POST /sessions (Sessions v1) documents HTTP Basic only; make the Client with "
                "username= and password= for v1 (OAuth2 client credentials work with "
                "Sessions v2: client.checkout(...))."
            )

    def sender(self, send: S) -> Sender[S]:
        return Sender(send, self.base_url, self.on_warning)

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


class Client(ClientResources):
    """Synchronous Sessions API client; use it as a context manager (or call
    :meth:`close`). REST resources: :class:`~sblgen.api.resources.ClientResources`."""

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        retry_after_cap: float = 30.0,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str | None = None,
        scope: str | None = None,
        on_warning: WarningMode = "log",
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._settings = _Settings(
            username,
            password,
            base_url,
            timeout,
            max_retries,
            retry_after_cap,
            (client_id, client_secret, token_url, scope),
            on_warning,
        )
        self._http = httpx.Client(**self._settings.http_options, transport=transport)
        self._sleep: Callable[[float], None] = time.sleep
        self._clock: Callable[[], float] = time.monotonic
        if (oauth := self._settings.oauth) is not None:
            oauth.sleep = lambda seconds: self._sleep(seconds)
            oauth.clock = lambda: self._clock()

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
                safe = self._settings.retry_safe(exc, retry_safe)
                error = policy.failure(method, url, exc, safe, attempt)
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
        """``POST /sessions``: create a session; its ``id`` becomes ``checkout: "<id>"``.

        Needs HTTP Basic credentials (v1 documents no other scheme)."""
        self._settings.check_v1()
        response = self.request("POST", "/sessions", content=_body(request))
        return self._settings.parse("POST", self._settings.url("/sessions"), response)

    def checkout(self, path: CheckoutPath | str) -> CheckoutSessions:
        """Sessions API v2 for one checkout path (``store/checkout``).

        >>> Client(username="u", password="p").checkout("acme/popup-acme").base_path
        '/v2/checkouts/acme/popup-acme/sessions'
        """
        sender: Sender[SendRequest] = self._settings.sender(self.request)
        return CheckoutSessions(sender, CheckoutPath.parse(path))

    def _resource_sender(self) -> Sender[SendRequest]:
        if self._settings.oauth is not None:
            raise ConfigurationError(RESOURCES_NEED_BASIC)
        return self._settings.sender(self.request)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client({self._settings!r})"


class AsyncClient(AsyncClientResources):
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
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str | None = None,
        scope: str | None = None,
        on_warning: WarningMode = "log",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._settings = _Settings(
            username,
            password,
            base_url,
            timeout,
            max_retries,
            retry_after_cap,
            (client_id, client_secret, token_url, scope),
            on_warning,
        )
        self._http = httpx.AsyncClient(**self._settings.http_options, transport=transport)
        self._sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
        self._clock: Callable[[], float] = time.monotonic
        if (oauth := self._settings.oauth) is not None:
            oauth.async_sleep = lambda seconds: self._sleep(seconds)
            oauth.clock = lambda: self._clock()

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
                safe = self._settings.retry_safe(exc, retry_safe)
                error = policy.failure(method, url, exc, safe, attempt)
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
        self._settings.check_v1()
        response = await self.request("POST", "/sessions", content=_body(request))
        return self._settings.parse("POST", self._settings.url("/sessions"), response)

    def checkout(self, path: CheckoutPath | str) -> AsyncCheckoutSessions:
        """Sessions API v2 for one checkout path (see :meth:`Client.checkout`)."""
        sender: Sender[AsyncSendRequest] = self._settings.sender(self.request)
        return AsyncCheckoutSessions(sender, CheckoutPath.parse(path))

    def _resource_sender(self) -> Sender[AsyncSendRequest]:
        if self._settings.oauth is not None:
            raise ConfigurationError(RESOURCES_NEED_BASIC)
        return self._settings.sender(self.request)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncClient({self._settings!r})"
