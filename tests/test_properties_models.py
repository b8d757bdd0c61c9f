"""Refused, or it works: no input is validated as fine and then crashes later.

For hostile text, huge numbers and deep nesting, on every path that takes them (the models,
the CLI's input files, webhook bodies, API error bodies): either a one-line refusal
(``ValidationError`` whose every error is one line, or an sblgen error), or the value
renders, encrypts, prints. Never a raw ``UnicodeEncodeError``, ``RecursionError``,
``OverflowError`` or int-conversion ``ValueError`` from somewhere downstream.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sblgen import (
    ApiError,
    Product,
    SblgenError,
    SblOptions,
    Session,
    WebhookPayloadError,
    buttons,
    embed,
    push,
    session_init,
)
from sblgen._model import error_lines
from sblgen.api.policy import error_for_response
from sblgen.cli import main
from sblgen.webhooks import parse_events
from tests.hostile import hostile_session
from tests.render_cases import TEST_SHOP
from tests.strategies import (
    attempt,
    deep_json_text,
    hostile_key,
    hostile_text,
    huge_integers,
    json_values,
    valid_text,
)

FEW = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
KNOWN = settings(
    max_examples=40,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
OPTIONS = SblOptions(storefront=TEST_SHOP, access_key="KEY")


def no_surrogates(text: str) -> bool:
    return not any("\ud800" <= c <= "\udfff" for c in text)


def check_refusal(err: BaseException) -> None:
    """A refusal is one line per problem, with no raw control characters."""
    lines = error_lines(err) if isinstance(err, ValidationError) else [str(err)]
    assert lines
    for line in lines:
        assert not any(c in line for c in "\n\r\x00\x1b"), line


def render_everything(session: Session) -> None:
    """Every way a session reaches a page, written out as UTF-8 as a server would."""
    for html in (
        session_init(session),
        push(session, nonce="n0nce"),
        session_init(session, mode="external"),
        embed(OPTIONS, session=session),
    ):
        html.encode("utf-8")
    # buttons() may refuse a session it has nothing to sell for (every line quantity 0).
    rendered, refusal = attempt(lambda: buttons(session), SblgenError)
    if rendered is None:
        assert refusal is not None
        check_refusal(refusal)
    else:
        rendered.encode("utf-8")
    session.to_json().encode("utf-8")


def refused_or_rendered(make: Callable[[], Session]) -> None:
    session, refusal = attempt(make, ValidationError, SblgenError)
    if session is None:
        assert refusal is not None
        check_refusal(refusal)
        return
    render_everything(session)


# --------------------------------------------------------------- models


@FEW
@given(text=hostile_text().filter(no_surrogates), key=hostile_key().filter(no_surrogates))
def test_session_text_is_refused_or_rendered(text: str, key: str) -> None:
    refused_or_rendered(lambda: hostile_session(text, key))


@KNOWN
@given(text=hostile_text(), key=hostile_key())
def test_session_text_with_any_code_point_is_refused_or_rendered(text: str, key: str) -> None:
    refused_or_rendered(lambda: hostile_session(text, key))


@FEW
@given(quantity=st.integers(min_value=-(2**64), max_value=2**64))
def test_session_quantity_is_refused_or_rendered(quantity: int) -> None:
    refused_or_rendered(lambda: Session(products=[Product(path="a", quantity=quantity)]))


@KNOWN
@given(quantity=huge_integers())
def test_session_huge_quantity_is_refused_or_rendered(quantity: int) -> None:
    refused_or_rendered(lambda: Session(products=[Product(path="a", quantity=quantity)]))


_TYPED_FIELDS: dict[str, Callable[[str], dict[str, Any]]] = {
    "products": lambda v: {"products": [{"path": v}]},
    "coupon": lambda v: {"coupon": v},
    "country": lambda v: {"country": v},
    "language": lambda v: {"language": v},
    "paymentMethod": lambda v: {"paymentMethod": v},
    "checkout": lambda v: {"checkout": v},
    "email": lambda v: {"paymentContact": {"email": v}},
    "invoiceDueDate": lambda v: {"invoiceDueDate": v},
    "tags": lambda v: {"tags": {v: "x"}},
}


@FEW
@given(field=st.sampled_from(sorted(_TYPED_FIELDS)), text=hostile_text().filter(no_surrogates))
def test_typed_fields_refuse_in_one_line(field: str, text: str) -> None:
    refused_or_rendered(lambda: Session.model_validate(_TYPED_FIELDS[field](text)))


@FEW
@given(
    field=st.sampled_from(["storefront", "access_key", "data_callback", "src", "loader_src"]),
    text=hostile_text().filter(no_surrogates),
)
def test_options_refuse_in_one_line_or_render(field: str, text: str) -> None:
    values: dict[str, Any] = {"storefront": TEST_SHOP, field: text}
    options, refusal = attempt(lambda: SblOptions.model_validate(values), ValidationError)
    if options is None:
        assert refusal is not None
        check_refusal(refusal)
        return
    embed(options, session=Session(products=[Product(path="a")])).encode("utf-8")


# --------------------------------------------------------------- the CLI's input files


def _cli(*argv: str) -> int:
    """The CLI in this process: an exit status, or the exception that escaped it."""
    return main(list(argv))


def _validate_then_render(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = _cli("session", "validate", str(path))
    out, err = capsys.readouterr()
    if status == 0:
        assert out == "OK\n"
        assert _cli("render", "--storefront", TEST_SHOP, "--session", str(path)) == 0
        out, err = capsys.readouterr()
        out.encode("utf-8")
        assert "<script" in out
    else:
        assert status == 2
        assert err and "Traceback" not in err
        for line in err.splitlines():
            assert "\x00" not in line and "\x1b" not in line


@FEW
@given(text=valid_text(), key=valid_text(max_size=4).filter(lambda k: k not in ("", "__proto__")))
def test_cli_session_file_is_refused_or_rendered(
    text: str, key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "session.json"
    path.write_text(json.dumps(hostile_session(text, key).to_dict()), encoding="utf-8")
    _validate_then_render(path, capsys)


@KNOWN
@given(data=json_values())
def test_cli_any_json_file_is_refused_or_rendered(
    data: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Any JSON at all, with ``\\ud800`` escapes for lone surrogates (JSON allows them)."""
    path = tmp_path / "session.json"
    path.write_text(json.dumps({"tags": {"k": "\ud800"}, "x": data}), encoding="utf-8")
    _validate_then_render(path, capsys)
    path.write_text(json.dumps({"tags": {"k": "\ud800"}}), encoding="utf-8")
    _validate_then_render(path, capsys)


@pytest.mark.parametrize("kind", ["list", "object"])
def test_cli_deeply_nested_json_is_refused(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "session.json"
    path.write_text('{"tags": ' + deep_json_text(100_000, kind=kind) + "}", encoding="utf-8")
    _validate_then_render(path, capsys)


def test_cli_deeply_nested_toml_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "session.toml"
    path.write_text("tags = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    _validate_then_render(path, capsys)


def test_cli_integer_with_thousands_of_digits_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "session.json"
    path.write_text('{"products": [{"path": "a", "quantity": ' + "9" * 5000 + "}]}")
    _validate_then_render(path, capsys)


# --------------------------------------------------------------- bodies from the network


def _webhook_body(data: Any, created: Any = 1700000000000) -> bytes:
    event = {"id": "e1", "type": "order.completed", "created": created, "data": data}
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # the test writes numbers Python would not convert
    try:
        return json.dumps({"events": [event]}).encode()
    finally:
        sys.set_int_max_str_digits(limit)


def _parsed_or_refused(body: bytes) -> None:
    payload, refusal = attempt(lambda: parse_events(body), WebhookPayloadError)
    if payload is None:
        assert refusal is not None
        check_refusal(refusal)


@FEW
@given(data=json_values(), created=st.integers(min_value=0, max_value=2**41))
def test_webhook_body_is_parsed_or_refused(data: Any, created: int) -> None:
    _parsed_or_refused(_webhook_body(data, created))


@KNOWN
@given(created=huge_integers() | st.floats(allow_nan=False))
def test_webhook_out_of_range_timestamp_is_refused(created: float) -> None:
    _parsed_or_refused(_webhook_body(None, created))


def test_webhook_deep_nesting_is_refused() -> None:
    for kind in ("list", "object"):
        body = b'{"events": [{"id": "e", "type": "t", "data": '
        body += deep_json_text(100_000, kind=kind).encode() + b"}]}"
        with pytest.raises(WebhookPayloadError, match="nested deeper than MAX_DEPTH=64"):
            parse_events(body)


def _error_or_bust(status: int, body: str) -> None:
    err = error_for_response(
        "POST", "https://api.example.com/sessions", httpx.Response(status, text=body)
    )
    assert isinstance(err, ApiError) and err.status == status
    assert len(str(err).splitlines()) <= 1


@FEW
@given(
    status=st.integers(min_value=400, max_value=599),
    body=st.one_of(hostile_text(max_size=30).filter(no_surrogates), json_values().map(json.dumps)),
)
def test_any_error_body_becomes_a_typed_error(status: int, body: str) -> None:
    _error_or_bust(status, body)


@pytest.mark.parametrize("kind", ["list", "object"])
def test_deeply_nested_error_body_becomes_a_typed_error(kind: str) -> None:
    _error_or_bust(500, deep_json_text(100_000, kind=kind))
