"""The body's size and nesting bounds, checked before anything is parsed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sblgen.errors import WebhookPayloadError
from sblgen.events import MAX_BODY_BYTES, MAX_JSON_DEPTH, parse
from sblgen.events.bounds import _nests_deeper_than, check_bounds, json_depth
from tests.webhook_apps import envelope


def test_body_size_and_depth_are_bounded() -> None:
    huge = b'{"events": [], "pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    with pytest.raises(WebhookPayloadError, match=r"more than MAX_BODY_BYTES \(5242880\)"):
        parse(huge)
    deep_data: Any = 1
    for _ in range(MAX_JSON_DEPTH):
        deep_data = {"a": deep_data}
    deep = envelope({"id": "e1", "type": "widget.x", "data": deep_data})
    with pytest.raises(
        WebhookPayloadError, match=r"nests 67 levels deep, more than MAX_JSON_DEPTH"
    ):
        parse(deep)
    # Brackets inside strings do not count; escaped quotes do not end a string.
    tricky = envelope({"id": "e1", "type": "widget.x", "data": {"t": '\\"' + "[" * 500}})
    assert parse(tricky)[0].data == {"t": '\\"' + "[" * 500}
    # Far past the limit, the parser itself never recurses (no RecursionError).
    with pytest.raises(WebhookPayloadError, match="MAX_JSON_DEPTH"):
        parse(b'{"events": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    with pytest.raises(WebhookPayloadError, match="nests 1000 levels deep"):
        parse(b"[" * 1000)  # never closed


def test_the_limits_themselves_pass() -> None:
    check_bounds(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    check_bounds(b" " * MAX_BODY_BYTES)
    with pytest.raises(WebhookPayloadError, match="MAX_BODY_BYTES"):
        check_bounds(b" " * (MAX_BODY_BYTES + 1))


def _reference_depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_reference_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_reference_depth(v) for v in value), default=0)
    return 0


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab\n'),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet='[]{}"\\ab', max_size=4), inner, max_size=4)
    ),
    max_leaves=40,
)


@given(_json, st.booleans())
def test_json_depth_matches_the_structure(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert json_depth(text) == _reference_depth(value)


@given(_json, st.integers(min_value=0, max_value=6))
def test_the_depth_bound_is_exact_at_any_limit(value: Any, limit: int) -> None:
    text = json.dumps(value).encode()
    depth = _reference_depth(value)
    assert _nests_deeper_than(text, limit) == (depth if depth > limit else None)
