"""The machinery the REST resources share: operations written once for both clients, the
``result: error`` shapes and their typed errors, lenient values, path ids, and data modules
that stay data."""

from __future__ import annotations

import ast
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

import sblgen.api
from sblgen.api.calls import (
    AsyncHandle,
    Call,
    Op,
    Stream,
    SyncHandle,
    operation,
    parse_json,
    perform,
    stream,
)
from sblgen.api.checkout_sessions import Sender
from sblgen.api.orders import _parse_order
from sblgen.api.orders_models import Order
from sblgen.api.policy import error_for_response
from sblgen.api.resource_data import (
    LenientAmount,
    LenientCount,
    ref_id,
    resource_id,
    result_failure,
)
from sblgen.errors import (
    ApiError,
    BadRequestError,
    NotFoundError,
    ServerError,
    UnexpectedResponseError,
)
from tests.aio import run_async

API = Path(sblgen.api.__file__).parent
DATA_MODULES = (
    "resource_data",
    "orders_models",
    "subscriptions_models",
    "accounts_models",
    "products_models",
    "events_models",
)
IO_IMPORTS = ("httpx", "sblgen.render", "sblgen._cli", "sblgen.api.client", "sblgen.api.policy")
URL = "https://api.example.com/x"


@pytest.mark.parametrize("module", DATA_MODULES)
def test_data_modules_import_no_io(module: str) -> None:
    found: set[str] = set()
    for node in ast.walk(ast.parse((API / f"{module}.py").read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    assert (
        sorted(m for m in found if any(m == io or m.startswith(io + ".") for io in IO_IMPORTS))
        == []
    )


def test_data_loads_without_httpx() -> None:
    modules = ", ".join(f"sblgen.api.{m}" for m in DATA_MODULES)
    code = f"import sys, {modules}; print('httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- values


class _Values(BaseModel):
    amount: LenientAmount = None
    count: LenientCount = None


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        (9.95, "9.95"),
        ("10.0,", "10.0"),
        (" 7 ", "7"),
        ("null", None),
        ("", None),
        (True, None),
        ("NaN", None),
        ({"USD": 1}, None),
        (None, None),
    ],
)
def test_amounts_are_read_leniently(raw: Any, amount: str | None) -> None:
    value = _Values(amount=raw).amount
    assert value == (Decimal(amount) if amount is not None else None)


@pytest.mark.parametrize(("raw", "count"), [(2, 2), ("3", 3), ("null", None), (2.5, None)])
def test_counts_are_read_leniently(raw: Any, count: int | None) -> None:
    assert _Values(count=raw).count == count


def test_ref_id_reads_ids_and_objects() -> None:
    assert ref_id("", "id") is None
    assert ref_id({"account": "", "id": "A1"}, "account", "id") == "A1"
    assert ref_id(Order(order="o1"), "order") == "o1"
    assert ref_id(42, "id") is None


@pytest.mark.parametrize("bad", ["a\tb", "a\nb", "a\x00b", None, 7])
def test_resource_ids_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match=r"is not an? "):
        resource_id(bad, "event id")


def test_resource_ids_encoded_as_one_segment() -> None:
    assert resource_id("a?b#c", "order id") == "a%3Fb%23c"


# --------------------------------------------------------------------------- result: error


@pytest.mark.parametrize(
    ("body", "message", "not_found"),
    [
        (
            {"result": "error", "error": {"account": "account not found"}},
            "account: account not found",
            True,
        ),
        (
            {"result": "error", "error": "Unable to find subscription."},
            "Unable to find subscription.",
            True,
        ),
        ({"result": "error"}, "FastSpring answered result: error without details", False),
        (
            {"accounts": [{"result": "success"}, {"result": "error", "error": {"email": "taken"}}]},
            "email: taken",
            False,
        ),
        (
            {"result": "error", "error": {"x": "Subscription ID does not exist: 1"}},
            "x: Subscription ID does not exist: 1",
            True,
        ),
    ],
)
def test_result_failures(body: dict[str, Any], message: str, not_found: bool) -> None:
    failure = result_failure(body)
    assert failure is not None
    assert (failure.message, failure.not_found) == (message, not_found)


@pytest.mark.parametrize("body", [None, [], "x", {"result": "success"}, {"orders": "x"}])
def test_no_result_failure(body: Any) -> None:
    assert result_failure(body) is None


@pytest.mark.parametrize(
    ("status", "body", "cls", "message"),
    [
        (
            400,
            {"orders": [{"result": "error", "error": {"order": "Not found"}}]},
            NotFoundError,
            "order: Not found",
        ),
        (
            500,
            {"result": "error", "error": {"account": "account not found"}},
            NotFoundError,
            "account: account not found",
        ),
        (
            400,
            {"result": "error", "error": {"begin": "Invalid begin date"}},
            BadRequestError,
            "begin: Invalid begin date",
        ),
        (
            500,
            {"result": "error", "error": {"begin": "Begin required."}},
            ServerError,
            "begin: Begin required.",
        ),
        (
            400,
            {"message": "Can not parse request body.", "params": []},
            BadRequestError,
            "Can not parse request body.",
        ),
        (404, {"error": "nope"}, NotFoundError, "nope"),
    ],
)
def test_both_error_shapes_map_to_the_api_error_tree(
    status: int, body: dict[str, Any], cls: type[ApiError], message: str
) -> None:
    err = error_for_response("GET", URL, httpx.Response(status, json=body))
    assert type(err) is cls
    assert err.server_message == message
    assert err.status == status


def test_a_2xx_result_error_raises() -> None:
    with pytest.raises(BadRequestError, match="HTTP 200: x: y"):
        parse_json("POST", URL, httpx.Response(200, json={"result": "error", "error": {"x": "y"}}))
    assert parse_json("POST", URL, httpx.Response(204)) is None
    fast = _parse_order  # Order, validated straight from the bytes
    with pytest.raises(NotFoundError):
        fast(
            "GET",
            URL,
            httpx.Response(
                200, json={"order": "o1", "result": "error", "error": {"order": "Not found"}}
            ),
        )
    with pytest.raises(UnexpectedResponseError, match=r"not an Order \(it has no id"):
        fast("GET", URL, httpx.Response(200, json={"orders": [{"order": "o1"}]}))


# --------------------------------------------------------------------------- operations


def _sender(handler: Any) -> Sender[Any]:
    return Sender(handler, "https://api.example.com")


class _Calls:
    @operation
    def get(self, what: str) -> Op[Any]:
        """Read one thing."""
        return (yield from perform(Call("GET", f"/t/{what}", None, True, parse_json)))

    @operation
    def recover(self, what: str) -> Op[str]:
        try:
            yield from perform(Call("GET", f"/t/{what}", None, True, parse_json))
        except NotFoundError:
            return "recovered"
        return "found"

    @stream
    def many(self, count: int) -> Stream[int]:
        def steps() -> Stream[int]:
            for i in range(count):
                answer = yield Call("GET", f"/t/{i}", None, True, parse_json)
                yield answer["n"]

        return steps()


class _Sync(SyncHandle, _Calls):
    pass


class _Async(AsyncHandle, _Calls):
    pass


def _answers(sent: list[str]) -> Any:
    def send(
        method: str, path: str, *, content: bytes | None = None, retry_safe: bool = False
    ) -> httpx.Response:
        sent.append(path)
        if path.endswith("missing"):
            raise NotFoundError("GET", URL, 404)
        return httpx.Response(200, json={"n": len(sent)})

    return send


def test_one_definition_serves_both_clients() -> None:
    sent: list[str] = []
    sync = _Sync(_sender(_answers(sent)))
    assert sync.get("a") == {"n": 1}
    assert sync.recover("missing") == "recovered"  # the error is raised at the op's yield

    async def async_send(method: str, path: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = _answers(sent)(method, path, **kwargs)
        return response

    async def scenario() -> tuple[Any, str, list[int]]:
        handle = _Async(_sender(async_send))
        return await handle.get("b"), await handle.recover("c"), [n async for n in handle.many(2)]

    got, recovered, streamed = run_async(scenario)
    assert got == {"n": 3} and recovered == "found" and streamed == [5, 6]
    assert _Calls.get.__doc__ == "Read one thing." and sync.get.__name__ == "get"


def test_errors_propagate_and_streams_close() -> None:
    sent: list[str] = []
    sync = _Sync(_sender(_answers(sent)))
    with pytest.raises(NotFoundError):
        sync.get("missing")
    numbers = sync.many(10)
    assert next(numbers) == 2
    numbers.close()  # stops the inner steps too: nothing more is sent
    assert sent == ["/t/missing", "/t/0"]


def test_null_lists_read_as_empty_and_event_ids() -> None:
    from sblgen.api import Account
    from sblgen.api.events_models import EventPage

    order = Order.model_validate({"order": "o1", "items": None, "coupons": None})
    assert order.items == () and order.coupons == () and order.subscription_ids == ()
    assert Account.model_validate({"id": "a1", "orders": None}).orders == ()
    page = EventPage.model_validate({"events": [{"event": "e1", "type": "order.completed"}]})
    assert page.events[0].id == "e1" and page.events[0].wire == {
        "event": "e1",
        "type": "order.completed",
    }
    assert EventPage.model_validate({"events": None}).events == ()
