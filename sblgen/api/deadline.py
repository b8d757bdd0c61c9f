"""One wall-clock bound for a whole API call, and a bounded read of every response body.

A client's ``timeout`` is the time one call may take from start to finish: connecting,
sending, every read of a response that trickles in a byte at a time, every retry and every
``Retry-After`` wait. A :class:`Deadline` is started per call and made current
(:func:`bound`); the connection pools of the clients' HTTP transports read it through
:class:`DeadlineBackend` (and :class:`AsyncDeadlineBackend`), which gives every socket
operation only the time left and fails it once none is. Waits check it too
(:func:`check_wait`): a ``Retry-After`` longer than the time left ends the call at once.

Bodies are read in pieces (:func:`read_body`, :func:`aread_body`), counted after
decompression and refused beyond :data:`~sblgen.limits.MAX_RESPONSE_BYTES`, so a small
compressed body that would expand to gigabytes stops there.

>>> deadline = Deadline.start(5.0)
>>> 4.9 < deadline.left() <= 5.0
True
>>> with bound(deadline):
...     check_wait(60.0, "POST", "https://api.example.com/sessions")
Traceback (most recent call last):
sblgen.errors.ApiTimeoutError: POST https://api.example.com/sessions -> waiting 60 s (as the \
server asked) would take longer than the call's timeout (5 s)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from sblgen.api.policy import public_url
from sblgen.errors import ApiTimeoutError, UnexpectedResponseError
from sblgen.limits import MAX_RESPONSE_BYTES

__all__ = [
    "AsyncDeadlineBackend",
    "Deadline",
    "DeadlineBackend",
    "aread_body",
    "bound",
    "check_wait",
    "install",
    "read_body",
]


@dataclass(frozen=True, slots=True)
class Deadline:
    """When the current call must be over (``time.monotonic()`` seconds), and its
    ``timeout``."""

    timeout: float
    at: float

    @classmethod
    def start(cls, timeout: float) -> Deadline:
        """A deadline ``timeout`` seconds from now."""
        return cls(timeout, time.monotonic() + timeout)

    def left(self) -> float:
        """Seconds left (0 or less once it has passed)."""
        return self.at - time.monotonic()

    def ran_out(self) -> str:
        """What an error says when it has passed."""
        return f"the call's timeout ({self.timeout:g} s) ran out"

    def clamp(self, timeout: float | None, error: type[Exception]) -> float:
        """``timeout`` cut to the time left; ``error`` once none is."""
        left = self.left()
        if left <= 0:
            raise error(self.ran_out())
        return left if timeout is None else min(timeout, left)


_current: ContextVar[Deadline | None] = ContextVar("sblgen_api_deadline", default=None)


@contextmanager
def bound(deadline: Deadline) -> Iterator[Deadline]:
    """Make ``deadline`` the current call's (for this thread or task) inside the block."""
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = _current.get()
    return timeout if deadline is None else deadline.clamp(timeout, error)


def check_wait(seconds: float, method: str, url: str) -> None:
    """Raise :class:`~sblgen.errors.ApiTimeoutError` if waiting ``seconds`` (a
    ``Retry-After``) would outlast the current call's deadline."""
    deadline = _current.get()
    if deadline is not None and seconds >= deadline.left():
        raise ApiTimeoutError(
            method,
            public_url(url),
            None,
            detail=f"waiting {seconds:g} s (as the server asked) would take longer than the "
            f"call's timeout ({deadline.timeout:g} s)",
        )


# --------------------------------------------------------------------------- the sockets

#: The most bytes one socket read asks for: what one read can expand to when decompressed
#: stays small (gzip expands at most about 1000 times).
_READ_BYTES = 16 * 1024


class _Stream(httpcore.NetworkStream):
    """A connection whose every read and write gets at most the time left."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(min(max_bytes, _READ_BYTES), _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
        )
        return _Stream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with the current call's deadline on every operation."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _clamp(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _Stream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - sblgen speaks TCP
        stream = self._inner.connect_unix_socket(
            path, _clamp(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _Stream(stream)

    def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore's own retries
        self._inner.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    """:class:`_Stream` for the asynchronous client."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        timeout = _clamp(timeout, httpcore.ReadTimeout)
        return await self._inner.read(min(max_bytes, _READ_BYTES), timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        inner = await self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
        )
        return _AsyncStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class AsyncDeadlineBackend(httpcore.AsyncNetworkBackend):
    """:class:`DeadlineBackend` for the asynchronous client."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(
            host, port, _clamp(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - sblgen speaks TCP
        stream = await self._inner.connect_unix_socket(
            path, _clamp(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _AsyncStream(stream)

    async def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore's retries
        await self._inner.sleep(seconds)


def install(http: httpx.Client | httpx.AsyncClient) -> int:
    """Put the deadline backends under ``http``'s own connection pools (its default
    transport and any proxy mounts); returns how many. A transport given by the caller
    without httpcore's pool (a mock) is left alone: its bodies are still read within the
    deadline and the size limit (:func:`read_body`)."""
    transports = [http._transport, *http._mounts.values()]
    done = 0
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is None or isinstance(backend, DeadlineBackend | AsyncDeadlineBackend):
            continue
        if isinstance(backend, httpcore.NetworkBackend):
            pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]
        else:
            pool._network_backend = AsyncDeadlineBackend(backend)  # type: ignore[union-attr]
        done += 1
    return done


# --------------------------------------------------------------------------- the bodies


def _too_large(response: httpx.Response, limit: int) -> UnexpectedResponseError:
    request = response.request
    return UnexpectedResponseError(
        request.method,
        public_url(str(request.url)),
        response.status_code,
        None,
        detail=f"the body is larger than MAX_RESPONSE_BYTES ({limit} bytes, counted after "
        "decompression); it was not read further",
    )


def _past_deadline(response: httpx.Response) -> None:
    deadline = _current.get()
    if deadline is not None and deadline.left() <= 0:
        raise httpx.ReadTimeout(deadline.ran_out(), request=response.request)


def read_body(response: httpx.Response, limit: int = MAX_RESPONSE_BYTES) -> bytes:
    """Read a streamed ``response``'s body (decoded) within the current deadline and at most
    ``limit`` bytes, then close it; afterwards ``response.content`` and ``.text`` work as
    after ``read()``. Too large a body is an
    :class:`~sblgen.errors.UnexpectedResponseError` that keeps none of it."""
    if hasattr(response, "_content"):
        return response.content  # already read (a response built from bytes)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise _too_large(response, limit)
            chunks.append(chunk)
            _past_deadline(response)
    finally:
        response.close()
    body = b"".join(chunks)
    response._content = body  # what httpx's read() keeps
    return body


async def aread_body(response: httpx.Response, limit: int = MAX_RESPONSE_BYTES) -> bytes:
    """:func:`read_body` for the asynchronous client."""
    if hasattr(response, "_content"):
        return response.content
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise _too_large(response, limit)
            chunks.append(chunk)
            _past_deadline(response)
    finally:
        await response.aclose()
    body = b"".join(chunks)
    response._content = body
    return body
