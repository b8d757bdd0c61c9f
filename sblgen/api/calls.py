"""How the REST resource handles (orders, subscriptions, accounts, prices, events) talk to
FastSpring: each operation is written once and runs on a sync handle (:class:`SyncHandle`,
on :class:`~sblgen.api.Client`) or an async one (:class:`AsyncHandle`, on
:class:`~sblgen.api.AsyncClient`).

An operation never does IO itself. It describes each request as a :class:`Call` (method,
path, body, whether it may be retried after it may have reached FastSpring, how to read
the answer):

- ``@one_call``: a function that returns its one :class:`Call`;
- ``@operation``: a generator that yields calls and gets each parsed answer back (or the
  call's :class:`~sblgen.errors.ApiError`, raised at the ``yield``), for several steps
  (uncancel, then read the subscription back);
- ``@stream``: a generator of calls and items (every order of every page).

So an operation and its retry rules are the same code for both clients, and cannot drift
apart.

>>> from sblgen.api.checkout_sessions import Sender
>>> def fake_send(method, path, *, content=None, retry_safe=False):
...     return httpx.Response(200, json={"echo": path})
>>> class _Calls:
...     @operation
...     def echo(self, what: str) -> Op[Any]:
...         answer = yield Call("GET", f"/echo/{what}", None, True, parse_json)
...         return answer["echo"]
>>> class Echo(SyncHandle, _Calls):
...     pass
>>> Echo(Sender(fake_send, "https://api.example.com")).echo("hi")
'/echo/hi'
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncGenerator, Callable, Coroutine, Generator, Iterable
from types import MethodType
from typing import (
    Any,
    Concatenate,
    Generic,
    NamedTuple,
    ParamSpec,
    Protocol,
    Self,
    TypeAlias,
    TypeVar,
    overload,
)

import httpx
from pydantic import BaseModel, ValidationError

from sblgen.api.checkout_sessions import AsyncSendRequest, Sender, SendRequest
from sblgen.api.policy import unexpected_body
from sblgen.api.resource_data import ResultFailure, result_failure
from sblgen.errors import ApiError, BadRequestError, NotFoundError

__all__ = [
    "AsyncHandle",
    "Call",
    "Op",
    "Stream",
    "SyncHandle",
    "collect",
    "failure_error",
    "model_parser",
    "one_call",
    "operation",
    "paginate",
    "parse_json",
    "perform",
    "stream",
]

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
P = ParamSpec("P")

Parse: TypeAlias = Callable[[str, str, httpx.Response], T]


class Call(NamedTuple, Generic[T]):
    """One request: what to send, whether it may be retried after it may have reached
    FastSpring (reads, and writes that are harmless to repeat), and how to read the
    answer (``parse(method, url, response)``). A named tuple: made on every call, cheaply."""

    method: str
    path: str
    body: bytes | None
    retry_safe: bool
    parse: Parse[T]


#: An operation: yields calls, receives each call's parsed answer, returns the result.
Op: TypeAlias = Generator[Call[Any], Any, T]
#: A streamed operation: yields calls (answered like :data:`Op`) and items (passed on).
Stream: TypeAlias = Generator[Call[Any] | T, Any, None]


# --------------------------------------------------------------------------- answers


def failure_error(
    method: str, url: str, response: httpx.Response, failure: ResultFailure
) -> ApiError:
    """The typed error for a ``result: error`` inside a 2xx answer: :class:`NotFoundError`
    when it says the resource does not exist, else :class:`BadRequestError`."""
    cls = NotFoundError if failure.not_found else BadRequestError
    return cls(
        method, url, response.status_code, response.text, failure.message, params=failure.fields
    )


def parse_json(method: str, url: str, response: httpx.Response) -> Any:
    """The decoded JSON of a 2xx answer (``None`` for an empty one); a ``result: error``
    anywhere in it raises the typed error."""
    if not response.content.strip():
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        raise unexpected_body(method, url, response, "the body is not JSON") from None
    failure = result_failure(data)
    if failure is not None:
        raise failure_error(method, url, response, failure)
    return data


def _invalid(method: str, url: str, response: httpx.Response, cls: type[Any], err: Any) -> ApiError:
    count = err.error_count() if isinstance(err, ValidationError) else 1
    detail = f"the body is not {_what(cls)} ({count} problems)"
    return unexpected_body(method, url, response, detail)


def _what(cls: type[Any]) -> str:
    name = cls.__name__
    return f"{'an' if name[0] in 'AEIOU' else 'a'} {name}"


def model_parser(
    cls: type[M],
    *,
    unwrap: str | None = None,
    key: Callable[[M], object] | None = None,
    fast: bool = False,
) -> Parse[M]:
    """A parser for an answer that is one ``cls``: the bare object, or (with ``unwrap``)
    the first item of the list under that key, as FastSpring returns accounts. ``key``
    reads the id the object must have (an object without one is not the answer expected).

    The body is decoded and searched for a ``result: error`` first (an item of a list can
    carry one). With ``fast``, for a body that reports errors only at its top level, it is
    validated straight from the bytes and decoded only when it does not fit.
    """

    def checked(method: str, url: str, response: httpx.Response, model: M) -> M:
        if key is not None and not key(model):
            detail = f"the body is not {_what(cls)} (it has no id)"
            raise unexpected_body(method, url, response, detail)
        return model

    def parse_fast(method: str, url: str, response: httpx.Response) -> M:
        try:
            model = cls.model_validate_json(response.content)
        except ValidationError as err:
            parse_json(method, url, response)  # raises for result: error or non-JSON
            raise _invalid(method, url, response, cls, err) from None
        if getattr(model, "result", None) != "error" and (key is None or key(model)):
            return model
        parse_json(method, url, response)  # raises the typed error for a result: error
        return checked(method, url, response, model)

    def parse(method: str, url: str, response: httpx.Response) -> M:
        data = parse_json(method, url, response)
        if unwrap is not None and isinstance(data, dict) and isinstance(data.get(unwrap), list):
            items = data[unwrap]
            if not items:
                raise unexpected_body(method, url, response, f"'{unwrap}' is empty")
            data = items[0]
        try:
            model = cls.model_validate(data)
        except ValidationError as err:
            raise _invalid(method, url, response, cls, err) from None
        return checked(method, url, response, model)

    return parse_fast if fast and unwrap is None else parse


def perform(call: Call[T]) -> Op[T]:
    """``answer = yield from perform(call)``: one call inside an operation, its answer
    typed as the call's."""
    answer: T = yield call
    return answer


def collect(steps: Stream[T]) -> Op[list[T]]:
    """An operation that runs a stream to its end and returns its items as a list."""
    items: list[T] = []
    value: Any = None
    error: Exception | None = None
    while True:
        try:
            step = steps.send(value) if error is None else steps.throw(error)
        except StopIteration:
            return items
        value, error = None, None
        if isinstance(step, Call):
            try:
                value = yield step
            except Exception as exc:  # handed back to the stream, raised at its `yield`
                error = exc
        else:
            items.append(step)


class _Paged(Protocol):
    @property
    def next_page(self) -> int | None: ...

    @property
    def page(self) -> int | None: ...


PageT = TypeVar("PageT", bound=_Paged)


def paginate(
    make_call: Callable[[int | None], Call[PageT]], items: Callable[[PageT], Iterable[T]]
) -> Stream[T]:
    """Every item of every page: the first page, then ``nextPage`` until it is ``null``.

    A ``nextPage`` that does not move forward raises
    :class:`~sblgen.errors.UnexpectedResponseError` instead of asking for the same page
    forever."""
    number: int | None = None
    while True:
        call = make_call(number)
        page: PageT = yield Call(
            call.method, call.path, call.body, call.retry_safe, _moves_on(call.parse, number)
        )
        yield from items(page)
        if page.next_page is None:
            return
        number = page.next_page


def _moves_on(parse: Parse[PageT], requested: int | None) -> Parse[PageT]:
    def check(method: str, url: str, response: httpx.Response) -> PageT:
        page = parse(method, url, response)
        following = page.next_page
        current = requested if requested is not None else (page.page or 0)
        if following is not None and following <= current:
            detail = f"nextPage {following} does not follow page {current}"
            raise unexpected_body(method, url, response, detail)
        return page

    return check


# --------------------------------------------------------------------------- handles


class SyncHandle:
    """Runs operations on a :class:`~sblgen.api.Client` (through its :class:`Sender`)."""

    def __init__(self, sender: Sender[SendRequest]) -> None:
        self._sender = sender

    def _call(self, call: Call[T]) -> T:
        response = self._sender.send(
            call.method, call.path, content=call.body, retry_safe=call.retry_safe
        )
        return call.parse(call.method, self._sender.url(call.path), response)

    def _drive(self, op: Op[T]) -> T:
        value: Any = None
        error: Exception | None = None
        while True:
            try:
                call = op.send(value) if error is None else op.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            try:
                value, error = self._call(call), None
            except Exception as exc:  # handed to the operation, raised at its `yield`
                value, error = None, exc

    def _iterate(self, steps: Stream[T]) -> Generator[T, None, None]:
        value: Any = None
        error: Exception | None = None
        try:
            while True:
                try:
                    step = steps.send(value) if error is None else steps.throw(error)
                except StopIteration:
                    return
                value, error = None, None
                if isinstance(step, Call):
                    try:
                        value = self._call(step)
                    except Exception as exc:
                        error = exc
                else:
                    yield step
        finally:
            steps.close()


class AsyncHandle:
    """Runs operations on an :class:`~sblgen.api.AsyncClient`."""

    def __init__(self, sender: Sender[AsyncSendRequest]) -> None:
        self._sender = sender

    async def _call(self, call: Call[T]) -> T:
        response = await self._sender.send(
            call.method, call.path, content=call.body, retry_safe=call.retry_safe
        )
        return call.parse(call.method, self._sender.url(call.path), response)

    async def _drive(self, op: Op[T]) -> T:
        value: Any = None
        error: Exception | None = None
        while True:
            try:
                call = op.send(value) if error is None else op.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            try:
                value, error = await self._call(call), None
            except Exception as exc:
                value, error = None, exc

    async def _iterate(self, steps: Stream[T]) -> AsyncGenerator[T, None]:
        value: Any = None
        error: Exception | None = None
        try:
            while True:
                try:
                    step = steps.send(value) if error is None else steps.throw(error)
                except StopIteration:
                    return
                value, error = None, None
                if isinstance(step, Call):
                    try:
                        value = await self._call(step)
                    except Exception as exc:
                        error = exc
                else:
                    yield step
        finally:
            steps.close()


def _runner(fn: Callable[..., Any], run: Callable[..., Any]) -> Callable[..., Any]:
    """``run`` named and documented as ``fn``, with ``fn``'s parameters (made once per
    method; each access binds it with :class:`types.MethodType`, which costs next to
    nothing)."""
    run.__name__ = run.__qualname__ = fn.__name__
    run.__doc__ = fn.__doc__
    run.__signature__ = inspect.signature(fn).replace(  # type: ignore[attr-defined]
        return_annotation=inspect.Signature.empty
    )
    return run


class _Operation(Generic[P, T]):
    """An operation method: returns ``T`` on a :class:`SyncHandle`, an awaitable of ``T``
    on an :class:`AsyncHandle`."""

    def __init__(self, fn: Callable[Concatenate[Any, P], Op[T]]) -> None:
        self.fn = fn
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

        def run(handle: Any, /, *args: Any, **kwargs: Any) -> Any:
            return handle._drive(fn(handle, *args, **kwargs))

        self._run = _runner(fn, run)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: SyncHandle, owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: AsyncHandle, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        return self if obj is None else MethodType(self._run, obj)


class _OneCall(Generic[P, T]):
    """An operation that is exactly one call: its function returns the :class:`Call`, and
    the handle sends it (no generator to drive)."""

    def __init__(self, fn: Callable[Concatenate[Any, P], Call[T]]) -> None:
        self.fn = fn
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

        def run(handle: Any, /, *args: Any, **kwargs: Any) -> Any:
            return handle._call(fn(handle, *args, **kwargs))

        self._run = _runner(fn, run)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: SyncHandle, owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: AsyncHandle, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        return self if obj is None else MethodType(self._run, obj)


class _Streamed(Generic[P, T]):
    """A streamed method: an iterator of ``T`` on a :class:`SyncHandle`, an async iterator
    on an :class:`AsyncHandle`."""

    def __init__(self, fn: Callable[Concatenate[Any, P], Stream[T]]) -> None:
        self.fn = fn
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

        def run(handle: Any, /, *args: Any, **kwargs: Any) -> Any:
            return handle._iterate(fn(handle, *args, **kwargs))

        self._run = _runner(fn, run)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, obj: SyncHandle, owner: type[Any]
    ) -> Callable[P, Generator[T, None, None]]: ...
    @overload
    def __get__(
        self, obj: AsyncHandle, owner: type[Any]
    ) -> Callable[P, AsyncGenerator[T, None]]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        return self if obj is None else MethodType(self._run, obj)


def operation(fn: Callable[Concatenate[Any, P], Op[T]]) -> _Operation[P, T]:
    """Decorate an operation (a generator of :class:`Call`) written once for both clients."""
    return _Operation(fn)


def one_call(fn: Callable[Concatenate[Any, P], Call[T]]) -> _OneCall[P, T]:
    """Decorate an operation that is one request: a function returning its :class:`Call`
    (checked when called; nothing is sent until it returns)."""
    return _OneCall(fn)


def stream(fn: Callable[Concatenate[Any, P], Stream[T]]) -> _Streamed[P, T]:
    """Decorate a streamed operation: a function returning a :data:`Stream`. Arguments
    are checked when it is called if the function checks them before returning its
    generator (a generator function checks only on the first item)."""
    return _Streamed(fn)
