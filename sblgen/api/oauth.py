"""OAuth2 client credentials for Sessions API v2: the alternative to HTTP Basic.

FastSpring's v2 definitions list an ``oauth2`` scheme with the token URL
``https://login.fastspring.com/identity/oauth/token``. The rest follows RFC 6749 section 4.4
(client credentials) and RFC 6750 (Bearer tokens):

- the token request is ``POST {token_url}`` with HTTP Basic client authentication and the
  form ``grant_type=client_credentials`` (plus ``scope`` when one is given);
- the answer's ``access_token`` is sent as ``Authorization: Bearer ...`` and cached until
  shortly before its ``expires_in`` (without one, until the API answers 401);
- a 401 to a Bearer request fetches a new token once and sends the request again (a 401
  means the request was not acted on); a refresh is a new grant, since client credentials
  issue no refresh token;
- the token request is retried like a read: on 429 and 503 here, after ``Retry-After``, and
  on connection failures by the client (:func:`is_token_request`).

:class:`OAuth2ClientCredentials` is an ``httpx.Auth``: the token request is yielded from its
flow, so it goes through the client's own transport. The secret and the token never appear in
a repr, an error or a log.

>>> auth = OAuth2ClientCredentials("my-client", "s3cret", "https://login.example.com/token")
>>> auth
OAuth2ClientCredentials(token_url='https://login.example.com/token', credentials=<hidden>)
>>> request = auth._token_request()
>>> request.method, request.headers["Content-Type"], request.content
('POST', 'application/x-www-form-urlencoded', b'grant_type=client_credentials')
"""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from urllib.parse import urlencode

import httpx

from sblgen.api.deadline import aread_body, read_body
from sblgen.api.policy import (
    RETRY_STATUSES,
    RetryPolicy,
    error_for_response,
    public_url,
    retry_after,
)
from sblgen.errors import AuthenticationError, UnexpectedResponseError
from sblgen.limits import MAX_ERROR_BODY_CHARS, loads_json

__all__ = ["DEFAULT_TOKEN_URL", "OAuth2ClientCredentials", "is_token_request"]

DEFAULT_TOKEN_URL = "https://login.fastspring.com/identity/oauth/token"  # noqa: S105 (a URL)


def _no_sleep(seconds: float) -> None:
    return None


async def _no_async_sleep(seconds: float) -> None:
    return None


class OAuth2ClientCredentials(httpx.Auth):
    """Bearer tokens from an OAuth2 client-credentials grant, cached per client.

    ``clock`` (monotonic seconds) and the sleeps are injectable for tests; the clients pass
    their own ``_clock`` and ``_sleep``.
    """

    requires_response_body = True

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token_url: str,
        *,
        scope: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = _no_sleep,
        async_sleep: Callable[[float], Awaitable[None]] = _no_async_sleep,
    ) -> None:
        basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode("ascii")
        self._authorization = f"Basic {basic}"
        self.token_url = token_url
        self.scope = scope
        self._headers = dict(headers or {})
        self._timeout = timeout or httpx.Timeout(10.0)
        self._policy = policy or RetryPolicy(max_retries=2, retry_after_cap=30.0)
        self.clock = clock
        self.sleep = sleep
        self.async_sleep = async_sleep
        self._token: str | None = None
        #: ``clock()`` time until which the token is used without asking; ``None``: until a 401.
        self._fresh_until: float | None = None
        self._lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return (
            f"OAuth2ClientCredentials(token_url={public_url(self.token_url)!r}, "
            "credentials=<hidden>)"
        )

    # ------------------------------------------------------------------ the flows

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        rejected: str | None = None
        for _ in range(2):
            with self._lock:
                attempt = 0
                while self._needs_token(rejected):
                    answer = yield self._token_request()
                    read_body(answer)
                    delay = self._accept(answer, attempt)
                    if delay is not None:
                        self.sleep(delay)
                        attempt += 1
                token = self._token
            response = yield self._authorize(request, token)
            if response.status_code != 401:
                return
            read_body(response)
            rejected = token

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        rejected: str | None = None
        for _ in range(2):
            async with self._async_lock:
                attempt = 0
                while self._needs_token(rejected):
                    answer = yield self._token_request()
                    await aread_body(answer)
                    delay = self._accept(answer, attempt)
                    if delay is not None:
                        await self.async_sleep(delay)
                        attempt += 1
                token = self._token
            response = yield self._authorize(request, token)
            if response.status_code != 401:
                return
            await aread_body(response)
            rejected = token

    # ------------------------------------------------------------------ shared steps

    def _needs_token(self, rejected: str | None) -> bool:
        """Whether to ask for a token: none yet, the one the API just refused is still the
        cached one (no other request refreshed it meanwhile), or it is about to expire."""
        if self._token is None or (rejected is not None and self._token == rejected):
            return True
        return self._fresh_until is not None and self.clock() >= self._fresh_until

    def _authorize(self, request: httpx.Request, token: str | None) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token}"
        return request

    def _token_request(self) -> httpx.Request:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        headers = {
            **self._headers,
            "Authorization": self._authorization,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        return httpx.Request(
            "POST",
            self.token_url,
            headers=headers,
            content=urlencode(form).encode("ascii"),
            extensions={"timeout": self._timeout.as_dict()},
        )

    def _accept(self, response: httpx.Response, attempt: int) -> float | None:
        """Store the token from ``response``; or the delay before asking again (429, 503);
        or raise the error it means."""
        url = public_url(self.token_url)
        status = response.status_code
        if status in RETRY_STATUSES and attempt < self._policy.max_retries:
            return retry_after(response, self._policy.retry_after_cap, attempt)
        if status in (400, 401):
            body = response.text[:MAX_ERROR_BODY_CHARS]
            raise AuthenticationError("POST", url, status, body, self._refusal(response))
        if not response.is_success:
            raise error_for_response("POST", url, response)
        try:
            data = loads_json(response.content)
        except ValueError:
            data = None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise UnexpectedResponseError(
                "POST", url, status, detail="the OAuth2 token response has no access_token"
            )
        kind = data.get("token_type", "bearer")
        if not isinstance(kind, str) or kind.lower() != "bearer":
            raise UnexpectedResponseError(
                "POST", url, status, detail=f"token_type {kind!r} is not 'bearer'"
            )
        self._token = token
        self._fresh_until = None
        lifetime = data.get("expires_in")
        if isinstance(lifetime, int | float) and not isinstance(lifetime, bool) and lifetime > 0:
            self._fresh_until = self.clock() + lifetime - min(60.0, lifetime / 10)
        return None

    @staticmethod
    def _refusal(response: httpx.Response) -> str:
        """RFC 6749 section 5.2: ``error`` and ``error_description``, and the fix."""
        try:
            data = loads_json(response.content)
        except ValueError:
            data = None
        code = data.get("error") if isinstance(data, dict) else None
        text = f"OAuth2 token request refused: {code or 'no error code'}"
        description = data.get("error_description") if isinstance(data, dict) else None
        if isinstance(description, str) and description:
            text += f" ({description})"
        return text + "; check client_id, client_secret and token_url"


def is_token_request(exc: httpx.HTTPError, auth: httpx.Auth | None) -> bool:
    """Whether ``exc`` happened on ``auth``'s token request (never an API write: safe to
    repeat)."""
    if not isinstance(auth, OAuth2ClientCredentials):
        return False
    try:
        failed = exc.request
    except RuntimeError:
        return False
    return failed.method == "POST" and str(failed.url) == str(httpx.URL(auth.token_url))
