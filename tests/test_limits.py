"""sblgen.limits: one rule for input limits and text, applied at every entry point (CLI files
and standard input, site.toml, Sessions API responses, webhook bodies), each breach one
typed line naming the limit."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sblgen import limits
from sblgen.cli import main
from sblgen.errors import SiteError, WebhookPayloadError
from sblgen.events import parse as parse_events_typed
from sblgen.limits import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    LimitError,
    check_data,
    check_json_bytes,
    check_markup_text,
    check_text,
    loads_json,
    loads_toml,
    printable,
)
from sblgen.site import load_site
from sblgen.webhooks import parse_events

DEEP_JSON = "[" * 5000 + "]" * 5000
DEEP_TOML = "a = " + "[" * 5000 + "]" * 5000 + "\n"
LONG_INT = "9" * 5000


def test_every_limit_is_a_documented_constant() -> None:
    source = Path(limits.__file__).read_text(encoding="utf-8")
    names = [name for name in limits.__all__ if name.startswith("MAX_")]
    assert names == [
        "MAX_BODY_BYTES",
        "MAX_DEPTH",
        "MAX_ERROR_BODY_CHARS",
        "MAX_INT_DIGITS",
        "MAX_RESPONSE_BYTES",
    ]
    for name in names:
        assert re.search(rf"^#: .*\n(#: .*\n)*{name}: Final = ", source, re.M), name
        assert f":data:`{name}`" in limits.__doc__  # listed in the module's docstring


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 65 + "]" * 65, "nested deeper than MAX_DEPTH=64"),
        ('{"a":' * 65 + "1" + "}" * 65, "nested deeper than MAX_DEPTH=64"),
        (DEEP_JSON, "nested deeper than MAX_DEPTH=64"),
        ("1" * 65, "an integer with 65 digits: more than MAX_INT_DIGITS=64"),
        ('{"n": -' + LONG_INT + "}", "an integer with 5000 digits"),
        ("[1e999]", "out of range"),
        ("[NaN]", "NaN is not a JSON number"),
        ('{"a": -Infinity}', "-Infinity is not a JSON number"),
        ('["\\ud800"]', r"\[0\] contains a lone surrogate \(U\+D800\)"),
        ('{"\\udfff": 1}', r"a key contains a lone surrogate \(U\+DFFF\)"),
        ('["\ud800"]', r"\[0\] contains a lone surrogate \(U\+D800\)"),  # in a str, unescaped
        ("[" + "9" * 400 + ".0]", "^the number " + "9" * 40 + " is out of range"),
    ],
)
def test_loads_json_refuses(text: str, message: str) -> None:
    with pytest.raises(LimitError, match=message):
        loads_json(text)


def test_loads_json_keeps_what_is_within_the_limits() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert loads_json(text) is not None
    assert loads_json("9" * MAX_INT_DIGITS) == int("9" * MAX_INT_DIGITS)
    assert loads_json("-" + "9" * MAX_INT_DIGITS) == -int("9" * MAX_INT_DIGITS)  # sign not counted
    # Digits inside strings, in fractions and exponents are not integers.
    assert loads_json('{"card": "' + "4" * 200 + '"}')["card"] == "4" * 200
    assert loads_json("0." + "1" * 200) == pytest.approx(1 / 9)
    assert loads_json('["\\ud83d\\ude00", "\\u005f_proto__"]') == ["😀", "__proto__"]
    with pytest.raises(json.JSONDecodeError):
        loads_json("{")


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 65 + b"]" * 65,
        b'{"a": ' + b"7" * 65 + b"}",
        b'{"s": "\\\\", "n": ' + b"7" * 65 + b"}",  # an escaped backslash before the number
    ],
)
def test_check_json_bytes_refuses(body: bytes) -> None:
    with pytest.raises(LimitError):
        check_json_bytes(body)


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": "' + b"[" * 500 + b'"}',  # brackets in a string do not nest
        b'{"s": "' + b"7" * 500 + b'"}',
        b'{"s": "\\"' + b"7" * 500 + b'"}',
        b'{"s": "C:\\\\", "n": "' + b"7" * 500 + b'"}',  # a string ending in a backslash
        b'["\\"' + b"[" * 500 + b'\\""]',  # brackets between escaped quotes
        b"[1.5e" + b"3" * 70 + b"]",
        b"[0." + b"3" * 70 + b"]",
    ],
)
def test_check_json_bytes_accepts(body: bytes) -> None:
    check_json_bytes(body)


def test_toml() -> None:
    assert loads_toml('[[pages]]\npath = "a"\n[pages.data]\nx = [[1], {y = "[["}]\n') == {
        "pages": [{"path": "a", "data": {"x": [[1], {"y": "[["}]}}]
    }
    for text, message in [
        (DEEP_TOML, "nested deeper than MAX_DEPTH=64"),
        ("a = " + "{b = " * 70 + "1" + "}" * 70, "^nested deeper than MAX_DEPTH=64$"),
        ("a = [[]]\nb = " + "[" * 65 + "]" * 65, "^nested deeper than MAX_DEPTH=64$"),
        ("a = " + LONG_INT, "more than MAX_INT_DIGITS=64"),
        ("a = " + "9" * 100, "a: an integer with more than MAX_INT_DIGITS=64 digits"),
        ('a = "\\ud800"', "not a Unicode scalar value"),  # TOML refuses such an escape
    ]:
        with pytest.raises(ValueError, match=message):
            loads_toml(text)


def test_toml_counts_nesting_not_brackets() -> None:
    """Many shallow arrays, tables, strings and comments are not deep; 63 levels are fine."""
    wide = "".join(f'k{i} = [1, ["s"]]  # [[ comment\n' for i in range(100))
    wide += "".join(f"[t{i}]\nx = {{y = [1]}}\n" for i in range(100))
    assert len(loads_toml(wide)) == 200
    assert loads_toml("a = " + "[" * 63 + "]" * 63) is not None


def test_nests_deeper_than_agrees_with_the_exact_depth() -> None:
    # Alternating pairs peel two levels per pass: the shortcut must still not miss them.
    assert limits.nests_deeper_than(b"[{[{}]}]", 3) == 4
    assert limits.nests_deeper_than(b"[{[{}]}]", 4) is None


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.just(b""),
        lambda inner: (
            st.lists(inner, max_size=3)
            .map(b"".join)
            .flatmap(lambda body: st.sampled_from([b"[" + body + b"]", b"{" + body + b"}"]))
        ),
        max_leaves=30,
    ),
    st.integers(0, 12),
)
def test_nests_deeper_than_is_the_exact_depth_past_the_limit(body: bytes, limit: int) -> None:
    depth = limits.json_depth(body)
    assert limits.nests_deeper_than(body, limit) == (depth if depth > limit else None)


def test_check_data_names_the_place() -> None:
    with pytest.raises(LimitError, match=r"^pages\[1\]\.title contains a lone surrogate"):
        check_data({"pages": [{"title": "ok"}, {"title": "a\udc80"}]})
    nested: Any = "x"
    for _ in range(MAX_DEPTH + 1):
        nested = [nested]
    with pytest.raises(LimitError, match="nested deeper than MAX_DEPTH=64"):
        check_data(nested)
    with pytest.raises(LimitError, match="not a finite number"):
        check_data({"a": float("inf")})
    assert check_data({"a": True, "b": None, "c": 1.5, "d": 10**63}) is not None
    for message, value in [
        (r"^n: an integer with more than MAX_INT_DIGITS=64 digits$", {"n": 10**70}),
        (r"^x: inf is not a finite number$", {"x": float("inf")}),
        (r"^the data: nan is not a finite number$", float("nan")),
        (r"^the data contains a lone surrogate", "\udc80"),
        (r"^a key of a contains a lone surrogate", {"a": {"\ud800": 1}}),
        (r"^a(\[0\])+: nested deeper than MAX_DEPTH=64$", {"a": nested}),
    ]:
        with pytest.raises(LimitError, match=message):
            check_data(value)


def test_check_data_checks_everything_after_a_boolean() -> None:
    with pytest.raises(LimitError, match=r"^\[0\] contains a lone surrogate"):
        check_data(["\udc80", True])


def test_check_data_integer_bounds() -> None:
    for fine in (10**MAX_INT_DIGITS - 1, -(10**MAX_INT_DIGITS - 1)):
        assert check_data([fine]) == [fine]
    for too_long in (10**MAX_INT_DIGITS, -(10**MAX_INT_DIGITS)):
        with pytest.raises(LimitError, match=r"^\[0\]: an integer with more than"):
            check_data([too_long])


def test_check_data_counts_maps_as_levels() -> None:
    nested: Any = {}
    for _ in range(MAX_DEPTH - 1):
        nested = {"a": nested}
    assert check_data(nested) is nested  # 64 levels of maps
    with pytest.raises(LimitError, match="nested deeper than MAX_DEPTH=64"):
        check_data({"a": nested})


def test_check_data_refused_keys_say_why() -> None:
    why = "JavaScript would treat it as the object's prototype; rename it."
    keys = frozenset({limits.PROTO_KEY})
    with pytest.raises(LimitError, match=f"^'__proto__' cannot be a key: {re.escape(why)}$"):
        check_data({"__proto__": 1}, refuse_keys=keys)
    with pytest.raises(
        LimitError, match=f"^'__proto__' cannot be a key of a\\[0\\]: {re.escape(why)}$"
    ):
        check_data({"a": [{"__proto__": 1}]}, refuse_keys=keys)


def test_text_rules() -> None:
    assert check_text("Zoë 😀 \u2028") == "Zoë 😀 \u2028"
    for bad in ("\ud800", "a\udfffb", "😀\ud83d"):
        with pytest.raises(LimitError, match="lone surrogate"):
            check_text(bad, "the name")
    assert check_markup_text("tab\tnew line\nform feed\fcr\r") is not None
    for char in ("\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f"):
        with pytest.raises(LimitError, match=f"U\\+{ord(char):04X} at index 1: HTML cannot"):
            check_markup_text(f"a{char}", "the label")
    with pytest.raises(LimitError, match="lone surrogate"):
        check_markup_text("a\ud800", "the label")
    with pytest.raises(LimitError, match=r"^the label contains a lone surrogate \(U\+DFFF\)"):
        check_markup_text("a\udfff", "the label")
    with pytest.raises(LimitError, match=r"^text contains a lone surrogate"):
        check_text("\ud800")
    with pytest.raises(LimitError, match=r"^text contains U"):
        check_markup_text("\x00")


def test_printable() -> None:
    assert printable("plain text, Zoë") == "plain text, Zoë"
    assert printable("a\x1b[31mb\r\n\u202e\u2028\x00\ud800") == (
        "a\\x1b[31mb\\r\\n\\u202e\\u2028\\x00\\ud800"
    )
    assert printable("a\u2029b\u0085") == "a\\u2029b\\x85"  # paragraph separator, NEL


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_json_within_the_limits_round_trips(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert loads_json(text) == value
    check_json_bytes(text.encode("utf-8"))


# --------------------------------------------------------------------------- entry points


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return status, err.strip()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("deep.json", DEEP_JSON, "deep.json: nested deeper than MAX_DEPTH=64."),
        ("deep.toml", DEEP_TOML, "deep.toml: nested deeper than MAX_DEPTH=64."),
        (
            "long.json",
            '{"coupon": ' + LONG_INT + "}",
            "long.json: an integer with 5000 digits: more than MAX_INT_DIGITS=64.",
        ),
        (
            "long.toml",
            "coupon = " + LONG_INT,
            "long.toml: an integer with more than MAX_INT_DIGITS=64 digits.",
        ),
        (
            "surrogate.json",
            '{"postalCode": "\\udc00"}',
            "surrogate.json: postalCode contains a lone surrogate (U+DC00) at index 0",
        ),
        ("nan.json", '{"tags": {"a": NaN}}', "nan.json: NaN is not a JSON number"),
    ],
)
def test_cli_files_are_limited(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(text, encoding="utf-8")
    status, err = _cli(["session", "validate", name], capsys)
    assert status == 2
    assert err.startswith(f"sblgen: {message}")


def test_cli_stdin_is_limited(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DEEP_JSON.encode())))
    assert _cli(["session", "validate", "-"], capsys) == (
        2,
        "sblgen: <stdin>: nested deeper than MAX_DEPTH=64.",
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"coupon": "\xff"}')))
    assert _cli(["session", "validate", "-"], capsys) == (
        2,
        "sblgen: <stdin>: not UTF-8 text (byte 0xff at offset 12).",
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("data = " + "[" * 5000 + "]" * 5000, "nested deeper than MAX_DEPTH=64"),
        ("n = " + LONG_INT, "an integer with more than MAX_INT_DIGITS=64 digits"),
    ],
)
def test_site_toml_is_limited(tmp_path: Path, extra: str, message: str) -> None:
    (tmp_path / "site.toml").write_text(
        '[site]\nstorefront = "acme.test.onfastspring.com/popup-acme"\n'
        f'[[pages]]\npath = "a.html"\ntitle = "A"\n{extra}\n',
        encoding="utf-8",
    )
    with pytest.raises(SiteError, match=f"site.toml: {message}"):
        load_site(tmp_path)


def _event(**fields: Any) -> str:
    return json.dumps({"events": [{"id": "e1", "type": "order.completed", **fields}]})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"events": ' + DEEP_JSON + "}", "nested deeper than MAX_DEPTH=64"),
        (
            '{"events": [{"id": "e1", "type": "x", "data": ' + LONG_INT + "}]}",
            "an integer with 5000 digits: more than MAX_INT_DIGITS=64",
        ),
        (_event(created=10**20), "created"),
        (_event(created=-(10**19)), "created"),
        (_event(created=1e300), "created"),
    ],
)
def test_webhook_bodies_are_limited(body: str, message: str) -> None:
    """Both readers: the envelope (sblgen.webhooks) and the typed events (sblgen.events)."""
    with pytest.raises(WebhookPayloadError, match=message):
        parse_events(body.encode())
    with pytest.raises(WebhookPayloadError):
        parse_events_typed(body.encode())


def test_webhook_body_size_is_limited() -> None:
    body = b'{"events": [], "pad": "' + b"x" * limits.MAX_BODY_BYTES + b'"}'
    with pytest.raises(WebhookPayloadError, match="more than MAX_BODY_BYTES"):
        parse_events(body)
    with pytest.raises(WebhookPayloadError, match="more than MAX_BODY_BYTES"):
        parse_events_typed(body)
